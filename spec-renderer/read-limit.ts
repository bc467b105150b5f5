/**
 * How many records one GetRecords through API Gateway can return without its response going over
 * API Gateway's 10 MB payload quota (developer guide, limits: "Payload size 10 MB"; Kinesis itself
 * returns up to 10 MiB of data per call, more than that once base64 in JSON). Pure.
 */

/** "10 MB" read as 10^7 bytes: the smaller of its two readings. */
const RESPONSE_QUOTA_BYTES = 10_000_000;
/** `{"records": [], "nextShardIterator": "<up to 512>", "millisBehindLatest": <n>}` */
const ENVELOPE_BYTES = 1024;
/**
 * A record's fields besides data: a partition key of up to 256 characters escaped as \uXXXX
 * (up to 3,072 bytes), a sequence number of up to 128 digits, a timestamp, and the field names.
 */
const PER_RECORD_BYTES = 4096;
/** Kinesis's own bound on GetRecords' Limit. */
export const KINESIS_MAX_LIMIT = 10_000;

/** The largest safe `limit` for a stream whose records are at most `maxRecordSizeKiB`; at least 1. */
export function maxRecordsPerRead(maxRecordSizeKiB: number): number {
  const base64Bytes = Math.ceil((maxRecordSizeKiB * 1024) / 3) * 4;
  const fits = Math.floor((RESPONSE_QUOTA_BYTES - ENVELOPE_BYTES) / (base64Bytes + PER_RECORD_BYTES));
  return Math.max(1, Math.min(KINESIS_MAX_LIMIT, fits));
}

/** A stream's read bound: its configured `maxRecordsPerRead`, else the largest safe one. */
export function readBound(stream: { readonly maxRecordSizeKiB: number; readonly maxRecordsPerRead?: number }): number {
  return stream.maxRecordsPerRead ?? maxRecordsPerRead(stream.maxRecordSizeKiB);
}
