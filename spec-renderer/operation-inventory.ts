/**
 * The operation inventory (pure): for each operation of the spec, its route, the Kinesis action its
 * `aws` integration calls, the IAM action that authorizes it and the kind of resource it is
 * authorized on. The role (infra/), the tests, the Postman flow and the README's contract table all
 * read it, so an operation is added in the spec and, only for what the spec cannot say, one line of
 * `KINESIS_IAM` below.
 */
import { isJsonObject, listOperations, type HttpMethod, type OpenApiDocument } from './document';

/**
 * An `aws` integration's uri names its Kinesis action: `arn:aws:apigateway:<region>:kinesis:action/<Action>`
 * ("Set up an API integration request", API Gateway developer guide). The region may still be the
 * `{{AwsRegion}}` placeholder (a bundled spec).
 */
export const KINESIS_ACTION_URI = /^arn:aws[a-z-]*:apigateway:[^:]+:kinesis:action\/([A-Za-z]+)$/;

/** What an IAM policy names in Resource for an action. */
export type ResourceKind = 'stream' | 'consumer';

export interface KinesisGrant {
  readonly iamAction: string;
  readonly resource: ResourceKind;
}

/**
 * What the spec cannot say: the IAM action of each Kinesis action and the resource type it is
 * authorized on, from "Actions, resources, and condition keys for Amazon Kinesis Data Streams"
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonkinesisdatastreams.html).
 * Most actions are authorized on the stream (`arn:…:stream/<name>`); the enhanced fan-out consumer
 * ones (DescribeStreamConsumer, SubscribeToShard, DeregisterStreamConsumer) on the consumer
 * (`arn:…:stream/<name>/consumer/<consumer>:<creation timestamp>`), so a stream ARN does not grant
 * them. An action missing here fails synth and the tests, naming this file.
 */
export const KINESIS_IAM: Readonly<Record<string, KinesisGrant>> = {
  PutRecord: { iamAction: 'kinesis:PutRecord', resource: 'stream' },
  PutRecords: { iamAction: 'kinesis:PutRecords', resource: 'stream' },
  GetShardIterator: { iamAction: 'kinesis:GetShardIterator', resource: 'stream' },
  GetRecords: { iamAction: 'kinesis:GetRecords', resource: 'stream' },
  DescribeStreamSummary: { iamAction: 'kinesis:DescribeStreamSummary', resource: 'stream' },
  ListShards: { iamAction: 'kinesis:ListShards', resource: 'stream' },
  DescribeStreamConsumer: { iamAction: 'kinesis:DescribeStreamConsumer', resource: 'consumer' },
};

export interface InventoryEntry {
  readonly operationId: string;
  /** Upper case, as in the README: `GET`. */
  readonly method: Uppercase<HttpMethod>;
  /** The path as the spec writes it (`/streams/{stream-name}/record`). */
  readonly route: string;
  readonly tag: string;
  readonly integration: 'aws' | 'mock';
  /** For an `aws` integration only. */
  readonly kinesis?: { readonly action: string } & KinesisGrant;
}

/** The Kinesis action a uri names, or undefined when it names none. */
export function kinesisActionOf(uri: unknown): string | undefined {
  return typeof uri === 'string' ? KINESIS_ACTION_URI.exec(uri)?.[1] : undefined;
}

/** Every operation of `doc` (bundled or rendered), in document order; throws for what cannot be granted. */
export function operationInventory(doc: OpenApiDocument): InventoryEntry[] {
  return listOperations(doc)
    .filter(({ method }) => method !== 'options')
    .map(({ path, method, operation }): InventoryEntry => {
      const where = `${method.toUpperCase()} ${path}`;
      const integration = operation['x-amazon-apigateway-integration'];
      const type = isJsonObject(integration) ? integration.type : undefined;
      if (type !== 'aws' && type !== 'mock') throw new Error(`${where}: the integration type ${String(type)} is neither aws (Kinesis) nor mock`);
      const entry: InventoryEntry = {
        operationId: typeof operation.operationId === 'string' ? operation.operationId : where,
        method: method.toUpperCase() as Uppercase<HttpMethod>,
        route: path,
        tag: Array.isArray(operation.tags) && typeof operation.tags[0] === 'string' ? operation.tags[0] : '',
        integration: type,
      };
      if (type === 'mock') return entry;
      const uri = isJsonObject(integration) ? integration.uri : undefined;
      const action = kinesisActionOf(uri);
      if (action === undefined) {
        throw new Error(`${where}: the aws integration uri ${JSON.stringify(uri)} is not a Kinesis action (arn:aws:apigateway:<region>:kinesis:action/<Action>)`);
      }
      const grant = KINESIS_IAM[action];
      if (grant === undefined) {
        throw new Error(
          `${where}: the Kinesis action ${action} has no IAM action in spec-renderer/operation-inventory.ts KINESIS_IAM (known: ${Object.keys(KINESIS_IAM).join(', ')})`,
        );
      }
      return { ...entry, kinesis: { action, ...grant } };
    });
}

/** The IAM actions the inventory's operations need on each kind of resource, sorted, without repeats. */
export function iamActionsByResource(inventory: readonly InventoryEntry[]): Record<ResourceKind, string[]> {
  const of = (kind: ResourceKind): string[] =>
    [...new Set(inventory.flatMap((e) => (e.kinesis?.resource === kind ? [e.kinesis.iamAction] : [])))].sort();
  return { stream: of('stream'), consumer: of('consumer') };
}
