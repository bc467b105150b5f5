/** The stack built from cdk.json's configuration of its default stage, dev (apiKey auth, a development stage). */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { CfnElement } from 'aws-cdk-lib';
import {
  bundleSpec,
  iamActionsByResource,
  listOperations,
  operationInventory,
  type OpenApiDocument,
} from '../../spec-renderer';
import { ACCESS_LOG_FIELDS } from '../../infra/access-log-format';
import { synthesize, type Synthesized } from './synth';

type Json = Record<string, any>;

function resourcesOf(template: Template, type: string): Json[] {
  return Object.values(template.findResources(type)) as Json[];
}

function bodyOf(template: Template): Json {
  const [api] = resourcesOf(template, 'AWS::ApiGateway::RestApi');
  return api.Properties.Body as Json;
}

function integrationsOf(body: Json): Json[] {
  return listOperations(body as OpenApiDocument).map(
    ({ operation }) => operation['x-amazon-apigateway-integration'] as Json,
  );
}

describe('KinesisIngestStack (apiKey, development)', () => {
  let synth: Synthesized;
  let template: Template;
  let spec: OpenApiDocument;
  let logicalId: (element: CfnElement) => string;

  beforeAll(async () => {
    [synth, spec] = await Promise.all([synthesize(), bundleSpec()]);
    template = synth.template;
    logicalId = (element) => synth.stack.getLogicalId(element);
  });
  afterAll(() => synth?.cleanup());

  const roleLogicalId = (): string => logicalId(synth.stack.integrationRole.role.node.defaultChild as CfnElement);
  const streamLogicalId = (): string => logicalId(synth.stack.streams[0].node.defaultChild as CfnElement);

  describe('the API body', () => {
    test('has exactly the paths and methods of the spec, {stream-name} being the configured stream', () => {
      const key = (doc: OpenApiDocument): string[] =>
        listOperations(doc)
          .map(({ path, method }) => `${method} ${path.replace('{stream-name}', 'ingest-events')}`)
          .sort();
      expect(key(bodyOf(template) as OpenApiDocument)).toEqual(key(spec));
    });

    test('every aws integration uses the integration role as credentials', () => {
      const aws = integrationsOf(bodyOf(template)).filter((i) => i.type === 'aws');
      expect(aws.length).toBeGreaterThan(0);
      for (const integration of aws)
        expect(integration.credentials).toEqual({ 'Fn::GetAtt': [roleLogicalId(), 'Arn'] });
    });

    test("every aws integration uri takes the stack's region", () => {
      for (const integration of integrationsOf(bodyOf(template)).filter((i) => i.type === 'aws')) {
        expect(integration.uri).toEqual({
          'Fn::Join': [
            '',
            ['arn:aws:apigateway:', { Ref: 'AWS::Region' }, expect.stringMatching(/^:kinesis:action\/[A-Za-z]+$/)],
          ],
        });
      }
    });

    test('requires the API key on every operation', () => {
      const body = bodyOf(template);
      for (const { operation } of listOperations(body as OpenApiDocument))
        expect(operation.security).toEqual([{ api_key: [] }]);
      expect(Object.keys(body.components.securitySchemes)).toEqual(['api_key']);
    });

    test('names a request validator for every operation (what cdk-nag APIG2 cannot see)', () => {
      const body = bodyOf(template);
      const validators = Object.keys(body['x-amazon-apigateway-request-validators']);
      for (const { operation } of listOperations(body as OpenApiDocument)) {
        expect(validators).toContain(
          operation['x-amazon-apigateway-request-validator'] ?? body['x-amazon-apigateway-request-validator'],
        );
      }
    });

    test('scopes the streams by routes: one resource per configured stream, no resource policy', () => {
      expect(bodyOf(template)['x-amazon-apigateway-policy']).toBeUndefined();
      expect(Object.keys(bodyOf(template).paths)).toContain('/streams/ingest-events/record');
    });

    test('leaves out the documentation-only servers and examples', () => {
      const text = JSON.stringify(bodyOf(template));
      expect(bodyOf(template).servers).toBeUndefined();
      expect(text).not.toMatch(/"examples?":/);
    });
  });

  test('has no literal account id or region anywhere in the template', () => {
    const { Resources, Outputs } = template.toJSON() as Json;
    const { CDKMetadata: _metadata, ...resources } = Resources;
    const text = JSON.stringify({ resources, Outputs });
    // A run of exactly 12 digits (an account id), not part of a longer number or a hash.
    expect(text).not.toMatch(/(^|[^0-9A-Za-z])\d{12}([^0-9A-Za-z]|$)/);
    expect(text).not.toMatch(
      /\b(us|eu|ap|sa|ca|me|af|il|mx|cn)(-gov|-iso[a-z]?)?-(north|south|east|west|central)+-\d\b/,
    );
  });

  describe('the integration role', () => {
    test('is assumed by API Gateway only', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' } },
          ],
        },
      });
    });

    test("grants exactly the spec's Kinesis actions on the configured stream, nothing else", () => {
      const role = template.findResources('AWS::IAM::Role')[roleLogicalId()] as Json;
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      const statements = role.Properties.Policies.flatMap((p: Json) => p.PolicyDocument.Statement);
      expect(statements).toEqual([
        {
          Sid: 'SpecKinesisActions',
          Effect: 'Allow',
          Action: iamActionsByResource(operationInventory(spec)).stream,
          Resource: { 'Fn::GetAtt': [streamLogicalId(), 'Arn'] },
        },
      ]);
    });

    test('no policy in the stack grants kinesis:* or KMS', () => {
      const text = JSON.stringify(template.toJSON());
      expect(text).not.toMatch(/"kinesis:\*"|"kms:/);
    });
  });

  describe('the stream', () => {
    test('is named for the stage, encrypted with the AWS managed key and sized from the configuration', () => {
      template.hasResourceProperties('AWS::Kinesis::Stream', {
        Name: 'ingest-events-dev',
        MaxRecordSizeInKiB: Match.absent(),
        ShardCount: 1,
        RetentionPeriodHours: 24,
        StreamModeDetails: { StreamMode: 'PROVISIONED' },
        StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
      });
    });

    test('is deleted with a development stage', () => {
      template.hasResource('AWS::Kinesis::Stream', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    });
  });

  describe('the stage', () => {
    test('writes JSON access logs with the integration fields', () => {
      const [stage] = resourcesOf(template, 'AWS::ApiGateway::Stage');
      const format = JSON.parse(stage.Properties.AccessLogSetting.Format as string) as Json;
      expect(format).toEqual(ACCESS_LOG_FIELDS);
      expect(format).toMatchObject({
        integrationStatus: '$context.integration.status',
        integrationLatency: '$context.integration.latency',
        integrationError: '$context.integration.error',
        errorMessage: '$context.error.message',
        errorResponseType: '$context.error.responseType',
      });
    });

    test('sends access logs to a log group kept as long as configured', () => {
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AccessLogs'), 'Arn'] } },
      });
    });

    test('is named from the configuration and traced with X-Ray', () => {
      template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'dev', TracingEnabled: true });
    });

    test('logs errors without request bodies, with metrics and throttling', () => {
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        MethodSettings: [
          {
            HttpMethod: '*',
            ResourcePath: '/*',
            LoggingLevel: 'ERROR',
            DataTraceEnabled: false,
            MetricsEnabled: true,
            ThrottlingRateLimit: 500,
            ThrottlingBurstLimit: 1000,
          },
        ],
      });
    });

    test("sets the account's CloudWatch role, as the stage that manages it, and keeps it when the stack goes", () => {
      template.resourceCountIs('AWS::ApiGateway::Account', 1);
      template.hasResource('AWS::ApiGateway::Account', { DeletionPolicy: 'Retain' });
    });

    test('is a regional endpoint that fails on import warnings', () => {
      template.hasResourceProperties('AWS::ApiGateway::RestApi', {
        EndpointConfiguration: { Types: ['REGIONAL'] },
        FailOnWarnings: true,
      });
    });
  });

  describe('apiKey auth', () => {
    test('a usage plan with the configured throttle and quota is bound to the stage', () => {
      template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        Throttle: { RateLimit: 100, BurstLimit: 200 },
        Quota: { Limit: 10_000_000, Period: 'DAY' },
        ApiStages: [
          Match.objectLike({
            ApiId: { Ref: Match.anyValue() },
            Stage: { Ref: Match.stringLikeRegexp('^ApiDeploymentStage') },
          }),
        ],
      });
    });

    test('one API key is attached to the plan', () => {
      template.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
      template.hasResourceProperties('AWS::ApiGateway::UsagePlanKey', {
        KeyType: 'API_KEY',
        KeyId: { Ref: logicalId(synth.stack.apiKey!.node.defaultChild as CfnElement) },
        UsagePlanId: { Ref: logicalId(synth.stack.usagePlan!.node.defaultChild as CfnElement) },
      });
    });

    test("outputs the key's id and how to fetch its value, never the value", () => {
      template.hasOutput('ApiKeyId', {
        Value: { Ref: logicalId(synth.stack.apiKey!.node.defaultChild as CfnElement) },
        Description: Match.stringLikeRegexp(
          'aws apigateway get-api-key --api-key <ApiKeyId> --include-value --query value --output text',
        ),
      });
    });
  });

  describe('alarms', () => {
    test('four: 5XX rate, p99 latency, write throttling and iterator age', () => {
      template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/ApiGateway',
        MetricName: '5XXError',
        Statistic: 'Average',
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/ApiGateway',
        MetricName: 'Latency',
        ExtendedStatistic: 'p99',
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Kinesis',
        MetricName: 'WriteProvisionedThroughputExceeded',
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Kinesis',
        MetricName: 'GetRecords.IteratorAgeMilliseconds',
        Statistic: 'Maximum',
      });
    });

    test('notify nobody without alarmTopicArn', () => {
      for (const alarm of resourcesOf(template, 'AWS::CloudWatch::Alarm'))
        expect(alarm.Properties.AlarmActions).toBeUndefined();
    });
  });

  test("outputs the URL, ids, stage, the streams' API and Kinesis names, and region", () => {
    template.hasOutput('ApiUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
    template.hasOutput('ApiId', { Value: { Ref: logicalId(synth.stack.api.node.defaultChild as CfnElement) } });
    template.hasOutput('StageName', { Value: { Ref: Match.stringLikeRegexp('^ApiDeploymentStage') } });
    template.hasOutput('StreamNames', { Value: 'ingest-events' });
    template.hasOutput('KinesisStreamNames', { Value: 'ingest-events-dev' });
    template.hasOutput('Region', { Value: { Ref: 'AWS::Region' } });
    expect(Object.keys(template.toJSON().Outputs).sort()).toEqual([
      'ApiId',
      'ApiKeyId',
      'ApiUrl',
      'KinesisStreamNames',
      'Region',
      'StageName',
      'StreamNames',
    ]);
  });
});
