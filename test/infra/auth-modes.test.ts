/** The configuration's other shapes: IAM auth on a production stage, and an open API. */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { CfnElement } from 'aws-cdk-lib';
import { OPEN_API_WARNING } from '../../infra/kinesis-ingest-stack';
import { IAM_PRODUCTION_STAGE, synthesize, type Synthesized } from './synth';

type Json = Record<string, any>;
const restApiOf = (template: Template): Json =>
  (Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0] as Json).Properties;
const bodyOf = (template: Template): Json => restApiOf(template).Body;
const operationsOf = (body: Json): Json[] =>
  Object.values(body.paths as Json).flatMap((item: Json) =>
    Object.values(item).filter((op) => typeof op === 'object' && op !== null && 'responses' in op),
  );

const TOPIC_ARN = IAM_PRODUCTION_STAGE.alarmTopicArn;

describe('iam auth, production stage, two streams, alarm topic', () => {
  let synth: Synthesized;
  let template: Template;

  beforeAll(async () => {
    synth = await synthesize(IAM_PRODUCTION_STAGE);
    template = synth.template;
  });
  afterAll(() => synth?.cleanup());

  test('the stack is named after the stage', () => {
    expect(synth.stack.stackName).toBe('KinesisIngest-prod');
  });

  test('every operation of the body requires SigV4; none relies on the root', () => {
    const body = bodyOf(template);
    expect(body.security).toBeUndefined();
    for (const operation of operationsOf(body)) expect(operation.security).toEqual([{ sigv4: [] }]);
    expect(body.components.securitySchemes).toEqual({
      sigv4: expect.objectContaining({ 'x-amazon-apigateway-authtype': 'awsSigv4' }),
    });
  });

  test('no resource policy: each stream is its own resource, so another name matches no route', () => {
    const body = bodyOf(template);
    expect(body['x-amazon-apigateway-policy']).toBeUndefined();
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/streams/clicks/record', '/streams/audit.log/records']),
    );
    expect(Object.keys(body.paths).filter((p) => p.includes('{'))).toEqual([]);
  });

  test('overwrite import mode, and the name is the body title, which the alarms measure', () => {
    const api = restApiOf(template);
    expect(api.Mode).toBe('overwrite');
    expect(api.Name).toBe('kinesis-ingest-prod');
    expect(api.Body.info.title).toBe(api.Name);
    const apiAlarms = (Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Json[]).filter(
      (a) => a.Properties.Namespace === 'AWS/ApiGateway',
    );
    expect(apiAlarms.length).toBeGreaterThan(0);
    for (const alarm of apiAlarms)
      expect(alarm.Properties.Dimensions).toEqual(expect.arrayContaining([{ Name: 'ApiName', Value: api.Name }]));
  });

  test('no API key and no usage plan', () => {
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    template.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
    expect(Object.keys(template.toJSON().Outputs)).not.toContain('ApiKeyId');
  });

  test('the role is granted on both streams and only them', () => {
    const ids = synth.stack.streams.map((s) => synth.stack.getLogicalId(s.node.defaultChild as CfnElement));
    template.hasResourceProperties('AWS::IAM::Role', {
      Policies: [
        {
          PolicyName: 'KinesisIngest',
          PolicyDocument: {
            Statement: [Match.objectLike({ Resource: ids.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })) })],
          },
        },
      ],
    });
  });

  test('each stream takes its mode, shards and retention', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'clicks-prod',
      ShardCount: 4,
      RetentionPeriodHours: 168,
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
    });
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'audit.log-prod',
      ShardCount: Match.absent(),
      RetentionPeriodHours: 24,
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
  });

  test('streams and logs are kept when the stack is deleted', () => {
    expect(Object.values(template.findResources('AWS::Kinesis::Stream')).map((r: Json) => r.DeletionPolicy)).toEqual([
      'Retain',
      'Retain',
    ]);
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

  test('the body has no security requirement, on any operation', () => {
    const body = bodyOf(synth.template);
    expect(body.security).toBeUndefined();
    for (const operation of operationsOf(body)) expect(operation.security).toEqual([]);
    expect(body.components.securitySchemes).toBeUndefined();
  });

  test('synth warns that the API is open', () => {
    // The assembly synthesize() made (app.synth() returns it, cached): Annotations.fromStack would
    // synthesize the whole app once more, validation plugins included, only to read these.
    const warnings = synth.app
      .synth()
      .getStackArtifact(synth.stack.artifactId)
      .messages.filter((m) => m.level === 'warning')
      .map((m) => [m.id, String(m.entry.data)]);
    expect(warnings).toContainEqual([`/${synth.stack.stackName}`, expect.stringMatching(/the API is open to anyone/)]);
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining(OPEN_API_WARNING));
  });

  test('no API key and no usage plan', () => {
    synth.template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    synth.template.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
  });
});
