/**
 * Follows every shard of a stream through the API: lists the shards, takes an iterator per shard,
 * reads with `nextShardIterator`, and when a shard closes (no `nextShardIterator`) lists the shards
 * again and follows its children from their start. A child starts only once all its parents are read
 * to their end: the parent of a split, and both parents of a merge (`parentShardId` and
 * `adjacentParentShardId`: https://docs.aws.amazon.com/kinesis/latest/APIReference/API_Shard.html).
 * A parent keeps the records it held before the reshard, and the child takes a key's records after
 * it (https://docs.aws.amazon.com/streams/latest/dev/kinesis-using-sdk-java-after-resharding.html),
 * so a partition key's records come out in order across splits and merges, as the KCL keeps them.
 *
 * Each shard is read at most 5 times a second, Kinesis's per-shard limit for GetRecords ("Each shard
 * can support up to five read transactions per second":
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetRecords.html), and once a second
 * when caught up, as the KCL does by default. Throttled reads (429), 5xx answers and requests that got
 * no answer (connection refused or reset) back off with full jitter, honouring Retry-After, and are
 * retried until the tail is stopped; a 400, 403 or 404 ends it. A read whose answer was lost is sent
 * again with the same iterator: an iterator names a position in the shard, which reading does not
 * move (GetRecords answers a new one in NextShardIterator instead), and it stays valid for 5 minutes
 * (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetShardIterator.html); after that
 * the API answers 410 and the tail takes a new iterator after the last record it printed.
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
  /** Told before each wait to retry, so that a tail that cannot reach the API does not wait in silence. */
  readonly onRetry?: (retry: TailRetry) => void;
}

export interface TailRetry {
  /** The answer's HTTP status (429 or 5xx); absent when no answer came (connection refused or reset). */
  readonly status?: number;
  /** What went wrong, for people: the API's message, or the network's ("fetch failed: connect ECONNREFUSED …"). */
  readonly reason: string;
  /** Failures in a row of this request (1 = the first). */
  readonly attempt: number;
  readonly delayMs: number;
}

export const KINESIS_READS_PER_SECOND_PER_SHARD = 5;

interface Shard {
  readonly shardId: string;
  /** The shard it was split from, or the two it was merged from. */
  readonly parents: readonly string[];
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

/** A request that got no answer; `reason` says why. */
class NoAnswer {
  constructor(readonly reason: string) {}
}

/** Read by name, not instanceof: a fetch from another realm (a VM context, a test runner) has its own classes. */
const errorFields = (value: unknown): Partial<Error> => (typeof value === 'object' && value !== null ? value : {});

/**
 * NoAnswer when `error`, thrown by a request, says no answer came. Node's fetch (undici) rejects
 * with a TypeError (as the Fetch standard has it for network errors:
 * https://fetch.spec.whatwg.org/#fetch-method): "fetch failed" caused by a system or socket error
 * with a `code` (ECONNREFUSED, ECONNRESET, ENOTFOUND, UND_ERR_SOCKET, …) when it cannot connect or
 * the connection drops before the answer, and "terminated" when it drops while the body is read.
 * Other failures, such as a URL that does not parse or a port fetch refuses ("bad port"), are
 * mistakes a retry cannot fix: undefined.
 */
function noAnswer(error: unknown): NoAnswer | undefined {
  const { name, message, cause } = errorFields(error);
  const because = errorFields(cause) as Partial<Error> & { code?: unknown };
  const lost =
    name === 'TypeError' &&
    (message === 'terminated' || (message === 'fetch failed' && typeof because.code === 'string'));
  if (!lost) return undefined;
  return new NoAnswer(typeof because.message === 'string' ? `${message}: ${because.message}` : message);
}

/** The answer of `request`, or NoAnswer when the network lost it; any other failure is thrown. */
async function answerOf<A>(request: () => Promise<A>): Promise<A | NoAnswer> {
  try {
    return await request();
  } catch (error) {
    const lost = noAnswer(error);
    if (lost === undefined) throw error;
    return lost;
  }
}

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

  /** Waits before retry `attempt` (1 = after the first failure) of a request that got `failed`. */
  function backOff(attempt: number, failed: NoAnswer | { error?: unknown; response: Response }): Promise<void> {
    const response = failed instanceof NoAnswer ? undefined : failed.response;
    const retryAfter = retryAfterMs(response?.headers.get('retry-after') ?? null) ?? 0;
    const delayMs = Math.max(retryAfter, fullJitterDelay(attempt, backoff, random));
    options.onRetry?.(
      failed instanceof NoAnswer
        ? { reason: failed.reason, attempt, delayMs }
        : {
            status: failed.response.status,
            reason: errorFromAnswer(failed.response.status, failed.error).message,
            attempt,
            delayMs,
          },
    );
    return sleep(delayMs, signal);
  }

  /** Runs `call` until it answers something other than a retryable status, or the tail stops. */
  async function withRetries<T>(
    call: () => Promise<{ data?: T; error?: unknown; response: Response }>,
  ): Promise<T | undefined> {
    for (let attempt = 1; !signal.aborted; attempt += 1) {
      const answer = await answerOf(call);
      if (!(answer instanceof NoAnswer)) {
        const { data, error, response } = answer;
        if (data !== undefined && response.status === 200) return data;
        if (!retryable(response.status)) throw errorFromAnswer(response.status, error);
      }
      await backOff(attempt, answer);
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
          parents: [s.parentShardId, s.adjacentParentShardId].filter((id) => id !== undefined),
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
      const answer = await answerOf(() =>
        api.GET('/streams/{stream-name}/records', {
          params: {
            path: { 'stream-name': stream },
            header: { 'Shard-Iterator': current },
            ...(options.limit === undefined ? {} : { query: { limit: options.limit } }),
          },
        }),
      );
      if (!(answer instanceof NoAnswer) && answer.response.status === 410) {
        // Iterators last 5 minutes: take a new one where this one stood.
        next = await iterator(shardId, start, lastSequence);
        continue;
      }
      if (answer instanceof NoAnswer || answer.data === undefined || answer.response.status !== 200) {
        // No answer, or a retryable one: read again with the same iterator, which nothing has moved.
        if (!(answer instanceof NoAnswer) && !retryable(answer.response.status))
          throw errorFromAnswer(answer.response.status, answer.error);
        attempt += 1;
        await backOff(attempt, answer);
        continue;
      }
      const { data } = answer;
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

  /**
   * Starts every listed shard not started yet whose parents, those that are followed (listed: a
   * parent past the retention period is not), are all read to their end.
   */
  async function startReadyShards(): Promise<void> {
    const shards = await listShards();
    const listed = new Set(shards.map((s) => s.shardId));
    for (const shard of shards) {
      if (started.has(shard.shardId)) continue;
      const followedParents = shard.parents.filter((id) => listed.has(id));
      if (followedParents.some((id) => !finished.has(id))) continue;
      started.add(shard.shardId);
      // A child of a shard that closed while followed is read from its start, whatever --from said.
      // For a merge, one such parent suffices: the merge, and every record of the child, came after
      // the tail started.
      const parentStarts = followedParents.flatMap((id) => finished.get(id) ?? []);
      const start = parentStarts.find((s) => s.type === 'TRIM_HORIZON') ?? parentStarts[0] ?? options.from;
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
