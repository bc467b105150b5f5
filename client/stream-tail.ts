/**
 * Follows every shard of a stream through the API: lists the shards, takes an iterator per shard,
 * reads with `nextShardIterator`, and when a shard closes (no `nextShardIterator`) lists the shards
 * again and follows its children from their start. A child starts only once its parent is read to
 * its end, so a partition key's records come out in order across a reshard. (The API's shard list
 * names `parentShardId` only: a merged shard waits for that parent, not for the adjacent one.)
 *
 * Each shard is read at most 5 times a second, Kinesis's per-shard limit for GetRecords ("Each shard
 * can support up to five read transactions per second":
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetRecords.html), and once a second
 * when caught up, as the KCL does by default; throttled reads (429) back off, honouring Retry-After.
 */
import { streamName, type IngestApi } from './api';
import { fullJitterDelay, retryAfterMs } from './backoff';
import { errorFromAnswer } from './ingest-error';
import type { TailedRecord } from './record-format';

export type TailStart =
  | { readonly type: 'TRIM_HORIZON' }
  | { readonly type: 'LATEST' }
  | { readonly type: 'AT_TIMESTAMP'; readonly timestamp: Date };

export interface TailOptions {
  readonly api: IngestApi;
  readonly stream: string;
  readonly from: TailStart;
  readonly onRecord: (record: TailedRecord) => void | Promise<void>;
  /** Stops the tail: the promise of tailStream resolves once every shard loop has ended. */
  readonly signal: AbortSignal;
  /** Least time between two reads of a shard (Kinesis: 5 reads per second per shard). */
  readonly minReadIntervalMs?: number;
  /** Wait after a read that found nothing new. */
  readonly idleIntervalMs?: number;
  /** Records per read (the API lowers it to what fits its 10 MB answers). */
  readonly limit?: number;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly random?: () => number;
}

export const KINESIS_READS_PER_SECOND_PER_SHARD = 5;

interface Shard {
  readonly shardId: string;
  readonly parentShardId?: string;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

const retryable = (status: number): boolean => status === 429 || status >= 500;

export async function tailStream(options: TailOptions): Promise<void> {
  const { api } = options;
  // Ended by the caller, or by the first shard loop that fails (so the others stop too).
  const stop = new AbortController();
  const signal = stop.signal;
  const onAbort = (): void => stop.abort();
  options.signal.addEventListener('abort', onAbort, { once: true });
  if (options.signal.aborted) stop.abort();
  const stream = streamName(options.stream);
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const minInterval = options.minReadIntervalMs ?? 1000 / KINESIS_READS_PER_SECOND_PER_SHARD;
  const idleInterval = Math.max(minInterval, options.idleIntervalMs ?? 1000);
  const backoff = { baseMs: 200, capMs: 10_000, maxAttempts: Number.POSITIVE_INFINITY };
  const started = new Set<string>();
  /** Shards read to their end, with where their children start. */
  const finished = new Map<string, TailStart>();
  const loops: Promise<void>[] = [];
  let failure: unknown;

  /** Runs `call` until it answers something other than a retryable status. */
  async function withRetries<T>(
    call: () => Promise<{ data?: T; error?: unknown; response: Response }>,
  ): Promise<T | undefined> {
    for (let attempt = 1; !signal.aborted; attempt += 1) {
      const { data, error, response } = await call();
      if (data !== undefined && response.status === 200) return data;
      if (!retryable(response.status)) throw errorFromAnswer(response.status, error);
      await sleep(
        Math.max(retryAfterMs(response.headers.get('retry-after')) ?? 0, fullJitterDelay(attempt, backoff, random)),
        signal,
      );
    }
    return undefined;
  }

  async function listShards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let token: string | undefined;
    do {
      const page = await withRetries(() =>
        api.GET('/streams/{stream-name}/shards', {
          params: { path: { 'stream-name': stream }, query: token === undefined ? {} : { 'next-token': token } },
        }),
      );
      if (page === undefined) return shards;
      shards.push(
        ...page.shards.map((s) => ({
          shardId: s.shardId,
          ...(s.parentShardId === undefined ? {} : { parentShardId: s.parentShardId }),
        })),
      );
      token = page.nextToken;
    } while (token !== undefined);
    return shards;
  }

  async function iterator(shardId: string, start: TailStart, afterSequence?: string): Promise<string | undefined> {
    const query =
      afterSequence !== undefined
        ? {
            'shard-id': shardId,
            'shard-iterator-type': 'AFTER_SEQUENCE_NUMBER' as const,
            'starting-sequence-number': afterSequence,
          }
        : start.type === 'AT_TIMESTAMP'
          ? {
              'shard-id': shardId,
              'shard-iterator-type': 'AT_TIMESTAMP' as const,
              timestamp: start.timestamp.getTime() / 1000,
            }
          : { 'shard-id': shardId, 'shard-iterator-type': start.type };
    const answer = await withRetries(() =>
      api.GET('/streams/{stream-name}/sharditerator', { params: { path: { 'stream-name': stream }, query } }),
    );
    return answer?.shardIterator;
  }

  async function follow(shardId: string, start: TailStart): Promise<void> {
    let next = await iterator(shardId, start);
    let lastSequence: string | undefined;
    let lastRead = Number.NEGATIVE_INFINITY;
    let attempt = 0;
    // Whether the shard was open while followed: then its children hold only records written since.
    let live = false;
    while (next !== undefined && !signal.aborted) {
      const wait = lastRead + minInterval - Date.now();
      if (wait > 0) await sleep(wait, signal);
      if (signal.aborted) return;
      lastRead = Date.now();
      const current: string = next;
      const { data, error, response } = await api.GET('/streams/{stream-name}/records', {
        params: {
          path: { 'stream-name': stream },
          header: { 'Shard-Iterator': current },
          ...(options.limit === undefined ? {} : { query: { limit: options.limit } }),
        },
      });
      if (response.status === 410) {
        // Iterators last 5 minutes: take a new one where this one stood.
        next = await iterator(shardId, start, lastSequence);
        continue;
      }
      if (data === undefined || response.status !== 200) {
        if (!retryable(response.status)) throw errorFromAnswer(response.status, error);
        attempt += 1;
        await sleep(
          Math.max(retryAfterMs(response.headers.get('retry-after')) ?? 0, fullJitterDelay(attempt, backoff, random)),
          signal,
        );
        continue;
      }
      attempt = 0;
      for (const record of data.records) {
        if (signal.aborted) return;
        await options.onRecord({
          shardId,
          sequenceNumber: record.sequenceNumber,
          partitionKey: record.partitionKey,
          approximateArrivalTimestamp: record.approximateArrivalTimestamp,
          data: Buffer.from(record.data, 'base64'),
        });
        lastSequence = record.sequenceNumber;
      }
      next = data.nextShardIterator;
      if (next !== undefined) live = true;
      if (data.records.length === 0 && data.millisBehindLatest === 0 && next !== undefined)
        await sleep(idleInterval, signal);
    }
    if (next === undefined && !signal.aborted) {
      finished.set(shardId, live ? { type: 'TRIM_HORIZON' } : start);
      await startReadyShards();
    }
  }

  /** Starts every listed shard not started yet whose parent, if followed, is read to its end. */
  async function startReadyShards(): Promise<void> {
    const shards = await listShards();
    const listed = new Set(shards.map((s) => s.shardId));
    for (const shard of shards) {
      if (started.has(shard.shardId)) continue;
      const parentPending =
        shard.parentShardId !== undefined && listed.has(shard.parentShardId) && !finished.has(shard.parentShardId);
      if (parentPending) continue;
      started.add(shard.shardId);
      // A child of a shard that closed while followed is read from its start, whatever --from said.
      const start = (shard.parentShardId === undefined ? undefined : finished.get(shard.parentShardId)) ?? options.from;
      loops.push(
        follow(shard.shardId, start).catch((error: unknown) => {
          failure ??= error;
          stop.abort();
        }),
      );
    }
  }

  try {
    await startReadyShards();
  } catch (error) {
    failure = error;
    stop.abort();
  }
  // Loops add loops (children); wait until none is left running.
  for (let seen = 0; seen < loops.length;) {
    const count = loops.length;
    await Promise.all(loops.slice(seen));
    seen = count;
  }
  options.signal.removeEventListener('abort', onAbort);
  if (failure !== undefined) throw failure;
}
