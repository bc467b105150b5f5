/**
 * What Kinesis itself refuses, refused before any backend sees the call, so that every backend
 * (the embedded kinesalite, kinesis-mock, any endpoint) answers as Kinesis does:
 *
 * - the request limits (Kinesis Data Streams quotas and limits; API_PutRecords.html,
 *   API_PutRecordsRequestEntry.html): 1 to 500 records and at most 5 MiB per PutRecords, partition
 *   keys included; each record (data and partition key) at most the stream's maximum record size
 *   (1 MiB unless raised, up to 10 MiB); a partition key of 1 to 256 Unicode characters;
 * - the role's scope: in the cloud the integration role may only touch the configured streams, so a
 *   call naming another stream, or reading with another stream's shard iterator, is denied with
 *   Kinesis's AccessDeniedException.
 *
 * Codes, statuses and messages are Kinesis's: HTTP 400 with `__type` (Kinesis API reference,
 * "Common Errors"), the validation messages in the form Kinesis answers them (the same strings are
 * asserted against AWS's answers in moto's tests/test_kinesis/test_kinesis_stream_limits.py).
 */
import type { IteratorLedger } from './iterator-ledger';
import type { KinesisCallInput, KinesisCallResult, KinesisCaller } from './kinesis-caller';

export const MAX_RECORDS_PER_BATCH = 500;
export const MAX_BATCH_BYTES = 5 * 1024 * 1024;
export const MAX_PARTITION_KEY_LENGTH = 256;

export interface StreamScope {
  /** Kinesis stream name (the configuration's physicalName) -> its maximum record size in KiB. */
  readonly maxRecordSizeKiB: ReadonlyMap<string, number>;
  /**
   * The stream a shard iterator reads, when the backend can tell (the embedded kinesalite can);
   * undefined when it cannot, and then the backend judges the iterator itself.
   */
  readonly streamOfIterator?: (iterator: string) => string | undefined;
  /**
   * For a backend whose iterators cannot be read: the iterators the gateway handed out. GetRecords
   * with any other iterator is denied.
   */
  readonly iterators?: IteratorLedger;
  /** The backend never hands out a ListShards NextToken, so any NextToken sent is not one of its. */
  readonly listsShardsInOnePage?: boolean;
}

export interface KinesisRefusal {
  readonly type: 'ValidationException' | 'InvalidArgumentException' | 'AccessDeniedException';
  readonly message: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `arn:aws:kinesis:us-east-1:123456789012:stream/name` -> `name` */
function streamNamed(body: Json): string | undefined {
  if (typeof body.StreamName === 'string') return body.StreamName;
  if (typeof body.StreamARN === 'string') return /:stream\/([^/]+)$/.exec(body.StreamARN)?.[1] ?? body.StreamARN;
  return undefined;
}

function denied(action: string, stream: string): KinesisRefusal {
  return {
    type: 'AccessDeniedException',
    message:
      `User: the API's integration role is not authorized to perform: kinesis:${action} on resource: stream/${stream} ` +
      `because no identity-based policy allows the kinesis:${action} action`,
  };
}

/** An iterator the gateway never handed out: the stream it reads cannot be named, only refused. */
function unknownIterator(): KinesisRefusal {
  return {
    type: 'AccessDeniedException',
    message:
      "User: the API's integration role is not authorized to perform: kinesis:GetRecords on the stream of this shard iterator: " +
      'it was not handed out by this API for one of its streams (or over 6 minutes ago): get one from GET /streams/{stream-name}/sharditerator',
  };
}

function tooLong(where: string, max: number): KinesisRefusal {
  return {
    type: 'ValidationException',
    message: `1 validation error detected: Value at '${where}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
  };
}

function tooShort(where: string, min: number): KinesisRefusal {
  return {
    type: 'ValidationException',
    message: `1 validation error detected: Value at '${where}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`,
  };
}

/** Bytes of a base64 text, without decoding it (Node counts the same way when it decodes). */
const base64Bytes = (data: unknown): number => (typeof data === 'string' ? Buffer.byteLength(data, 'base64') : 0);
const keyBytes = (key: unknown): number => (typeof key === 'string' ? Buffer.byteLength(key, 'utf8') : 0);

/** One record's checks; `where` is Kinesis's name for it (`records.3.member.` or ``). */
function checkRecord(record: Json, where: string, maxRecordBytes: number): KinesisRefusal | undefined {
  const key = record.PartitionKey;
  if (typeof key === 'string') {
    // Kinesis counts the key's characters as Java does (UTF-16 code units), as String#length does.
    if (key.length < 1) return tooShort(`${where}partitionKey`, 1);
    if (key.length > MAX_PARTITION_KEY_LENGTH) return tooLong(`${where}partitionKey`, MAX_PARTITION_KEY_LENGTH);
  }
  // The record size limit applies to the data and the partition key together (API_PutRecords.html).
  if (base64Bytes(record.Data) + keyBytes(key) > maxRecordBytes) return tooLong(`${where}data`, maxRecordBytes);
  return undefined;
}

/**
 * Why Kinesis would refuse this call, or undefined when it is for the backend to judge. `body` is
 * the integration request as sent; one that is not JSON is left to the backend (its
 * SerializationException is Kinesis's answer too).
 */
export function refuseKinesisRequest(action: string, body: string, scope: StreamScope): KinesisRefusal | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;

  const stream = streamNamed(parsed);
  if (stream !== undefined && !scope.maxRecordSizeKiB.has(stream)) return denied(action, stream);
  if (action === 'GetRecords' && typeof parsed.ShardIterator === 'string') {
    const read = scope.streamOfIterator?.(parsed.ShardIterator) ?? scope.iterators?.streamOf(parsed.ShardIterator);
    if (read !== undefined && !scope.maxRecordSizeKiB.has(read)) return denied(action, read);
    if (read === undefined && scope.iterators !== undefined) return unknownIterator();
  }
  if (action === 'ListShards' && parsed.NextToken !== undefined && scope.listsShardsInOnePage === true) {
    // Kinesis refuses a token it did not issue with InvalidArgumentException (ListShards API
    // reference, Errors); the message is ours.
    return {
      type: 'InvalidArgumentException',
      message: 'NextToken is not a token this stream gave: send the nextToken of the previous page',
    };
  }
  const maxRecordBytes = (scope.maxRecordSizeKiB.get(stream ?? '') ?? 1024) * 1024;

  if (action === 'PutRecord') return checkRecord(parsed, '', maxRecordBytes);
  if (action !== 'PutRecords' || !Array.isArray(parsed.Records)) return undefined;
  const records: unknown[] = parsed.Records;
  if (records.length < 1) return tooShort('records', 1);
  if (records.length > MAX_RECORDS_PER_BATCH) return tooLong('records', MAX_RECORDS_PER_BATCH);
  let total = 0;
  for (let i = 0; i < records.length; i += 1) {
    const record = records[i];
    if (!isObject(record)) continue;
    const problem = checkRecord(record, `records.${i + 1}.member.`, maxRecordBytes);
    if (problem) return problem;
    total += base64Bytes(record.Data) + keyBytes(record.PartitionKey);
  }
  if (total > MAX_BATCH_BYTES) return { type: 'InvalidArgumentException', message: 'Records size exceeds 5 MB limit' };
  return undefined;
}

/** Kinesis's own answer for a refusal: HTTP 400, JSON 1.1, the error named in `__type`. */
export function refusalAnswer(refusal: KinesisRefusal): KinesisCallResult {
  return {
    status: 400,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({ __type: refusal.type, message: refusal.message }),
  };
}

/**
 * Judges large requests off the main thread: refuseKinesisRequest() with the same limits, shard
 * iterators aside (GetRecords is always judged where it arrives: its body is small).
 */
export interface OffThreadJudge {
  readonly aboveBytes: number;
  judge(action: string, body: string): Promise<KinesisRefusal | undefined>;
}

const parsedObject = (text: string): Json | undefined => {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
};

/** Learns the iterators a successful GetShardIterator or GetRecords hands out, and the stream each reads. */
function learnIterators(ledger: IteratorLedger, input: KinesisCallInput, answer: KinesisCallResult): void {
  if (answer.status !== 200 || (input.action !== 'GetShardIterator' && input.action !== 'GetRecords')) return;
  const request = parsedObject(input.body);
  const response = parsedObject(answer.body);
  if (request === undefined || response === undefined) return;
  if (input.action === 'GetShardIterator') {
    const stream = streamNamed(request);
    if (stream !== undefined && typeof response.ShardIterator === 'string')
      ledger.remember(response.ShardIterator, stream);
    return;
  }
  const stream = typeof request.ShardIterator === 'string' ? ledger.streamOf(request.ShardIterator) : undefined;
  if (stream !== undefined && typeof response.NextShardIterator === 'string')
    ledger.remember(response.NextShardIterator, stream);
}

/** A caller that answers Kinesis's refusals itself and passes every other call on. */
export function guardKinesisCalls(
  caller: KinesisCaller,
  scope: StreamScope,
  offThread?: OffThreadJudge,
): KinesisCaller {
  return {
    call: async (input: KinesisCallInput) => {
      const refusal =
        offThread !== undefined && input.action !== 'GetRecords' && input.body.length > offThread.aboveBytes
          ? await offThread.judge(input.action, input.body)
          : refuseKinesisRequest(input.action, input.body, scope);
      if (refusal !== undefined) return refusalAnswer(refusal);
      const answer = await caller.call(input);
      if (scope.iterators !== undefined) learnIterators(scope.iterators, input, answer);
      return answer;
    },
    close: () => caller.close(),
  };
}
