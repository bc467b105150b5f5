/**
 * SigV4 for the API in iam mode (service `execute-api`): the headers to send with a request, signed
 * over its final form, body included
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

export type Credentials = ConstructorParameters<typeof SignatureV4>[0]['credentials'];

export interface RequestToSign {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}

/** Resolves to the request's headers plus the signature's (`authorization`, `x-amz-date`, …), without `host`. */
export type RequestSigner = (request: RequestToSign) => Promise<Record<string, string>>;

export function createRequestSigner(region: string, credentials: Credentials): RequestSigner {
  const signer = new SignatureV4({ service: 'execute-api', region, credentials, sha256: Hash.bind(null, 'sha256') });
  return async ({ method, url, headers, body }) => {
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port === '' ? {} : { port: Number(url.port) }),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...headers, host: url.host },
      ...(body === undefined ? {} : { body }),
    });
    return Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name.toLowerCase() !== 'host'));
  };
}
