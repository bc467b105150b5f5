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

/**
 * The IngestError for an API answer other than success: its `{error, message}` body, or API
 * Gateway's own plain text (the 413 payload quota), or just the status.
 */
export function errorFromAnswer(status: number, body: unknown, retryable = false, attempts = 0): IngestError {
  const fields = typeof body === 'object' && body !== null ? (body as { error?: unknown; message?: unknown }) : {};
  const code = typeof fields.error === 'string' ? fields.error : `HTTP${status}`;
  const message =
    typeof fields.message === 'string'
      ? fields.message
      : typeof body === 'string' && body !== ''
        ? body.slice(0, 300)
        : `The API answered ${status}.`;
  return new IngestError(code, message, status, retryable, attempts);
}
