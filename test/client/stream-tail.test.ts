/**
 * The tail through the local gateway: records put are printed, from every shard, with their key,
 * shard and sequence number; it starts where asked and stops when told; it follows splits and merges
 * (a merged shard after both its parents) and rides out a connection that drops. Also the client in
 * iam mode (SigV4 over the request).
 */
import { createHash } from 'node:crypto';
import { KinesisClient, MergeShardsCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { loadConfig, type IngestConfig } from '../../config/ingest-config';
import { startLocalApi, type LocalApi } from '../../local/start-local-api';
import {
  createIngestApi,
  formatJsonLine,
  IngestClient,
  tailStream,
  type TailRetry,
  type TailStart,
} from '../../client';
import { streamName } from '../../client/api';
import { startTcpForwarder, type TcpForwarder } from '../support/tcp-forwarder';

const base = loadConfig();
const config: IngestConfig = { ...base, streams: base.streams.map((s) => ({ ...s, shardCount: 2 })) };
const STREAM = config.streams[0].name;

let api: LocalApi;
beforeAll(async () => {
  api = await startLocalApi({ config, port: 0 });
}, 60_000);
afterAll(() => api?.close());

interface Line {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  arrivedAt: string;
  encoding: string;
  data: unknown;
}

/** Runs the tail until `count` lines are printed, or 20 s have passed (then it is stopped and the test fails on the count). */
async function tailLines(
  from: TailStart,
  count: number,
  whileTailing: (reads: () => number) => Promise<void> = async () => undefined,
): Promise<Line[]> {
  const lines: string[] = [];
  let reads = 0;
  const counting = (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    if (input instanceof Request && input.method === 'GET' && new URL(input.url).pathname.endsWith('/records'))
      reads += 1;
    return fetch(input, init);
  };
  const stop = new AbortController();
  const limit = setTimeout(() => stop.abort(), 20_000);
  const tail = tailStream({
    api: createIngestApi({ url: api.url, auth: { apiKey: api.apiKey as string }, fetch: counting as typeof fetch }),
    stream: STREAM,
    from,
    signal: stop.signal,
    idleIntervalMs: 50,
    onRecord: (record) => {
      lines.push(formatJsonLine(record));
      if (lines.length >= count) stop.abort();
    },
  });
  await whileTailing(() => reads);
  await tail;
  clearTimeout(limit);
  return lines.map((line) => JSON.parse(line) as Line);
}

async function putAll(records: Array<{ data: unknown; partitionKey: string }>, gateway = api): Promise<void> {
  const client = new IngestClient({
    url: gateway.url,
    auth: { apiKey: gateway.apiKey as string },
    stream: STREAM,
    lingerMs: 5,
  });
  for (const record of records) await client.put(record);
  await client.close();
}

describe('tailStream', () => {
  it('prints every record put, from both shards, in order per key', async () => {
    const records = Array.from({ length: 60 }, (_, i) => ({
      data: { tail: 'first', key: `t-${i % 6}`, n: Math.floor(i / 6) },
      partitionKey: `t-${i % 6}`,
    }));
    await putAll(records);
    const lines = await tailLines({ type: 'TRIM_HORIZON' }, 60);
    expect(lines).toHaveLength(60);
    expect(new Set(lines.map((l) => l.shardId))).toEqual(new Set(['shardId-000000000000', 'shardId-000000000001']));
    for (const line of lines) {
      expect(line.encoding).toBe('json');
      expect(line.partitionKey).toBe((line.data as { key: string }).key);
      expect(line.sequenceNumber).toMatch(/^\d+$/);
      expect(Number.isNaN(Date.parse(line.arrivedAt))).toBe(false);
    }
    for (let k = 0; k < 6; k += 1) {
      expect(lines.filter((l) => l.partitionKey === `t-${k}`).map((l) => (l.data as { n: number }).n)).toEqual([
        ...Array(10).keys(),
      ]);
    }
  });

  it('from latest prints only what is put after it starts', async () => {
    const lines = await tailLines({ type: 'LATEST' }, 3, async (reads) => {
      // Put once the tail has read both shards (so their LATEST iterators were taken before).
      await until(() => reads() >= 2);
      await putAll([
        { data: 'plain text', partitionKey: 'late-1' },
        { data: { late: true }, partitionKey: 'late-2' },
        { data: 'third', partitionKey: 'late-3' },
      ]);
    });
    expect(lines.map((l) => l.partitionKey).sort()).toEqual(['late-1', 'late-2', 'late-3']);
    expect(lines.find((l) => l.partitionKey === 'late-1')).toMatchObject({ encoding: 'text', data: 'plain text' });
  });

  it('fails with the API error for a wrong key', async () => {
    const stop = new AbortController();
    await expect(
      tailStream({
        api: createIngestApi({ url: api.url, auth: { apiKey: 'wrong' } }),
        stream: STREAM,
        from: { type: 'LATEST' },
        signal: stop.signal,
        onRecord: () => undefined,
      }),
    ).rejects.toMatchObject({ status: 403, code: 'InvalidApiKey' });
  });
});

/** The local Kinesis behind `gateway`, for what the API does not offer (resharding). */
function kinesisOf(gateway: LocalApi): KinesisClient {
  return new KinesisClient({
    endpoint: gateway.backend.endpoint,
    region: gateway.backend.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler(),
  });
}

/**
 * A partition key that falls in the hash key range [start, end]: Kinesis maps a key to a 128-bit
 * integer with MD5 (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecord.html).
 */
function keyInRange(prefix: string, start: string, end: string): string {
  for (let i = 0; ; i += 1) {
    const key = `${prefix}-${i}`;
    const hash = BigInt(`0x${createHash('md5').update(key).digest('hex')}`);
    if (hash >= BigInt(start) && hash <= BigInt(end)) return key;
  }
}

/** Resolves once `condition` holds, checking every 10 ms (the test's timeout bounds it). */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('tailStream, errors no retry can fix', () => {
  it('ends on a request fetch refuses to send (a blocked port), with why', async () => {
    const retries: TailRetry[] = [];
    await expect(
      tailStream({
        // Port 1 is on the Fetch standard's list of bad ports: fetch fails without connecting.
        api: createIngestApi({ url: 'http://127.0.0.1:1/dev', auth: { apiKey: 'key' } }),
        stream: STREAM,
        from: { type: 'LATEST' },
        signal: new AbortController().signal,
        onRetry: (retry) => retries.push(retry),
        onRecord: () => undefined,
      }),
    ).rejects.toMatchObject({ message: 'fetch failed', cause: { message: 'bad port' } });
    expect(retries).toEqual([]);
  });
});

describe('tailStream across a reshard', () => {
  let one: LocalApi;
  beforeAll(async () => {
    one = await startLocalApi({ config: base, port: 0 });
  }, 60_000);
  afterAll(() => one?.close());

  it('reads a shard to its end, then its children from their start, keeping a key in order', async () => {
    const put = async (from: number, to: number): Promise<void> => {
      const client = new IngestClient({
        url: one.url,
        auth: { apiKey: one.apiKey as string },
        stream: STREAM,
        lingerMs: 5,
      });
      for (let n = from; n < to; n += 1) await client.put({ data: { n }, partitionKey: 'split-key' });
      await client.close();
    };
    const kinesis = kinesisOf(one);
    const lines: Line[] = [];
    const stop = new AbortController();
    const limit = setTimeout(() => stop.abort(), 20_000);
    try {
      await put(0, 5);
      const tail = tailStream({
        api: createIngestApi({ url: one.url, auth: { apiKey: one.apiKey as string } }),
        stream: STREAM,
        from: { type: 'TRIM_HORIZON' },
        signal: stop.signal,
        idleIntervalMs: 50,
        onRecord: (record) => {
          lines.push(JSON.parse(formatJsonLine(record)) as Line);
          if (lines.length >= 10) stop.abort();
        },
      });
      // Split the only shard in two halves of the hash key range; the parent closes.
      await kinesis.send(
        new SplitShardCommand({
          StreamName: base.streams[0].physicalName,
          ShardToSplit: 'shardId-000000000000',
          NewStartingHashKey: (2n ** 127n).toString(),
        }),
      );
      await put(5, 10);
      await tail;
    } finally {
      clearTimeout(limit);
      kinesis.destroy();
    }
    expect(lines.map((l) => (l.data as { n: number }).n)).toEqual([...Array(10).keys()]);
    expect(lines[0].shardId).toBe('shardId-000000000000');
    expect(lines[9].shardId).not.toBe('shardId-000000000000');
  });
});

describe('tailStream across a merge', () => {
  let two: LocalApi;
  beforeAll(async () => {
    two = await startLocalApi({ config, port: 0 });
  }, 60_000);
  afterAll(() => two?.close());

  it('reads both parents to their end before the merged shard, keeping each key in order', async () => {
    const gatewayApi = createIngestApi({ url: two.url, auth: { apiKey: two.apiKey as string } });
    const listShards = async () => {
      const { data } = await gatewayApi.GET('/streams/{stream-name}/shards', {
        params: { path: { 'stream-name': streamName(STREAM) } },
      });
      return data?.shards ?? [];
    };
    const [first, second] = await listShards();
    const keys = [
      keyInRange('merge-a', first.hashKeyRange.startingHashKey ?? '', first.hashKeyRange.endingHashKey ?? ''),
      keyInRange('merge-b', second.hashKeyRange.startingHashKey ?? '', second.hashKeyRange.endingHashKey ?? ''),
    ];
    const put = (from: number, to: number): Promise<void> =>
      putAll(
        keys.flatMap((key) =>
          Array.from({ length: to - from }, (_, i) => ({ data: { key, n: from + i }, partitionKey: key })),
        ),
        two,
      );

    // What the tail asks and learns, in order: the iterators it takes per shard, and the reads that
    // find a shard closed (no nextShardIterator).
    const events: string[] = [];
    const shardOfIterator = new Map<string, string>();
    let firstParentListed!: () => void;
    const firstParentDoneAndListed = new Promise<void>((resolve) => (firstParentListed = resolve));
    const watching = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
      const request = input as Request;
      const url = new URL(request.url);
      if (url.pathname.endsWith('/sharditerator')) events.push(`iterator ${url.searchParams.get('shard-id')}`);
      const response = await fetch(input, init);
      if (response.status !== 200) return response;
      const body = (await response.clone().json()) as { shardIterator?: string; nextShardIterator?: string };
      if (url.pathname.endsWith('/sharditerator') && body.shardIterator !== undefined)
        shardOfIterator.set(body.shardIterator, url.searchParams.get('shard-id') ?? '');
      if (url.pathname.endsWith('/records')) {
        const shardId = shardOfIterator.get(request.headers.get('shard-iterator') ?? '') ?? '?';
        if (body.nextShardIterator === undefined) events.push(`closed ${shardId}`);
        else shardOfIterator.set(body.nextShardIterator, shardId);
      }
      if (url.pathname.endsWith('/shards') && events.includes(`closed ${first.shardId}`)) firstParentListed();
      return response;
    };

    const kinesis = kinesisOf(two);
    const lines: Line[] = [];
    const stop = new AbortController();
    const limit = setTimeout(() => stop.abort(), 20_000);
    let secondParentRead!: () => void;
    const secondParentReading = new Promise<void>((resolve) => (secondParentRead = resolve));
    try {
      await put(0, 5);
      const tail = tailStream({
        api: createIngestApi({ url: two.url, auth: { apiKey: two.apiKey as string }, fetch: watching as typeof fetch }),
        stream: STREAM,
        from: { type: 'TRIM_HORIZON' },
        signal: stop.signal,
        idleIntervalMs: 50,
        onRecord: async (record) => {
          lines.push(JSON.parse(formatJsonLine(record)) as Line);
          if (lines.length >= 20) stop.abort();
          // Hold the second parent back until the first is read to its end and the shards listed
          // again: a tail that waited for one parent only would start the merged shard then.
          if (record.shardId === second.shardId) {
            secondParentRead();
            await Promise.race([
              firstParentDoneAndListed,
              new Promise((resolve) => stop.signal.addEventListener('abort', resolve)),
            ]);
          }
        },
      });
      // Merge once the second parent is being read (its read saw it open), then write after the merge.
      await Promise.race([secondParentReading, tail.catch(() => undefined)]);
      await kinesis.send(
        new MergeShardsCommand({
          StreamName: config.streams[0].physicalName,
          ShardToMerge: first.shardId,
          AdjacentShardToMerge: second.shardId,
        }),
      );
      await until(async () => (await listShards()).length === 3);
      await put(5, 10);
      await tail;
    } finally {
      clearTimeout(limit);
      kinesis.destroy();
    }

    // The API names both parents of the merged shard, as Kinesis's ListShards does.
    const merged = (await listShards())[2];
    expect(merged).toMatchObject({ parentShardId: first.shardId, adjacentParentShardId: second.shardId });
    expect(lines).toHaveLength(20);
    for (const key of keys) {
      const ofKey = lines.filter((l) => l.partitionKey === key);
      expect(ofKey.map((l) => (l.data as { n: number }).n)).toEqual([...Array(10).keys()]);
      expect(ofKey.slice(5).every((l) => l.shardId === merged.shardId)).toBe(true);
      expect(ofKey.slice(0, 5).every((l) => l.shardId !== merged.shardId)).toBe(true);
    }
    const childStart = events.indexOf(`iterator ${merged.shardId}`);
    expect(events.indexOf(`closed ${first.shardId}`)).toBeGreaterThanOrEqual(0);
    expect(events.indexOf(`closed ${second.shardId}`)).toBeGreaterThanOrEqual(0);
    expect(childStart).toBeGreaterThan(events.indexOf(`closed ${first.shardId}`));
    expect(childStart).toBeGreaterThan(events.indexOf(`closed ${second.shardId}`));
  });
});

describe('tailStream through a connection that drops', () => {
  let gateway: LocalApi;
  let forwarder: TcpForwarder;
  beforeAll(async () => {
    gateway = await startLocalApi({ config, port: 0 });
    forwarder = await startTcpForwarder(new URL(gateway.url).origin);
  }, 60_000);
  afterAll(async () => {
    await forwarder?.close();
    await gateway?.close();
  });

  it('retries listing and reads that got no answer, and prints every record once, in order per key', async () => {
    const keys = ['drop-0', 'drop-1', 'drop-2', 'drop-3'];
    const batch = (from: number): Array<{ data: { key: string; n: number }; partitionKey: string }> =>
      keys.flatMap((key) => Array.from({ length: 5 }, (_, i) => ({ data: { key, n: from + i }, partitionKey: key })));
    const restore = (): void => forwarder.forwardTo(new URL(gateway.url).origin);

    // Counts the requests that got no answer (fetch threw), and the iterators of lost reads.
    let networkErrors = 0;
    const lostReads = new Set<string>();
    const answeredReads = new Set<string>();
    let onNetworkError = (): void => undefined;
    const counting = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
      const request = input as Request;
      const isRead = new URL(request.url).pathname.endsWith('/records');
      const iterator = request.headers.get('shard-iterator') ?? '';
      try {
        const response = await fetch(input, init);
        if (isRead && response.status === 200) answeredReads.add(iterator);
        return response;
      } catch (error) {
        networkErrors += 1;
        if (isRead) lostReads.add(iterator);
        onNetworkError();
        throw error;
      }
    };

    const lines: Line[] = [];
    const stop = new AbortController();
    const limit = setTimeout(() => stop.abort(), 20_000);
    let cutAgain!: () => void;
    const cutMidTail = new Promise<void>((resolve) => (cutAgain = resolve));
    let errorsBeforeFirstRecord: number | undefined;
    const retries: TailRetry[] = [];
    try {
      await putAll(batch(0), gateway);
      // Cut before the tail starts: listing the shards gets no answer until it is restored.
      forwarder.cut();
      onNetworkError = () => {
        if (networkErrors === 2) restore();
      };
      const tail = tailStream({
        api: createIngestApi({
          url: `${forwarder.endpoint}${new URL(gateway.url).pathname}`,
          auth: { apiKey: gateway.apiKey as string },
          fetch: counting as typeof fetch,
        }),
        stream: STREAM,
        from: { type: 'TRIM_HORIZON' },
        signal: stop.signal,
        idleIntervalMs: 50,
        limit: 2,
        onRetry: (retry) => retries.push(retry),
        onRecord: (record) => {
          errorsBeforeFirstRecord ??= networkErrors;
          lines.push(JSON.parse(formatJsonLine(record)) as Line);
          if (lines.length === 6) {
            // Cut mid-tail: reads in flight and the next ones get no answer.
            forwarder.cut();
            cutAgain();
          }
          if (lines.length >= 40) stop.abort();
        },
      });
      // (Or the tail's end: then the test fails on what it printed.)
      await Promise.race([cutMidTail, tail.catch(() => undefined)]);
      const errorsAtCut = networkErrors;
      let written = false;
      // Restore once two requests were lost and the second batch is written (while cut).
      const restoreWhenReady = (): void => {
        if (written && networkErrors >= errorsAtCut + 2) restore();
      };
      onNetworkError = restoreWhenReady;
      await putAll(batch(5), gateway);
      written = true;
      restoreWhenReady();
      await tail;
    } finally {
      clearTimeout(limit);
      restore();
    }

    expect(errorsBeforeFirstRecord).toBeGreaterThanOrEqual(2);
    expect(networkErrors).toBeGreaterThanOrEqual(4);
    // Each lost request was told, with why.
    const lost = retries.filter((r) => r.status === undefined);
    expect(lost).toHaveLength(networkErrors);
    expect(lost[0]).toMatchObject({ attempt: 1, reason: expect.stringMatching(/^fetch failed: /) });
    // A read whose answer was lost was sent again with the same iterator, and answered.
    expect([...lostReads].some((iterator) => answeredReads.has(iterator))).toBe(true);
    expect(lines).toHaveLength(40);
    for (const key of keys) {
      expect(lines.filter((l) => l.partitionKey === key).map((l) => (l.data as { n: number }).n)).toEqual([
        ...Array(10).keys(),
      ]);
    }
  });
});

describe('IngestClient in iam mode', () => {
  let iam: LocalApi;
  beforeAll(async () => {
    iam = await startLocalApi({ config, port: 0, auth: 'iam' });
  }, 60_000);
  afterAll(() => iam?.close());

  it('signs its requests with SigV4 and is refused with wrong credentials', async () => {
    const creds = iam.iamCredentials as { accessKeyId: string; secretAccessKey: string; region: string };
    const good = new IngestClient({
      url: iam.url,
      auth: {
        iam: {
          region: creds.region,
          credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey },
        },
      },
      stream: STREAM,
    });
    const ticket = await good.put({ data: { signed: true }, partitionKey: 'iam' });
    await good.close();
    await expect(ticket.delivered()).resolves.toMatchObject({ shardId: expect.stringMatching(/^shardId-/) });

    const bad = new IngestClient({
      url: iam.url,
      auth: {
        iam: { region: creds.region, credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: 'wrong' } },
      },
      stream: STREAM,
    });
    await bad.put({ data: 1, partitionKey: 'iam' });
    await expect(bad.close()).rejects.toMatchObject({ status: 403 });
  });
});
