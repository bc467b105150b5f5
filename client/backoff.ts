/**
 * Retry timing (pure): exponential backoff with full jitter, a random wait between 0 and
 * min(cap, base × 2^(attempt − 1)), which spreads retries of many producers apart
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/); and the API's
 * `Retry-After` (seconds, or an HTTP date: RFC 9110, section 10.2.3), which is a floor.
 */
export interface BackoffOptions {
  readonly baseMs: number;
  readonly capMs: number;
  /** Requests per record, the first included, before the client gives up on it. */
  readonly maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 100, capMs: 20_000, maxAttempts: 10 };

/** The wait before resending after `attempt` failed tries (1 = the first send failed). */
export function fullJitterDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** `Retry-After` in milliseconds, or undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
