/**
 * The typed HTTP client for the API: openapi-fetch over the types generated from the published
 * spec (client/api-types.ts), with the API's auth: an API key in `x-api-key`, or SigV4 (iam mode,
 * service `execute-api`) signed over the final request, body included.
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './api-types';
import { createRequestSigner, type Credentials, type RequestSigner } from './request-signer';

export type IngestApi = Client<paths>;
export type ApiError = components['schemas']['Error'];
/** Stream names as the spec lists them; any string is accepted here, the API answers 404 for others. */
export type StreamName = components['parameters']['StreamName'];
export const streamName = (name: string): StreamName => name as StreamName;

export type ApiAuth =
  | { readonly apiKey: string }
  | { readonly iam: { readonly region: string; readonly credentials: Credentials } }
  | { readonly none: true };

export interface ApiOptions {
  /** The stage's base URL: http://127.0.0.1:4010/dev locally, https://{api}.execute-api.{region}.amazonaws.com/{stage} deployed. */
  readonly url: string;
  readonly auth: ApiAuth;
  /** A fetch to use instead of the global one (tests, proxies). */
  readonly fetch?: typeof fetch;
}

function sigV4(sign: RequestSigner): Middleware {
  return {
    async onRequest({ request }) {
      const body = request.body === null ? undefined : await request.clone().text();
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        headers[name] = value;
      });
      const signed = await sign({
        method: request.method,
        url: new URL(request.url),
        headers,
        ...(body === undefined ? {} : { body }),
      });
      return new Request(request.url, {
        method: request.method,
        headers: signed,
        // The caller's abort (the tail's stop) must still reach the signed request.
        signal: request.signal,
        ...(body === undefined ? {} : { body }),
      });
    },
  };
}

export function createIngestApi(options: ApiOptions): IngestApi {
  const api = createClient<paths>({
    baseUrl: options.url.replace(/\/+$/, ''),
    ...('apiKey' in options.auth ? { headers: { 'x-api-key': options.auth.apiKey } } : {}),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  if ('iam' in options.auth) api.use(sigV4(createRequestSigner(options.auth.iam.region, options.auth.iam.credentials)));
  return api;
}
