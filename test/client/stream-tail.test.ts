/**
 * The tail through the local gateway: records put are printed, from every shard, with their key,
 * shard and sequence number; it starts where asked and stops when told. Also the client in iam
 * mode (SigV4 over the request).
 */
import { KinesisClient, SplitShardCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { loadConfig, type IngestConfig } from '../../config/ingest-config';
import { startLocalApi, type LocalApi } from '../../local/start-local-api';
import { createIngestApi, formatJsonLine, IngestClient, tailStream, type TailStart } from '../../client';

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

async function putAll(records: Array<{ data: unknown; partitionKey: string }>): Promise<void> {
  const client = new IngestClient({
    url: api.url,
    auth: { apiKey: api.apiKey as string },
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
      while (reads() < 2) await new Promise((resolve) => setTimeout(resolve, 10));
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
    const kinesis = new KinesisClient({
      endpoint: one.backend.endpoint,
      region: one.backend.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestHandler: new NodeHttpHandler(),
    });
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
