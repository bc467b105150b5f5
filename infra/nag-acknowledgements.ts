/**
 * cdk-nag findings that cannot apply to this stack, each acknowledged on the one construct it is
 * about, with the reason. Ids are namespaced (`AwsSolutions::…`) so that cdk-nag still reports the
 * finding and CDK moves it, with its reason, to the suppressed part of validation-report.json: an
 * audit trail rather than silence.
 *
 * Not acknowledged because they do not fire: AwsSolutions-APIG4 (authorization) and -COG4 (Cognito)
 * look at CfnMethod resources, which a SpecRestApi has none of. Authorization is set by the spec
 * instead: the renderer writes the root security requirement for the auth mode (api_key or sigv4),
 * and the Redocly rule `operation-has-security` forbids an operation from overriding it.
 */
import { Validations } from 'aws-cdk-lib';
import type { KinesisIngestStack } from './kinesis-ingest-stack';

export const NAG_ACKNOWLEDGEMENTS = {
  requestValidation: {
    id: 'AwsSolutions::AwsSolutions-APIG2',
    reason:
      'A SpecRestApi declares its request validators in the spec (x-amazon-apigateway-request-validators, body-and-params by default), which this rule cannot see: it looks for CfnRequestValidator resources only. The Redocly rules operation-has-validator and operation-has-integration make every operation name a validator and an integration.',
  },
  waf: {
    id: 'AwsSolutions::AwsSolutions-APIG3',
    reason:
      "No AWS WAF web ACL: the managed common rule set blocks request bodies over 8 KB (SizeRestrictions_BODY), which would break PutRecords batches of up to 5 MiB. A web ACL can be associated with the stage if it overrides that rule for the /streams/*/records and /record routes; the stage's throttling and the usage plan bound the request rate meanwhile.",
  },
  cloudWatchRoleManagedPolicy: {
    id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    reason:
      "The account's API Gateway CloudWatch role (AWS::ApiGateway::Account) is shared by every REST API of the account in this Region, so it cannot be scoped to this API's log groups; AmazonAPIGatewayPushToCloudWatchLogs is the policy AWS documents for it. The role that reaches Kinesis has no managed policy.",
  },
} as const;

export function acknowledgeNagFindings(stack: KinesisIngestStack): void {
  const cfnApi = stack.api.node.defaultChild;
  if (cfnApi) Validations.of(cfnApi).acknowledge(NAG_ACKNOWLEDGEMENTS.requestValidation);
  Validations.of(stack.api.deploymentStage).acknowledge(NAG_ACKNOWLEDGEMENTS.waf);
  const cloudWatchRole = stack.api.node.tryFindChild('CloudWatchRole');
  if (cloudWatchRole) Validations.of(cloudWatchRole).acknowledge(NAG_ACKNOWLEDGEMENTS.cloudWatchRoleManagedPolicy);
}
