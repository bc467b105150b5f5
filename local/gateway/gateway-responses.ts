/**
 * The errors the gateway itself produces, shaped by the spec's x-amazon-apigateway-gateway-responses
 * as API Gateway does: the type's own response, else DEFAULT_4XX/DEFAULT_5XX, else the built-in
 * `{"message": ...}`. Their templates only substitute variables (API Gateway does not run Velocity
 * on them); rendering them with the template engine gives the same result for such templates.
 */
import { compileTemplate, renderTemplate, type CompiledTemplate } from '../vtl';
import { isJsonObject, type OpenApiDocument } from '../../spec-renderer';

export const DEFAULT_STATUS = {
  BAD_REQUEST_BODY: 400,
  BAD_REQUEST_PARAMETERS: 400,
  INVALID_API_KEY: 403,
  ACCESS_DENIED: 403,
  MISSING_AUTHENTICATION_TOKEN: 403,
  INVALID_SIGNATURE: 403,
  EXPIRED_TOKEN: 403,
  UNAUTHORIZED: 401,
  THROTTLED: 429,
  QUOTA_EXCEEDED: 429,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTEGRATION_TIMEOUT: 504,
  INTEGRATION_FAILURE: 504,
  API_CONFIGURATION_ERROR: 500,
} as const;
export type GatewayResponseType = keyof typeof DEFAULT_STATUS;

/** API Gateway's own message for each type ($context.error.message). */
export const DEFAULT_MESSAGE: Record<GatewayResponseType, string> = {
  BAD_REQUEST_BODY: 'Invalid request body',
  BAD_REQUEST_PARAMETERS: 'Missing required request parameters',
  INVALID_API_KEY: 'Forbidden',
  ACCESS_DENIED: 'User: anonymous is not authorized to perform: execute-api:Invoke with an explicit deny',
  MISSING_AUTHENTICATION_TOKEN: 'Missing Authentication Token',
  INVALID_SIGNATURE: 'The request signature we calculated does not match the signature you provided.',
  EXPIRED_TOKEN: 'The security token included in the request is expired',
  UNAUTHORIZED: 'Unauthorized',
  THROTTLED: 'Too Many Requests',
  QUOTA_EXCEEDED: 'Limit Exceeded',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported Media Type',
  INTEGRATION_TIMEOUT: 'Endpoint request timed out',
  INTEGRATION_FAILURE: 'Internal server error',
  API_CONFIGURATION_ERROR: 'Internal server error',
};

interface CompiledGatewayResponse {
  readonly statusCode?: number;
  readonly template?: CompiledTemplate;
  readonly headers: Readonly<Record<string, string>>;
}

export interface GatewayError {
  readonly type: GatewayResponseType;
  /** Overrides the default $context.error.message. */
  readonly message?: string;
  readonly validationErrorString?: string;
}

export interface RenderedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** API Gateway's payload quota: "Payload size 10 MB" (developer guide, limits), 10485760 bytes. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/**
 * API Gateway's own answer to a request over the payload quota. It is not a gateway response the
 * spec can shape: "Customizing the default gateway response for 413 REQUEST_TOO_LARGE isn't
 * currently supported" (developer guide, api-gateway-known-issues). Its body is plain text, as
 * recorded against deployed REST APIs in public test suites (status 413, a text content type,
 * "HTTP content length exceeded 10485760 bytes."): the API's JSON error shape does not apply.
 * Used by the gateway for a body over the quota and by the HTTP server to refuse a too-large
 * Content-Length before reading the body.
 */
export function requestTooLargeResponse(): RenderedResponse {
  return {
    status: 413,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: `HTTP content length exceeded ${MAX_PAYLOAD_BYTES} bytes.`,
  };
}

const BUILT_IN = compileTemplate('{"message":$context.error.messageString}');

export class GatewayResponses {
  private readonly byType = new Map<string, CompiledGatewayResponse>();

  constructor(doc: OpenApiDocument) {
    const raw = doc['x-amazon-apigateway-gateway-responses'];
    if (!isJsonObject(raw)) return;
    for (const [type, response] of Object.entries(raw)) {
      if (!isJsonObject(response)) continue;
      const templates = isJsonObject(response.responseTemplates) ? response.responseTemplates : {};
      const json = templates['application/json'];
      const params = isJsonObject(response.responseParameters) ? response.responseParameters : {};
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(params)) {
        const header = /^gatewayresponse\.header\.(.+)$/.exec(key);
        const literal = typeof value === 'string' ? /^'(.*)'$/.exec(value) : null;
        if (header && literal) headers[header[1]] = literal[1];
      }
      this.byType.set(type, {
        ...(response.statusCode === undefined ? {} : { statusCode: Number(response.statusCode) }),
        ...(typeof json === 'string' ? { template: compileTemplate(json) } : {}),
        headers,
      });
    }
  }

  render(error: GatewayError, context: Record<string, unknown>): RenderedResponse {
    const defaultStatus = DEFAULT_STATUS[error.type];
    const own = this.byType.get(error.type);
    const fallback = this.byType.get(defaultStatus >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX');
    const status = own?.statusCode ?? defaultStatus;
    const template = own?.template ?? fallback?.template ?? BUILT_IN;
    const message = error.message ?? DEFAULT_MESSAGE[error.type];
    const { output } = renderTemplate(template, {
      context: {
        ...context,
        error: {
          message,
          responseType: error.type,
          validationErrorString: error.validationErrorString ?? '',
        },
      },
    });
    return {
      status,
      headers: { ...(fallback?.headers ?? {}), ...(own?.headers ?? {}), 'content-type': 'application/json' },
      body: output,
    };
  }
}
