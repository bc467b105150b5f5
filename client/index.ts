/** The TypeScript client of the API: typed requests, a batching producer, and a stream tail. */
export { createIngestApi, type ApiAuth, type ApiOptions, type IngestApi, type ApiError } from './api';
export type { paths, components, operations } from './api-types';
export {
  IngestClient,
  kinesisRecordBytes,
  type IngestClientOptions,
  type IngestRecord,
  type IngestStats,
  type PutResult,
  type PutTicket,
} from './ingest-client';
export { IngestError } from './ingest-error';
export { DEFAULT_BACKOFF, fullJitterDelay, retryAfterMs, type BackoffOptions } from './backoff';
export {
  tailStream,
  abortableSleep,
  KINESIS_READS_PER_SECOND_PER_SHARD,
  type TailOptions,
  type TailRetry,
  type TailStart,
} from './stream-tail';
export { decodeData, formatForHumans, formatJsonLine, type DecodedData, type TailedRecord } from './record-format';
export { parseTailStart } from './tail-start';
