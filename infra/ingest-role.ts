/**
 * The role API Gateway assumes to call Kinesis: only the actions the spec's integrations call,
 * only on the configured streams. No KMS statement: the streams use the AWS managed key
 * (alias/aws/kinesis), whose key policy already lets any principal of the account use it through
 * Kinesis (kms:ViaService + kms:CallerAccount).
 */
import { Effect, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import { Construct } from 'constructs';

export interface IngestRoleProps {
  /** IAM actions, e.g. from kinesisIamActions(spec). */
  readonly actions: readonly string[];
  readonly streams: readonly IStream[];
}

export class IngestRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: IngestRoleProps) {
    super(scope, id);
    if (props.actions.length === 0) throw new Error('The spec has no Kinesis integration: the integration role would grant nothing');
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
      description: 'Assumed by API Gateway to call Kinesis for the spec-defined operations, on the configured streams only',
      inlinePolicies: {
        KinesisIngest: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: 'SpecKinesisActions',
              effect: Effect.ALLOW,
              actions: [...props.actions],
              resources: props.streams.map((s) => s.streamArn),
            }),
          ],
        }),
      },
    });
  }
}
