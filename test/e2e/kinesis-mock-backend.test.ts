/**
 * A smaller walk against the kinesis-mock backend (the kinesis-local package, closer to the real
 * service than kinesalite), so that both backends keep working with the same templates.
 * Also its request limits: kinesis-mock on its own stores a 501-record batch and makes a record
 * over 1 MiB a failed entry; through the local gateway it answers as Kinesis does, since the limits
 * are checked before any backend sees the call. Nothing refused is written. (One kinesis-mock
 * process serves both, on a stream each.)
 */
import { parseConfig } from '../../config/ingest-config';
import { startLocalApi, type LocalApi } from '../../local/start-local-api';
import { ApiClient, readShard } from '../support/api-client';
import { outsideStreamIterator } from '../support/outside-stream';

const STREAM = 'mock-events';
const LIMITS_STREAM = 'mock-limits';
let api: LocalApi;
let client: ApiClient;

beforeAll(async () => {
  api = await startLocalApi({
    config: parseConfig({ stage: 'mock', streams: [{ name: STREAM }, { name: LIMITS_STREAM }] }),
    port: 0,
    throttle: false,
    backend: { kind: 'kinesis-mock' },
  });
  client = new ApiClient(api.url, api.apiKey);
}, 60_000);
afterAll(() => api?.close());

test('the backend is kinesis-mock', () => {
  expect(api.backend.kind).toBe('kinesis-mock');
});

test('describe and list shards', async () => {
  const described = await client.get(`/streams/${STREAM}`);
  expect(described.status).toBe(200);
  expect(described.body).toMatchObject({ name: STREAM, status: 'ACTIVE', mode: 'PROVISIONED', openShardCount: 1 });
  const shards = await client.get<{ shards: Array<{ shardId: string }> }>(`/streams/${STREAM}/shards`);
  expect(shards.body.shards.map((s) => s.shardId)).toEqual(['shardId-000000000000']);
});

test('what is put is read back, one at a time and in a batch', async () => {
  const binary = Buffer.from([0, 1, 2, 254, 255]);
  for (const body of [{ data: 'text "quoted"' }, { data: { n: 1 } }, { dataBase64: binary.toString('base64') }]) {
    expect((await client.put(`/streams/${STREAM}/record`, { ...body, partitionKey: 'k' })).status).toBe(200);
  }
  const batch = await client.put<{ failedRecordCount: number }>(`/streams/${STREAM}/records`, {
    records: Array.from({ length: 50 }, (_, i) => ({ data: { i }, partitionKey: 'k' })),
  });
  expect(batch.status).toBe(200);
  expect(batch.body.failedRecordCount).toBe(0);

  const read = (await readShard(client, STREAM)).map((r) => Buffer.from(r.data, 'base64'));
  expect(read.slice(0, 3)).toEqual([Buffer.from('text "quoted"'), Buffer.from('{"n":1}'), binary]);
  expect(read.slice(3).map((b) => JSON.parse(b.toString()) as { i: number })).toEqual(
    Array.from({ length: 50 }, (_, i) => ({ i })),
  );
}, 60_000);

test('an unknown shard is 404 from Kinesis', async () => {
  const res = await client.get(`/streams/${STREAM}/sharditerator?shard-id=shardId-000000000007`);
  expect(res.status).toBe(404);
  expect(res.body).toMatchObject({ error: 'ResourceNotFound' });
});

test("another stream's shard iterator is denied, as the role denies it in the cloud", async () => {
  const iterator = await outsideStreamIterator(api.backend, 'secret');
  const res = await client.get(`/streams/${STREAM}/records`, { headers: { 'Shard-Iterator': iterator } });
  expect(res.status).toBe(403);
  expect(JSON.parse(res.text)).toEqual({
    error: 'AccessDenied',
    message: expect.stringContaining('kinesis:GetRecords'),
  });
  expect(res.text).not.toContain(Buffer.from('secret').toString('base64'));
  // The configured stream's own iterators, and the ones each read hands on, still read.
  expect((await readShard(client, STREAM)).length).toBeGreaterThan(0);
}, 60_000);

test('kinesis-mock answers 501 records, an oversized record and an oversized batch as Kinesis does, and stores none of them', async () => {
  const many = await client.put(`/streams/${LIMITS_STREAM}/records`, {
    records: Array.from({ length: 501 }, (_, i) => ({ data: i })),
  });
  expect([many.status, JSON.parse(many.text)]).toEqual([
    400,
    { error: 'Validation', message: expect.stringContaining("'records'") },
  ]);

  const big = { dataBase64: Buffer.alloc(1024 * 1024, 1).toString('base64'), partitionKey: 'k' };
  const oneBig = await client.put(`/streams/${LIMITS_STREAM}/records`, { records: [{ data: 'small' }, big] });
  expect([oneBig.status, JSON.parse(oneBig.text)]).toEqual([
    400,
    { error: 'Validation', message: expect.stringContaining("'records.2.member.data'") },
  ]);

  const each = Math.ceil((5.05 * 1024 * 1024) / 6);
  const heavy = await client.put(`/streams/${LIMITS_STREAM}/records`, {
    records: Array.from({ length: 6 }, () => ({
      dataBase64: Buffer.alloc(each, 1).toString('base64'),
      partitionKey: 'k',
    })),
  });
  expect([heavy.status, JSON.parse(heavy.text)]).toEqual([
    400,
    { error: 'InvalidArgument', message: 'Records size exceeds 5 MB limit' },
  ]);

  expect(await readShard(client, LIMITS_STREAM)).toEqual([]);
}, 60_000);
