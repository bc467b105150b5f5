/** The configuration's other shapes: IAM auth on a production stage, and an open API. */
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import type { CfnElement } from 'aws-cdk-lib';
import { OPEN_API_WARNING } from '../../infra/kinesis-ingest-stack';
import { synthesize, type Synthesized } from './synth';

type Json = Record<string, any>;
const bodyOf = (template: Template): Json => (Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0] as Json).Properties.Body;

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:111122223333:ingest-alarms';

describe('iam auth, production stage, two streams, alarm topic', () => {
  let synth: Synthesized;
  let template: Template;

  beforeAll(async () => {
    synth = await synthesize({
      stage: 'prod',
      stageKind: 'production',
      auth: 'iam',
      alarmTopicArn: TOPIC_ARN,
      logRetentionDays: 400,
      streams: [
        { name: 'clicks', mode: 'PROVISIONED', shardCount: 4, retentionHours: 168 },
        { name: 'audit.log', mode: 'ON_DEMAND', retentionHours: 24 },
      ],
    });
    template = synth.template;
  });
  afterAll(() => synth?.cleanup());

  test('the stack is named after the stage', () => {
    expect(synth.stack.stackName).toBe('KinesisIngest-prod');
  });

  test('the body requires SigV4', () => {
    const body = bodyOf(template);
    expect(body.security).toEqual([{ sigv4: [] }]);
    expect(body.components.securitySchemes).toEqual({ sigv4: expect.objectContaining({ 'x-amazon-apigateway-authtype': 'awsSigv4' }) });
  });

  test("the resource policy lets in only the account's own principals", () => {
    const [allow] = bodyOf(template)['x-amazon-apigateway-policy'].Statement;
    expect(allow.Principal).toEqual({
      AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] },
    });
  });

  test('no API key and no usage plan', () => {
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    template.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
    expect(Object.keys(template.toJSON().Outputs)).not.toContain('ApiKeyId');
  });

  test('the role is granted on both streams and only them', () => {
    const ids = synth.stack.streams.map((s) => synth.stack.getLogicalId(s.node.defaultChild as CfnElement));
    template.hasResourceProperties('AWS::IAM::Role', {
      Policies: [{ PolicyName: 'KinesisIngest', PolicyDocument: { Statement: [Match.objectLike({ Resource: ids.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })) })] } }],
    });
  });

  test('each stream takes its mode, shards and retention', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', { Name: 'clicks-prod', ShardCount: 4, RetentionPeriodHours: 168, StreamModeDetails: { StreamMode: 'PROVISIONED' } });
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'audit.log-prod',
      ShardCount: Match.absent(),
      RetentionPeriodHours: 24,
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
  });

  test('streams and logs are kept when the stack is deleted', () => {
    expect(Object.values(template.findResources('AWS::Kinesis::Stream')).map((r: Json) => r.DeletionPolicy)).toEqual(['Retain', 'Retain']);
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { RetentionInDays: 400 } });
  });

  test('two alarms per stream plus two for the API, each notifying the topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Json[];
    expect(alarms).toHaveLength(6);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([TOPIC_ARN]);
  });

  test('the stage is named from the configuration', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod' });
    template.hasOutput('StreamNames', { Value: 'clicks,audit.log' });
    template.hasOutput('KinesisStreamNames', { Value: 'clicks-prod,audit.log-prod' });
  });
});

describe('no auth', () => {
  let synth: Synthesized;

  beforeAll(async () => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    synth = await synthesize({ auth: 'none' });
  });
  afterAll(() => {
    synth?.cleanup();
    jest.restoreAllMocks();
  });

  test('the body has no security requirement', () => {
    expect(bodyOf(synth.template).security).toEqual([]);
    expect(bodyOf(synth.template).components.securitySchemes).toBeUndefined();
  });

  test('synth warns that the API is open', () => {
    Annotations.fromStack(synth.stack).hasWarning(`/${synth.stack.stackName}`, Match.stringLikeRegexp('the API is open to anyone'));
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining(OPEN_API_WARNING));
  });

  test('no API key and no usage plan', () => {
    synth.template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    synth.template.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
  });
});
