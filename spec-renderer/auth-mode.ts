/**
 * Puts the configured auth mode's security requirement on every operation (pure). API Gateway
 * "doesn't use root level security defined in the OpenAPI specification. Hence security needs to
 * be defined at an operation level" (developer guide, api-gateway-known-issues): so the rendered
 * spec has no root `security`, and each operation names the mode's scheme. An operation whose
 * source says `security: []` (a CORS preflight) stays open.
 */
import type { AuthMode } from '../config/ingest-config';
import { isJsonObject, mapOperations, type JsonObject, type OpenApiDocument } from './document';

/** The security scheme of each auth mode, as named under components.securitySchemes (openapi/openapi.yaml). */
export const SECURITY_SCHEME = { apiKey: 'api_key', iam: 'sigv4' } as const;

const SCHEME_OF: Record<AuthMode, string | undefined> = { ...SECURITY_SCHEME, none: undefined };

function operationSecurity(operation: JsonObject, scheme: string | undefined, where: string): JsonObject {
  const declared = operation.security;
  if (!Array.isArray(declared)) {
    throw new Error(
      `${where} has no security requirement: declare "security: [{api_key: []}]" on it (API Gateway ignores the root one)`,
    );
  }
  const open = declared.length === 0;
  return { ...operation, security: open || scheme === undefined ? [] : [{ [scheme]: [] }] };
}

export function applyAuthMode(doc: OpenApiDocument, auth: AuthMode): OpenApiDocument {
  const scheme = SCHEME_OF[auth];
  const components = isJsonObject(doc.components) ? doc.components : {};
  const schemes = isJsonObject(components.securitySchemes) ? components.securitySchemes : {};
  if (scheme !== undefined && !(scheme in schemes)) {
    throw new Error(
      `The spec has no security scheme "${scheme}" for auth mode ${auth}: add it under components.securitySchemes`,
    );
  }
  const { paths } = mapOperations(doc, (operation, where) => operationSecurity(operation, scheme, where));
  const kept = scheme === undefined ? {} : { [scheme]: schemes[scheme] };
  const { securitySchemes: _dropped, ...otherComponents } = components;
  const { security: _root, ...rest } = doc;
  return {
    ...rest,
    paths,
    components: scheme === undefined ? otherComponents : { ...otherComponents, securitySchemes: kept },
  };
}

/**
 * For the docs and Postman only (API Gateway never sees this form): the mode's requirement shown
 * once at the root, and only the operations that differ (a preflight) keep their own, which is how
 * readers and Postman's converter expect a single auth scheme.
 */
export function hoistSecurity(doc: OpenApiDocument, auth: AuthMode): OpenApiDocument {
  const scheme = SCHEME_OF[auth];
  const root = scheme === undefined ? [] : [{ [scheme]: [] }];
  const same = JSON.stringify(root);
  const hoisted = mapOperations(doc, (operation) => {
    if (JSON.stringify(operation.security) !== same) return operation;
    const { security: _same, ...rest } = operation;
    return rest;
  });
  return { ...hoisted, security: root };
}
