/**
 * Replaces each operation's `$ref` method responses by a copy of what they point to, and drops
 * `components.responses` (pure). API Gateway does not support response definitions of the
 * `"500": {"$ref": ...}` form: with them, headers and models are not imported (developer guide,
 * api-gateway-known-issues: "replace the reference by the inline definition"). Schema references
 * inside a response stay: models are imported from components.schemas.
 */
import { isJsonObject, mapOperations, type JsonObject, type JsonValue, type OpenApiDocument } from './document';

const RESPONSE_REF = /^#\/components\/responses\/([^/]+)$/;

function inline(response: JsonValue, shared: JsonObject, where: string): JsonValue {
  if (!isJsonObject(response) || typeof response.$ref !== 'string') return response;
  const name = RESPONSE_REF.exec(response.$ref)?.[1];
  const target = name === undefined ? undefined : shared[name];
  if (!isJsonObject(target)) throw new Error(`${where}: the response reference ${response.$ref} points at nothing in components.responses`);
  return structuredClone(target);
}

export function inlineResponses(doc: OpenApiDocument): OpenApiDocument {
  const components = isJsonObject(doc.components) ? doc.components : {};
  const shared = isJsonObject(components.responses) ? components.responses : {};
  const { paths } = mapOperations(doc, (operation, where) =>
    isJsonObject(operation.responses)
      ? { ...operation, responses: Object.fromEntries(Object.entries(operation.responses).map(([status, r]) => [status, inline(r, shared, `${where} ${status}`)])) }
      : operation,
  );
  const { responses: _inlined, ...otherComponents } = components;
  return { ...doc, paths, components: otherComponents };
}
