/**
 * kinesis-mock on its own stores a 501-record batch and makes a record over 1 MiB a failed entry;
 * through the local gateway it answers as Kinesis does, since the limits are checked before any
 * backend sees the call. Nothing refused is written.
 */
import { parseConfig } from '../../config/ingest-config';
import { startLocalApi, type LocalApi } from '../../local/start-local-api';
import { ApiClient, readShard } from '../support/api-client';

const STREAM = 'mock-limits';
let api: LocalApi;
let client: ApiClient;

beforeAll(async () => {
  api = await startLocalApi({ config: parseConfig({ stage: 'rel', streams: [{ name: STREAM }] }), port: 0, throttle: false, backend: { kind: 'kinesis-mock' } });
  client = new ApiClient(api.url, api.apiKey);
}, 60_000);
afterAll(() => api?.close());

test('kinesis-mock answers 501 records, an oversized record and an oversized batch as Kinesis does, and stores none of them', async () => {
  const many = await client.put(`/streams/${STREAM}/records`, { records: Array.from({ length: 501 }, (_, i) => ({ data: i })) });
  expect([many.status, JSON.parse(many.text)]).toEqual([400, { error: 'Validation', message: expect.stringContaining("'records'") }]);

  const big = { dataBase64: Buffer.alloc(1024 * 1024, 1).toString('base64'), partitionKey: 'k' };
  const oneBig = await client.put(`/streams/${STREAM}/records`, { records: [{ data: 'small' }, big] });
  expect([oneBig.status, JSON.parse(oneBig.text)]).toEqual([400, { error: 'Validation', message: expect.stringContaining("'records.2.member.data'") }]);

  const each = Math.ceil((5.05 * 1024 * 1024) / 6);
  const heavy = await client.put(`/streams/${STREAM}/records`, { records: Array.from({ length: 6 }, () => ({ dataBase64: Buffer.alloc(each, 1).toString('base64'), partitionKey: 'k' })) });
  expect([heavy.status, JSON.parse(heavy.text)]).toEqual([400, { error: 'InvalidArgument', message: 'Records size exceeds 5 MB limit' }]);

  expect(await readShard(client, STREAM)).toEqual([]);
}, 60_000);
