/**
 * IngestClient against the local gateway, in front of a Kinesis that throttles: whole requests
 * refused (429 from the gateway), Kinesis faults (502), and single entries refused in 200 answers.
 * Every record put is read back exactly once and in order per key; a 400 is not retried; close()
 * waits for everything. Waits are injected, so no test sleeps for real.
 */
import { loadConfig, type IngestConfig } from '../../config/ingest-config';
import { startEmbeddedKinesis, type KinesisBackend } from '../../local/kinesis';
import { startLocalApi, type LocalApi } from '../../local/start-local-api';
import type { AccessLogEntry } from '../../local/gateway/gateway';
import { IngestClient, IngestError, type IngestStats, type PutTicket } from '../../client';
import { ApiClient, readShard, type ReadRecord } from '../support/api-client';
import { startThrottlingKinesis, type ThrottlingKinesis } from './throttling-kinesis';
import { startTcpForwarder } from '../support/tcp-forwarder';

const base = loadConfig();
// The throttling under test is Kinesis's; the gateway's own limits are raised out of the way, since
// the client's injected waits make its retries immediate (its 429s are tested in test/e2e).
const limits = { rateLimit: 10_000, burstLimit: 5_000 };
const config: IngestConfig = {
  ...base,
  throttle: limits,
  usagePlan: { ...base.usagePlan, throttle: limits },
  streams: base.streams.map((s) => ({ ...s, shardCount: 2 })),
};
const STREAM = config.streams[0].name;
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

let kinesis: KinesisBackend;
let proxy: ThrottlingKinesis;
let api: LocalApi;
const log: AccessLogEntry[] = [];

beforeAll(async () => {
  kinesis = await startEmbeddedKinesis({ streams: config.streams });
  proxy = await startThrottlingKinesis(kinesis.endpoint, {
    throttleRequest: (n) => n % 5 === 2,
    failRequest: (n) => n % 7 === 3,
    throttleEntry: (n, i) => (n + i) % 4 === 0,
  });
  api = await startLocalApi({
    config,
    port: 0,
    backend: { kind: 'endpoint', endpoint: proxy.endpoint, region: kinesis.region },
    accessLog: (entry) => log.push(entry),
  });
}, 60_000);

afterAll(async () => {
  await api?.close();
  await proxy?.close();
  await kinesis?.close();
});

const client = (overrides: Partial<ConstructorParameters<typeof IngestClient>[0]> = {}): IngestClient =>
  new IngestClient({
    url: api.url,
    auth: { apiKey: api.apiKey as string },
    stream: STREAM,
    sleep: tick,
    backoff: { maxAttempts: 50 },
    ...overrides,
  });

async function readAll(): Promise<ReadRecord[]> {
  const reader = new ApiClient(api.url, api.apiKey);
  const shards = await reader.get<{ shards: Array<{ shardId: string }> }>(`/streams/${STREAM}/shards`);
  const all: ReadRecord[] = [];
  for (const shard of shards.body.shards) all.push(...(await readShard(reader, STREAM, shard.shardId)));
  return all;
}

describe('IngestClient through the gateway, with Kinesis throttling', () => {
  it('stores every record exactly once, in order per key, resending only what failed', async () => {
    const before = { ...proxy.counts };
    const stats: IngestStats[] = [];
    const producer = client({ maxBufferedRecords: 300, maxInFlightRequests: 3, onStats: (s) => stats.push(s) });
    const KEYS = 40;
    const PER_PRODUCER = 300;
    // Four producers, each writing its own keys' sequences; put() waits when 300 are buffered.
    const producers = [0, 1, 2, 3].map(async (p) => {
      for (let i = 0; i < PER_PRODUCER; i += 1) {
        const key = `k-${p}-${i % (KEYS / 4)}`;
        await producer.put({ data: { run: 'order', key, n: Math.floor(i / (KEYS / 4)) }, partitionKey: key });
      }
    });
    await Promise.all(producers);
    await producer.close();

    const total = 4 * PER_PRODUCER;
    expect(producer.stats()).toMatchObject({ sent: total, failed: 0, buffered: 0, inFlightRequests: 0 });
    expect(producer.stats().retried).toBeGreaterThan(0);
    // The faults did happen: whole requests refused or failed, single entries refused.
    expect(proxy.counts.throttledRequests).toBeGreaterThan(before.throttledRequests);
    expect(proxy.counts.failedRequests).toBeGreaterThan(before.failedRequests);
    expect(proxy.counts.throttledEntries).toBeGreaterThan(before.throttledEntries);
    expect(log.some((e) => e.status === 429)).toBe(true);
    expect(log.some((e) => e.status === 502)).toBe(true);
    // Back-pressure held: never more than 300 buffered.
    expect(Math.max(...stats.map((s) => s.buffered))).toBeLessThanOrEqual(300);

    const read = (await readAll())
      .map((r) => ({
        ...r,
        value: JSON.parse(Buffer.from(r.data, 'base64').toString('utf8')) as { run: string; key: string; n: number },
      }))
      .filter((r) => r.value.run === 'order');
    expect(read).toHaveLength(total);
    const byKey = new Map<string, number[]>();
    for (const r of read) {
      expect(r.partitionKey).toBe(r.value.key);
      byKey.set(r.value.key, [...(byKey.get(r.value.key) ?? []), r.value.n]);
    }
    expect(byKey.size).toBe(KEYS);
    for (const ns of byKey.values()) expect(ns).toEqual(Array.from({ length: PER_PRODUCER / (KEYS / 4) }, (_, i) => i));
  });

  it('does not retry a 400: the record fails with the API error', async () => {
    const before = log.length;
    // The client allows 2 MiB records; the stream takes 1 MiB, which the gateway enforces.
    const producer = client({ maxRecordBytes: 2 * 1024 * 1024 });
    const ticket = await producer.put({ data: 'x'.repeat(1536 * 1024), partitionKey: 'too-big' });
    const outcome = ticket.delivered();
    await expect(producer.close()).rejects.toBeInstanceOf(IngestError);
    const error = await outcome.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect(error).toMatchObject({ status: 400, retryable: false, attempts: 1 });
    expect((error as IngestError).code).toMatch(/^[A-Za-z]+$/);
    expect((error as IngestError).message.length).toBeGreaterThan(0);
    expect(producer.stats()).toMatchObject({ requests: 1, sent: 0, retried: 0, failed: 1 });
    expect(
      log
        .slice(before)
        .filter((e) => e.httpMethod === 'PUT')
        .map((e) => e.status),
    ).toEqual([400]);
  });

  it('surfaces a wrong API key as a 403 without retrying', async () => {
    const producer = new IngestClient({ url: api.url, auth: { apiKey: 'not-the-key' }, stream: STREAM, sleep: tick });
    const ticket = await producer.put({ data: { n: 1 }, partitionKey: 'k' });
    const outcome = ticket.delivered().catch((e: unknown) => e);
    await expect(producer.close()).rejects.toMatchObject({ status: 403, code: 'InvalidApiKey' });
    expect(await outcome).toMatchObject({ status: 403 });
    expect(producer.stats()).toMatchObject({ requests: 1, retried: 0, failed: 1 });
  });

  it('resends a request whose connection dropped: every record stored, in order per key', async () => {
    const gateway = new URL(api.url);
    const forwarder = await startTcpForwarder(gateway.origin);
    const release = proxy.hold();
    try {
      const producer = client({ url: `${forwarder.endpoint}${gateway.pathname}` });
      const tickets: PutTicket[] = [];
      for (let i = 0; i < 20; i += 1) tickets.push(await producer.put({ data: { i }, partitionKey: `d-${i % 4}` }));
      const closing = producer.close();
      const reached = async (count: number): Promise<void> => {
        while (proxy.counts.putRecordsRequests < count) await tick();
      };
      const before = proxy.counts.putRecordsRequests;
      // The first request reached Kinesis (held there); its connection is reset before the answer.
      await reached(before + 1);
      forwarder.forwardTo(gateway.origin);
      // A second request while the first is held can only be its resend.
      await reached(before + 2);
      release();
      await closing;
      expect(producer.stats()).toMatchObject({ sent: 20, failed: 0 });
      expect(producer.stats().retried).toBeGreaterThanOrEqual(4);
      // Each key's records were stored in put order: Kinesis numbers a shard's records in write order.
      const results = await Promise.all(tickets.map((t) => t.delivered()));
      for (let key = 0; key < 4; key += 1) {
        const ofKey = results.filter((_, i) => i % 4 === key);
        expect(new Set(ofKey.map((r) => r.shardId)).size).toBe(1);
        const sequences = ofKey.map((r) => BigInt(r.sequenceNumber));
        expect(sequences).toEqual([...sequences].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
        expect(new Set(sequences).size).toBe(sequences.length);
      }
    } finally {
      release();
      await forwarder.close();
    }
  });

  it('close() resolves only once every record is stored', async () => {
    const release = proxy.hold();
    const producer = client();
    for (let i = 0; i < 50; i += 1) await producer.put({ data: `held ${i}`, partitionKey: `h-${i % 5}` });
    let closed = false;
    const closing = producer.close().then(() => {
      closed = true;
    });
    for (let i = 0; i < 50; i += 1) await tick();
    expect(closed).toBe(false);
    expect(producer.stats().buffered).toBe(50);
    await expect(producer.put({ data: 'late', partitionKey: 'h-0' })).rejects.toMatchObject({ code: 'ClientClosed' });
    release();
    await closing;
    expect(producer.stats()).toMatchObject({ sent: 50, failed: 0, buffered: 0 });
  });
});
