/**
 * Replaces each operation's `$ref` method responses by a copy of what they point to, and drops
 * `components.responses` (pure). API Gateway does not support response definitions of the
 * `"500": {"$ref": ...}` form: with them, headers and models are not imported (developer guide,
 * api-gateway-known-issues: "replace the reference by the inline definition"). Schema references
 * inside a response stay: models are imported from components.schemas.
 */
import { isJsonObject, mapOperations, resolveRef, type JsonValue, type OpenApiDocument } from './document';

function inline(response: JsonValue, doc: OpenApiDocument, where: string): JsonValue {
  if (!isJsonObject(response) || typeof response.$ref !== 'string') return response;
  try {
    return structuredClone(resolveRef(doc, response) as JsonValue);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
  }
}

export function inlineResponses(doc: OpenApiDocument): OpenApiDocument {
  const components = isJsonObject(doc.components) ? doc.components : {};
  const { paths } = mapOperations(doc, (operation, where) =>
    isJsonObject(operation.responses)
      ? {
          ...operation,
          responses: Object.fromEntries(
            Object.entries(operation.responses).map(([status, r]) => [status, inline(r, doc, `${where} ${status}`)]),
          ),
        }
      : operation,
  );
  const { responses: _inlined, ...otherComponents } = components;
  return { ...doc, paths, components: otherComponents };
}
