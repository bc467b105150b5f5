/**
 * Numbers end to end through the local gateway (as `npm start` runs it) and the embedded Kinesis:
 * what is sent is what is stored. API Gateway reads bodies with json-smart, which keeps an
 * integer's digits (Long, BigInteger) and a decimal's value (Double; BigDecimal past 18
 * characters): net.minidev.json.parser.JSONParserBase, parseNumber/extractFloat.
 */
import { parseConfig } from '../../config/ingest-config';
import { startLocalApi, type LocalApi } from '../../local/start-local-api';
import { ApiClient, readShard } from '../support/api-client';

const STREAM = 'numbers';
let api: LocalApi;
let client: ApiClient;
/** The reason of a 400 is in the access log (the answer's body is the spec's gateway response). */
const reasons: string[] = [];

beforeAll(async () => {
  api = await startLocalApi({
    config: parseConfig({ stage: 'test', streams: [{ name: STREAM }] }),
    port: 0,
    throttle: false,
    accessLog: (entry) => reasons.push(entry.errorMessage ?? ''),
  });
  client = new ApiClient(api.url, api.apiKey);
});
afterAll(() => api.close());

const stored = (base64: string): string => Buffer.from(base64, 'base64').toString('utf8');

test('big integers and decimals keep their digits through PutRecord and PutRecords', async () => {
  const data = '{"a":9007199254740993,"b":12345678901234567890,"c":0.1}';
  const one = await client.put(`/streams/${STREAM}/record`, undefined, {
    rawBody: `{"data": {"a": 9007199254740993, "b": 12345678901234567890, "c": 0.1}, "partitionKey": "n"}`,
    headers: { 'content-type': 'application/json' },
  });
  expect(one.status).toBe(200);
  const batch = await client.put(`/streams/${STREAM}/records`, undefined, {
    rawBody: `{"records": [{"data": ${data}, "partitionKey": "n"}, {"data": -12345678901234567890123, "partitionKey": "n"}]}`,
    headers: { 'content-type': 'application/json' },
  });
  expect(batch.status).toBe(200);
  const records = await readShard(client, STREAM);
  expect(records.map((r) => stored(r.data))).toEqual([data, data, '-12345678901234567890123']);
});

test('a number beyond the range of a double (1e400) is refused with a 400 and nothing is written', async () => {
  const before = (await readShard(client, STREAM)).length;
  const res = await client.put(`/streams/${STREAM}/record`, undefined, {
    rawBody: '{"data": {"x": 1e400}, "partitionKey": "n"}',
    headers: { 'content-type': 'application/json' },
  });
  expect(res.status).toBe(400);
  expect(reasons[reasons.length - 1]).toContain('1e400 is beyond the range of a double');
  expect((await readShard(client, STREAM)).length).toBe(before);
});

test('a body nested 5,000 levels deep is refused with a 400, not a crash', async () => {
  const deep = `{"data": ${'['.repeat(5000)}${']'.repeat(5000)}, "partitionKey": "n"}`;
  for (const path of ['record', 'records']) {
    const body = path === 'record' ? deep : `{"records": [${deep}]}`;
    const res = await client.put(`/streams/${STREAM}/${path}`, undefined, {
      rawBody: body,
      headers: { 'content-type': 'application/json' },
    });
    expect([path, res.status]).toEqual([path, 400]);
    expect(reasons[reasons.length - 1]).toContain('deeper than 400 levels');
  }
  // Within json-smart's limit, a deep value is stored as sent.
  const nested = `${'['.repeat(300)}1${']'.repeat(300)}`;
  const ok = await client.put(`/streams/${STREAM}/record`, undefined, {
    rawBody: `{"data": ${nested}, "partitionKey": "n"}`,
    headers: { 'content-type': 'application/json' },
  });
  expect(ok.status).toBe(200);
  const records = await readShard(client, STREAM);
  expect(stored(records[records.length - 1].data)).toBe(nested);
});
