/**
 * Request body validation as API Gateway's request validator does it: JSON Schema draft 4 on the
 * parsed body, with the failure told in $context.error.validationErrorString.
 */
import Ajv from 'ajv-draft-04';
import type { ErrorObject } from 'ajv';
import { isJsonObject, resolvePointer, type JsonValue, type OpenApiDocument } from '../../spec-renderer';

export type BodyValidator = (body: unknown) => string | undefined;

// OpenAPI words that are not draft-4 keywords; kept out of the validator's way.
const OPENAPI_ONLY = new Set([
  'example',
  'examples',
  'nullable',
  'readOnly',
  'writeOnly',
  'deprecated',
  'xml',
  'externalDocs',
  'discriminator',
]);
// API Gateway's validator does not apply minItems/maxItems (developer guide, "Amazon API Gateway
// important notes": they are not part of simple request validation): the local gateway must not
// either, or it would hide what the cloud lets through. PutRecords relies on Kinesis's own 1..500
// bound instead.
const NOT_APPLIED_BY_API_GATEWAY = new Set(['minItems', 'maxItems']);

const ajv = new Ajv({ allErrors: false, strict: false, validateFormats: false, verbose: true });

/** Inlines #/components references and drops what API Gateway does not apply. */
function toDraft4(doc: OpenApiDocument, schema: JsonValue, seen: readonly string[] = []): JsonValue {
  if (Array.isArray(schema)) return schema.map((s) => toDraft4(doc, s, seen));
  if (!isJsonObject(schema)) return schema;
  if (typeof schema.$ref === 'string') {
    if (seen.includes(schema.$ref)) throw new Error(`The schema ${schema.$ref} refers to itself: not served locally`);
    return toDraft4(doc, resolvePointer(doc, schema.$ref), [...seen, schema.$ref]);
  }
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (OPENAPI_ONLY.has(key) || NOT_APPLIED_BY_API_GATEWAY.has(key) || key.startsWith('x-')) continue;
    out[key] =
      key === 'properties' && isJsonObject(value)
        ? Object.fromEntries(Object.entries(value).map(([name, s]) => [name, toDraft4(doc, s, seen)]))
        : toDraft4(doc, value, seen);
  }
  return out;
}

export function compileBodyValidator(doc: OpenApiDocument, schema: JsonValue): BodyValidator {
  const validate = ajv.compile(toDraft4(doc, schema) as object);
  return (body) => (validate(body) ? undefined : jsonSafe(describe(validate.errors?.[0])));
}

/**
 * Gateway response templates substitute $context.error.validationErrorString as it is, inside a
 * JSON string: so the reason carries no double quote and no unescaped backslash.
 */
function jsonSafe(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, "'")
    .replace(/[\u0000-\u001f]/g, ' ');
}

function describe(error: ErrorObject | undefined): string {
  if (!error) return 'the body does not match the schema';
  const where =
    error.instancePath === ''
      ? 'the body'
      : `body${error.instancePath.replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.')}`;
  // A `not` says nothing by itself: the spec's description of the negated schema says what to do.
  const negated: unknown = error.keyword === 'not' ? error.schema : undefined;
  if (isJsonObject(negated) && typeof negated.description === 'string') return `${where}: ${negated.description}`;
  return `${where} ${error.message ?? 'is invalid'}`;
}
