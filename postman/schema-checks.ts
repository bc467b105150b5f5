/**
 * Postman test scripts made from the spec (pure): the documented success status of an operation
 * and the shape of its response schema (required keys, their types and enums, down into objects
 * and array items), so the collection checks what the spec promises and nothing it does not.
 */
import { isJsonObject, resolveRef, type JsonObject, type JsonValue, type OpenApiDocument } from '../spec-renderer';

export interface SuccessResponse {
  readonly status: number;
  readonly schema?: JsonObject;
}

/** The operation's documented 2xx response (the lowest code) and its JSON schema. */
export function successResponse(doc: OpenApiDocument, operation: JsonObject): SuccessResponse {
  const responses = isJsonObject(operation.responses) ? operation.responses : {};
  const code = Object.keys(responses)
    .filter((c) => /^2\d\d$/.test(c))
    .sort()[0];
  if (code === undefined) throw new Error(`Operation ${String(operation.operationId)} documents no 2xx response`);
  const response = resolveRef(doc, responses[code]);
  const content = isJsonObject(response) && isJsonObject(response.content) ? response.content : {};
  const json = content['application/json'];
  const schema = isJsonObject(json) ? resolveRef(doc, json.schema) : undefined;
  return { status: Number(code), ...(isJsonObject(schema) ? { schema } : {}) };
}

const CHAI_TYPE: Record<string, string> = {
  string: 'string',
  integer: 'number',
  number: 'number',
  boolean: 'boolean',
  object: 'object',
  array: 'array',
};

/**
 * JavaScript lines (for the Postman sandbox) asserting that `expr` has the shape of `schema`.
 * Only required properties are checked: optional ones may be absent.
 */
export function shapeAssertions(
  doc: OpenApiDocument,
  schemaNode: JsonValue | undefined,
  expr: string,
  label: string,
  depth = 0,
): string[] {
  const schema = resolveRef(doc, schemaNode);
  if (!isJsonObject(schema) || depth > 6) return [];
  const lines: string[] = [];
  const type =
    typeof schema.type === 'string'
      ? schema.type
      : isJsonObject(schema.properties) || Array.isArray(schema.required)
        ? 'object'
        : undefined;
  const at = JSON.stringify(label);
  if (type !== undefined && CHAI_TYPE[type] !== undefined)
    lines.push(`pm.expect(${expr}, ${at}).to.be.a(${JSON.stringify(CHAI_TYPE[type])});`);
  if (Array.isArray(schema.enum)) lines.push(`pm.expect(${expr}, ${at}).to.be.oneOf(${JSON.stringify(schema.enum)});`);
  if (type === 'integer')
    lines.push(`pm.expect(Number.isInteger(${expr}), ${JSON.stringify(`${label} is an integer`)}).to.equal(true);`);
  if (type === 'object') {
    const required = Array.isArray(schema.required)
      ? schema.required.filter((k): k is string => typeof k === 'string')
      : [];
    const properties = isJsonObject(schema.properties) ? schema.properties : {};
    if (required.length > 0)
      lines.push(
        `pm.expect(${expr}, ${at}).to.include.all.keys(${required.map((k) => JSON.stringify(k)).join(', ')});`,
      );
    for (const key of required) {
      lines.push(
        ...shapeAssertions(doc, properties[key], `${expr}[${JSON.stringify(key)}]`, `${label}.${key}`, depth + 1),
      );
    }
  }
  if (type === 'array' && schema.items !== undefined) {
    const item = `item${depth}`;
    const inner = shapeAssertions(doc, schema.items, item, `${label}[]`, depth + 1);
    if (inner.length > 0) lines.push(`${expr}.forEach(function (${item}) {`, ...inner.map((l) => `  ${l}`), '});');
  }
  return lines;
}

/** A pm.test wrapping `body` lines. */
export function pmTest(name: string, body: readonly string[]): string[] {
  return [`pm.test(${JSON.stringify(name)}, function () {`, ...body.map((l) => `  ${l}`), '});'];
}

export function statusTest(status: number): string[] {
  return pmTest(`status is ${status}`, [`pm.response.to.have.status(${status});`]);
}

/** Status and response shape of an operation's documented success. */
export function successTests(doc: OpenApiDocument, operation: JsonObject): string[] {
  const { status, schema } = successResponse(doc, operation);
  const lines = statusTest(status);
  if (schema !== undefined) {
    const shape = shapeAssertions(doc, schema, 'body', 'body');
    if (shape.length > 0)
      lines.push(
        ...pmTest(`the body has the shape of the ${status} response schema`, [
          'const body = pm.response.json();',
          ...shape,
        ]),
      );
  }
  return lines;
}

/** Status, the error shape of `components.schemas.Error`, and the error code. */
export function errorTests(doc: OpenApiDocument, status: number, code: string): string[] {
  const shape = shapeAssertions(doc, { $ref: '#/components/schemas/Error' }, 'body', 'body');
  return [
    ...statusTest(status),
    ...pmTest('the body is an error: {error, message}', ['const body = pm.response.json();', ...shape]),
    ...pmTest(`the error is ${code}`, [`pm.expect(pm.response.json().error).to.equal(${JSON.stringify(code)});`]),
  ];
}
