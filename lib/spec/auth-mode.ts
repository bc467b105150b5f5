/** Sets the document's security requirement for the configured auth mode (pure). */
import type { AuthMode } from '../../infra/config';
import { isJsonObject, type OpenApiDocument } from './document';

const SCHEME_OF: Record<AuthMode, string | undefined> = { apiKey: 'api_key', iam: 'sigv4', none: undefined };

export function applyAuthMode(doc: OpenApiDocument, auth: AuthMode): OpenApiDocument {
  const scheme = SCHEME_OF[auth];
  const components = isJsonObject(doc.components) ? doc.components : {};
  const schemes = isJsonObject(components.securitySchemes) ? components.securitySchemes : {};
  if (scheme !== undefined && !(scheme in schemes)) {
    throw new Error(`The spec has no security scheme "${scheme}" for auth mode ${auth}: add it under components.securitySchemes`);
  }
  const kept = scheme === undefined ? {} : { [scheme]: schemes[scheme] };
  const { securitySchemes: _dropped, ...otherComponents } = components;
  return {
    ...doc,
    security: scheme === undefined ? [] : [{ [scheme]: [] }],
    components: scheme === undefined ? otherComponents : { ...otherComponents, securitySchemes: kept },
  };
}
