/**
 * Stream scoping by routes (pure): each path with a `{stream-name}` segment becomes one concrete
 * resource per configured stream (`/streams/ingest-events/record`), with the stream's Kinesis name
 * written into its mapping templates (`{{StreamName}}`, and its API name as `{{ApiStreamName}}`) and its read bound (`{{MaxRecordsPerRead}}`).
 * A name that is not configured then matches no resource: API Gateway answers it as an unknown
 * route (MISSING_AUTHENTICATION_TOKEN) before any integration runs, in every auth mode, with no
 * resource policy. Operation ids get the stream's name, so that they stay unique.
 */
import type { StreamConfig } from '../config/ingest-config';
import {
  HTTP_METHODS,
  isJsonObject,
  resolveRef,
  type JsonObject,
  type JsonValue,
  type OpenApiDocument,
} from './document';
import { fillPlaceholders } from './placeholders';
import { readBound } from './read-limit';

export const STREAM_SEGMENT = '{stream-name}';

/** "Resources per API: 300" (developer guide, limits; raisable on request). */
export const RESOURCES_PER_API_QUOTA = 300;

function isStreamNameParameter(doc: OpenApiDocument, raw: JsonValue): boolean {
  const p = resolveRef(doc, raw);
  return isJsonObject(p) && p.in === 'path' && p.name === 'stream-name';
}

function withoutStreamParameter(doc: OpenApiDocument, node: JsonObject): JsonObject {
  if (!Array.isArray(node.parameters)) return node;
  const parameters = node.parameters.filter((p) => !isStreamNameParameter(doc, p));
  const { parameters: _all, ...rest } = node;
  return parameters.length > 0 ? { ...rest, parameters } : rest;
}

function concreteItem(doc: OpenApiDocument, item: JsonObject, stream: StreamConfig): JsonObject {
  const out = withoutStreamParameter(doc, item);
  for (const method of HTTP_METHODS) {
    const operation = out[method];
    if (!isJsonObject(operation)) continue;
    const scoped = withoutStreamParameter(doc, operation);
    out[method] =
      typeof scoped.operationId === 'string'
        ? { ...scoped, operationId: `${scoped.operationId}-${stream.name}` }
        : scoped;
  }
  return fillPlaceholders(out, {
    StreamName: stream.physicalName,
    ApiStreamName: stream.name,
    MaxRecordsPerRead: readBound(stream),
  }) as JsonObject;
}

/** API Gateway's resources for these paths: every distinct path prefix, and the root. */
export function countResources(paths: readonly string[]): number {
  const resources = new Set<string>(['/']);
  for (const path of paths) {
    const segments = path.split('/').filter(Boolean);
    segments.forEach((_, i) => resources.add('/' + segments.slice(0, i + 1).join('/')));
  }
  return resources.size;
}

export function expandStreams(doc: OpenApiDocument, streams: readonly StreamConfig[]): OpenApiDocument {
  const paths: JsonObject = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!isJsonObject(item) || !path.includes(STREAM_SEGMENT)) {
      paths[path] = item;
      continue;
    }
    for (const stream of streams) paths[path.replace(STREAM_SEGMENT, stream.name)] = concreteItem(doc, item, stream);
  }
  const resources = countResources(Object.keys(paths));
  if (resources > RESOURCES_PER_API_QUOTA) {
    throw new Error(
      `${streams.length} streams make ${resources} API Gateway resources: a REST API has a quota of ${RESOURCES_PER_API_QUOTA} (ask AWS to raise it, or split the streams over several APIs)`,
    );
  }
  return { ...doc, paths };
}
