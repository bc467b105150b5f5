/**
 * The integration call exactly as API Gateway makes it for an `aws` Kinesis integration
 * (`arn:aws:apigateway:{region}:kinesis:action/<Action>`): POST to the endpoint's `/` with
 * `X-Amz-Target: Kinesis_20131202.<Action>`, `Content-Type: application/x-amz-json-1.1`, the rendered
 * template as the body, verbatim, signed with SigV4 (service `kinesis`).
 *
 * It is on every request, so it stays lean: raw node:http(s) with keep-alive agents (connection reuse
 * matters more to throughput than anything else here), parsed endpoints and signers cached.
 */
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import {
  IntegrationNetworkError,
  IntegrationResponseTooLargeError,
  IntegrationTimeoutError,
} from './integration-errors';
import { LOCAL_CREDENTIALS, SignerCache, type CredentialsSource } from './request-signer';

export interface KinesisCallInput {
  /** e.g. http://127.0.0.1:4567 or https://kinesis.eu-west-1.amazonaws.com */
  readonly endpoint: string;
  readonly region: string;
  /** The Kinesis action, e.g. PutRecord. */
  readonly action: string;
  /** Sent verbatim. */
  readonly body: string;
  /** Default 29 000 ms, API Gateway's integration timeout. */
  readonly timeoutMs?: number;
  /** Default: the caller's credentials (local dummy credentials unless given). */
  readonly credentials?: CredentialsSource;
  /**
   * The headers a request template set with $context.requestOverride.header. They are signed; they
   * may set Content-Type, but never Host, X-Amz-Target, Content-Length or the signature headers.
   */
  readonly overrideHeaders?: Readonly<Record<string, string>>;
}

export interface KinesisCallResult {
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface KinesisCaller {
  /**
   * Resolves with any HTTP answer (4xx/5xx included); rejects only with IntegrationTimeoutError,
   * IntegrationNetworkError or IntegrationResponseTooLargeError.
   */
  call(input: KinesisCallInput): Promise<KinesisCallResult>;
  /** Closes the pooled connections. */
  close(): void;
}

export interface KinesisCallerOptions {
  /** Per endpoint host; default 128. */
  readonly maxSockets?: number;
  /** Default for calls that give none: LOCAL_CREDENTIALS. For real AWS pass `fromNodeProviderChain()`. */
  readonly credentials?: CredentialsSource;
}

export const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;
/** API Gateway's payload limit, for integration answers too (API Gateway quotas: "Payload size 10 MB"). */
export const MAX_INTEGRATION_RESPONSE_BYTES = 10 * 1024 * 1024;
const KINESIS_CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'Kinesis_20131202.';
/** Headers the call owns; overrideHeaders cannot replace them. */
const RESERVED_HEADERS = new Set([
  'host',
  'x-amz-target',
  'content-length',
  'authorization',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
]);

interface Target {
  readonly secure: boolean;
  readonly protocol: string;
  readonly hostname: string;
  readonly port?: number;
  readonly host: string;
  readonly path: string;
}

function parseEndpoint(endpoint: string): Target {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new IntegrationNetworkError(`Kinesis endpoint ${JSON.stringify(endpoint)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new IntegrationNetworkError(`Kinesis endpoint ${endpoint} must be http:// or https://`);
  return {
    secure: url.protocol === 'https:',
    protocol: url.protocol,
    // URL keeps IPv6 literals in brackets; node:http wants them bare.
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    host: url.host,
    path: url.pathname || '/',
  };
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function createKinesisCaller(options: KinesisCallerOptions = {}): KinesisCaller {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 128, scheduling: 'lifo' as const };
  const httpAgent = new HttpAgent(agentOptions);
  const httpsAgent = new HttpsAgent(agentOptions);
  const signers = new SignerCache();
  const targets = new Map<string, Target>();
  const defaultCredentials = options.credentials ?? LOCAL_CREDENTIALS;

  const targetFor = (endpoint: string): Target => {
    let target = targets.get(endpoint);
    if (target === undefined) {
      target = parseEndpoint(endpoint);
      targets.set(endpoint, target);
    }
    return target;
  };

  async function call(input: KinesisCallInput): Promise<KinesisCallResult> {
    const target = targetFor(input.endpoint);
    const headers: Record<string, string> = {};
    if (input.overrideHeaders !== undefined) {
      for (const name in input.overrideHeaders) {
        const lower = name.toLowerCase();
        if (!RESERVED_HEADERS.has(lower)) headers[lower] = input.overrideHeaders[name];
      }
    }
    headers.host = target.host;
    headers['content-type'] ??= KINESIS_CONTENT_TYPE;
    headers['x-amz-target'] = TARGET_PREFIX + input.action;
    headers['content-length'] = String(Buffer.byteLength(input.body));

    const signer = signers.signerFor(input.credentials ?? defaultCredentials, input.region);
    let signed;
    try {
      signed = await signer.sign({
        method: 'POST',
        protocol: target.protocol,
        hostname: target.hostname,
        ...(target.port === undefined ? {} : { port: target.port }),
        path: target.path,
        headers,
        body: input.body,
      });
    } catch (error) {
      // Credentials could not be resolved: the call cannot be made, as with IAM failures upstream.
      throw new IntegrationNetworkError(
        `Kinesis ${input.action}: could not sign the request: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const timeoutMs = input.timeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS;
    const send = target.secure ? httpsRequest : httpRequest;
    const requestOptions = {
      hostname: target.hostname,
      ...(target.port === undefined ? {} : { port: target.port }),
      path: target.path,
      method: 'POST',
      headers: signed.headers,
      agent: target.secure ? httpsAgent : httpAgent,
    };

    return new Promise<KinesisCallResult>((resolve, reject) => {
      let settled = false;
      let current: ClientRequest | undefined;
      const finish = (error: Error | undefined, result?: KinesisCallResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(result as KinesisCallResult);
      };
      const timer = setTimeout(() => {
        finish(
          new IntegrationTimeoutError(
            `Kinesis ${input.action} at ${input.endpoint} did not answer within ${timeoutMs} ms`,
          ),
        );
        current?.destroy();
      }, timeoutMs);

      const attempt = (mayRetry: boolean): void => {
        let answered = false;
        const req = send(requestOptions, (res) => {
          answered = true;
          // Read at most the limit: a larger answer is dropped with its connection as soon as it
          // shows (declared or counted), so neither memory nor the process pays for it.
          const tooLarge = (): void => {
            finish(
              new IntegrationResponseTooLargeError(
                `Kinesis ${input.action} at ${input.endpoint} answered more than ${MAX_INTEGRATION_RESPONSE_BYTES} bytes`,
              ),
            );
            res.destroy();
            req.destroy();
          };
          if (Number(res.headers['content-length'] ?? 0) > MAX_INTEGRATION_RESPONSE_BYTES) return tooLarge();
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_INTEGRATION_RESPONSE_BYTES) tooLarge();
            else chunks.push(chunk);
          });
          res.on('end', () =>
            finish(undefined, {
              status: res.statusCode ?? 502,
              headers: flattenHeaders(res.headers),
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', (error) =>
            finish(
              new IntegrationNetworkError(`Kinesis ${input.action} at ${input.endpoint} failed: ${error.message}`, {
                cause: error,
              }),
            ),
          );
        });
        current = req;
        req.on('error', (error: NodeJS.ErrnoException) => {
          if (settled) return;
          // A pooled connection the server closed while idle: the request never got there, so it is
          // sent once more on a fresh connection (what Node's docs advise for keep-alive races).
          if (mayRetry && !answered && req.reusedSocket && error.code === 'ECONNRESET') return attempt(false);
          finish(
            new IntegrationNetworkError(`Kinesis ${input.action} at ${input.endpoint} failed: ${error.message}`, {
              cause: error,
            }),
          );
        });
        req.end(input.body);
      };
      attempt(true);
    });
  }

  return {
    call,
    close: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
