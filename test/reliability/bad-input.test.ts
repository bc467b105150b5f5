/**
 * Malformed requests, each with its documented 4xx and JSON error, and nothing written: the
 * stream's record count is the same before and after.
 */
import { parseConfig } from '../../config/ingest-config';
import { startLocalApi, type LocalApi } from '../../local/start-local-api';
import { ApiClient, readShard, type RequestOptions } from '../support/api-client';

const STREAM = 'bad-input';
let api: LocalApi;
let client: ApiClient;

beforeAll(async () => {
  api = await startLocalApi({
    config: parseConfig({ stage: 'rel', streams: [{ name: STREAM }] }),
    port: 0,
    throttle: false,
  });
  client = new ApiClient(api.url, api.apiKey);
});
afterAll(() => api.close());

const record = `/streams/${STREAM}/record`;
const records = `/streams/${STREAM}/records`;
const json = (body: unknown): RequestOptions => ({ body });
const raw = (text: string | Buffer, type = 'application/json'): RequestOptions => ({
  rawBody: text,
  headers: { 'content-type': type },
});
const many = (n: number): RequestOptions => json({ records: Array.from({ length: n }, (_, i) => ({ data: i })) });

type Case = [
  name: string,
  method: string,
  path: string | (() => Promise<string>),
  options: RequestOptions,
  status: number,
  error: RegExp,
];

const CASES: Case[] = [
  ['broken JSON', 'PUT', record, raw('{"data": '), 400, /^BadRequestBody$/],
  ['a JSON array body', 'PUT', record, raw('[1,2]'), 400, /^BadRequestBody$/],
  ['a JSON string body', 'PUT', record, raw('"data"'), 400, /^BadRequestBody$/],
  ['an empty body', 'PUT', record, raw(''), 400, /^BadRequestBody$/],
  ['both data and dataBase64', 'PUT', record, json({ data: 'a', dataBase64: 'YQ==' }), 400, /^BadRequestBody$/],
  ['neither data nor dataBase64', 'PUT', record, json({ partitionKey: 'k' }), 400, /^BadRequestBody$/],
  ['dataBase64 not a string', 'PUT', record, json({ dataBase64: 12 }), 400, /^BadRequestBody$/],
  ['invalid base64', 'PUT', record, json({ dataBase64: 'abc' }), 400, /^BadRequestBody$/],
  ['base64 with a bad character', 'PUT', record, json({ dataBase64: 'ab*d' }), 400, /^BadRequestBody$/],
  ['a partition key that is a number', 'PUT', record, json({ data: 'a', partitionKey: 5 }), 400, /^BadRequestBody$/],
  ['an empty partition key', 'PUT', record, json({ data: 'a', partitionKey: '' }), 400, /^BadRequestBody$/],
  [
    'a 257-character partition key',
    'PUT',
    record,
    json({ data: 'a', partitionKey: 'p'.repeat(257) }),
    400,
    /^BadRequestBody$/,
  ],
  [
    'an explicit hash key with letters',
    'PUT',
    record,
    json({ data: 'a', explicitHashKey: '12a' }),
    400,
    /^BadRequestBody$/,
  ],
  [
    'an explicit hash key with 40 digits',
    'PUT',
    record,
    json({ data: 'a', explicitHashKey: '1'.repeat(40) }),
    400,
    /^BadRequestBody$/,
  ],
  [
    'a record over 1 MiB',
    'PUT',
    record,
    json({ data: 'x'.repeat(1024 * 1024 + 10) }),
    400,
    /^(Validation|InvalidArgument)$/,
  ],
  ['records not a list', 'PUT', records, json({ records: { data: 'a' } }), 400, /^BadRequestBody$/],
  ['no records key', 'PUT', records, json({ data: 'a' }), 400, /^BadRequestBody$/],
  ['0 records', 'PUT', records, many(0), 400, /^(Validation|InvalidArgument)$/],
  ['501 records', 'PUT', records, many(501), 400, /^(Validation|InvalidArgument)$/],
  [
    'one bad entry among good ones',
    'PUT',
    records,
    json({ records: [{ data: 'ok' }, { data: 'x', dataBase64: 'eA==' }] }),
    400,
    /^BadRequestBody$/,
  ],
  ['text/plain', 'PUT', record, raw('{"data":"a"}', 'text/plain'), 415, /^UnsupportedMediaType$/],
  ['form encoding', 'PUT', record, raw('data=a', 'application/x-www-form-urlencoded'), 415, /^UnsupportedMediaType$/],
  ['an unknown stream', 'PUT', '/streams/unknown-stream/record', json({ data: 'a' }), 404, /^NotFound$/],
  ['a stream name with ..', 'PUT', `/streams/..%2F${STREAM}/record`, json({ data: 'a' }), 404, /^NotFound$/],
  ['a stream name with %2F', 'PUT', `/streams/${STREAM}%2Fx/record`, json({ data: 'a' }), 404, /^NotFound$/],
  ['a stream name with unicode', 'PUT', '/streams/str%C3%A9am/record', json({ data: 'a' }), 404, /^NotFound$/],
  ['a stream name with /', 'PUT', `/streams/${STREAM}/x/record`, json({ data: 'a' }), 404, /^NotFound$/],
  [
    'a stream name in another case',
    'PUT',
    `/streams/${STREAM.toUpperCase()}/record`,
    json({ data: 'a' }),
    404,
    /^NotFound$/,
  ],
  ['a method the path does not have', 'POST', record, json({ data: 'a' }), 404, /^NotFound$/],
  ['a missing API key', 'PUT', record, { body: { data: 'a' }, noKey: true }, 403, /^InvalidApiKey$/],
  [
    'a wrong API key',
    'PUT',
    record,
    { body: { data: 'a' }, noKey: true, headers: { 'x-api-key': 'wrong' } },
    403,
    /^InvalidApiKey$/,
  ],
  [
    'a bad iterator type',
    'GET',
    `/streams/${STREAM}/sharditerator?shard-id=shardId-000000000000&shard-iterator-type=NEWEST`,
    {},
    400,
    /^BadRequestParameters$/,
  ],
  [
    'AT_SEQUENCE_NUMBER without a number',
    'GET',
    `/streams/${STREAM}/sharditerator?shard-id=shardId-000000000000&shard-iterator-type=AT_SEQUENCE_NUMBER`,
    {},
    400,
    /^(Validation|InvalidArgument)$/,
  ],
  ['a missing shard-id', 'GET', `/streams/${STREAM}/sharditerator`, {}, 400, /^BadRequestParameters$/],
  [
    'an unknown shard',
    'GET',
    `/streams/${STREAM}/sharditerator?shard-id=shardId-000000000042`,
    {},
    404,
    /^ResourceNotFound$/,
  ],
  [
    'a garbage iterator',
    'GET',
    records,
    { headers: { 'Shard-Iterator': 'garbage' } },
    400,
    /^(Validation|InvalidArgument)$/,
  ],
  ['a missing iterator', 'GET', records, {}, 400, /^BadRequestParameters$/],
  ['a negative limit', 'GET', async () => `${records}?limit=-1`, {}, 400, /^BadRequestParameters$/],
  ['a huge limit', 'GET', async () => `${records}?limit=99999999999`, {}, 400, /^BadRequestParameters$/],
];

test("a body over 10 MB gets API Gateway's own 413, in plain text (it cannot be customized), and writes nothing", async () => {
  const res = await client.request('PUT', records, raw(Buffer.alloc(10 * 1024 * 1024 + 100, 0x20)));
  expect(res.status).toBe(413);
  expect(res.text).toBe('HTTP content length exceeded 10485760 bytes.');
});

test('there are at least 30 distinct malformed requests', () => {
  expect(new Set(CASES.map((c) => c[0])).size).toBeGreaterThanOrEqual(30);
});

describe('each malformed request gets its 4xx and JSON error, and writes nothing', () => {
  let before: number;
  let iterator: string;
  beforeAll(async () => {
    await client.put(record, { data: 'seed' });
    before = (await readShard(client, STREAM)).length;
    iterator = (
      await client.get<{ shardIterator: string }>(`/streams/${STREAM}/sharditerator?shard-id=shardId-000000000000`)
    ).body.shardIterator;
  });
  afterAll(async () => {
    expect((await readShard(client, STREAM)).length).toBe(before);
  });

  test.each(CASES)('%s', async (_, method, path, options, status, error) => {
    const target = typeof path === 'string' ? path : await path();
    const withIterator =
      typeof path === 'string'
        ? options
        : { ...options, headers: { ...(options.headers ?? {}), 'Shard-Iterator': iterator } };
    const res = await client.request<{ error: string; message: string }>(method, target, withIterator);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: expect.stringMatching(error), message: expect.any(String) });
    expect(res.body.message.length).toBeGreaterThan(0);
  });
});
