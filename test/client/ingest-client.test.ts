/**
 * IngestClient's batching, ordering, retry timing and back-pressure, against a scripted API (a fetch
 * that answers as the gateway does), with injected waits and randomness.
 */
import {
  createIngestApi,
  IngestClient,
  kinesisRecordBytes,
  fullJitterDelay,
  retryAfterMs,
  DEFAULT_BACKOFF,
  type IngestClientOptions,
  type IngestRecord,
} from '../../client';

interface Sent {
  readonly records: IngestRecord[];
}

type Answer = (sent: Sent, n: number) => Response | Promise<Response>;

const ok = (sent: Sent): Response =>
  Response.json({
    failedRecordCount: 0,
    records: sent.records.map((_, i) => ({ shardId: 'shardId-000000000000', sequenceNumber: String(1000 + i) })),
  });

function scripted(answer: Answer = ok): {
  fetch: typeof fetch;
  requests: Sent[];
  inFlight: () => number;
  maxInFlight: () => number;
} {
  const requests: Sent[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fake = async (input: Request | string | URL): Promise<Response> => {
    const request = input as Request;
    const sent = JSON.parse(await request.text()) as Sent;
    requests.push(sent);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      return await answer(sent, requests.length);
    } finally {
      inFlight -= 1;
    }
  };
  return { fetch: fake as typeof fetch, requests, inFlight: () => inFlight, maxInFlight: () => maxInFlight };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function clientOn(fake: { fetch: typeof fetch }, options: Partial<IngestClientOptions> = {}): IngestClient {
  return new IngestClient({
    url: 'http://api.test/dev',
    auth: { apiKey: 'k' },
    stream: 'ingest-events',
    fetch: fake.fetch,
    sleep: tick,
    ...options,
  });
}

describe('kinesisRecordBytes', () => {
  it('counts data as stored plus the partition key, as Kinesis does', () => {
    expect(kinesisRecordBytes({ data: 'héllo', partitionKey: 'ké' })).toBe(6 + 3);
    expect(kinesisRecordBytes({ data: { a: [1, 2] }, partitionKey: 'k' })).toBe('{"a":[1,2]}'.length + 1);
    expect(kinesisRecordBytes({ dataBase64: Buffer.alloc(300).toString('base64'), partitionKey: 'kk' })).toBe(302);
    // A keyless record gets the gateway's `<request id>-<index>`.
    expect(kinesisRecordBytes({ data: 'x' })).toBe(1 + 40);
  });
});

describe('backoff', () => {
  it('waits a random share of an exponentially growing ceiling, capped', () => {
    expect(fullJitterDelay(1, DEFAULT_BACKOFF, () => 0.5)).toBe(50);
    expect(fullJitterDelay(4, DEFAULT_BACKOFF, () => 0.5)).toBe(400);
    expect(fullJitterDelay(30, DEFAULT_BACKOFF, () => 0.999)).toBeLessThan(DEFAULT_BACKOFF.capMs);
    expect(fullJitterDelay(3, DEFAULT_BACKOFF, () => 0)).toBe(0);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('Sun, 29 Nov 2026 10:00:05 GMT', Date.parse('2026-11-29T10:00:00Z'))).toBe(5000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

describe('IngestClient batching', () => {
  it('sends at most 500 records per request', async () => {
    const api = scripted();
    const client = clientOn(api);
    for (let i = 0; i < 1200; i += 1) await client.put({ data: { i }, partitionKey: `k${i}` });
    await client.close();
    expect(api.requests.map((r) => r.records.length).sort((a, b) => b - a)).toEqual([500, 500, 200]);
    expect(client.stats()).toMatchObject({ sent: 1200, requests: 3, retried: 0 });
  });

  it('keeps each request within 5 MiB of data and partition keys', async () => {
    const api = scripted();
    const client = clientOn(api);
    const big = 'x'.repeat(900 * 1024);
    for (let i = 0; i < 12; i += 1) await client.put({ data: big, partitionKey: `key-${i}` });
    await client.close();
    const sizes = api.requests.map((r) => r.records.reduce((sum, record) => sum + kinesisRecordBytes(record), 0));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(5 * 1024 * 1024);
    expect(api.requests.map((r) => r.records.length)).toEqual([5, 5, 2]);
  });

  it("refuses a record over the stream's record size before sending anything", async () => {
    const api = scripted();
    const client = clientOn(api);
    await expect(client.put({ data: 'x'.repeat(1024 * 1024), partitionKey: 'k' })).rejects.toMatchObject({
      code: 'RecordTooLarge',
    });
    await client.close();
    expect(api.requests).toHaveLength(0);
  });

  it('sends a partly filled batch once the linger time has passed', async () => {
    const api = scripted();
    let wake = (): void => undefined;
    const lingers: number[] = [];
    const client = clientOn(api, {
      lingerMs: 25,
      sleep: (ms) => {
        lingers.push(ms);
        return new Promise((resolve) => {
          wake = resolve;
        });
      },
    });
    await client.put({ data: 1, partitionKey: 'a' });
    await client.put({ data: 2, partitionKey: 'b' });
    await tick();
    expect(api.requests).toHaveLength(0);
    expect(lingers).toEqual([25]);
    wake();
    for (let i = 0; i < 5 && api.requests.length === 0; i += 1) await tick();
    expect(api.requests.map((r) => r.records.length)).toEqual([2]);
    await client.close();
  });
});

describe('IngestClient order and retries', () => {
  it("has at most one record of a key in flight: a key's records go out one request after another", async () => {
    const api = scripted();
    const client = clientOn(api, { maxInFlightRequests: 8 });
    for (let i = 0; i < 6; i += 1) await client.put({ data: i, partitionKey: 'hot' });
    for (let i = 0; i < 6; i += 1) await client.put({ data: `c${i}`, partitionKey: `cold-${i}` });
    await client.close();
    for (const request of api.requests) {
      const keys = request.records.map((r) => r.partitionKey);
      expect(new Set(keys).size).toBe(keys.length);
    }
    const hot = api.requests.flatMap((r) =>
      r.records.filter((x) => x.partitionKey === 'hot').map((x) => ('data' in x ? x.data : undefined)),
    );
    expect(hot).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("resends only the failed entries, and a key's later record waits for its failed one", async () => {
    // First request: entry 0 (a1) throttled, the rest stored. Then all stored.
    const api = scripted((sent, n) =>
      n === 1
        ? Response.json({
            failedRecordCount: 1,
            records: sent.records.map((_, i) =>
              i === 0
                ? { errorCode: 'ProvisionedThroughputExceededException', errorMessage: 'Rate exceeded' }
                : { shardId: 's', sequenceNumber: `${n}-${i}` },
            ),
          })
        : ok(sent),
    );
    const client = clientOn(api);
    await client.put({ data: 'a1', partitionKey: 'a' });
    await client.put({ data: 'b1', partitionKey: 'b' });
    await client.put({ data: 'a2', partitionKey: 'a' });
    await client.close();
    const order = api.requests.map((r) => r.records.map((x) => ('data' in x ? x.data : undefined)));
    expect(order[0]).toEqual(['a1', 'b1']);
    expect(order.slice(1).flat()).toEqual(['a1', 'a2']);
    expect(client.stats()).toMatchObject({ sent: 3, retried: 1, failed: 0 });
  });

  it('waits at least Retry-After after a 429, and backs off with jitter after a 502', async () => {
    const waits: number[] = [];
    const api = scripted((sent, n) => {
      if (n === 1)
        return Response.json(
          { error: 'Throttling', message: 'Rate exceeded' },
          { status: 429, headers: { 'retry-after': '3' } },
        );
      if (n === 2) return Response.json({ error: 'KinesisFailure', message: 'retry' }, { status: 502 });
      return ok(sent);
    });
    const client = clientOn(api, {
      random: () => 0.5,
      sleep: (ms) => {
        waits.push(ms);
        return tick();
      },
    });
    const ticket = await client.put({ data: 'x', partitionKey: 'k' });
    await client.close();
    await expect(ticket.delivered()).resolves.toMatchObject({ attempts: 3 });
    // Linger waits are 50 ms; the retry waits are 3000 (Retry-After over a 50 ms jitter) and 100 (0.5 × 200).
    expect(waits.filter((ms) => ms !== 50)).toEqual([3000, 100]);
  });

  it('gives up after maxAttempts and reports the last error', async () => {
    const api = scripted(() => Response.json({ error: 'ServiceUnavailable', message: 'down' }, { status: 503 }));
    const client = clientOn(api, { backoff: { maxAttempts: 3 } });
    const ticket = await client.put({ data: 'x', partitionKey: 'k' });
    await expect(client.close()).rejects.toMatchObject({
      code: 'ServiceUnavailable',
      status: 503,
      retryable: true,
      attempts: 3,
    });
    await expect(ticket.delivered()).rejects.toMatchObject({ code: 'ServiceUnavailable' });
    expect(api.requests).toHaveLength(3);
  });
});

describe('IngestClient back-pressure', () => {
  it('makes put() wait while the buffer is full, and bounds requests in flight', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const api = scripted(async (sent) => {
      await gate;
      return ok(sent);
    });
    const client = clientOn(api, { maxBufferedRecords: 10, maxInFlightRequests: 2, maxBatchRecords: 2 });
    for (let i = 0; i < 10; i += 1) await client.put({ data: i, partitionKey: `k${i}` });
    let admitted = false;
    const eleventh = client.put({ data: 10, partitionKey: 'k10' }).then(() => {
      admitted = true;
    });
    for (let i = 0; i < 20; i += 1) await tick();
    expect(admitted).toBe(false);
    expect(api.maxInFlight()).toBe(2);
    release();
    await eleventh;
    await client.close();
    expect(client.stats()).toMatchObject({ sent: 11, buffered: 0 });
    expect(api.maxInFlight()).toBeLessThanOrEqual(2);
  });

  it('lets answers in while a producer puts records that all find room', async () => {
    // One hot key: a record in flight, and every later put finds room without a request leaving.
    const api = scripted();
    const client = clientOn(api, { maxBatchRecords: 500 });
    for (let i = 0; i < 1200; i += 1) await client.put({ data: i, partitionKey: 'hot' });
    // The loop yielded to the event loop along the way, so answers were handled meanwhile.
    expect(client.stats().sent).toBeGreaterThan(1);
    await client.close();
    expect(client.stats()).toMatchObject({ sent: 1200, failed: 0 });
  });
});

describe('IngestClient with malformed answers and a failing stats callback', () => {
  it('treats a 200 without a records list as a failed request, keeping its in-flight count right', async () => {
    // The first answer is a 200 whose body is not a PutRecords answer at all.
    const api = scripted((sent, n) => (n === 1 ? Response.json({}) : ok(sent)));
    const client = clientOn(api, { maxInFlightRequests: 1, maxBatchRecords: 1 });
    const tickets = [];
    for (let i = 0; i < 6; i += 1) tickets.push(await client.put({ data: i, partitionKey: `k${i}` }));
    await client.close();
    for (const ticket of tickets)
      await expect(ticket.delivered()).resolves.toMatchObject({ shardId: expect.any(String) });
    expect(client.stats()).toMatchObject({ sent: 6, retried: 1, inFlightRequests: 0, buffered: 0 });
    expect(api.maxInFlight()).toBe(1);
  });

  it('does not settle a record twice when a 200 answers an entry with null', async () => {
    const api = scripted((sent, n) =>
      n === 1
        ? Response.json({
            failedRecordCount: 0,
            records: sent.records.map((_, i) => (i === 1 ? null : { shardId: 's', sequenceNumber: `${i}` })),
          })
        : ok(sent),
    );
    const client = clientOn(api);
    const a = await client.put({ data: 'a', partitionKey: 'a' });
    const b = await client.put({ data: 'b', partitionKey: 'b' });
    await expect(client.close()).rejects.toMatchObject({ code: 'UnknownEntryError' });
    // 'a' was stored by the first answer and is not sent again; 'b' got no answer of its own.
    expect(api.requests.map((r) => r.records.map((x) => x.partitionKey))).toEqual([['a', 'b']]);
    await expect(a.delivered()).resolves.toMatchObject({ sequenceNumber: '0' });
    await expect(b.delivered()).rejects.toMatchObject({ code: 'UnknownEntryError' });
    expect(client.stats()).toMatchObject({ sent: 1, failed: 1, buffered: 0, inFlightRequests: 0 });
  });

  it('keeps sending when an onStats callback throws', async () => {
    const api = scripted();
    const client = clientOn(api, {
      onStats: () => {
        throw new Error('stats sink down');
      },
    });
    // Two records of one key: the second is sent only after the first is answered.
    await client.put({ data: 1, partitionKey: 'k' });
    await client.put({ data: 2, partitionKey: 'k' });
    let closed = false;
    const closing = client.close().then(() => {
      closed = true;
    });
    for (let i = 0; i < 50 && !closed; i += 1) await tick();
    expect(api.requests).toHaveLength(2);
    expect(closed).toBe(true);
    await closing;
  });
});

describe('IngestClient and records the API would refuse', () => {
  it.each<[string, IngestRecord]>([
    ['an empty partition key', { data: 'x', partitionKey: '' }],
    ['a partition key over 256 characters', { data: 'x', partitionKey: 'k'.repeat(257) }],
    ['dataBase64 that is not base64', { dataBase64: 'not base64!', partitionKey: 'k' }],
    ['both data and dataBase64', { data: 'x', dataBase64: 'eA==', partitionKey: 'k' }],
    ['an explicitHashKey that is not a decimal', { data: 'x', partitionKey: 'k', explicitHashKey: '0x10' }],
  ])('refuses %s at put(), so it cannot fail the batch it would share', async (_, bad) => {
    const api = scripted((sent) => {
      // The API refuses a whole request holding an invalid entry, as the gateway's model does.
      const invalid = sent.records.some(
        (r) =>
          r.partitionKey === '' ||
          ('data' in r && 'dataBase64' in r) ||
          (r.partitionKey ?? '').length > 256 ||
          ('dataBase64' in r && /[^A-Za-z0-9+/=]/.test(r.dataBase64)) ||
          (r.explicitHashKey !== undefined && !/^(0|[1-9][0-9]{0,38})$/.test(r.explicitHashKey)),
      );
      return invalid
        ? Response.json({ error: 'BadRequestBody', message: 'Invalid request body' }, { status: 400 })
        : ok(sent);
    });
    const client = clientOn(api);
    const good = await client.put({ data: 'good', partitionKey: 'g' });
    await expect(client.put(bad)).rejects.toMatchObject({ code: 'BadRecord' });
    await client.close();
    await expect(good.delivered()).resolves.toMatchObject({ attempts: 1 });
    expect(client.stats()).toMatchObject({ sent: 1, failed: 0 });
  });
});

describe('IngestClient.close() and earlier failures', () => {
  it('rejects close() with a record that failed before close() was called', async () => {
    // The first request is refused (a 403 cannot be fixed by resending); the second is stored.
    const api = scripted((sent, n) =>
      n === 1 ? Response.json({ error: 'InvalidApiKey', message: 'Forbidden' }, { status: 403 }) : ok(sent),
    );
    const client = clientOn(api);
    const refused = await client.put({ data: 'first', partitionKey: 'a' });
    await expect(refused.delivered()).rejects.toMatchObject({ status: 403 });
    await client.put({ data: 'second', partitionKey: 'b' });
    // README: `await client.close(); // everything stored, or rejects with the first IngestError`.
    await expect(client.close()).rejects.toMatchObject({ code: 'InvalidApiKey', status: 403 });
    expect(client.stats()).toMatchObject({ sent: 1, failed: 1, buffered: 0 });
  });
});

describe("the typed client's SigV4 middleware", () => {
  it('keeps the abort signal of a request it signs (the tail stops its reads with it)', async () => {
    const seen: Request[] = [];
    const api = createIngestApi({
      url: 'http://api.test/dev',
      auth: { iam: { region: 'eu-west-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } } },
      fetch: (async (input: Request) => {
        seen.push(input);
        return Response.json({ streams: [] });
      }) as typeof fetch,
    });
    const stop = new AbortController();
    await api.GET('/streams', { signal: stop.signal });
    stop.abort();
    expect(seen).toHaveLength(1);
    expect(seen[0].headers.get('authorization')).toMatch(/^AWS4-HMAC-SHA256 /);
    expect(seen[0].signal.aborted).toBe(true);
  });
});

describe('IngestClient and a 200 that does not answer every record', () => {
  it('resends, then fails with an error that says what was wrong with the answer', async () => {
    const api = scripted(() => Response.json({ failedRecordCount: 0, records: [] }));
    const client = clientOn(api, { backoff: { maxAttempts: 2 } });
    const ticket = await client.put({ data: 'x', partitionKey: 'k' });
    await expect(client.close()).rejects.toMatchObject({ status: 200, retryable: true, attempts: 2 });
    const error = await ticket.delivered().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MalformedAnswer' });
    expect((error as Error).message).toMatch(/0 results for a batch of 1/);
    expect(api.requests).toHaveLength(2);
  });
});

describe('IngestClient resources after close()', () => {
  it('leaves no linger timer behind', async () => {
    const api = scripted();
    // The real timer wait (no injected sleep), with a linger long enough to outlive close().
    const client = clientOn(api, { sleep: undefined, lingerMs: 60_000 });
    const timers = (): number => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    const before = timers();
    await client.put({ data: 1, partitionKey: 'a' });
    await client.close();
    expect(api.requests).toHaveLength(1);
    expect(timers()).toBe(before);
  });
});

describe('IngestClient concurrent flushes', () => {
  it('settles each flush with the records put before it, and the first error among them', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const api = scripted(async (sent) => {
      await gate;
      return sent.records.some((r) => 'data' in r && r.data === 'bad')
        ? Response.json({ error: 'BadRequestBody', message: 'no' }, { status: 400 })
        : ok(sent);
    });
    const client = clientOn(api);
    // One key: each record waits for the one before it, so all three are buffered at each flush.
    await client.put({ data: 'one', partitionKey: 'a' });
    const first = client.flush();
    await client.put({ data: 'bad', partitionKey: 'a' });
    const second = client.flush();
    await client.put({ data: 'three', partitionKey: 'a' });
    const third = client.flush();
    release();
    const outcomes = await Promise.allSettled([first, second, third]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(outcomes.slice(1).map((o) => (o as PromiseRejectedResult).reason as unknown)).toEqual([
      expect.objectContaining({ code: 'BadRequestBody' }),
      expect.objectContaining({ code: 'BadRequestBody' }),
    ]);
    await expect(client.close()).rejects.toMatchObject({ status: 400 });
    expect(api.requests.map((r) => r.records.map((x) => ('data' in x ? x.data : undefined)))).toEqual([
      ['one'],
      ['bad'],
      ['three'],
    ]);
  });
});
