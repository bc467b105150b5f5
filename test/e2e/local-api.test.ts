/**
 * The API end to end over HTTP: the local gateway rendering the spec's templates, against the
 * embedded Kinesis. Every operation of the contract, the walk of the original sample with data read
 * back byte for byte, a full 500-record batch, and the error paths the spec defines.
 */
import { randomBytes } from 'node:crypto';
import { parseConfig } from '../../config/ingest-config';
import { startLocalApi, type LocalApi } from '../../local/start-local-api';
import { ApiClient, readShard } from '../support/api-client';

const STREAM = 'e2e-events';
let api: LocalApi;
let client: ApiClient;
const logs: Array<{
  path: string;
  status: number;
  integrationStatus?: number;
  errorType?: string;
  errorMessage?: string;
}> = [];

beforeAll(async () => {
  api = await startLocalApi({
    config: parseConfig({ stage: 'test', streams: [{ name: STREAM }, { name: 'e2e-other' }] }),
    port: 0,
    throttle: false,
    accessLog: (entry) => logs.push(entry),
  });
  client = new ApiClient(api.url, api.apiKey);
});
afterAll(() => api.close());

const decode = (base64: string): Buffer => Buffer.from(base64, 'base64');

describe('every operation of the contract', () => {
  test('GET /streams lists the configured streams only', async () => {
    const res = await client.get('/streams');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ streams: [{ name: STREAM }, { name: 'e2e-other' }] });
  });

  test('GET /streams/{stream-name} describes the stream', async () => {
    const res = await client.get(`/streams/${STREAM}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      name: STREAM,
      // The Kinesis stream behind the API name: <name>-<stage>.
      arn: expect.stringMatching(new RegExp(`^arn:aws:kinesis:[a-z0-9-]+:\\d{12}:stream/${STREAM}-test$`)),
      status: 'ACTIVE',
      mode: 'PROVISIONED',
      openShardCount: 1,
      retentionPeriodHours: 24,
      encryptionType: expect.stringMatching(/^(NONE|KMS)$/),
    });
  });

  test('GET /streams/{stream-name}/shards lists its shards', async () => {
    const res = await client.get<{ shards: Array<Record<string, unknown>> }>(`/streams/${STREAM}/shards`);
    expect(res.status).toBe(200);
    expect(res.body.shards).toEqual([
      {
        shardId: 'shardId-000000000000',
        hashKeyRange: { startingHashKey: '0', endingHashKey: '340282366920938463463374607431768211455' },
        sequenceNumberRange: { startingSequenceNumber: expect.stringMatching(/^\d+$/) },
      },
    ]);
  });

  test('PUT /streams/{stream-name}/record answers the shard and sequence number', async () => {
    const res = await client.put(`/streams/${STREAM}/record`, { data: { event: 'view' }, partitionKey: 'u-1' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ shardId: 'shardId-000000000000', sequenceNumber: expect.stringMatching(/^\d+$/) });
  });

  test('every answer carries a request id', async () => {
    const ok = await client.get('/streams');
    const error = await client.get('/nowhere');
    for (const res of [ok, error]) expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('the walk of the original sample: data read back is data sent', () => {
  const stream = 'e2e-other';
  const binary = randomBytes(64);
  const cases: Array<[string, Record<string, unknown>, Buffer]> = [
    ['a string, stored without quotes', { data: 'plain "quoted" text' }, Buffer.from('plain "quoted" text', 'utf8')],
    [
      'an object, stored as compact JSON',
      { data: { a: 1, b: [true, null, 'x'], c: { d: 'é' } } },
      Buffer.from('{"a":1,"b":[true,null,"x"],"c":{"d":"é"}}', 'utf8'),
    ],
    ['a number', { data: 42.5 }, Buffer.from('42.5')],
    ['unicode text', { data: 'héllo ☃ 𝄞 \u0000 end' }, Buffer.from('héllo ☃ 𝄞 \u0000 end', 'utf8')],
    ['binary bytes', { dataBase64: binary.toString('base64') }, binary],
    ['an empty string', { data: '' }, Buffer.alloc(0)],
  ];

  test('list, put, get an iterator, get records', async () => {
    expect((await client.get('/streams')).status).toBe(200);
    for (const [, body] of cases) {
      const put = await client.put(`/streams/${stream}/record`, { ...body, partitionKey: 'walk' });
      expect([JSON.stringify(body).slice(0, 40), put.status]).toEqual([JSON.stringify(body).slice(0, 40), 200]);
    }
    const records = await readShard(client, stream);
    expect(records).toHaveLength(cases.length);
    records.forEach((record, i) => {
      expect([cases[i][0], decode(record.data)]).toEqual([cases[i][0], cases[i][2]]);
      expect(record.partitionKey).toBe('walk');
      expect(record.approximateArrivalTimestamp).toEqual(expect.any(Number));
    });
  });
});

describe('PutRecords', () => {
  test('a 500-record batch is written whole and read back complete, in order per partition key', async () => {
    const stream = STREAM;
    const before = (await readShard(client, stream)).length;
    const records = Array.from({ length: 500 }, (_, i) => ({
      data: { seq: i, key: `k${i % 7}` },
      partitionKey: `k${i % 7}`,
    }));
    const res = await client.put<{ failedRecordCount: number; records: Array<Record<string, string>> }>(
      `/streams/${stream}/records`,
      { records },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('x-failed-record-count')).toBe('0');
    expect(res.body.failedRecordCount).toBe(0);
    expect(res.body.records).toHaveLength(500);
    for (const entry of res.body.records)
      expect(entry).toEqual({ shardId: 'shardId-000000000000', sequenceNumber: expect.stringMatching(/^\d+$/) });

    const read = (await readShard(client, stream)).slice(before);
    expect(read).toHaveLength(500);
    const byKey = new Map<string, number[]>();
    for (const record of read) {
      const value = JSON.parse(decode(record.data).toString('utf8')) as { seq: number; key: string };
      expect(record.partitionKey).toBe(value.key);
      byKey.set(value.key, [...(byKey.get(value.key) ?? []), value.seq]);
    }
    for (const [key, seqs] of byKey) expect([key, seqs]).toEqual([key, [...seqs].sort((a, b) => a - b)]);
    expect([...byKey.values()].flat().sort((a, b) => a - b)).toEqual(records.map((_, i) => i));
  });

  test('records without a partition key get distinct ones from the request id', async () => {
    const res = await client.put<{ records: unknown[] }>(`/streams/${STREAM}/records`, {
      records: [{ data: 'a' }, { data: 'b' }],
    });
    expect(res.status).toBe(200);
    const read = (await readShard(client, STREAM)).slice(-2);
    const requestId = res.headers.get('x-amzn-requestid');
    expect(read.map((r) => r.partitionKey)).toEqual([`${requestId}-0`, `${requestId}-1`]);
  });
});

describe('error paths', () => {
  test('an unknown stream matches no route: 404 NotFound, and Kinesis is never called', async () => {
    const res = await client.put('/streams/not-configured/record', { data: 'x' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'NotFound', message: expect.any(String) });
    const entry = logs.find((l) => l.path === '/test/streams/not-configured/record');
    expect(entry).toMatchObject({ status: 404, errorType: 'MISSING_AUTHENTICATION_TOKEN' });
    expect(entry?.integrationStatus).toBeUndefined();
  });

  test('an unknown route is 404 NotFound', async () => {
    const res = await client.get('/streams/e2e-events/unknown');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'NotFound', message: expect.any(String) });
  });

  test('a missing API key is 403 InvalidApiKey', async () => {
    const res = await client.get('/streams', { noKey: true });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'InvalidApiKey', message: expect.any(String) });
  });

  test.each([
    ['both data and dataBase64', { data: 'x', dataBase64: 'eA==' }, /exactly one of data and dataBase64, not both/],
    ['neither data nor dataBase64', { partitionKey: 'k' }, /exactly one of data and dataBase64/],
    ['invalid base64', { dataBase64: 'not base64!' }, /dataBase64 must match pattern/],
    ['an empty partition key', { data: 'x', partitionKey: '' }, /partitionKey must NOT have fewer than 1 characters/],
    [
      'a 257-character partition key',
      { data: 'x', partitionKey: 'k'.repeat(257) },
      /partitionKey must NOT have more than 256 characters/,
    ],
    ['a bad explicit hash key', { data: 'x', explicitHashKey: '-1' }, /explicitHashKey must match pattern/],
  ])('PutRecord with %s is 400 BadRequestBody, the reason in the access log', async (_, body, reason) => {
    const res = await client.put<{ error: string; message: string }>(`/streams/${STREAM}/record`, body);
    expect(res.status).toBe(400);
    // API Gateway's own message ($context.error.messageString): validationErrorString is not
    // escaped, so it goes to the access log, not into the JSON body.
    expect(res.body).toEqual({ error: 'BadRequestBody', message: 'Invalid request body' });
    expect(
      logs.find(
        (l) =>
          l.path === `/test/streams/${STREAM}/record` &&
          l.errorType === 'BAD_REQUEST_BODY' &&
          reason.test(l.errorMessage ?? ''),
      ),
    ).toBeDefined();
  });

  test('broken JSON is 400 BadRequestBody', async () => {
    const res = await client.request('PUT', `/streams/${STREAM}/record`, {
      rawBody: '{"data": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'BadRequestBody' });
  });

  test.each([
    ['no records', 0],
    ['501 records', 501],
  ])('PutRecords with %s is 400 from Kinesis, writing nothing', async (_, count) => {
    const before = (await readShard(client, STREAM)).length;
    const res = await client.put<{ error: string; message: string }>(`/streams/${STREAM}/records`, {
      records: Array.from({ length: count }, () => ({ data: 'x' })),
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/^(Validation|InvalidArgument)$/);
    expect((await readShard(client, STREAM)).length).toBe(before);
  });

  test('a body that is not JSON is 415 UnsupportedMediaType', async () => {
    const res = await client.request('PUT', `/streams/${STREAM}/record`, {
      rawBody: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ error: 'UnsupportedMediaType', message: expect.any(String) });
  });

  test("a body over 10 MB is API Gateway's own 413, in plain text", async () => {
    const res = await client.request('PUT', `/streams/${STREAM}/records`, {
      rawBody: Buffer.alloc(10 * 1024 * 1024 + 1, 0x20),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expect(res.text).toBe('HTTP content length exceeded 10485760 bytes.');
  });

  test('a missing shard-id is 400 BadRequestParameters naming it', async () => {
    const res = await client.get(`/streams/${STREAM}/sharditerator`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'BadRequestParameters',
      message: 'Missing required request parameters: [shard-id]',
    });
  });

  test('a missing Shard-Iterator header is 400 BadRequestParameters', async () => {
    const res = await client.get(`/streams/${STREAM}/records`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'BadRequestParameters',
      message: 'Missing required request parameters: [Shard-Iterator]',
    });
  });

  test('an unknown shard is 404 ResourceNotFound from Kinesis', async () => {
    const res = await client.get(`/streams/${STREAM}/sharditerator?shard-id=shardId-000000000009`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'ResourceNotFound', message: expect.stringContaining('shardId-000000000009') });
  });

  test.each([
    ['shard-iterator-type', 'shard-iterator-type=SIDEWAYS'],
    ['timestamp', 'shard-iterator-type=AT_TIMESTAMP&timestamp=abc'],
    ['starting-sequence-number', 'shard-iterator-type=AT_SEQUENCE_NUMBER&starting-sequence-number=-1'],
  ])('a malformed %s is 400 BadRequestParameters naming it, with no Java text', async (name, query) => {
    const res = await client.get(`/streams/${STREAM}/sharditerator?shard-id=shardId-000000000000&${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'BadRequestParameters',
      message: expect.stringContaining(`The query parameter ${name} must be`),
    });
    expect(res.text).not.toMatch(/java|com\.amazon|Serialization/i);
  });

  test('a garbage shard iterator is 400 from Kinesis', async () => {
    const res = await client.get(`/streams/${STREAM}/records`, { headers: { 'Shard-Iterator': 'garbage"\'\\' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: expect.stringMatching(/^(Validation|InvalidArgument)$/),
      message: expect.any(String),
    });
  });

  test.each(['0', '-5', 'abc', '10001', '010', '1e3'])(
    'limit=%s is 400 BadRequestParameters naming it',
    async (limit) => {
      const iterator = await client.get<{ shardIterator: string }>(
        `/streams/${STREAM}/sharditerator?shard-id=shardId-000000000000`,
      );
      const res = await client.get(`/streams/${STREAM}/records?limit=${limit}`, {
        headers: { 'Shard-Iterator': iterator.body.shardIterator },
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: 'BadRequestParameters',
        message: expect.stringContaining('The query parameter limit must be'),
      });
    },
  );

  test("a read returns at most the stream's safe bound of records (7 for 1 MiB records), whatever the limit asked", async () => {
    await client.put(`/streams/${STREAM}/records`, { records: Array.from({ length: 20 }, (_, i) => ({ data: i })) });
    const iterator = await client.get<{ shardIterator: string }>(
      `/streams/${STREAM}/sharditerator?shard-id=shardId-000000000000`,
    );
    const res = await client.get<{ records: unknown[] }>(`/streams/${STREAM}/records?limit=10000`, {
      headers: { 'Shard-Iterator': iterator.body.shardIterator },
    });
    expect(res.status).toBe(200);
    expect(res.body.records).toHaveLength(7);
  });

  test('a stream with fewer than 1000 shards has one page of shards: no nextToken', async () => {
    const first = await client.get<{ shards: unknown[]; nextToken?: string }>(`/streams/${STREAM}/shards`);
    expect(first.status).toBe(200);
    expect(first.body.shards.length).toBeGreaterThan(0);
    expect(first.body.nextToken).toBeUndefined();
  });
});
