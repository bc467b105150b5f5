/**
 * Removes the x-amazon-apigateway-* extensions (integrations, templates, policy, gateway
 * responses) from a rendered spec (pure): readers of the docs and Postman users see the HTTP
 * contract, not how API Gateway implements it, nor role ARNs.
 */
import { isJsonObject, type JsonValue, type OpenApiDocument } from './document';

function strip(node: JsonValue): JsonValue {
  if (Array.isArray(node)) return node.map(strip);
  if (!isJsonObject(node)) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => !key.startsWith('x-amazon-apigateway'))
      .map(([key, value]) => [key, strip(value)]),
  );
}

export function stripGatewayExtensions(doc: OpenApiDocument): OpenApiDocument {
  return strip(doc) as OpenApiDocument;
}
