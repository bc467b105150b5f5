/**
 * Stages side by side: cdk.json's dev and prod stages synthesized as `cdk deploy -c stage=…` does,
 * as two stacks that can live in one account; and a stage in front of an existing stream.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { CfnElement } from 'aws-cdk-lib';
import { EXISTING_STREAM_STAGE, synthesize, type Synthesized } from './synth';

type Json = Record<string, any>;

/** A bound, not a measure: a synth with the cdk-nag packs on a busy two-core machine. */
const SYNTH_BOUND_MS = 120_000;

/**
 * Properties that give a resource its name in the account (AWS::Kinesis::Stream, RestApi and
 * UsagePlanKey-less resources use `Name`). A resource without one gets a name CloudFormation
 * generates from the stack's name, which differs per stage.
 */
const NAME_PROPERTIES = ['Name', 'LogGroupName', 'AlarmName', 'RoleName', 'UsagePlanName', 'TopicName'];
const NAMED_TYPES = [
  'AWS::Kinesis::Stream',
  'AWS::Logs::LogGroup',
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::UsagePlan',
  'AWS::ApiGateway::ApiKey',
  'AWS::CloudWatch::Alarm',
  'AWS::IAM::Role',
];

/** Every account-level name a template sets, as `Type Name`; tokens count as "generated". */
function physicalNames(template: Template): Array<{ type: string; name: string }> {
  const names: Array<{ type: string; name: string }> = [];
  for (const [, resource] of Object.entries(template.toJSON().Resources as Record<string, Json>)) {
    if (!NAMED_TYPES.includes(resource.Type)) continue;
    const given = NAME_PROPERTIES.map((p) => resource.Properties?.[p]).find((v) => v !== undefined);
    names.push({ type: resource.Type, name: typeof given === 'string' ? given : 'generated' });
  }
  return names;
}

const resourcesOf = (template: Template, type: string): Json[] => Object.values(template.findResources(type)) as Json[];

describe('dev and prod side by side', () => {
  let dev: Synthesized;
  let prod: Synthesized;

  beforeAll(async () => {
    // One after the other: each synth runs the cdk-nag packs over its stack.
    dev = await synthesize({ stage: 'dev' });
    prod = await synthesize({ stage: 'prod' });
  }, SYNTH_BOUND_MS * 2);
  afterAll(() => {
    dev?.cleanup();
    prod?.cleanup();
  });

  test('are two stacks, each named for its stage', () => {
    expect([dev.stack.stackName, prod.stack.stackName]).toEqual(['KinesisIngest-dev', 'KinesisIngest-prod']);
  });

  test('share no physical name: streams, log groups, APIs, usage plans, alarms, roles', () => {
    const devNames = physicalNames(dev.template);
    const prodNames = physicalNames(prod.template);
    for (const type of [
      'AWS::Kinesis::Stream',
      'AWS::ApiGateway::RestApi',
      'AWS::ApiGateway::UsagePlan',
      'AWS::Logs::LogGroup',
      'AWS::CloudWatch::Alarm',
      'AWS::IAM::Role',
    ]) {
      expect(devNames.some((n) => n.type === type)).toBe(true);
      expect(prodNames.some((n) => n.type === type)).toBe(true);
    }
    const literal = (names: typeof devNames): string[] =>
      names.filter((n) => n.name !== 'generated').map((n) => `${n.type} ${n.name}`);
    expect(literal(devNames)).toEqual(
      expect.arrayContaining(['AWS::Kinesis::Stream ingest-events-dev', 'AWS::ApiGateway::RestApi kinesis-ingest-dev']),
    );
    expect(literal(prodNames)).toEqual(
      expect.arrayContaining([
        'AWS::Kinesis::Stream ingest-events-prod',
        'AWS::ApiGateway::RestApi kinesis-ingest-prod',
      ]),
    );
    expect(literal(devNames).filter((n) => literal(prodNames).includes(n))).toEqual([]);
  });

  test('the API paths keep the name clients call', () => {
    for (const { template } of [dev, prod]) {
      const [api] = resourcesOf(template, 'AWS::ApiGateway::RestApi');
      expect(Object.keys(api.Properties.Body.paths)).toContain('/streams/ingest-events/record');
      expect(template.toJSON().Outputs.StreamNames.Value).toBe('ingest-events');
    }
  });

  test('at most one of them sets the account-wide API Gateway CloudWatch role', () => {
    const accounts = [dev, prod].map(({ template }) => resourcesOf(template, 'AWS::ApiGateway::Account').length);
    expect(accounts).toEqual([1, 0]);
    // The stage that does not manage it has no CloudWatch role of its own either.
    expect(prod.stack.api.node.tryFindChild('CloudWatchRole')).toBeUndefined();
  });

  test('each takes its own stream settings', () => {
    dev.template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'ingest-events-dev',
      ShardCount: 1,
      RetentionPeriodHours: 24,
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
    });
    dev.template.hasResource('AWS::Kinesis::Stream', { DeletionPolicy: 'Delete' });
    prod.template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'ingest-events-prod',
      ShardCount: Match.absent(),
      RetentionPeriodHours: 168,
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
    });
    prod.template.hasResource('AWS::Kinesis::Stream', { DeletionPolicy: 'Retain' });
  });

  test('each takes its own throttling, usage plan and log retention', () => {
    dev.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'dev',
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 })],
    });
    prod.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 2000, ThrottlingBurstLimit: 4000 })],
    });
    dev.template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 100, BurstLimit: 200 },
      Quota: { Limit: 10_000_000, Period: 'DAY' },
    });
    prod.template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 1000, BurstLimit: 2000 },
      Quota: { Limit: 100_000_000, Period: 'DAY' },
    });
    dev.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
    prod.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  test("each one's role and alarms address its own stream", () => {
    for (const { stack, template, config } of [dev, prod]) {
      const streamId = stack.getLogicalId(stack.streams[0].node.defaultChild as CfnElement);
      template.hasResourceProperties('AWS::IAM::Role', {
        Policies: [
          {
            PolicyName: 'KinesisIngest',
            PolicyDocument: { Statement: [Match.objectLike({ Resource: { 'Fn::GetAtt': [streamId, 'Arn'] } })] },
          },
        ],
      });
      const kinesisAlarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').filter(
        (a) => a.Properties.Namespace === 'AWS/Kinesis',
      );
      expect(kinesisAlarms).toHaveLength(2);
      for (const alarm of kinesisAlarms)
        expect(alarm.Properties.Dimensions).toEqual([{ Name: 'StreamName', Value: { Ref: streamId } }]);
      template.hasOutput('KinesisStreamNames', { Value: config.streams[0].physicalName });
    }
  });

  test('prod passes the cdk-nag packs without the CloudWatch role it does not create', () => {
    expect(prod.report.pluginReports.flatMap((r) => r.violations.map((v) => `${r.pluginName}: ${v.ruleName}`))).toEqual(
      [],
    );
  });
});

describe('a stage in front of an existing stream', () => {
  const [{ streamArn: STREAM_ARN, kmsKeyArn: KEY_ARN }] = EXISTING_STREAM_STAGE.streams;
  let synth: Synthesized;

  beforeAll(async () => {
    synth = await synthesize(EXISTING_STREAM_STAGE);
  }, SYNTH_BOUND_MS);
  afterAll(() => synth?.cleanup());

  test('creates only the other stream, raised to its maximum record size', () => {
    const streams = resourcesOf(synth.template, 'AWS::Kinesis::Stream');
    expect(streams.map((s) => s.Properties.Name)).toEqual(['clicks-dev']);
    expect(streams[0].Properties.MaxRecordSizeInKiB).toBe(10240);
  });

  test('scopes the role to its ARN, and its key to its use by Kinesis for that stream', () => {
    const role = resourcesOf(synth.template, 'AWS::IAM::Role').find(
      (r) => r.Properties.Policies?.[0]?.PolicyName === 'KinesisIngest',
    ) as Json;
    const [kinesis, key] = role.Properties.Policies[0].PolicyDocument.Statement as Json[];
    const clicksId = synth.stack.getLogicalId(synth.stack.streams[1].node.defaultChild as CfnElement);
    expect(kinesis.Resource).toEqual([STREAM_ARN, { 'Fn::GetAtt': [clicksId, 'Arn'] }]);
    expect(key).toEqual({
      Sid: 'StreamKey0',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: KEY_ARN,
      Condition: { StringEquals: { 'kms:EncryptionContext:aws:kinesis:arn': STREAM_ARN } },
    });
  });

  test('still watches it', () => {
    const alarms = resourcesOf(synth.template, 'AWS::CloudWatch::Alarm').filter(
      (a) => JSON.stringify(a.Properties.Dimensions) === JSON.stringify([{ Name: 'StreamName', Value: 'orders-main' }]),
    );
    expect(alarms.map((a) => a.Properties.MetricName).sort()).toEqual([
      'GetRecords.IteratorAgeMilliseconds',
      'WriteProvisionedThroughputExceeded',
    ]);
    // Half of the 48 hours the configuration says the stream keeps records.
    expect(
      alarms.find((a) => a.Properties.MetricName === 'GetRecords.IteratorAgeMilliseconds')?.Properties.Threshold,
    ).toBe(24 * 3_600_000);
  });

  test('the integrations address it by its own name, the API by the configured one', () => {
    synth.template.hasOutput('StreamNames', { Value: 'orders,clicks' });
    synth.template.hasOutput('KinesisStreamNames', { Value: 'orders-main,clicks-dev' });
    const [api] = resourcesOf(synth.template, 'AWS::ApiGateway::RestApi');
    const put = api.Properties.Body.paths['/streams/orders/record'].put['x-amazon-apigateway-integration'];
    expect(put.requestTemplates['application/json']).toContain('"StreamName": "orders-main"');
  });

  test('the record schema takes the largest record the streams allow', () => {
    const [api] = resourcesOf(synth.template, 'AWS::ApiGateway::RestApi');
    expect(api.Properties.Body.components.schemas.RecordEntry.properties.dataBase64.maxLength).toBeGreaterThan(1398104);
  });

  test('passes the cdk-nag packs', () => {
    expect(
      synth.report.pluginReports.flatMap((r) => r.violations.map((v) => `${r.pluginName}: ${v.ruleName}`)),
    ).toEqual([]);
  });
});
