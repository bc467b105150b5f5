/**
 * The operation inventory (pure): for each operation of the spec, its route, the Kinesis action its
 * `aws` integration calls, the IAM action that authorizes it and the kind of resource it is
 * authorized on. The role (infra/), the tests and the README's contract table read it, so an
 * operation is added in the spec and, only for a Kinesis action not called yet, one line of the
 * table of what the spec cannot say, openapi/kinesis-iam.yaml.
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

/** The root key of the table of what the spec cannot say (openapi/kinesis-iam.yaml). */
export const KINESIS_IAM_EXTENSION = 'x-kinesis-iam';
const TABLE_FILE = 'openapi/kinesis-iam.yaml';

/** The spec's table of Kinesis action -> IAM action and resource kind, checked. */
export function kinesisIamTable(doc: OpenApiDocument): Readonly<Record<string, KinesisGrant>> {
  const raw = doc[KINESIS_IAM_EXTENSION];
  if (!isJsonObject(raw))
    throw new Error(`The spec has no ${KINESIS_IAM_EXTENSION} table: openapi.yaml refers to ${TABLE_FILE} under it`);
  return Object.fromEntries(
    Object.entries(raw).map(([action, grant]) => {
      if (
        !isJsonObject(grant) ||
        typeof grant.iamAction !== 'string' ||
        (grant.resource !== 'stream' && grant.resource !== 'consumer')
      ) {
        throw new Error(
          `${TABLE_FILE}: ${action} needs { iamAction: 'kinesis:${action}', resource: stream or consumer }`,
        );
      }
      return [action, { iamAction: grant.iamAction, resource: grant.resource }];
    }),
  );
}

/** The spec without the table, for what API Gateway and readers are given. */
export function withoutKinesisIamTable(doc: OpenApiDocument): OpenApiDocument {
  const { [KINESIS_IAM_EXTENSION]: _table, ...rest } = doc;
  return { ...rest, paths: doc.paths } as OpenApiDocument;
}

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
  const table = kinesisIamTable(doc);
  return listOperations(doc)
    .filter(({ method }) => method !== 'options')
    .map(({ path, method, operation }): InventoryEntry => {
      const where = `${method.toUpperCase()} ${path}`;
      const integration = operation['x-amazon-apigateway-integration'];
      const type = isJsonObject(integration) ? integration.type : undefined;
      if (type !== 'aws' && type !== 'mock')
        throw new Error(`${where}: the integration type ${String(type)} is neither aws (Kinesis) nor mock`);
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
        throw new Error(
          `${where}: the aws integration uri ${JSON.stringify(uri)} is not a Kinesis action (arn:aws:apigateway:<region>:kinesis:action/<Action>)`,
        );
      }
      const grant = table[action];
      if (grant === undefined) {
        throw new Error(
          `${where}: the Kinesis action ${action} has no IAM action in ${TABLE_FILE} (known: ${Object.keys(table).join(', ')})`,
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
