/**
 * Stages on the local gateway, as `npm start -- --stage <name>` runs them: the stage's own settings
 * from cdk.json, its Kinesis stream names behind the API names, and an existing stream served
 * under its configured name.
 */
import { loadConfig, parseConfig } from '../../config/ingest-config';
import { createKinesisCaller } from '../../local/integration';
import { startLocalApi, type LocalApi } from '../../local/start-local-api';
import { ApiClient, readShard } from '../support/api-client';

/** Asks the backend itself whether a Kinesis stream of that name exists. */
async function kinesisHasStream(api: LocalApi, name: string): Promise<boolean> {
  const caller = createKinesisCaller();
  try {
    const answer = await caller.call({
      endpoint: api.backend.endpoint,
      region: api.backend.region,
      action: 'DescribeStreamSummary',
      body: JSON.stringify({ StreamName: name }),
      timeoutMs: 10_000,
    });
    return answer.status === 200;
  } finally {
    caller.close();
  }
}

describe('an existing stream, served under its configured name', () => {
  const STREAM_ARN = 'arn:aws:kinesis:eu-west-1:111122223333:stream/orders-main';
  let api: LocalApi;
  let client: ApiClient;

  beforeAll(async () => {
    api = await startLocalApi({
      config: parseConfig({ stage: 'test', streams: [{ name: 'orders', streamArn: STREAM_ARN }, { name: 'clicks' }] }),
      port: 0,
      throttle: false,
    });
    client = new ApiClient(api.url, api.apiKey);
  });
  afterAll(() => api?.close());

  test('locally, the stream is created under the name in its ARN, and only that name', async () => {
    expect(await kinesisHasStream(api, 'orders-main')).toBe(true);
    expect(await kinesisHasStream(api, 'orders')).toBe(false);
    expect(await kinesisHasStream(api, 'clicks-test')).toBe(true);
  });

  test('the API lists and describes it by its configured name', async () => {
    expect((await client.get('/streams')).body).toEqual({ streams: [{ name: 'orders' }, { name: 'clicks' }] });
    const described = await client.get('/streams/orders');
    expect(described.status).toBe(200);
    expect(described.body).toMatchObject({
      name: 'orders',
      arn: expect.stringMatching(/:stream\/orders-main$/),
      status: 'ACTIVE',
    });
  });

  test('a record written to /streams/orders is read back from it, and from nowhere else', async () => {
    const put = await client.put('/streams/orders/record', { data: 'to the existing stream', partitionKey: 'p' });
    expect(put.status).toBe(200);
    const orders = await readShard(client, 'orders');
    expect(orders.map((r) => Buffer.from(r.data, 'base64').toString('utf8'))).toEqual(['to the existing stream']);
    expect(await readShard(client, 'clicks')).toEqual([]);
  });

  test('its Kinesis name is not an API name', async () => {
    const res = await client.put('/streams/orders-main/record', { data: 'x' });
    expect(res.status).toBe(404);
  });
});

describe("cdk.json's prod stage, as npm start -- --stage prod runs it", () => {
  let api: LocalApi;

  beforeAll(async () => {
    api = await startLocalApi({ config: loadConfig({ stage: 'prod' }), port: 0, throttle: false });
  });
  afterAll(() => api?.close());

  test("serves prod's stage with prod's settings and prod's Kinesis stream", async () => {
    expect(api.url).toMatch(/\/prod$/);
    expect(api.config).toMatchObject({ stage: 'prod', stageKind: 'production', throttle: { rateLimit: 2000 } });
    const client = new ApiClient(api.url, api.apiKey);
    const described = await client.get('/streams/ingest-events');
    expect(described.body).toMatchObject({
      name: 'ingest-events',
      arn: expect.stringMatching(/:stream\/ingest-events-prod$/),
    });
    expect(await kinesisHasStream(api, 'ingest-events-prod')).toBe(true);
  });
});
