/**
 * The Kinesis actions the spec's integrations call, read from each `aws` integration's URI
 * (`arn:aws:apigateway:<region>:kinesis:action/<Action>`), and the IAM action each one needs (pure).
 * The integration role is granted exactly these, so a new operation in the spec cannot reach
 * Kinesis until its action is listed here.
 */
import { isJsonObject, listOperations, type OpenApiDocument } from '../spec-renderer';

/** Kinesis API action -> the IAM action that authorizes it. */
export const IAM_ACTION_OF: Readonly<Record<string, string>> = {
  PutRecord: 'kinesis:PutRecord',
  PutRecords: 'kinesis:PutRecords',
  GetShardIterator: 'kinesis:GetShardIterator',
  GetRecords: 'kinesis:GetRecords',
  DescribeStreamSummary: 'kinesis:DescribeStreamSummary',
  ListShards: 'kinesis:ListShards',
};

const KINESIS_ACTION_URI = /:kinesis:action\/([A-Za-z0-9]+)$/;

/** The IAM actions of every Kinesis integration in the document, sorted and without repeats. */
export function kinesisIamActions(doc: OpenApiDocument): string[] {
  const actions = new Set<string>();
  for (const { path, method, operation } of listOperations(doc)) {
    const integration = operation['x-amazon-apigateway-integration'];
    if (!isJsonObject(integration) || integration.type !== 'aws') continue;
    const where = `${method.toUpperCase()} ${path}`;
    const uri = typeof integration.uri === 'string' ? integration.uri : '';
    const match = KINESIS_ACTION_URI.exec(uri);
    if (!match) {
      throw new Error(`${where}: the aws integration uri ${JSON.stringify(uri)} is not a Kinesis action (arn:aws:apigateway:<region>:kinesis:action/<Action>)`);
    }
    const iamAction = IAM_ACTION_OF[match[1]];
    if (iamAction === undefined) {
      throw new Error(
        `${where}: the Kinesis action ${match[1]} has no IAM action in infra/kinesis-actions.ts (known: ${Object.keys(IAM_ACTION_OF).join(', ')})`,
      );
    }
    actions.add(iamAction);
  }
  return [...actions].sort();
}
