/**
 * Turns the converter's collection into one that runs (pure): variables for the server and the
 * flow, auth for the configured mode, the spec's examples as bodies, tests from the spec on every
 * request, the flow's chaining and order, a read back of the record put, and negative requests.
 */
import type { AuthMode } from '../config/ingest-config';
import {
  isJsonObject,
  listOperations,
  resolveRef,
  type JsonObject,
  type JsonValue,
  type OpenApiDocument,
} from '../spec-renderer';
import { collectionAuth, missingCredentialsError } from './auth';
import {
  ERRORS_FOLDER,
  flowOrder,
  FLOW_TESTS,
  FLOW_VARIABLES,
  READ_BACK_ITERATOR_TESTS,
  READ_BACK_TESTS,
} from './flow';
import { errorTests, successTests } from './schema-checks';
import {
  isFolder,
  type PostmanCollection,
  type PostmanFolder,
  type PostmanItem,
  type PostmanRequest,
  type PostmanRequestItem,
  type PostmanVariable,
} from './types';

export interface CollectionOptions {
  readonly auth: AuthMode;
  readonly stage: string;
  /** The stream the flow uses by default (the first configured one). */
  readonly streamName: string;
}

/** A stream name no configuration has: the API must answer 404 NotFound. */
export const UNKNOWN_STREAM = 'not-a-configured-stream';

export const localBaseUrl = (stage: string): string => `http://127.0.0.1:4010/${stage}`;

export const READ_BACK_ITERATOR = 'Get an iterator at the record put';
export const READ_BACK_RECORDS = 'Read back the record put';
export const UNKNOWN_STREAM_REQUEST = 'Unknown stream: 404 NotFound';

interface OperationInfo {
  readonly operationId: string;
  readonly operation: JsonObject;
}

/** `GET /streams/{stream-name}` for a request whose URL path is ['streams', ':stream-name']. */
export function operationKey(request: PostmanRequest): string {
  const path = (request.url.path ?? []).map((segment) => (segment.startsWith(':') ? `{${segment.slice(1)}}` : segment));
  return `${request.method.toUpperCase()} /${path.join('/')}`;
}

function indexOperations(spec: OpenApiDocument): Map<string, OperationInfo> {
  const index = new Map<string, OperationInfo>();
  for (const { path, method, operation } of listOperations(spec)) {
    index.set(`${method.toUpperCase()} ${path}`, {
      operationId: String(operation.operationId ?? `${method} ${path}`),
      operation,
    });
  }
  return index;
}

export function collectionVariables(options: CollectionOptions): PostmanVariable[] {
  return [
    {
      key: 'baseUrl',
      value: localBaseUrl(options.stage),
      type: 'string',
      description:
        'The stage URL: the local gateway (npm start), or the ApiUrl output of a deployed stack (no trailing slash).',
    },
    {
      key: 'streamName',
      value: options.streamName,
      type: 'string',
      description: 'A stream this API is configured for.',
    },
    ...Object.entries(FLOW_VARIABLES).map(([key, { value, description }]) => ({
      key,
      value,
      type: 'string',
      description,
    })),
  ];
}

function setQuery(request: PostmanRequest, key: string, value: string): void {
  const query = (request.url.query ??= []);
  const existing = query.find((q) => q.key === key);
  if (existing) {
    existing.value = value;
    existing.disabled = false;
  } else {
    query.push({ key, value });
  }
}

function setHeader(request: PostmanRequest, key: string, value: string): void {
  const headers = (request.header ??= []);
  const existing = headers.find((h) => h.key.toLowerCase() === key.toLowerCase());
  if (existing) {
    existing.value = value;
    existing.disabled = false;
  } else {
    headers.push({ key, value });
  }
}

/** Path, header and query parameters bound to the flow's variables (a copy). */
export function bindParameters(request: PostmanRequest): PostmanRequest {
  const out = structuredClone(request);
  for (const variable of out.url.variable ?? []) {
    if (variable.key === 'stream-name') variable.value = '{{streamName}}';
  }
  for (const header of out.header ?? []) {
    if (header.key.toLowerCase() === 'shard-iterator') header.value = '{{shardIterator}}';
  }
  for (const q of out.url.query ?? []) {
    if (q.key === 'shard-id') q.value = '{{shardId}}';
  }
  if (out.url.query?.some((q) => q.key === 'shard-iterator-type')) setQuery(out, 'shard-iterator-type', 'TRIM_HORIZON');
  if (out.url.query?.some((q) => q.key === 'limit')) {
    const limit = out.url.query.find((q) => q.key === 'limit');
    if (limit) limit.disabled = false;
  }
  return out;
}

/** The request body example of an operation: `example`, else the first of `examples`, else the schema's. */
export function exampleBody(spec: OpenApiDocument, operation: JsonObject): JsonValue | undefined {
  const requestBody = resolveRef(spec, operation.requestBody);
  const content = isJsonObject(requestBody) && isJsonObject(requestBody.content) ? requestBody.content : {};
  const json = content['application/json'];
  if (!isJsonObject(json)) return undefined;
  if (json.example !== undefined) return json.example;
  if (isJsonObject(json.examples)) {
    const first = resolveRef(spec, Object.values(json.examples)[0]);
    if (isJsonObject(first) && first.value !== undefined) return first.value;
  }
  const schema = resolveRef(spec, json.schema);
  return isJsonObject(schema) ? schema.example : undefined;
}

function withBody(request: PostmanRequest, body: JsonValue): PostmanRequest {
  const out = structuredClone(request);
  out.body = { mode: 'raw', raw: JSON.stringify(body, null, 2), options: { raw: { language: 'json' } } };
  setHeader(out, 'Content-Type', 'application/json');
  return out;
}

function withTests(item: PostmanRequestItem, lines: readonly string[]): PostmanRequestItem {
  const others = (item.event ?? []).filter((e) => e.listen !== 'test');
  return { ...item, event: [...others, { listen: 'test', script: { type: 'text/javascript', exec: [...lines] } }] };
}

interface Prepared {
  readonly item: PostmanRequestItem;
  readonly operationId: string;
}

function prepareRequest(
  item: PostmanRequestItem,
  spec: OpenApiDocument,
  operations: Map<string, OperationInfo>,
): Prepared | undefined {
  if (item.request.method.toUpperCase() === 'OPTIONS') return undefined; // CORS preflights are for browsers
  const info = operations.get(operationKey(item.request));
  if (info === undefined) throw new Error(`The collection has ${operationKey(item.request)}, which the spec does not`);
  let request = bindParameters(item.request);
  const body = exampleBody(spec, info.operation);
  if (body !== undefined) request = withBody(request, body);
  const tests = [...successTests(spec, info.operation), ...(FLOW_TESTS[info.operationId] ?? [])];
  return { item: withTests({ ...item, request }, tests), operationId: info.operationId };
}

function readBackItems(
  spec: OpenApiDocument,
  byId: Map<string, Prepared>,
  operations: Map<string, OperationInfo>,
): PostmanRequestItem[] {
  const iterator = byId.get('getShardIterator');
  const records = byId.get('getRecords');
  const putRecord = byId.get('putRecord');
  if (iterator === undefined || records === undefined || putRecord === undefined) return [];
  const opOf = (p: Prepared): JsonObject => operations.get(operationKey(p.item.request))!.operation;

  const iteratorRequest = structuredClone(iterator.item.request);
  setQuery(iteratorRequest, 'shard-id', '{{putShardId}}');
  setQuery(iteratorRequest, 'shard-iterator-type', 'AT_SEQUENCE_NUMBER');
  setQuery(iteratorRequest, 'starting-sequence-number', '{{putSequenceNumber}}');
  const recordsRequest = structuredClone(records.item.request);
  setHeader(recordsRequest, 'Shard-Iterator', '{{readBackIterator}}');
  setQuery(recordsRequest, 'limit', '1');
  return [
    withTests({ name: READ_BACK_ITERATOR, request: { ...iteratorRequest, name: READ_BACK_ITERATOR }, response: [] }, [
      ...successTests(spec, opOf(iterator)),
      ...READ_BACK_ITERATOR_TESTS,
    ]),
    withTests({ name: READ_BACK_RECORDS, request: { ...recordsRequest, name: READ_BACK_RECORDS }, response: [] }, [
      ...successTests(spec, opOf(records)),
      ...READ_BACK_TESTS,
    ]),
  ];
}

function errorItems(spec: OpenApiDocument, byId: Map<string, Prepared>, auth: AuthMode): PostmanRequestItem[] {
  const items: PostmanRequestItem[] = [];
  const describe = byId.get('describeStream');
  if (describe !== undefined) {
    const request = structuredClone(describe.item.request);
    for (const v of request.url.variable ?? []) if (v.key === 'stream-name') v.value = UNKNOWN_STREAM;
    items.push(
      withTests(
        { name: UNKNOWN_STREAM_REQUEST, request: { ...request, name: UNKNOWN_STREAM_REQUEST }, response: [] },
        errorTests(spec, 404, 'NotFound'),
      ),
    );
  }
  const missing = missingCredentialsError(auth);
  const list = byId.get('listStreams');
  if (missing !== undefined && list !== undefined) {
    const request: PostmanRequest = {
      ...structuredClone(list.item.request),
      name: missing.name,
      auth: { type: 'noauth' },
    };
    items.push(
      withTests({ name: missing.name, request, response: [] }, errorTests(spec, missing.status, missing.code)),
    );
  }
  return items;
}

/** Folders in the order of the spec's tags, requests in flow order, the negative requests last. */
export function postProcess(
  converted: PostmanCollection,
  spec: OpenApiDocument,
  options: CollectionOptions,
): PostmanCollection {
  const operations = indexOperations(spec);
  const order = flowOrder(spec);
  const flowRank = (operationId: string): number =>
    order.includes(operationId) ? order.indexOf(operationId) : order.length;
  const byId = new Map<string, Prepared>();
  const folders: Array<{ folder: PostmanFolder; prepared: Prepared[] }> = [];
  const loose: Prepared[] = [];

  for (const item of converted.item) {
    if (isFolder(item)) {
      const prepared = item.item
        .flatMap((child) => (isFolder(child) ? [] : [prepareRequest(child, spec, operations)]))
        .filter((p): p is Prepared => p !== undefined);
      folders.push({ folder: item, prepared });
      for (const p of prepared) byId.set(p.operationId, p);
    } else {
      const p = prepareRequest(item, spec, operations);
      if (p) {
        loose.push(p);
        byId.set(p.operationId, p);
      }
    }
  }

  const byRank = (a: Prepared, b: Prepared): number => flowRank(a.operationId) - flowRank(b.operationId);
  const readBack = readBackItems(spec, byId, operations);
  const items: PostmanItem[] = folders
    .filter(({ prepared }) => prepared.length > 0)
    .sort(
      (a, b) =>
        Math.min(...a.prepared.map((p) => flowRank(p.operationId))) -
        Math.min(...b.prepared.map((p) => flowRank(p.operationId))),
    )
    .map(({ folder, prepared }) => {
      const ordered: PostmanItem[] = [...prepared].sort(byRank).map((p) => p.item);
      if (prepared.some((p) => p.operationId === 'getRecords')) ordered.push(...readBack);
      return { ...folder, item: ordered };
    });
  items.push(...[...loose].sort(byRank).map((p) => p.item));
  const errors = errorItems(spec, byId, options.auth);
  if (errors.length > 0)
    items.push({
      name: ERRORS_FOLDER,
      description: 'Requests that must fail, with the error shape {error, message}.',
      item: errors,
    });

  return {
    ...converted,
    item: items,
    variable: collectionVariables(options),
    auth: collectionAuth(options.auth),
  };
}

/** Every request of a collection, depth first, in run order. */
export function listRequests(collection: { item: PostmanItem[] }): PostmanRequestItem[] {
  const out: PostmanRequestItem[] = [];
  const walk = (items: PostmanItem[]): void => {
    for (const item of items) {
      if (isFolder(item)) walk(item.item);
      else out.push(item);
    }
  };
  walk(collection.item);
  return out;
}
