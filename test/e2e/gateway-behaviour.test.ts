/**
 * What the gateway does around the integration, as the spec defines it: Kinesis errors mapped to
 * the statuses a client needs, timeouts and unreachable backends, partial batch failures, CORS,
 * IAM signatures, throttling and quotas. Kinesis is a stub here, so failures can be produced.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { parseConfig, type IngestConfig } from '../../infra/config';
import { bundleSpec, isJsonObject, LOCAL_FACTS, renderSpec, type JsonValue, type OpenApiDocument } from '../../lib/spec';
import { LocalGateway, type GatewayOptions } from '../../local/gateway/gateway';
import { startHttpServer, type RunningServer } from '../../local/gateway/http-server';
import { createKinesisCaller, type KinesisCaller } from '../../local/integration';
import { ApiClient } from '../support/api-client';
import { startKinesisStub, type KinesisStub } from '../support/kinesis-stub';

const STREAM = 'events';
let bundled: OpenApiDocument;
let stub: KinesisStub;
let caller: KinesisCaller;
const servers: RunningServer[] = [];

beforeAll(async () => {
  bundled = await bundleSpec();
  stub = await startKinesisStub();
  caller = createKinesisCaller();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  caller.close();
  await stub.close();
});

/** Sets every integration's timeout (the spec's 29 s would make a timeout test slow). */
function withTimeout(node: JsonValue, ms: number): JsonValue {
  if (Array.isArray(node)) return node.map((n) => withTimeout(n, ms));
  if (!isJsonObject(node)) return node;
  const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, withTimeout(v, ms)]));
  if ('timeoutInMillis' in out) out.timeoutInMillis = ms;
  return out;
}

async function gateway(raw: Record<string, unknown> = {}, extra: Partial<GatewayOptions> = {}, timeoutMs?: number): Promise<ApiClient> {
  const config: IngestConfig = parseConfig({ stage: 'test', streams: [{ name: STREAM }], ...raw });
  let spec = renderSpec(bundled, config, LOCAL_FACTS);
  if (timeoutMs !== undefined) spec = withTimeout(spec, timeoutMs) as OpenApiDocument;
  const local = new LocalGateway({
    spec,
    stage: config.stage,
    auth: config.auth,
    kinesis: { endpoint: stub.endpoint, region: 'us-east-1', caller },
    apiKeys: ['test-key'],
    ...extra,
  });
  const server = await startHttpServer(local, { host: '127.0.0.1', port: 0 });
  servers.push(server);
  return new ApiClient(`${server.url}/test`, config.auth === 'apiKey' ? 'test-key' : undefined);
}

describe('Kinesis errors become the status a client needs', () => {
  let client: ApiClient;
  beforeAll(async () => {
    client = await gateway();
  });

  test.each([
    [400, 'ResourceNotFoundException', 404, 'ResourceNotFound'],
    [400, 'com.amazonaws.kinesis.v20131202#ResourceNotFoundException', 404, 'ResourceNotFound'],
    [400, 'ProvisionedThroughputExceededException', 429, 'ProvisionedThroughputExceeded'],
    [400, 'KMSThrottlingException', 429, 'KMSThrottling'],
    [400, 'LimitExceededException', 429, 'LimitExceeded'],
    [400, 'ValidationException', 400, 'Validation'],
    [400, 'InvalidArgumentException', 400, 'InvalidArgument'],
    [400, 'ExpiredIteratorException', 410, 'ExpiredIterator'],
    [400, 'AccessDeniedException', 403, 'AccessDenied'],
    [400, 'KMSDisabledException', 400, 'KMSDisabled'],
    [500, 'InternalFailure', 502, 'InternalFailure'],
    [503, 'ServiceUnavailable', 503, 'ServiceUnavailable'],
  ])('Kinesis %i %s -> %i %s', async (status, type, expected, code) => {
    stub.answer('PutRecord', { status, body: { __type: type, message: `it's "${type}"` } });
    const res = await client.put(`/streams/${STREAM}/record`, { data: 'x' });
    expect(res.status).toBe(expected);
    expect(res.body).toEqual({ error: code, message: `it's "${type}"` });
    if (expected === 429 || expected === 503) expect(res.headers.get('retry-after')).toBe('1');
  });

  test('a 5xx without a body is 502 KinesisFailure', async () => {
    stub.answer('GetRecords', { status: 500, body: {} });
    const res = await client.get(`/streams/${STREAM}/records`, { headers: { 'Shard-Iterator': 'it' } });
    expect(res.status).toBe(502);
    expect(res.body).toEqual({ error: 'KinesisFailure', message: '' });
  });

  test('a partly failed batch says which entries failed, in request order', async () => {
    stub.answer('PutRecords', {
      status: 200,
      body: {
        FailedRecordCount: 1,
        Records: [
          { ShardId: 'shardId-000000000000', SequenceNumber: '1' },
          { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: "Rate exceeded for shard 'shardId-000000000000'" },
        ],
      },
    });
    const res = await client.put(`/streams/${STREAM}/records`, { records: [{ data: 'a' }, { data: 'b' }] });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-failed-record-count')).toBe('1');
    expect(res.body).toEqual({
      failedRecordCount: 1,
      records: [
        { shardId: 'shardId-000000000000', sequenceNumber: '1' },
        { errorCode: 'ProvisionedThroughputExceededException', errorMessage: "Rate exceeded for shard 'shardId-000000000000'" },
      ],
    });
  });
});

test('a Kinesis that does not answer in time is 504 IntegrationTimeout', async () => {
  const client = await gateway({}, {}, 200);
  stub.answer('ListShards', { status: 200, body: {}, hang: true });
  const started = Date.now();
  const res = await client.get(`/streams/${STREAM}/shards`);
  expect(res.status).toBe(504);
  expect(res.body).toEqual({ error: 'IntegrationTimeout', message: expect.any(String) });
  expect(Date.now() - started).toBeLessThan(5000);
});

test('a Kinesis that cannot be reached is 502 IntegrationFailure', async () => {
  const config = parseConfig({ stage: 'test', streams: [{ name: STREAM }] });
  const local = new LocalGateway({
    spec: renderSpec(bundled, config, LOCAL_FACTS),
    stage: 'test',
    auth: 'apiKey',
    apiKeys: ['k'],
    kinesis: { endpoint: 'http://127.0.0.1:1', region: 'us-east-1', caller },
  });
  const server = await startHttpServer(local, { host: '127.0.0.1', port: 0 });
  servers.push(server);
  const res = await new ApiClient(`${server.url}/test`, 'k').get(`/streams/${STREAM}`);
  expect(res.status).toBe(502);
  expect(res.body).toEqual({ error: 'IntegrationFailure', message: expect.any(String) });
});

test('an unknown stream never reaches Kinesis', async () => {
  const client = await gateway();
  const before = stub.calls.length;
  for (const path of ['/streams/other', '/streams/other/shards', '/streams/..%2Fevents/shards', '/streams/%E2%98%83/records']) {
    const res = await client.get(path);
    expect([path, res.status, res.body]).toEqual([path, 404, { error: 'StreamNotFound', message: expect.any(String) }]);
  }
  expect(stub.calls.length).toBe(before);
});

describe('CORS', () => {
  const origin = 'https://app.example.com';
  let client: ApiClient;
  beforeAll(async () => {
    client = await gateway({ corsAllowOrigin: origin });
  });

  test('a preflight is answered without an API key', async () => {
    const res = await client.request('OPTIONS', `/streams/${STREAM}/record`, { noKey: true, headers: { origin, 'access-control-request-method': 'PUT' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(res.headers.get('access-control-allow-methods')).toBe('PUT,OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toContain('X-Api-Key');
  });

  test('successes, Kinesis errors and gateway errors all carry the origin', async () => {
    stub.answer('PutRecord', { status: 200, body: { ShardId: 'shardId-000000000000', SequenceNumber: '7' } });
    const ok = await client.put(`/streams/${STREAM}/record`, { data: 'x' });
    stub.answer('PutRecord', { status: 400, body: { __type: 'ProvisionedThroughputExceededException', message: 'slow down' } });
    const throttled = await client.put(`/streams/${STREAM}/record`, { data: 'x' });
    const noKey = await client.get('/streams', { noKey: true });
    expect([ok.status, throttled.status, noKey.status]).toEqual([200, 429, 403]);
    for (const res of [ok, throttled, noKey]) {
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-expose-headers')).toContain('x-amzn-RequestId');
    }
  });
});

describe('IAM auth', () => {
  const credentials = { accessKeyId: 'LOCALKEY', secretAccessKey: 'local-secret' };
  let client: ApiClient;
  beforeAll(async () => {
    client = await gateway({ auth: 'iam' }, { iamCredentials: credentials });
  });

  async function signed(secret: string): Promise<Record<string, string>> {
    const url = new URL(`${client.baseUrl}/streams`);
    const signer = new SignatureV4({ service: 'execute-api', region: 'us-east-1', credentials: { ...credentials, secretAccessKey: secret }, sha256: Hash.bind(null, 'sha256') });
    const request = await signer.sign({ method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers: { host: url.host } });
    return Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== 'host')) as Record<string, string>;
  }

  test('a signed request is served', async () => {
    const res = await client.get('/streams', { headers: await signed(credentials.secretAccessKey) });
    expect(res.status).toBe(200);
  });

  test('a request signed with another secret is 403 InvalidSignature', async () => {
    const res = await client.get('/streams', { headers: await signed('wrong-secret') });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'InvalidSignature', message: expect.stringContaining('signature') });
  });

  test('an unsigned request is answered as API Gateway does: missing authentication token (404 here)', async () => {
    const res = await client.get('/streams');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: 'NotFound' });
  });
});

describe('throttling and quota', () => {
  test('over the key rate is 429 TooManyRequests with Retry-After', async () => {
    const client = await gateway({}, { limits: { stage: { rateLimit: 100, burstLimit: 100 }, perKey: { rateLimit: 1, burstLimit: 2 }, quota: { limit: 1000, period: 'DAY' } } });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await client.get('/streams')).status);
    expect(statuses).toEqual([200, 200, 429]);
    const res = await client.get('/streams');
    expect(res.body).toEqual({ error: 'TooManyRequests', message: expect.any(String) });
    expect(res.headers.get('retry-after')).toBe('1');
  });

  test('over the quota is 429 QuotaExceeded', async () => {
    const client = await gateway({}, { limits: { stage: { rateLimit: 100, burstLimit: 100 }, perKey: { rateLimit: 100, burstLimit: 100 }, quota: { limit: 2, period: 'DAY' } } });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await client.get('/streams')).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await client.get('/streams')).body).toEqual({ error: 'QuotaExceeded', message: expect.any(String) });
  });
});
