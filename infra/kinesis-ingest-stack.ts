/**
 * One stack per stage: the streams (or references to existing ones), the role API Gateway uses to
 * call them, the REST API imported from the rendered spec, its stage and logs, the usage plan
 * (apiKey mode), alarms and outputs. Read top to bottom, like aws-solutions-constructs'
 * aws-openapigateway-lambda: check the inputs, build what the spec refers to, render the spec,
 * create the API from it.
 */
import { Annotations, Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  ApiDefinition,
  ApiKey,
  EndpointType,
  LogGroupLogDestination,
  MethodLoggingLevel,
  Period,
  RestApiMode,
  SpecRestApi,
  UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnStream, Stream, StreamEncryption, StreamMode, type IStream } from 'aws-cdk-lib/aws-kinesis';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import {
  apiName,
  iamActionsByResource,
  operationInventory,
  renderDeployedSpec,
  type OpenApiDocument,
} from '../spec-renderer';
import { accessLogFormat } from './access-log-format';
import type { IngestConfig, StreamConfig } from '../config/ingest-config';
import { importDefinition } from './import-definition';
import { IngestAlarms } from './ingest-alarms';
import { IngestRole } from './ingest-role';
import { acknowledgeNagFindings } from './nag-acknowledgements';

export interface KinesisIngestStackProps extends StackProps {
  readonly config: IngestConfig;
  /** The spec from bundleSpec(), before rendering. */
  readonly bundledSpec: OpenApiDocument;
}

/** Kinesis's maximum record size unless a stream is raised (Kinesis Data Streams quotas and limits). */
const DEFAULT_MAX_RECORD_SIZE_KIB = 1024;

export const OPEN_API_WARNING =
  'auth is "none": the API is open to anyone on the internet who knows its URL, and can write to and read from the streams. Use "apiKey" or "iam" for anything but a short-lived test.';

export class KinesisIngestStack extends Stack {
  readonly api: SpecRestApi;
  /** One per configured stream, in the configuration's order: created here, or an existing stream's reference. */
  readonly streams: IStream[];
  readonly integrationRole: IngestRole;
  readonly apiKey?: ApiKey;
  readonly usagePlan?: UsagePlan;
  readonly alarms: IngestAlarms;

  constructor(scope: Construct, id: string, props: KinesisIngestStackProps) {
    super(scope, id, props);
    const { config, bundledSpec } = props;
    // Fails early, naming the operation, if the spec calls an action the role could not grant.
    const actions = iamActionsByResource(operationInventory(bundledSpec));
    const production = config.stageKind === 'production';
    const removalPolicy = production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    // 1. The streams: an existing one is referenced by its ARN, the others are created under
    // their physical names, encrypted with the AWS managed key.
    this.streams = config.streams.map((s) =>
      s.streamArn === undefined ? this.createStream(s, removalPolicy) : this.existingStream(s, s.streamArn),
    );

    // 2. The role the integrations assume: the spec's actions on these streams only.
    this.integrationRole = new IngestRole(this, 'IntegrationRole', { actions, streams: this.streams });

    // 3. The spec, rendered for this deployment (tokens for region, account and role).
    const rendered = renderDeployedSpec(bundledSpec, config, {
      region: Aws.REGION,
      accountId: Aws.ACCOUNT_ID,
      partition: Aws.PARTITION,
      integrationRoleArn: this.integrationRole.role.roleArn,
    });

    // 4. The API and its stage.
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: config.logRetentionDays as RetentionDays,
      removalPolicy,
    });
    this.api = new SpecRestApi(this, 'Api', {
      // The same name as the Body's info.title, which API Gateway takes as the name on import: the
      // alarms' ApiName dimension then measures this API.
      restApiName: apiName(config),
      apiDefinition: ApiDefinition.fromInline(importDefinition(rendered)),
      // "overwrite: the new API definition replaces the existing one" (CloudFormation
      // AWS::ApiGateway::RestApi Mode): an operation removed from the spec is removed on deploy;
      // the default for new APIs, merge, would keep it.
      mode: RestApiMode.OVERWRITE,
      endpointTypes: [EndpointType.REGIONAL],
      failOnWarnings: true,
      // Logging needs the account's API Gateway CloudWatch role (AWS::ApiGateway::Account). It is
      // one setting per account and Region, shared by every REST API there: "you should only have
      // one AWS::ApiGateway::Account resource per region per account" (CloudFormation reference,
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-account.html).
      // So one stage manages it (manageAccountCloudWatchRole) and keeps it when its stack goes;
      // the other stages rely on it. Set explicitly, so the @aws-cdk/aws-apigateway:disableCloudWatchRole
      // feature flag, which only changes the default, has no say.
      cloudWatchRole: config.manageAccountCloudWatchRole,
      ...(config.manageAccountCloudWatchRole ? { cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN } : {}),
      deployOptions: {
        stageName: config.stage,
        description: `${config.stageKind} stage`,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: accessLogFormat(),
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        tracingEnabled: true,
        metricsEnabled: true,
        throttlingRateLimit: config.throttle.rateLimit,
        throttlingBurstLimit: config.throttle.burstLimit,
      },
    });
    const stage = this.api.deploymentStage;
    // SpecRestApi adds an unnamed "Endpoint" output; ApiUrl below is the documented one.
    this.api.node.tryRemoveChild('Endpoint');

    // 5. Who may call it.
    if (config.auth === 'apiKey') {
      this.usagePlan = new UsagePlan(this, 'UsagePlan', {
        name: `kinesis-ingest-${config.stage}`,
        throttle: { rateLimit: config.usagePlan.throttle.rateLimit, burstLimit: config.usagePlan.throttle.burstLimit },
        quota: { limit: config.usagePlan.quota.limit, period: Period[config.usagePlan.quota.period] },
        apiStages: [{ api: this.api, stage }],
      });
      this.apiKey = new ApiKey(this, 'ApiKey', { description: `Key of the ${config.stage} stage's usage plan` });
      this.usagePlan.addApiKey(this.apiKey);
    } else if (config.auth === 'none') {
      Annotations.of(this).addWarningV2('@kinesis-ingest/open-api', OPEN_API_WARNING);
    }

    // 6. Alarms.
    this.alarms = new IngestAlarms(this, 'Alarms', {
      stage,
      streams: this.streams.map((stream, i) => ({ stream, config: config.streams[i] })),
      ...(config.alarmTopicArn === undefined ? {} : { alarmTopicArn: config.alarmTopicArn }),
    });

    // 7. Outputs.
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'The stage URL: append /streams' });
    new CfnOutput(this, 'ApiId', { value: this.api.restApiId });
    new CfnOutput(this, 'StageName', { value: stage.stageName });
    new CfnOutput(this, 'StreamNames', {
      value: config.streams.map((s) => s.name).join(','),
      description: "The streams' names in the API's paths (/streams/<name>/…)",
    });
    new CfnOutput(this, 'KinesisStreamNames', {
      value: config.streams.map((s) => s.physicalName).join(','),
      description: "The Kinesis streams' own names, in the order of StreamNames",
    });
    new CfnOutput(this, 'Region', { value: Aws.REGION });
    if (this.apiKey) {
      new CfnOutput(this, 'ApiKeyId', {
        value: this.apiKey.keyId,
        description: `The API key's id (not its value). Fetch the value with: aws apigateway get-api-key --api-key <ApiKeyId> --include-value --query value --output text`,
      });
    }

    acknowledgeNagFindings(this);
  }

  private createStream(s: StreamConfig, removalPolicy: RemovalPolicy): Stream {
    const stream = new Stream(this, `Stream-${s.name}`, {
      streamName: s.physicalName,
      streamMode: s.mode === 'ON_DEMAND' ? StreamMode.ON_DEMAND : StreamMode.PROVISIONED,
      ...(s.mode === 'PROVISIONED' ? { shardCount: s.shardCount ?? 1 } : {}),
      retentionPeriod: Duration.hours(s.retentionHours),
      encryption: StreamEncryption.MANAGED,
      removalPolicy,
    });
    // The L2 Stream has no prop for it; AWS::Kinesis::Stream's MaxRecordSizeInKiB takes 1024 to
    // 10240 (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kinesis-stream.html).
    // Left out at Kinesis's default of 1024, so a template for the default stays as it was.
    if (s.maxRecordSizeKiB !== DEFAULT_MAX_RECORD_SIZE_KIB)
      (stream.node.defaultChild as CfnStream).maxRecordSizeInKiB = s.maxRecordSizeKiB;
    return stream;
  }

  /** A stream this stack does not own: nothing is created, and nothing happens to it on destroy. */
  private existingStream(s: StreamConfig, streamArn: string): IStream {
    return Stream.fromStreamAttributes(this, `Stream-${s.name}`, {
      streamArn,
      ...(s.kmsKeyArn === undefined ? {} : { encryptionKey: Key.fromKeyArn(this, `StreamKey-${s.name}`, s.kmsKeyArn) }),
    });
  }
}
