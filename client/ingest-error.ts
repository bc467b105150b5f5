/** What the client reports when a record cannot be stored: the API's `{error, message}` and the HTTP status. */
export class IngestError extends Error {
  override readonly name = 'IngestError';

  constructor(
    /** The API's `error` (`BadRequestBody`, `InvalidApiKey`, …), a Kinesis per-record `errorCode`, or the client's own (`RecordTooLarge`, `ClientClosed`, `NetworkError`). */
    readonly code: string,
    message: string,
    /** The HTTP status of the answer, when there was one. */
    readonly status?: number,
    /** Whether the failure was one a retry can fix (then the client gave up after `attempts`). */
    readonly retryable = false,
    readonly attempts = 0,
  ) {
    super(message);
  }
}
