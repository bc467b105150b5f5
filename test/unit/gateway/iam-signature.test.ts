import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { verifySignature } from '../../../local/gateway/iam-signature';

const credentials = { accessKeyId: 'LOCALKEY', secretAccessKey: 'secret' };

async function signedHeaders(secret: string, applyChecksum: boolean, date = new Date()): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: 'execute-api', region: 'us-east-1', credentials: { ...credentials, secretAccessKey: secret }, sha256: Hash.bind(null, 'sha256'), applyChecksum });
  const request = await signer.sign(
    { method: 'PUT', protocol: 'http:', hostname: '127.0.0.1', port: 4010, path: '/dev/streams/s/record', query: { a: 'b' }, headers: { host: '127.0.0.1:4010', 'content-type': 'application/json' }, body: '{"data":1}' },
    { signingDate: date },
  );
  return Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

const check = async (headers: Record<string, string>): Promise<ReturnType<typeof verifySignature>> =>
  verifySignature({ method: 'PUT', path: '/dev/streams/s/record', query: new URLSearchParams('a=b'), headers, body: Buffer.from('{"data":1}') }, credentials);

test.each([true, false])('a valid signature passes (payload hash header signed: %s)', async (applyChecksum) => {
  expect(await check(await signedHeaders(credentials.secretAccessKey, applyChecksum))).toEqual({ ok: true });
});

test('another secret fails', async () => {
  expect(await check(await signedHeaders('other', false))).toMatchObject({ ok: false, reason: 'invalid' });
});

test('a changed body fails', async () => {
  const headers = await signedHeaders(credentials.secretAccessKey, true);
  const result = await verifySignature({ method: 'PUT', path: '/dev/streams/s/record', query: new URLSearchParams('a=b'), headers, body: Buffer.from('{"data":2}') }, credentials);
  expect(result).toMatchObject({ ok: false, reason: 'invalid' });
});

test('a signature older than 15 minutes has expired', async () => {
  expect(await check(await signedHeaders(credentials.secretAccessKey, false, new Date(Date.now() - 20 * 60 * 1000)))).toMatchObject({ ok: false, reason: 'expired' });
});

test('no Authorization header is a missing token', async () => {
  expect(await check({ host: '127.0.0.1:4010' })).toMatchObject({ ok: false, reason: 'missing' });
});
