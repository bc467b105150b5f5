/**
 * The published spec (pure): the one document for everyone outside the stack, the docs page,
 * Postman's importer, client generators. It is made from the bundled (unexpanded) spec and the
 * configuration, not from what API Gateway imports:
 * - the configured auth mode's security, once at the root as readers and importers expect it,
 *   and none of the x-amazon-apigateway-* extensions (integrations, templates, role ARNs);
 * - the local gateway first in `servers` (an importer takes the first as its base URL), the
 *   deployed stage's URL template second;
 * - `{stream-name}` lists the configured streams (`enum`) with the first as example, so a tool that
 *   makes values up from the schema picks a stream that exists, and an optional string query
 *   parameter says that absent means empty (`default: ''`);
 * - the "exactly one of" pairs that API Gateway's models can only say with two `not`s are said with
 *   `oneOf`, one alternative per property, so readers and generators see two valid shapes (a
 *   generator that fills every property from the schema would otherwise send both);
 * - within a tag, operations follow the tag's `x-operation-order` (Redoc and Postman list them in
 *   path order, and a reader needs an iterator before reading records).
 */
import { stringify } from 'yaml';
import type { IngestConfig } from '../config/ingest-config';
import { applyAuthMode, hoistSecurity } from './auth-mode';
import { isJsonObject, listOperations, type JsonObject, type JsonValue, type OpenApiDocument } from './document';
import { withoutKinesisIamTable } from './operation-inventory';
import { stripGatewayExtensions } from './strip-extensions';

export const DEFAULT_LOCAL_ORIGIN = 'http://127.0.0.1:4010';

export interface PublishOptions {
  /** Where the local gateway listens (`npm start`), without the stage. */
  readonly localOrigin?: string;
}

/** The published spec as files and pages carry it. */
export const publishedJson = (spec: OpenApiDocument): string => `${JSON.stringify(spec, null, 2)}\n`;
export const publishedYaml = (spec: OpenApiDocument): string =>
  stringify(spec, { aliasDuplicateObjects: false, lineWidth: 0 });

const STREAM_NAME_PARAMETER = 'stream-name';
const OPERATION_ORDER = 'x-operation-order';

export function publishSpec(
  bundled: OpenApiDocument,
  config: IngestConfig,
  options: PublishOptions = {},
): OpenApiDocument {
  let doc = stripGatewayExtensions(
    hoistSecurity(applyAuthMode(withoutKinesisIamTable(bundled), config.auth), config.auth),
  );
  doc = { ...doc, servers: publishedServers(doc, config, options.localOrigin ?? DEFAULT_LOCAL_ORIGIN) };
  doc = mapParameters(doc, (parameter) =>
    parameter.in === 'path' && parameter.name === STREAM_NAME_PARAMETER
      ? listStreams(parameter, config)
      : emptyWhenAbsent(parameter),
  );
  doc = mapSchemas(doc, (schema) => exactHashKeys(exclusivePairAsOneOf(schema)));
  return orderOperations(doc);
}

/**
 * Kinesis takes an explicit hash key of 0 to 2^128 - 1 in decimal; its own pattern (and so the
 * spec's, `0|([1-9]\d{0,38})`) also admits 39-digit numbers above that, which Kinesis then
 * rejects (PutRecord API reference, ExplicitHashKey). The published spec says the exact range, so
 * a tool that makes a value up from the pattern makes a valid one.
 */
const HASH_KEY_PROPERTY = 'explicitHashKey';
const HASH_KEY_MAX = (2n ** 128n - 1n).toString();

/** A regular expression for the decimal numbers 0 to `max`, without leading zeros (pure). */
export function decimalRangePattern(max: string): string {
  const alternatives = ['0'];
  if (max.length > 1) alternatives.push(`[1-9][0-9]{0,${max.length - 2}}`);
  for (let i = 0; i < max.length; i += 1) {
    const digit = Number(max[i]);
    const low = i === 0 ? 1 : 0;
    if (digit - 1 < low) continue;
    const rest = max.length - i - 1;
    alternatives.push(
      `${max.slice(0, i)}${digit - 1 === low ? String(low) : `[${low}-${digit - 1}]`}${rest === 0 ? '' : `[0-9]{${rest}}`}`,
    );
  }
  if (max !== '0') alternatives.push(max);
  return `^(${alternatives.join('|')})$`;
}

function exactHashKeys(schema: JsonObject): JsonObject {
  const withExact = (s: JsonObject): JsonObject => {
    const properties = isJsonObject(s.properties) ? s.properties : undefined;
    const key = properties?.[HASH_KEY_PROPERTY];
    if (properties === undefined || !isJsonObject(key)) return s;
    return {
      ...s,
      properties: {
        ...properties,
        [HASH_KEY_PROPERTY]: { ...key, pattern: decimalRangePattern(HASH_KEY_MAX), maxLength: HASH_KEY_MAX.length },
      },
    };
  };
  const out = withExact(schema);
  return Array.isArray(out.oneOf) ? { ...out, oneOf: out.oneOf.map((s) => (isJsonObject(s) ? withExact(s) : s)) } : out;
}

function publishedServers(doc: OpenApiDocument, config: IngestConfig, localOrigin: string): JsonValue[] {
  const deployed = (Array.isArray(doc.servers) ? doc.servers : []).find(
    (s) => isJsonObject(s) && String(s.url).includes('.execute-api.'),
  );
  if (!isJsonObject(deployed))
    throw new Error(
      'The spec has no server with an execute-api URL under `servers`: add the deployed stage URL template there',
    );
  const variables = isJsonObject(deployed.variables) ? deployed.variables : {};
  const stage = isJsonObject(variables.stage) ? { ...variables.stage, default: config.stage } : undefined;
  return [
    { url: `${localOrigin.replace(/\/+$/, '')}/${config.stage}`, description: 'The local gateway (`npm start`)' },
    { ...deployed, variables: { ...variables, ...(stage === undefined ? {} : { stage }) } },
  ];
}

function listStreams(parameter: JsonObject, config: IngestConfig): JsonObject {
  const names = config.streams.map((s) => s.name);
  const schema = isJsonObject(parameter.schema) ? parameter.schema : { type: 'string' };
  return { ...parameter, example: names[0], schema: { ...schema, enum: names, example: names[0] } };
}

/**
 * An optional string query parameter without a default reads as "" when absent: API Gateway's
 * `$input.params()` returns an empty string for a parameter that is not there (developer guide,
 * "API Gateway mapping template and access logging variable reference"), so every template treats
 * `?next-token=` and no `next-token` alike. Saying so as its `default` lets a tool that fills every
 * parameter from the schema (Postman's importer turns optional ones on) send a harmless value
 * instead of a made-up one.
 */
function emptyWhenAbsent(parameter: JsonObject): JsonObject {
  const schema = parameter.schema;
  if (
    parameter.in !== 'query' ||
    parameter.required === true ||
    !isJsonObject(schema) ||
    schema.type !== 'string' ||
    schema.default !== undefined
  )
    return parameter;
  return { ...parameter, schema: { ...schema, default: '' } };
}

/** Applies `change` to every parameter object: under components, path items and operations. */
function mapParameters(doc: OpenApiDocument, change: (parameter: JsonObject) => JsonObject): OpenApiDocument {
  const mapList = (list: JsonValue | undefined): JsonValue | undefined =>
    Array.isArray(list) ? list.map((p) => (isJsonObject(p) && p.$ref === undefined ? change(p) : p)) : list;
  const components = isJsonObject(doc.components) ? doc.components : {};
  const parameters = isJsonObject(components.parameters) ? components.parameters : {};
  const paths: JsonObject = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!isJsonObject(item)) {
      paths[path] = item;
      continue;
    }
    const out: JsonObject = { ...item };
    if (item.parameters !== undefined) out.parameters = mapList(item.parameters) as JsonValue;
    for (const [key, operation] of Object.entries(item)) {
      if (isJsonObject(operation) && Array.isArray(operation.parameters))
        out[key] = { ...operation, parameters: mapList(operation.parameters) as JsonValue };
    }
    paths[path] = out;
  }
  const mappedParameters = Object.fromEntries(
    Object.entries(parameters).map(([name, p]) => [name, isJsonObject(p) && p.$ref === undefined ? change(p) : p]),
  );
  return { ...doc, paths, components: { ...components, parameters: mappedParameters } };
}

/** Applies `change` to every schema under components.schemas (the bundler puts them all there). */
function mapSchemas(doc: OpenApiDocument, change: (schema: JsonObject) => JsonObject): OpenApiDocument {
  const components = isJsonObject(doc.components) ? doc.components : {};
  if (!isJsonObject(components.schemas)) return doc;
  const schemas = Object.fromEntries(
    Object.entries(components.schemas).map(([name, s]) => [name, isJsonObject(s) ? change(s) : s]),
  );
  return { ...doc, components: { ...components, schemas } };
}

/**
 * The two properties of the idiom `allOf: [{not: {required: [a, b]}}, {not: {properties: {a:
 * {not: {}}, b: {not: {}}}}}]` ("not both, not neither"), or undefined when `schema` is not it.
 */
function exclusivePair(schema: JsonObject): [string, string] | undefined {
  if (!Array.isArray(schema.allOf) || schema.allOf.length !== 2) return undefined;
  const [both, neither] = schema.allOf.map((s) => (isJsonObject(s) && isJsonObject(s.not) ? s.not : undefined));
  if (both === undefined || neither === undefined) return undefined;
  const pair = both.required;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((p): p is string => typeof p === 'string'))
    return undefined;
  const absent = isJsonObject(neither.properties) ? neither.properties : {};
  const bothAbsent = pair.every(
    (p) =>
      isJsonObject(absent[p]) &&
      isJsonObject((absent[p] as JsonObject).not) &&
      Object.keys((absent[p] as JsonObject).not as JsonObject).length === 0,
  );
  return bothAbsent ? [pair[0], pair[1]] : undefined;
}

function exclusivePairAsOneOf(schema: JsonObject): JsonObject {
  const pair = exclusivePair(schema);
  if (pair === undefined) return schema;
  const { allOf: _idiom, properties, required, type: _type, ...rest } = schema;
  const all = isJsonObject(properties) ? properties : {};
  const alternative = (keep: string, drop: string): JsonObject => {
    const { [drop]: _dropped, ...kept } = all;
    const others = Array.isArray(required) ? required.filter((r) => r !== keep && r !== drop) : [];
    return { title: `with ${keep}`, type: 'object', required: [keep, ...others], properties: kept };
  };
  return { ...rest, oneOf: [alternative(pair[0], pair[1]), alternative(pair[1], pair[0])] };
}

/** Path items reordered so that each tag's operations follow its `x-operation-order` (which is then dropped). */
function orderOperations(doc: OpenApiDocument): OpenApiDocument {
  const tags = Array.isArray(doc.tags) ? doc.tags : [];
  let order = Object.keys(doc.paths);
  const pathOf = new Map(listOperations(doc).map(({ path, operation }) => [String(operation.operationId), path]));
  for (const tag of tags) {
    if (!isJsonObject(tag) || !Array.isArray(tag[OPERATION_ORDER])) continue;
    const wanted = (tag[OPERATION_ORDER] as JsonValue[]).map((id) => {
      const path = pathOf.get(String(id));
      if (path === undefined)
        throw new Error(
          `Tag ${String(tag.name)}: ${OPERATION_ORDER} names ${String(id)}, which is no operationId of the spec`,
        );
      return path;
    });
    const listed = [...new Set(wanted)];
    const at = Math.min(...listed.map((p) => order.indexOf(p)));
    const others = order.filter((p) => !listed.includes(p));
    const before = others.filter((p) => order.indexOf(p) < at);
    order = [...before, ...listed, ...others.slice(before.length)];
  }
  const paths = Object.fromEntries(order.map((p) => [p, doc.paths[p]]));
  const publishedTags = tags.map((tag) => {
    if (!isJsonObject(tag)) return tag;
    const { [OPERATION_ORDER]: _order, ...rest } = tag;
    return rest;
  });
  return { ...doc, paths, ...(Array.isArray(doc.tags) ? { tags: publishedTags } : {}) };
}
