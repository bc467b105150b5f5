/**
 * What API Gateway is given to import: the rendered spec without its documentation-only parts
 * (pure). `servers` and `example`/`examples` are for readers of the docs and Postman; API Gateway
 * ignores them on import, and they hold sample ARNs, account ids and regions that have no place in
 * a deployed template.
 */
import { isJsonObject, type JsonValue, type OpenApiDocument } from '../spec-renderer';

const DOCUMENTATION_ONLY = new Set(['example', 'examples']);

function strip(node: JsonValue, parentKey: string | undefined): JsonValue {
  if (Array.isArray(node)) return node.map((item) => strip(item, undefined));
  if (!isJsonObject(node)) return node;
  // The keys of a schema's `properties` are field names, not keywords.
  const keepAll = parentKey === 'properties';
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => keepAll || !DOCUMENTATION_ONLY.has(key))
      // An extension's content is API Gateway's own: left as it is.
      .map(([key, value]) => [key, key.startsWith('x-') ? value : strip(value, key)]),
  );
}

export function importDefinition(rendered: OpenApiDocument): OpenApiDocument {
  const { servers: _servers, ...rest } = rendered;
  return strip(rest, undefined) as OpenApiDocument;
}
