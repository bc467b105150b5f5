/**
 * The integration call exactly as API Gateway makes it for an `aws` Kinesis integration: POST to
 * the endpoint with `X-Amz-Target: Kinesis_20131202.<Action>`, `Content-Type:
 * application/x-amz-json-1.1`, the rendered template as the body, signed with SigV4 (service
 * `kinesis`). It keeps connections alive: reusing them matters more to throughput than anything
 * else on this path.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface KinesisCallInput {
  readonly endpoint: string;
  readonly region: string;
  readonly action: string;
  readonly body: string;
  /** Default 29 s, API Gateway's integration timeout. */
  readonly timeoutMs?: number;
}

export interface KinesisCallResult {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Record<string, string>;
  readonly body: string;
}

export class IntegrationTimeoutError extends Error {
  constructor(action: string, timeoutMs: number) {
    super(`Kinesis ${action} did not answer within ${timeoutMs} ms`);
    this.name = 'IntegrationTimeoutError';
  }
}

/** The endpoint could not be reached or dropped the connection: the gateway answers 5xx at once. */
export class IntegrationNetworkError extends Error {
  constructor(action: string, cause: Error) {
    super(`Kinesis ${action} failed: ${cause.message}`);
    this.name = 'IntegrationNetworkError';
  }
}

export interface KinesisCaller {
  call(input: KinesisCallInput): Promise<KinesisCallResult>;
  close(): void;
}

/** Credentials for the local backends, which want a signature but check none. */
export const LOCAL_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface KinesisCallerOptions {
  /** Default: the local credentials. For real AWS, the default provider chain. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly maxSockets?: number;
}

export function createKinesisCaller(options: KinesisCallerOptions = {}): KinesisCaller {
  const maxSockets = options.maxSockets ?? 128;
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets });
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets });
  const signers = new Map<string, SignatureV4>();
  const signerFor = (region: string): SignatureV4 => {
    let signer = signers.get(region);
    if (!signer) {
      signer = new SignatureV4({ service: 'kinesis', region, credentials: options.credentials ?? LOCAL_CREDENTIALS, sha256: Hash.bind(null, 'sha256') });
      signers.set(region, signer);
    }
    return signer;
  };

  async function call(input: KinesisCallInput): Promise<KinesisCallResult> {
    const url = new URL(input.endpoint);
    const secure = url.protocol === 'https:';
    const headers: Record<string, string> = {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `Kinesis_20131202.${input.action}`,
      'content-length': String(Buffer.byteLength(input.body)),
    };
    const signed = await signerFor(input.region).sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port === '' ? {} : { port: Number(url.port) }),
      path: url.pathname || '/',
      query: {},
      headers,
      body: input.body,
    });
    const timeoutMs = input.timeoutMs ?? 29_000;

    return new Promise<KinesisCallResult>((resolve, reject) => {
      const send = secure ? httpsRequest : httpRequest;
      const req = send(
        { protocol: url.protocol, hostname: url.hostname, port: url.port, path: url.pathname || '/', method: 'POST', headers: signed.headers, agent: secure ? httpsAgent : httpAgent },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            clearTimeout(timer);
            const out: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(',') : value;
            resolve({ status: res.statusCode ?? 500, headers: out, body: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', (error) => {
            clearTimeout(timer);
            reject(new IntegrationNetworkError(input.action, error));
          });
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        reject(new IntegrationTimeoutError(input.action, timeoutMs));
      }, timeoutMs);
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(new IntegrationNetworkError(input.action, error));
      });
      req.end(input.body);
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
