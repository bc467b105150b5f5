import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { verifySignature } from '../../../local/gateway/iam-signature';

const credentials = { accessKeyId: 'LOCALKEY', secretAccessKey: 'secret' };

const body = '{"data":1}';

/** Headers of a PUT signed as a caller would sign it; each option changes one thing about it. */
async function sign(
  options: {
    secret?: string;
    applyChecksum?: boolean;
    date?: Date;
    region?: string;
    headers?: Record<string, string>;
    unsignable?: string[];
  } = {},
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: 'execute-api',
    region: options.region ?? 'us-east-1',
    credentials: { ...credentials, secretAccessKey: options.secret ?? credentials.secretAccessKey },
    sha256: Hash.bind(null, 'sha256'),
    ...(options.applyChecksum === undefined ? {} : { applyChecksum: options.applyChecksum }),
  });
  const request = await signer.sign(
    {
      method: 'PUT',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4010,
      path: '/dev/streams/s/record',
      query: { a: 'b' },
      headers: { host: '127.0.0.1:4010', 'content-type': 'application/json', ...(options.headers ?? {}) },
      body,
    },
    {
      signingDate: options.date ?? new Date(),
      ...(options.unsignable ? { unsignableHeaders: new Set(options.unsignable) } : {}),
    },
  );
  return Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

const verify = (headers: Record<string, string>, sent = body, region?: string): ReturnType<typeof verifySignature> =>
  verifySignature(
    {
      method: 'PUT',
      path: '/dev/streams/s/record',
      query: new URLSearchParams('a=b'),
      headers,
      body: Buffer.from(sent),
    },
    { ...credentials, ...(region ? { region } : {}) },
  );

test.each([true, false])('a valid signature passes (payload hash header signed: %s)', async (applyChecksum) => {
  expect(await verify(await sign({ applyChecksum }))).toEqual({ ok: true });
});

test('another secret fails', async () => {
  expect(await verify(await sign({ secret: 'other', applyChecksum: false }))).toMatchObject({
    ok: false,
    reason: 'invalid',
  });
});

test('a changed body fails', async () => {
  const result = await verify(await sign({ applyChecksum: true }), '{"data":2}');
  expect(result).toMatchObject({ ok: false, reason: 'invalid' });
});

test('a signature older than 15 minutes has expired', async () => {
  expect(await verify(await sign({ applyChecksum: false, date: new Date(Date.now() - 20 * 60 * 1000) }))).toMatchObject(
    { ok: false, reason: 'expired' },
  );
});

test('no Authorization header is a missing token', async () => {
  expect(await verify({ host: '127.0.0.1:4010' })).toMatchObject({ ok: false, reason: 'missing' });
});

describe('checked as API Gateway checks them', () => {
  test('UNSIGNED-PAYLOAD is refused, even for the body it was sent with, and so is a swapped body', async () => {
    const headers = await sign({ headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    expect(headers.authorization).toContain('x-amz-content-sha256');
    expect(await verify(headers)).toMatchObject({
      ok: false,
      reason: 'invalid',
      message: expect.stringMatching(/UNSIGNED-PAYLOAD is not accepted/),
    });
    expect(await verify(headers, '{"data":"swapped"}')).toMatchObject({ ok: false, reason: 'invalid' });
  });

  test("a signature that does not sign host is refused with API Gateway's message", async () => {
    const headers = await sign({ unsignable: ['host'] });
    expect(headers.authorization).not.toMatch(/SignedHeaders=[^,]*host/);
    expect(await verify(headers)).toEqual({
      ok: false,
      reason: 'invalid',
      message: "'Host' must be a 'SignedHeader' in the AWS Authorization.",
    });
  });

  test("a signature scoped to another region than the gateway's is refused", async () => {
    expect(await verify(await sign({ region: 'eu-west-1' }))).toEqual({
      ok: false,
      reason: 'invalid',
      message: "Credential should be scoped to a valid region, not 'eu-west-1'.",
    });
    expect(await verify(await sign({ region: 'eu-west-1' }), body, 'eu-west-1')).toEqual({ ok: true });
    expect(await verify(await sign({}), body, 'eu-west-1')).toMatchObject({
      ok: false,
      message: "Credential should be scoped to a valid region, not 'us-east-1'.",
    });
  });
});
