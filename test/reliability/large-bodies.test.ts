/**
 * Large bodies are parsed, validated and rendered off the main thread (local/gateway/offload/):
 * other clients are served meanwhile, and the answers are the ones a small body gets. The worker
 * thread loads the TypeScript sources itself, so these tests also prove that it starts under jest.
 * Loopback only, bounded in count.
 */
import { parseConfig } from '../../config/ingest-config';
import { OFFLOAD_ABOVE_BYTES } from '../../local/gateway/offload/body-pool';
import { startLocalApi, type LocalApi } from '../../local/start-local-api';
import { ApiClient, readShard } from '../support/api-client';

const STREAM = 'large';
let api: LocalApi;
let client: ApiClient;

beforeAll(async () => {
  api = await startLocalApi({
    config: parseConfig({ stage: 'rel', streams: [{ name: STREAM, shardCount: 1 }] }),
    port: 0,
    throttle: false,
  });
  client = new ApiClient(api.url, api.apiKey);
});
afterAll(() => api?.close());

const json = { 'content-type': 'application/json' };
const records = `/streams/${STREAM}/records`;

test('during a 9.9 MB batch of 900,000 records, GET /streams is answered before the batch', async () => {
  const batch = Buffer.from(`{"records":[${Array.from({ length: 900_000 }, () => '{"data":0}').join(',')}]}`);
  expect(batch.length).toBeGreaterThan(9_800_000);
  const answered: string[] = [];
  const big = client.request('PUT', records, { rawBody: batch, headers: json }).then((res) => {
    answered.push('batch');
    return res;
  });
  // Ten listings one after another, while the batch is in flight.
  for (let i = 0; i < 10; i += 1) {
    const list = await client.get<{ streams: unknown[] }>('/streams');
    expect(list.status).toBe(200);
    answered.push('list');
  }
  const res = await big;
  expect(answered.indexOf('batch')).toBe(10);
  expect(res.status).toBe(400);
  expect(JSON.parse(res.text)).toEqual({ error: 'Validation', message: expect.stringContaining("'records'") });
}, 60_000);

test('a batch over the threshold is stored as a small one is, its numbers digit for digit', async () => {
  const pad = 'x'.repeat(1000);
  const entries = Array.from(
    { length: 300 },
    (_, i) => `{"data": {"i": ${i}, "big": 12345678901234567890, "small": 0.1, "pad": "${pad}"}, "partitionKey": "k"}`,
  );
  const body = `{"records": [${entries.join(', ')}]}`;
  expect(Buffer.byteLength(body)).toBeGreaterThan(OFFLOAD_ABOVE_BYTES);
  const res = await client.request<{ failedRecordCount: number }>('PUT', records, { rawBody: body, headers: json });
  expect([res.status, res.body.failedRecordCount]).toEqual([200, 0]);
  const read = (await readShard(client, STREAM)).map((r) => Buffer.from(r.data, 'base64').toString('utf8'));
  expect(read).toHaveLength(300);
  expect(read[7]).toBe(`{"i":7,"big":12345678901234567890,"small":0.1,"pad":"${pad}"}`);
}, 60_000);

describe('a large body is refused as a small one is', () => {
  const large = (entry: string): string =>
    `{"records": [${Array.from({ length: Math.ceil((OFFLOAD_ABOVE_BYTES * 1.5) / entry.length) }, () => entry).join(',')}]}`;

  const small = (entry: string): string => `{"records": [${entry}]}`;
  const notUtf8 = (text: string): Buffer => Buffer.concat([Buffer.from(text), Buffer.from([0xff])]);

  test.each([
    ['an entry the schema refuses', (make: typeof large) => make('{"data": "a", "dataBase64": "YQ=="}')],
    ['an entry with neither data nor dataBase64', (make: typeof large) => make('{"partitionKey": "k"}')],
    ['bytes that are not UTF-8', (make: typeof large) => notUtf8(make('{"data": "a"}'))],
    ['JSON that does not parse', (make: typeof large) => `${make('{"data": "a"}')},`],
    ['a number beyond a double', (make: typeof large) => make('{"data": {"n": 1e400}}')],
  ])('%s', async (_name, body) => {
    const one = await client.request('PUT', records, { rawBody: body(small), headers: json });
    const many = await client.request('PUT', records, { rawBody: body(large), headers: json });
    expect(one.status).toBe(400);
    expect([many.status, JSON.parse(many.text)]).toEqual([one.status, JSON.parse(one.text)]);
  });

  test('nothing of the refused bodies was stored', async () => {
    expect(await readShard(client, STREAM)).toHaveLength(300);
  });
});
