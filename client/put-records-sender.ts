/**
 * How IngestClient sends one PutRecords request (`PUT /streams/{stream-name}/records`) whose body
 * it has serialized already, and reads the answer.
 *
 * By default over node:http(s) with a keep-alive agent: a producer sends thousands of large bodies,
 * and Node 20's fetch, with openapi-fetch on top, costs about three times the CPU per request
 * (it wraps every body in web streams), CPU that a producer on a busy host takes from its own work.
 * Given `api` or `fetch`, it goes through the typed client instead (a proxy, a custom fetch, tests).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { createIngestApi, streamName, type ApiOptions, type IngestApi } from './api';
import type { components } from './api-types';
import { createRequestSigner } from './request-signer';

export type PutRecordsResponse = components['schemas']['PutRecordsResponse'];

export interface PutRecordsReply {
  readonly status: number;
  readonly retryAfter: string | null;
  /** The answer to a 200. */
  readonly data?: PutRecordsResponse;
  /** Any other answer's body: the API's `{error, message}`, or API Gateway's plain text. */
  readonly error?: unknown;
}

export interface PutRecordsSender {
  /** Rejects when no answer came (connection refused or reset, timeout): the records may or may not be stored. */
  send(body: string): Promise<PutRecordsReply>;
  /** Frees the connections kept open. */
  close(): void;
}

/**
 * API Gateway ends an integration at 29 seconds by default
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html): an answer that takes
 * twice that is not coming.
 */
const ANSWER_TIMEOUT_MS = 60_000;

export function createPutRecordsSender(
  options: ApiOptions & { readonly api?: IngestApi },
  stream: string,
): PutRecordsSender {
  if (options.api !== undefined) return typedApiSender(options.api, stream);
  if (options.fetch !== undefined) return typedApiSender(createIngestApi(options), stream);
  return nodeHttpSender(options, stream);
}

function typedApiSender(api: IngestApi, stream: string): PutRecordsSender {
  return {
    async send(body) {
      const { data, error, response } = await api.PUT('/streams/{stream-name}/records', {
        params: { path: { 'stream-name': streamName(stream) } },
        // The body is serialized already; the serializer sends it as is.
        body: { records: [] },
        bodySerializer: () => body,
      });
      return { status: response.status, retryAfter: response.headers.get('retry-after'), data, error };
    },
    close() {},
  };
}

function nodeHttpSender(options: ApiOptions, stream: string): PutRecordsSender {
  const url = new URL(`${options.url.replace(/\/+$/, '')}/streams/${encodeURIComponent(stream)}/records`);
  const secure = url.protocol === 'https:';
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const request = secure ? httpsRequest : httpRequest;
  const { auth } = options;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    ...('apiKey' in auth ? { 'x-api-key': auth.apiKey } : {}),
  };
  const sign = 'iam' in auth ? createRequestSigner(auth.iam.region, auth.iam.credentials) : undefined;
  return {
    async send(body) {
      const sent = sign === undefined ? headers : await sign({ method: 'PUT', url, headers, body });
      return new Promise((resolve, reject) => {
        const req = request(
          url,
          {
            method: 'PUT',
            agent,
            headers: { ...sent, 'content-length': String(Buffer.byteLength(body)) },
            timeout: ANSWER_TIMEOUT_MS,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', reject);
            res.on('end', () => resolve(replyOf(res, Buffer.concat(chunks).toString('utf8'))));
          },
        );
        req.on('timeout', () => req.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS / 1000} s`)));
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

function replyOf(res: IncomingMessage, text: string): PutRecordsReply {
  const status = res.statusCode ?? 0;
  const retryAfter = res.headers['retry-after'] ?? null;
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // API Gateway's own answers (the 413 payload quota) can be plain text: kept as the error.
  }
  return status === 200 && typeof body === 'object' && body !== null
    ? { status, retryAfter, data: body as PutRecordsResponse }
    : { status, retryAfter, error: body };
}
