/**
 * A producer for the API's PutRecords (`PUT /streams/{stream-name}/records`): buffers records, sends
 * them in batches within Kinesis's limits, resends only what failed with backoff, and keeps each
 * partition key's records in order.
 *
 * Ordering rule: at most one record per partition key is in flight (sent, or waiting to be resent)
 * at any time. A key's next record is sent only once the one before it is stored or has finally
 * failed, so its sequence number is later: no batch can hold two records of a key, and a failed
 * entry cannot be overtaken by a later one of its key that succeeded. The price is for hot keys: a
 * single key moves at most one record per round trip (per batch), however many records it has
 * buffered; many distinct keys fill batches as usual. `ordering: 'none'` lifts the rule (full
 * batches for a few hot keys; a retried record may then land after later records of its key).
 *
 * Delivery is at least once: a request whose answer is lost (network error, 502, 504) is resent and
 * may be stored twice; per-entry failures and 429/503 answers store nothing, so resending them
 * duplicates nothing.
 */
import type { ApiOptions, IngestApi } from './api';
import type { components } from './api-types';
import { errorFromAnswer, IngestError } from './ingest-error';
import { fullJitterDelay, retryAfterMs, type BackoffOptions, DEFAULT_BACKOFF } from './backoff';
import { Deque } from './deque';
import { createPutRecordsSender, type PutRecordsReply, type PutRecordsSender } from './put-records-sender';

export type IngestRecord = components['schemas']['RecordEntry'];
type PutRecordsResultEntry = components['schemas']['PutRecordsResultEntry'];

export interface PutResult {
  readonly shardId: string;
  readonly sequenceNumber: string;
  /** Requests it took (1 when stored at the first try). */
  readonly attempts: number;
}

/** What `put` resolves to once the record is buffered: its outcome, when wanted. */
export interface PutTicket {
  /** Resolves once the record is stored; rejects with an IngestError when it cannot be. */
  delivered(): Promise<PutResult>;
}

export interface IngestStats {
  /** Records stored. */
  readonly sent: number;
  /** Records resent (once per resend). */
  readonly retried: number;
  /** Records given up on (unfixable error, or retries exhausted). */
  readonly failed: number;
  /** PutRecords requests made. */
  readonly requests: number;
  /** Records buffered now (waiting, in flight or backing off). */
  readonly buffered: number;
  readonly inFlightRequests: number;
}

export interface IngestClientOptions extends ApiOptions {
  readonly stream: string;
  /** Records per PutRecords request (Kinesis: at most 500). */
  readonly maxBatchRecords?: number;
  /** Data plus partition key bytes per request (Kinesis: at most 5 MiB). */
  readonly maxBatchBytes?: number;
  /** Data plus partition key bytes per record: the stream's `maxRecordSizeKiB` (Kinesis default 1 MiB). */
  readonly maxRecordBytes?: number;
  /** How long a partly filled batch waits for more records before it is sent. */
  readonly lingerMs?: number;
  /** Back-pressure: `put` waits while this many records are buffered... */
  readonly maxBufferedRecords?: number;
  /** ...or while their request bodies would take more than this many bytes. */
  readonly maxBufferedBytes?: number;
  readonly maxInFlightRequests?: number;
  readonly ordering?: 'per-key' | 'none';
  readonly backoff?: Partial<BackoffOptions>;
  /** Called after each request's answer is handled; what it throws is ignored. */
  readonly onStats?: (stats: IngestStats) => void;
  /** Injected for tests: waits (backoff, linger) and the random source of the jitter. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** A typed API client to use instead of one made from `url` and `auth`. */
  readonly api?: IngestApi;
}

/**
 * Kinesis PutRecords: up to 500 records and 5 MiB per request, partition keys included; a record's
 * size is its data blob plus its partition key
 * (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html).
 */
export const KINESIS_MAX_BATCH_RECORDS = 500;
export const KINESIS_MAX_BATCH_BYTES = 5 * 1024 * 1024;
export const KINESIS_DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
/** API Gateway refuses request bodies over 10 MB (its payload quota); stay under with the JSON framing. */
const MAX_BODY_BYTES = 10 * 1024 * 1024 - 1024;
/** The gateway names a keyless record `<request id>-<index>`: a UUID, a dash and up to three digits. */
const GENERATED_KEY_BYTES = 40;

/** Per-entry error codes of a PutRecords answer that a resend can fix. */
const RETRYABLE_ENTRY_CODES = new Set([
  'ProvisionedThroughputExceededException',
  'InternalFailure',
  'KMSThrottlingException',
]);
/** Whole-request answers that a resend can fix: throttling (429), Kinesis faults and timeouts (5xx). */
const isRetryableStatus = (status: number): boolean => status === 429 || status >= 500;

/** A `flush()` waiting for the records put before it: those whose serial is at most `upTo`. */
interface Flush {
  readonly upTo: number;
  remaining: number;
  error?: IngestError;
  done(): void;
}

type Outcome = { readonly result: PutResult } | { readonly error: IngestError };

/** A record put and not yet stored or given up on; it is also the caller's ticket. */
class Pending implements PutTicket {
  attempts = 0;
  /** The next record put with the same partition key: it becomes sendable once this one is done. */
  next: Pending | undefined = undefined;
  outcome: Outcome | undefined = undefined;
  waiters: Array<{ resolve(result: PutResult): void; reject(error: IngestError): void }> | undefined = undefined;

  constructor(
    /** The entry as sent, serialized once, and its UTF-8 length. */
    readonly entry: string,
    readonly bodyBytes: number,
    /** What Kinesis counts: data plus partition key bytes. */
    readonly bytes: number,
    /** The key whose order it keeps; undefined when it keeps none (keyless, or `ordering: 'none'`). */
    readonly key: string | undefined,
    /** Put order, for flush(). */
    readonly serial: number,
  ) {}

  delivered(): Promise<PutResult> {
    const outcome = this.outcome;
    if (outcome !== undefined)
      return 'result' in outcome ? Promise.resolve(outcome.result) : Promise.reject(outcome.error);
    return new Promise((resolve, reject) => (this.waiters ??= []).push({ resolve, reject }));
  }
}

/** Kinesis's size of a record: data bytes as stored plus partition key bytes (pure). */
export function kinesisRecordBytes(record: IngestRecord): number {
  return serializeEntry(record).bytes;
}

/**
 * The spec's RecordEntry limits (openapi/components/schemas/RecordEntry.yaml, Kinesis's own:
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecordsRequestEntry.html). The API
 * refuses a whole request for one entry outside them, so they are checked at put(): a bad record
 * fails alone instead of failing every record of its batch.
 */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const EXPLICIT_HASH_KEY = /^(0|[1-9][0-9]{0,38})$/;
const MAX_PARTITION_KEY_CHARS = 256;

function checkRecord(record: IngestRecord): void {
  const key = record.partitionKey;
  // JSON Schema's maxLength counts characters (code points); a UTF-16 length within it is within it.
  if (
    key !== undefined &&
    (key === '' || (key.length > MAX_PARTITION_KEY_CHARS && [...key].length > MAX_PARTITION_KEY_CHARS))
  )
    throw new IngestError('BadRecord', `A partitionKey takes 1 to ${MAX_PARTITION_KEY_CHARS} characters.`);
  if (record.explicitHashKey !== undefined && !EXPLICIT_HASH_KEY.test(record.explicitHashKey))
    throw new IngestError('BadRecord', 'An explicitHashKey is a decimal number of up to 39 digits.');
  // Sent as is, the API would refuse it; sending one of the two would drop the other silently.
  if ('dataBase64' in record && (record as { data?: unknown }).data !== undefined)
    throw new IngestError('BadRecord', 'A record has either `data` or `dataBase64`, not both.');
  if ('dataBase64' in record && !BASE64.test(record.dataBase64))
    throw new IngestError('BadRecord', '`dataBase64` must be standard base64 with padding.');
}

/** The entry as sent (JSON) and its size as Kinesis counts it, with the data serialized once (pure). */
function serializeEntry(record: IngestRecord): { entry: string; bytes: number } {
  checkRecord(record);
  const keyBytes =
    record.partitionKey === undefined ? GENERATED_KEY_BYTES : Buffer.byteLength(record.partitionKey, 'utf8');
  const rest = `${record.partitionKey === undefined ? '' : `,"partitionKey":${JSON.stringify(record.partitionKey)}`}${record.explicitHashKey === undefined ? '' : `,"explicitHashKey":${JSON.stringify(record.explicitHashKey)}`}}`;
  if ('dataBase64' in record)
    return {
      entry: `{"dataBase64":${JSON.stringify(record.dataBase64)}${rest}`,
      bytes: Buffer.byteLength(record.dataBase64, 'base64') + keyBytes,
    };
  const json = JSON.stringify(record.data);
  if (json === undefined) throw new IngestError('BadRecord', 'A record needs `data` (any JSON value) or `dataBase64`.');
  // A JSON string is stored as its characters, any other value as its compact JSON.
  const stored = typeof record.data === 'string' ? record.data : json;
  return { entry: `{"data":${json}${rest}`, bytes: Buffer.byteLength(stored, 'utf8') + keyBytes };
}

export class IngestClient {
  private readonly sender: PutRecordsSender;
  private readonly limits: {
    batchRecords: number;
    batchBytes: number;
    recordBytes: number;
    bufferedRecords: number;
    bufferedBytes: number;
    inFlight: number;
    lingerMs: number;
  };
  private readonly keepsKeyOrder: boolean;
  private readonly backoff: BackoffOptions;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  /**
   * The last record buffered of each partition key. A key's records form a chain (`next`) of which
   * only the first may be sendable or in flight: a key's next record is sent once the one before it
   * is done.
   */
  private readonly lastOfKey = new Map<string, Pending>();
  /** Records that can be sent now, oldest first. */
  private readonly ready = new Deque<Pending>();
  private readyBytes = 0;
  /** Puts waiting for room (back-pressure), in order. */
  private readonly admissions = new Deque<{ pending: Pending; resolve(ticket: PutTicket): void }>();
  private readonly flushes: Flush[] = [];
  private buffered = 0;
  private bufferedBodyBytes = 0;
  private inFlight = 0;
  private serials = 0;
  private closed = false;
  /**
   * Set while a request has been started, or a batch's worth of puts admitted, and the event loop has
   * not turned since: puts resolve after it. A producer whose puts always find room would otherwise
   * loop on resolved promises (microtasks): no request would leave, and no answer or linger be
   * handled, until its buffer filled.
   */
  private ioTurn: Promise<void> | undefined;
  private putsSinceTurn = 0;
  private lingerArmed = false;
  private lingerDue = false;
  private counts = { sent: 0, retried: 0, failed: 0, requests: 0 };
  /** Waits of the default sleep not yet over: close() clears the linger's, which nothing waits on then. */
  private readonly timers = new Set<NodeJS.Timeout>();
  /** The first record given up on, for close(). */
  private firstFailure: IngestError | undefined;

  constructor(private readonly options: IngestClientOptions) {
    this.sender = createPutRecordsSender(options, options.stream);
    this.limits = {
      batchRecords: Math.min(options.maxBatchRecords ?? KINESIS_MAX_BATCH_RECORDS, KINESIS_MAX_BATCH_RECORDS),
      batchBytes: Math.min(options.maxBatchBytes ?? KINESIS_MAX_BATCH_BYTES, KINESIS_MAX_BATCH_BYTES),
      recordBytes: options.maxRecordBytes ?? KINESIS_DEFAULT_MAX_RECORD_BYTES,
      bufferedRecords: options.maxBufferedRecords ?? 20_000,
      bufferedBytes: options.maxBufferedBytes ?? 64 * 1024 * 1024,
      inFlight: options.maxInFlightRequests ?? 4,
      lingerMs: options.lingerMs ?? 50,
    };
    this.keepsKeyOrder = options.ordering !== 'none';
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.sleep =
      options.sleep ??
      ((ms) =>
        new Promise((resolve) => {
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            resolve();
          }, ms);
          this.timers.add(timer);
        }));
    this.random = options.random ?? Math.random;
  }

  /**
   * Buffers a record. Resolves once it is buffered (at once while there is room; otherwise when
   * earlier records are done: back-pressure). Rejects with an IngestError for a record that can never
   * be sent (over `maxRecordBytes`), or after `close()`.
   */
  put(record: IngestRecord): Promise<PutTicket> {
    if (this.closed) return Promise.reject(new IngestError('ClientClosed', 'put() after close()'));
    let serialized: { entry: string; bytes: number };
    try {
      serialized = serializeEntry(record);
    } catch (error) {
      return Promise.reject(error);
    }
    const { entry, bytes } = serialized;
    if (bytes > this.limits.recordBytes) {
      return Promise.reject(
        new IngestError(
          'RecordTooLarge',
          `The record takes ${bytes} bytes (data plus partition key); the stream takes at most ${this.limits.recordBytes}.`,
        ),
      );
    }
    const bodyBytes = Buffer.byteLength(entry, 'utf8');
    if (bodyBytes + 32 > MAX_BODY_BYTES) {
      return Promise.reject(
        new IngestError(
          'RecordTooLarge',
          "The record as JSON exceeds API Gateway's 10 MB payload quota: send it as dataBase64.",
        ),
      );
    }
    // Keyless records have no order between them (the gateway makes up their keys).
    const key = this.keepsKeyOrder ? record.partitionKey : undefined;
    const pending = new Pending(entry, bodyBytes, bytes, key, (this.serials += 1));
    if (this.admissions.length === 0 && this.hasRoomFor(pending)) {
      this.admit(pending);
      if ((this.putsSinceTurn += 1) >= this.limits.batchRecords) this.yieldTurn();
      return this.ioTurn === undefined ? Promise.resolve(pending) : this.ioTurn.then(() => pending);
    }
    return new Promise((resolve) => this.admissions.push({ pending, resolve }));
  }

  /**
   * Sends everything buffered now without waiting for the linger time; resolves once each of those
   * records (and puts waiting for room) is stored or has failed. Rejects with the first IngestError
   * among them.
   */
  flush(): Promise<void> {
    return new Promise((resolve, reject) => {
      // Every record not done yet was put before this call.
      const remaining = this.buffered + this.admissions.length;
      if (remaining === 0) return resolve();
      const flush: Flush = {
        upTo: this.serials,
        remaining,
        done: () => (flush.error === undefined ? resolve() : reject(flush.error)),
      };
      this.flushes.push(flush);
      this.pump();
    });
  }

  /**
   * Refuses new puts, then flushes: resolves once everything put is stored; rejects, once nothing is
   * left to send, with the first IngestError of any record put, also one that failed before close().
   */
  async close(): Promise<void> {
    this.closed = true;
    // flush()'s error, if any, is a record's failure: firstFailure is it or an earlier one.
    await this.flush().catch(() => undefined);
    this.sender.close();
    // Nothing is buffered now, so no retry waits: what is left is an armed linger.
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.firstFailure !== undefined) throw this.firstFailure;
  }

  stats(): IngestStats {
    return { ...this.counts, buffered: this.buffered, inFlightRequests: this.inFlight };
  }

  private hasRoomFor(pending: Pending): boolean {
    if (this.buffered === 0) return true;
    return (
      this.buffered < this.limits.bufferedRecords &&
      this.bufferedBodyBytes + pending.bodyBytes <= this.limits.bufferedBytes
    );
  }

  private admit(pending: Pending): void {
    this.buffered += 1;
    this.bufferedBodyBytes += pending.bodyBytes;
    const earlier = pending.key === undefined ? undefined : this.lastOfKey.get(pending.key);
    if (pending.key !== undefined) this.lastOfKey.set(pending.key, pending);
    if (earlier === undefined) this.makeReady(pending);
    else earlier.next = pending;
    this.pump();
  }

  private makeReady(pending: Pending): void {
    this.ready.push(pending);
    this.readyBytes += pending.bytes;
  }

  /** Sends batches while a request slot is free and a batch is due (full, lingered, or flushing). */
  private pump(): void {
    while (this.inFlight < this.limits.inFlight && this.ready.length > 0) {
      const full = this.ready.length >= this.limits.batchRecords || this.readyBytes >= this.limits.batchBytes;
      if (!full && !this.lingerDue && this.flushes.length === 0) {
        this.armLinger();
        return;
      }
      this.lingerDue = false;
      void this.send(this.takeBatch());
    }
  }

  private armLinger(): void {
    if (this.lingerArmed) return;
    this.lingerArmed = true;
    const requests = this.counts.requests;
    void this.sleep(this.limits.lingerMs).then(() => {
      this.lingerArmed = false;
      // A request sent meanwhile took the oldest ready records: the rest wait a linger of their own.
      if (this.counts.requests !== requests) {
        this.pump();
        return;
      }
      this.lingerDue = true;
      this.pump();
      if (this.ready.length === 0) this.lingerDue = false;
    });
  }

  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let bytes = 0;
    let bodyBytes = 16;
    while (this.ready.length > 0 && batch.length < this.limits.batchRecords) {
      const head = this.ready.peek() as Pending;
      if (
        batch.length > 0 &&
        (bytes + head.bytes > this.limits.batchBytes || bodyBytes + head.bodyBytes + 1 > MAX_BODY_BYTES)
      )
        break;
      this.ready.shift();
      this.readyBytes -= head.bytes;
      bytes += head.bytes;
      bodyBytes += head.bodyBytes + 1;
      batch.push(head);
    }
    return batch;
  }

  private async send(batch: Pending[]): Promise<void> {
    this.inFlight += 1;
    this.yieldTurn();
    this.counts.requests += 1;
    let body = '{"records":[';
    for (let i = 0; i < batch.length; i += 1) {
      const pending = batch[i];
      pending.attempts += 1;
      body += i === 0 ? pending.entry : `,${pending.entry}`;
    }
    body += ']}';
    // Only the request's own failure counts as no answer: a throw while handling the answer must not
    // free the request slot twice or resend records already settled.
    const reply = await this.sender.send(body).catch((cause: unknown) => ({ cause }));
    this.inFlight -= 1;
    if ('cause' in reply) {
      // No answer (connection refused or reset): the request may or may not have been stored.
      const message = reply.cause instanceof Error ? reply.cause.message : String(reply.cause);
      for (const pending of batch)
        this.retry(pending, new IngestError('NetworkError', message, undefined, true, pending.attempts), undefined);
    } else this.handleReply(batch, reply);
    try {
      this.options.onStats?.(this.stats());
    } catch {
      // A failing stats sink must not stop the sending (nor reject a promise no one awaits).
    }
    this.pump();
  }

  /** Makes the puts from now on resolve after the event loop's next turn (I/O included). */
  private yieldTurn(): void {
    this.ioTurn ??= new Promise((resolve) =>
      setImmediate(() => {
        this.ioTurn = undefined;
        this.putsSinceTurn = 0;
        resolve();
      }),
    );
  }

  private handleReply(batch: Pending[], { status, retryAfter, data, error }: PutRecordsReply): void {
    if (status === 200 && Array.isArray(data?.records) && data.records.length === batch.length) {
      const entries = data.records;
      for (let i = 0; i < batch.length; i += 1) {
        const pending = batch[i];
        // An entry that is not an object answers nothing: it is handled as one without an error code.
        const entry: Partial<PutRecordsResultEntry> = entries[i] ?? {};
        if (entry.sequenceNumber !== undefined && entry.shardId !== undefined) {
          this.counts.sent += 1;
          this.settle(pending, {
            result: { shardId: entry.shardId, sequenceNumber: entry.sequenceNumber, attempts: pending.attempts },
          });
        } else if (RETRYABLE_ENTRY_CODES.has(entry.errorCode ?? ''))
          this.retry(
            pending,
            new IngestError(entry.errorCode ?? '', entry.errorMessage ?? '', 200, true, pending.attempts),
            undefined,
          );
        else
          this.fail(
            pending,
            new IngestError(
              entry.errorCode ?? 'UnknownEntryError',
              entry.errorMessage ?? 'The entry was neither stored nor given an error code.',
              200,
              false,
              pending.attempts,
            ),
          );
      }
      return;
    }
    // A 200 that does not answer every entry is the API's fault, not the records': resend.
    const retryable = status === 200 || isRetryableStatus(status);
    const wait = retryAfterMs(retryAfter);
    const results = Array.isArray(data?.records) ? `${data.records.length} results` : 'no results';
    for (const pending of batch) {
      const failure =
        status === 200
          ? new IngestError(
              'MalformedAnswer',
              `The API answered 200 with ${results} for a batch of ${batch.length}: not a PutRecords answer.`,
              200,
              true,
              pending.attempts,
            )
          : errorFromAnswer(status, error, retryable, pending.attempts);
      if (retryable) this.retry(pending, failure, wait);
      else this.fail(pending, failure);
    }
  }

  private retry(pending: Pending, failure: IngestError, waitMs: number | undefined): void {
    if (pending.attempts >= this.backoff.maxAttempts) {
      this.fail(pending, failure);
      return;
    }
    this.counts.retried += 1;
    const delay = Math.max(waitMs ?? 0, fullJitterDelay(pending.attempts, this.backoff, this.random));
    // It stays first of its key while it backs off, so no later record of the key overtakes it.
    void this.sleep(delay).then(() => {
      this.makeReady(pending);
      this.pump();
    });
  }

  private fail(pending: Pending, error: IngestError): void {
    this.counts.failed += 1;
    this.firstFailure ??= error;
    this.settle(pending, { error });
  }

  private settle(pending: Pending, outcome: Outcome): void {
    pending.outcome = outcome;
    if (pending.next !== undefined) this.makeReady(pending.next);
    else if (pending.key !== undefined) this.lastOfKey.delete(pending.key);
    pending.next = undefined;
    this.buffered -= 1;
    this.bufferedBodyBytes -= pending.bodyBytes;
    if (pending.waiters !== undefined)
      for (const waiter of pending.waiters) {
        if ('result' in outcome) waiter.resolve(outcome.result);
        else waiter.reject(outcome.error);
      }
    if (this.flushes.length > 0) this.settleFlushes(pending, outcome);
    while (this.admissions.length > 0 && this.hasRoomFor((this.admissions.peek() as { pending: Pending }).pending)) {
      const { pending: next, resolve } = this.admissions.shift() as {
        pending: Pending;
        resolve(ticket: PutTicket): void;
      };
      this.admit(next);
      resolve(next);
    }
  }

  private settleFlushes(pending: Pending, outcome: Outcome): void {
    for (let i = this.flushes.length - 1; i >= 0; i -= 1) {
      const flush = this.flushes[i];
      if (pending.serial > flush.upTo) continue;
      if ('error' in outcome) flush.error ??= outcome.error;
      flush.remaining -= 1;
      if (flush.remaining === 0) {
        this.flushes.splice(i, 1);
        flush.done();
      }
    }
  }
}
