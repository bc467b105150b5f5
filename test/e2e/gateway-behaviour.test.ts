/**
 * What the gateway does around the integration, as the spec defines it: Kinesis errors mapped to
 * the statuses a client needs, timeouts and unreachable backends, partial batch failures, CORS,
 * IAM signatures, throttling and quotas. Kinesis is a stub here, so failures can be produced.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { parseConfig, type IngestConfig } from '../../config/ingest-config';
import { gzipSync } from 'node:zlib';
import {
  bundleSpec,
  isJsonObject,
  LOCAL_FACTS,
  renderDeployedSpec,
  type JsonValue,
  type OpenApiDocument,
} from '../../spec-renderer';
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

async function gateway(
  raw: Record<string, unknown> = {},
  extra: Partial<GatewayOptions> = {},
  timeoutMs?: number,
): Promise<ApiClient> {
  const config: IngestConfig = parseConfig({ stage: 'test', streams: [{ name: STREAM }], ...raw });
  let spec = renderDeployedSpec(bundled, config, LOCAL_FACTS);
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
    [400, 'ThrottlingException', 429, 'Throttling'],
    [400, 'ValidationException', 400, 'Validation'],
    [400, 'InvalidArgumentException', 400, 'InvalidArgument'],
    [400, 'ExpiredIteratorException', 410, 'ExpiredIterator'],
    [400, 'AccessDeniedException', 403, 'AccessDenied'],
    [400, 'KMSDisabledException', 400, 'KMSDisabled'],
  ])('Kinesis %i %s -> %i %s', async (status, type, expected, code) => {
    stub.answer('PutRecord', { status, body: { __type: type, message: `it's "${type}"` } });
    const res = await client.put(`/streams/${STREAM}/record`, { data: 'x' });
    expect(res.status).toBe(expected);
    expect(res.body).toEqual({ error: code, message: `it's "${type}"` });
    if (expected === 429) expect(res.headers.get('retry-after')).toBe('1');
  });

  test('Kinesis 500 InternalFailure is 502 KinesisFailure, 503 is 503 ServiceUnavailable with Retry-After', async () => {
    stub.answer('PutRecord', { status: 500, body: { __type: 'InternalFailure', message: 'boom' } });
    const failed = await client.put(`/streams/${STREAM}/record`, { data: 'x' });
    expect([failed.status, failed.body]).toEqual([
      502,
      { error: 'KinesisFailure', message: expect.stringContaining('retry') },
    ]);
    stub.answer('PutRecord', { status: 503, body: { __type: 'ServiceUnavailable', message: 'busy' } });
    const unavailable = await client.put(`/streams/${STREAM}/record`, { data: 'x' });
    expect([unavailable.status, unavailable.body]).toEqual([
      503,
      { error: 'ServiceUnavailable', message: expect.any(String) },
    ]);
    expect(unavailable.headers.get('retry-after')).toBe('1');
  });

  test('a SerializationException is 400 BadRequestParameters, without Java text', async () => {
    stub.answer('GetRecords', {
      status: 400,
      body: {
        __type: 'SerializationException',
        Message: 'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an Integer',
      },
    });
    const res = await client.get<{ error: string; message: string }>(`/streams/${STREAM}/records`, {
      headers: { 'Shard-Iterator': 'it' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('BadRequestParameters');
    expect(res.text).not.toMatch(/com\.amazon|TruncatingBigNumber|java/i);
  });

  test('a Kinesis message with an account id is passed on without it', async () => {
    stub.answer('DescribeStreamSummary', {
      status: 400,
      body: { __type: 'ResourceNotFoundException', message: `Stream ${STREAM} under account 111122223333 not found.` },
    });
    const res = await client.get(`/streams/${STREAM}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('111122223333');
  });

  test('a partly failed batch says which entries failed, in request order', async () => {
    stub.answer('PutRecords', {
      status: 200,
      body: {
        FailedRecordCount: 1,
        Records: [
          { ShardId: 'shardId-000000000000', SequenceNumber: '1' },
          {
            ErrorCode: 'ProvisionedThroughputExceededException',
            ErrorMessage: "Rate exceeded for shard 'shardId-000000000000'",
          },
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
        {
          errorCode: 'ProvisionedThroughputExceededException',
          errorMessage: "Rate exceeded for shard 'shardId-000000000000'",
        },
      ],
    });
  });
});

test('a Kinesis that does not answer in time is 504 IntegrationTimeout', async () => {
  // The call is recorded rather than timed: the spec's timeoutInMillis is what the integration call
  // gets (that the caller keeps to it is test/unit/kinesis/kinesis-caller.test.ts's job).
  const timeouts: Array<number | undefined> = [];
  const recording: KinesisCaller = {
    call: (input) => (timeouts.push(input.timeoutMs), caller.call(input)),
    close: () => undefined,
  };
  const client = await gateway(
    {},
    { kinesis: { endpoint: stub.endpoint, region: 'us-east-1', caller: recording } },
    200,
  );
  stub.answer('ListShards', { status: 200, body: {}, hang: true });
  const res = await client.get(`/streams/${STREAM}/shards`);
  expect(res.status).toBe(504);
  expect(res.body).toEqual({ error: 'IntegrationTimeout', message: expect.any(String) });
  expect(timeouts).toEqual([200]);
});

test('a Kinesis that cannot be reached is 502 IntegrationFailure', async () => {
  const config = parseConfig({ stage: 'test', streams: [{ name: STREAM }] });
  const local = new LocalGateway({
    spec: renderDeployedSpec(bundled, config, LOCAL_FACTS),
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

/**
 * Kinesis endpoints (--kinesis-endpoint) that answer what Kinesis never should: the client gets a
 * 502 with the API's JSON error, never a success with empty fields.
 */
describe('an unexpected answer from Kinesis is 502 KinesisFailure with a JSON body', () => {
  let client: ApiClient;
  beforeAll(async () => {
    client = await gateway();
  });

  test.each([
    ['a 301', { status: 301, body: {} }],
    ['a 302 with HTML', { status: 302, body: null, raw: '<html>moved</html>' }],
    ['a 204', { status: 204, body: null, raw: '' }],
    ['a 200 with an empty body', { status: 200, body: null, raw: '' }],
    ['a 200 with {}', { status: 200, body: {} }],
    ['a 500 with an HTML page', { status: 500, body: null, raw: '<html><body>Internal Server Error</body></html>' }],
    ['a 500 with no body', { status: 500, body: null, raw: '' }],
  ])('%s', async (_, answer) => {
    stub.answer('PutRecord', answer);
    const res = await client.put(`/streams/${STREAM}/record`, { data: 'x' });
    expect(res.status).toBe(502);
    expect(JSON.parse(res.text)).toEqual({ error: 'KinesisFailure', message: expect.any(String) });
  });

  test.each([
    ['PutRecords', 'PUT', `/streams/${STREAM}/records`],
    ['GetRecords', 'GET', `/streams/${STREAM}/records`],
    ['GetShardIterator', 'GET', `/streams/${STREAM}/sharditerator?shard-id=s`],
    ['ListShards', 'GET', `/streams/${STREAM}/shards`],
    ['DescribeStreamSummary', 'GET', `/streams/${STREAM}`],
  ])('%s answered 200 {}', async (action, method, path) => {
    stub.answer(action, { status: 200, body: {} });
    const res = await client.request(method, path, {
      headers: { 'Shard-Iterator': 'it' },
      ...(method === 'PUT' ? { body: { records: [{ data: 'x' }] } } : {}),
    });
    expect([action, res.status, JSON.parse(res.text)]).toEqual([
      action,
      502,
      { error: 'KinesisFailure', message: expect.any(String) },
    ]);
  });
});

test('shards past the first page: the next page is asked with next-token', async () => {
  const client = await gateway();
  const shard = {
    ShardId: 'shardId-000000000001',
    HashKeyRange: { StartingHashKey: '0', EndingHashKey: '1' },
    SequenceNumberRange: { StartingSequenceNumber: '1' },
  };
  stub.answer('ListShards', { status: 200, body: { Shards: [shard], NextToken: 'PAGE-2' } });
  const first = await client.get<{ shards: unknown[]; nextToken?: string }>(`/streams/${STREAM}/shards`);
  expect([first.status, first.body.nextToken]).toEqual([200, 'PAGE-2']);
  stub.answer('ListShards', { status: 200, body: { Shards: [] } });
  const second = await client.get<{ shards: unknown[]; nextToken?: string }>(
    `/streams/${STREAM}/shards?next-token=${encodeURIComponent(first.body.nextToken ?? '')}`,
  );
  expect(second.status).toBe(200);
  expect(second.body).toEqual({ shards: [] });
});

describe('a malformed query parameter is 400 BadRequestParameters naming it, with no Java text', () => {
  let client: ApiClient;
  beforeAll(async () => {
    client = await gateway();
    // What Kinesis answers to the empty request the template sends for a malformed parameter.
    const refusal = {
      status: 400,
      body: {
        __type: 'ValidationException',
        message:
          "1 validation error detected: Value null at 'streamName' failed to satisfy constraint: Member must not be null",
      },
    };
    stub.answer('GetShardIterator', refusal);
    stub.answer('GetRecords', refusal);
  });

  test.each([
    ['timestamp', `/streams/${STREAM}/sharditerator?shard-id=s&shard-iterator-type=AT_TIMESTAMP&timestamp=abc`],
    [
      'starting-sequence-number',
      `/streams/${STREAM}/sharditerator?shard-id=s&shard-iterator-type=AT_SEQUENCE_NUMBER&starting-sequence-number=0x1`,
    ],
    ['shard-iterator-type', `/streams/${STREAM}/sharditerator?shard-id=s&shard-iterator-type=SIDEWAYS`],
    ['limit', `/streams/${STREAM}/records?limit=010`],
    ['limit', `/streams/${STREAM}/records?limit=abc`],
  ])('%s: %s', async (name, path) => {
    const res = await client.get<{ error: string; message: string }>(path, { headers: { 'Shard-Iterator': 'it' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'BadRequestParameters',
      message: expect.stringContaining(`The query parameter ${name} must be`),
    });
    expect(res.text).not.toMatch(/java|com\.amazon|Serialization/i);
  });
});

describe('a malformed JSON body is a 400 whose body is valid JSON', () => {
  let client: ApiClient;
  beforeAll(async () => {
    client = await gateway();
  });

  test.each([
    ['a bare word', Buffer.from('{"data": x}')],
    ['a byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"data": "x"}')])],
    ['a gzip body', gzipSync(Buffer.from('{"data": "x"}'))],
    ['quotes and backslashes', Buffer.from('{"data": "a\\"b\\\\", "partitionKey": 1}')],
  ])('%s', async (_, rawBody) => {
    const before = stub.calls.length;
    const res = await client.request('PUT', `/streams/${STREAM}/record`, {
      rawBody,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ error: 'BadRequestBody', message: 'Invalid request body' });
    expect(stub.calls.length).toBe(before);
  });
});

test.each(['apiKey', 'iam', 'none'])(
  'auth %s: an unknown stream is 404 NotFound and never reaches Kinesis',
  async (auth) => {
    const credentials = { accessKeyId: 'LOCALKEY', secretAccessKey: 'local-secret' };
    const client = await gateway({ auth }, auth === 'iam' ? { iamCredentials: credentials } : {});
    const before = stub.calls.length;
    for (const path of [
      '/streams/other',
      '/streams/other/shards',
      '/streams/..%2Fevents/shards',
      '/streams/%E2%98%83/records',
      `/streams/${STREAM.toUpperCase()}/shards`,
    ]) {
      const url = new URL(`${client.baseUrl}${path}`);
      let headers: Record<string, string> = {};
      if (auth === 'iam') {
        const signer = new SignatureV4({
          service: 'execute-api',
          region: 'us-east-1',
          credentials,
          sha256: Hash.bind(null, 'sha256'),
        });
        const signed = await signer.sign({
          method: 'GET',
          protocol: 'http:',
          hostname: url.hostname,
          port: Number(url.port),
          path: url.pathname,
          query: {},
          headers: { host: url.host },
        });
        headers = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name !== 'host')) as Record<
          string,
          string
        >;
      }
      const res = await client.get(path, { headers });
      expect([path, res.status, res.body]).toEqual([path, 404, { error: 'NotFound', message: expect.any(String) }]);
    }
    expect(stub.calls.length).toBe(before);
  },
);

test("a body over 10 MB gets API Gateway's own 413 answer, before any check of the key", async () => {
  const client = await gateway();
  const res = await client.request('PUT', `/streams/${STREAM}/records`, {
    noKey: true,
    rawBody: Buffer.alloc(10 * 1024 * 1024 + 1, 0x20),
    headers: { 'content-type': 'application/json' },
  });
  expect(res.status).toBe(413);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(res.text).toBe('HTTP content length exceeded 10485760 bytes.');
});

describe('CORS', () => {
  const origin = 'https://app.example.com';
  let client: ApiClient;
  beforeAll(async () => {
    client = await gateway({ corsAllowOrigin: origin });
  });

  test('a preflight is answered without an API key', async () => {
    const res = await client.request('OPTIONS', `/streams/${STREAM}/record`, {
      noKey: true,
      headers: { origin, 'access-control-request-method': 'PUT' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(res.headers.get('access-control-allow-methods')).toBe('PUT,OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toContain('X-Api-Key');
  });

  test('successes, Kinesis errors and gateway errors all carry the origin', async () => {
    stub.answer('PutRecord', { status: 200, body: { ShardId: 'shardId-000000000000', SequenceNumber: '7' } });
    const ok = await client.put(`/streams/${STREAM}/record`, { data: 'x' });
    stub.answer('PutRecord', {
      status: 400,
      body: { __type: 'ProvisionedThroughputExceededException', message: 'slow down' },
    });
    const throttled = await client.put(`/streams/${STREAM}/record`, { data: 'x' });
    const noKey = await client.get('/streams', { noKey: true });
    expect([ok.status, throttled.status, noKey.status]).toEqual([200, 429, 403]);
    for (const res of [ok, throttled, noKey]) {
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-expose-headers')).toContain('x-amzn-RequestId');
    }
  });
});

test('IAM auth with CORS: a preflight needs no signature', async () => {
  const origin = 'https://app.example.com';
  const client = await gateway(
    { auth: 'iam', corsAllowOrigin: origin },
    { iamCredentials: { accessKeyId: 'LOCALKEY', secretAccessKey: 'local-secret' } },
  );
  const res = await client.request('OPTIONS', `/streams/${STREAM}/records`, {
    headers: { origin, 'access-control-request-method': 'PUT' },
  });
  expect(res.status).toBe(204);
  expect(res.headers.get('access-control-allow-origin')).toBe(origin);
  expect(res.headers.get('access-control-allow-headers')).toContain('Authorization');
  const unsigned = await client.get(`/streams/${STREAM}`, { headers: { origin } });
  expect(unsigned.status).toBe(404);
});

describe('IAM auth', () => {
  const credentials = { accessKeyId: 'LOCALKEY', secretAccessKey: 'local-secret' };
  let client: ApiClient;
  beforeAll(async () => {
    client = await gateway({ auth: 'iam' }, { iamCredentials: credentials });
  });

  async function signed(secret: string): Promise<Record<string, string>> {
    const url = new URL(`${client.baseUrl}/streams`);
    const signer = new SignatureV4({
      service: 'execute-api',
      region: 'us-east-1',
      credentials: { ...credentials, secretAccessKey: secret },
      sha256: Hash.bind(null, 'sha256'),
    });
    const request = await signer.sign({
      method: 'GET',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: {},
      headers: { host: url.host },
    });
    return Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== 'host')) as Record<
      string,
      string
    >;
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
  // The gateway's clock stands still unless a test moves it: no test waits for tokens to refill.
  let now = Date.UTC(2026, 10, 28, 12);
  const clock = (): number => now;

  test('over the key rate is 429 TooManyRequests with Retry-After; the bucket refills at its rate', async () => {
    const client = await gateway(
      {},
      {
        clock,
        limits: {
          stage: { rateLimit: 100, burstLimit: 100 },
          perKey: { rateLimit: 1, burstLimit: 2 },
          quota: { limit: 1000, period: 'DAY' },
        },
      },
    );
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await client.get('/streams')).status);
    expect(statuses).toEqual([200, 200, 429]);
    const res = await client.get('/streams');
    expect(res.body).toEqual({ error: 'TooManyRequests', message: expect.any(String) });
    expect(res.headers.get('retry-after')).toBe('1');
    now += 1000;
    expect([(await client.get('/streams')).status, (await client.get('/streams')).status]).toEqual([200, 429]);
  });

  test('over the quota is 429 QuotaExceeded until the next period', async () => {
    const client = await gateway(
      {},
      {
        clock,
        limits: {
          stage: { rateLimit: 100, burstLimit: 100 },
          perKey: { rateLimit: 100, burstLimit: 100 },
          quota: { limit: 2, period: 'DAY' },
        },
      },
    );
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await client.get('/streams')).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await client.get('/streams')).body).toEqual({ error: 'QuotaExceeded', message: expect.any(String) });
    now += 24 * 3600 * 1000;
    expect((await client.get('/streams')).status).toBe(200);
  });
});
