/** The shapes the spec tools pass around: a parsed OpenAPI document is plain JSON data. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An OpenAPI 3.0 document as the tools read it; only what they touch is named. */
export interface OpenApiDocument extends JsonObject {
  openapi: string;
  paths: JsonObject;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface OperationRef {
  readonly path: string;
  readonly method: HttpMethod;
  readonly operation: JsonObject;
}

/** Every operation of the document, in document order. */
export function listOperations(doc: OpenApiDocument): OperationRef[] {
  const operations: OperationRef[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!isJsonObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (isJsonObject(operation)) operations.push({ path, method, operation });
    }
  }
  return operations;
}

/** A copy of `doc` with each operation replaced by `change`'s answer (pure). */
export function mapOperations(
  doc: OpenApiDocument,
  change: (operation: JsonObject, where: string) => JsonObject,
): OpenApiDocument {
  const paths: JsonObject = {};
  for (const [path, rawItem] of Object.entries(doc.paths)) {
    if (!isJsonObject(rawItem)) continue;
    const item: JsonObject = { ...rawItem };
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (isJsonObject(operation)) item[method] = change(operation, `${method.toUpperCase()} ${path}`);
    }
    paths[path] = item;
  }
  return { ...doc, paths };
}

/**
 * The value a local JSON pointer (`#/components/schemas/Error`, RFC 6901 escapes `~0` and `~1`)
 * names in `doc`: the one resolver of the project. Throws, naming the pointer, when it names nothing.
 */
export function resolvePointer(doc: JsonValue, ref: string): JsonValue {
  if (!ref.startsWith('#/'))
    throw new Error(`Cannot follow the reference ${ref}: only local references (#/…) remain in a bundled spec`);
  let node: JsonValue | undefined = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = Array.isArray(node) ? node[Number(key)] : isJsonObject(node) ? node[key] : undefined;
    if (node === undefined) throw new Error(`The reference ${ref} points at nothing`);
  }
  return node;
}

/** Follows `$ref`s from `node` until a value that is not one (a loop is an error). */
export function resolveRef(doc: JsonValue, node: JsonValue | undefined): JsonValue | undefined {
  let current = node;
  for (let hops = 0; isJsonObject(current) && typeof current.$ref === 'string'; hops += 1) {
    if (hops > 20) throw new Error(`Reference loop at ${current.$ref}`);
    current = resolvePointer(doc, current.$ref);
  }
  return current;
}
