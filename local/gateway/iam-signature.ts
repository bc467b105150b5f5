/**
 * SigV4 verification for the `iam` auth mode: the local gateway holds one access key pair (printed
 * at start) and checks a request's signature by signing the same canonical request again, with
 * service `execute-api`, as API Gateway checks it against IAM.
 */
import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';

export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The gateway's region: a signature must be scoped to it (default us-east-1). */
  readonly region?: string;
}

export interface SignedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'invalid' | 'expired'; message: string };

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;
const MAX_SKEW_MS = 15 * 60 * 1000;

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
}

export async function verifySignature(
  request: SignedRequest,
  credentials: LocalCredentials,
  now = Date.now(),
): Promise<SignatureCheck> {
  const header = request.headers.authorization;
  if (header === undefined) return { ok: false, reason: 'missing', message: 'Missing Authentication Token' };
  const parsed = AUTHORIZATION.exec(header);
  if (!parsed)
    return {
      ok: false,
      reason: 'invalid',
      message: `Authorization header is not a SigV4 signature: ${header.slice(0, 40)}`,
    };
  const [, accessKeyId, , region, service, signedHeaders, signature] = parsed;
  // API Gateway's own words for a scope to another region or service, both when both are wrong
  // (as answered by execute-api, quoted in Kong/insomnia#830 and aws/aws-sdk-js#792).
  const gatewayRegion = credentials.region ?? 'us-east-1';
  const scope = [
    ...(region === gatewayRegion ? [] : [`Credential should be scoped to a valid region, not '${region}'. `]),
    ...(service === 'execute-api' ? [] : [`Credential should be scoped to correct service: 'execute-api'. `]),
  ];
  if (scope.length > 0) return { ok: false, reason: 'invalid', message: scope.join('').trim() };
  if (accessKeyId !== credentials.accessKeyId)
    return { ok: false, reason: 'invalid', message: 'The security token included in the request is invalid.' };
  const date = parseAmzDate(request.headers['x-amz-date'] ?? '');
  if (!date) return { ok: false, reason: 'invalid', message: 'Missing or malformed X-Amz-Date header' };
  if (Math.abs(now - date.getTime()) > MAX_SKEW_MS)
    return {
      ok: false,
      reason: 'expired',
      message: 'Signature expired: the request date is more than 15 minutes from now',
    };

  const names = signedHeaders.split(';');
  // SigV4 requires the host header to be signed; API Gateway refuses a signature without it.
  if (!names.includes('host'))
    return { ok: false, reason: 'invalid', message: "'Host' must be a 'SignedHeader' in the AWS Authorization." };

  // API Gateway signs over the body it received: the payload hash is always the body's own.
  // UNSIGNED-PAYLOAD is an Amazon S3 option (SigV4 docs, "Signing payloads"), not execute-api's.
  const declaredHash = request.headers['x-amz-content-sha256'];
  if (declaredHash === 'UNSIGNED-PAYLOAD') {
    return {
      ok: false,
      reason: 'invalid',
      message:
        'The request signature we calculated does not match the signature you provided: execute-api signs the payload, UNSIGNED-PAYLOAD is not accepted.',
    };
  }
  if (declaredHash !== undefined && declaredHash !== createHash('sha256').update(request.body).digest('hex')) {
    return { ok: false, reason: 'invalid', message: 'The x-amz-content-sha256 header does not match the body.' };
  }

  const headers: Record<string, string> = {};
  for (const name of names) headers[name] = request.headers[name] ?? '';
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(request.query.keys())) {
    const values = request.query.getAll(key);
    query[key] = values.length === 1 ? values[0] : values;
  }
  const signer = new SignatureV4({
    service,
    region,
    credentials,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const expected = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host ?? 'localhost',
      path: request.path,
      query,
      headers,
      body: request.body,
    } satisfies HttpRequest,
    { signingDate: date, signableHeaders: new Set(names) },
  );
  const expectedSignature = /Signature=([0-9a-f]{64})/.exec(String(expected.headers.authorization ?? ''))?.[1];
  return expectedSignature === signature
    ? { ok: true }
    : {
        ok: false,
        reason: 'invalid',
        message: 'The request signature we calculated does not match the signature you provided.',
      };
}
