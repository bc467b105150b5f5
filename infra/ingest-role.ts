/**
 * The role API Gateway assumes to call Kinesis: only the actions the spec's integrations call
 * (the operation inventory, spec-renderer/operation-inventory.ts), only on the configured streams,
 * or on their consumers for the actions authorized on a consumer ARN. Streams this stack creates use the AWS managed key
 * (alias/aws/kinesis), whose key policy already lets any principal of the account use it through
 * Kinesis (kms:ViaService + kms:CallerAccount), so they need no KMS statement. An existing stream
 * with a customer managed key does: writers need kms:GenerateDataKey and readers kms:Decrypt on the
 * key ("Permissions to use user-generated KMS keys",
 * https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html).
 */
import { Effect, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import { Construct } from 'constructs';
import type { ResourceKind } from '../spec-renderer';

export interface IngestRoleProps {
  /** IAM actions per kind of resource: iamActionsByResource(operationInventory(spec)). */
  readonly actions: Readonly<Record<ResourceKind, readonly string[]>>;
  readonly streams: readonly IStream[];
}

/** The KMS action each Kinesis action needs on a customer managed key. */
const KMS_ACTION_OF: Readonly<Record<string, string>> = {
  'kinesis:PutRecord': 'kms:GenerateDataKey',
  'kinesis:PutRecords': 'kms:GenerateDataKey',
  'kinesis:GetRecords': 'kms:Decrypt',
};

/** One Allow statement for `actions` on `resources`, or none when there is no action to grant. */
function allow(sid: string, actions: readonly string[], resources: string[]): PolicyStatement[] {
  return actions.length === 0
    ? []
    : [new PolicyStatement({ sid, effect: Effect.ALLOW, actions: [...actions], resources })];
}

export class IngestRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: IngestRoleProps) {
    super(scope, id);
    const { stream: streamActions, consumer: consumerActions } = props.actions;
    if (streamActions.length + consumerActions.length === 0)
      throw new Error('The spec has no Kinesis integration: the integration role would grant nothing');
    const kmsActions = [...new Set(streamActions.flatMap((a) => KMS_ACTION_OF[a] ?? []))].sort();
    const keyStatements = props.streams.flatMap((stream, i) =>
      stream.encryptionKey === undefined || kmsActions.length === 0
        ? []
        : [
            new PolicyStatement({
              sid: `StreamKey${i}`,
              effect: Effect.ALLOW,
              actions: kmsActions,
              resources: [stream.encryptionKey.keyArn],
              // Kinesis passes the stream's ARN as the encryption context of every KMS call, so the
              // key is usable for this stream only (same page, "encryption context").
              conditions: { StringEquals: { 'kms:EncryptionContext:aws:kinesis:arn': stream.streamArn } },
            }),
          ],
    );
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
      description:
        'Assumed by API Gateway to call Kinesis for the spec-defined operations, on the configured streams only',
      inlinePolicies: {
        KinesisIngest: new PolicyDocument({
          statements: [
            ...allow(
              'SpecKinesisActions',
              streamActions,
              props.streams.map((s) => s.streamArn),
            ),
            // A consumer ARN is the stream's ARN, /consumer/<name>:<creation timestamp> ("Actions,
            // resources, and condition keys for Amazon Kinesis Data Streams", resource type consumer).
            ...allow(
              'SpecKinesisConsumerActions',
              consumerActions,
              props.streams.map((s) => `${s.streamArn}/consumer/*`),
            ),
            ...keyStatements,
          ],
        }),
      },
    });
  }
}
