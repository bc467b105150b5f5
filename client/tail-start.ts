import type { TailStart } from './stream-tail';

/** `--from`: `trim-horizon`, `latest` or an ISO 8601 time (pure). */
export function parseTailStart(value: string): TailStart {
  const lower = value.toLowerCase();
  if (lower === 'trim-horizon') return { type: 'TRIM_HORIZON' };
  if (lower === 'latest') return { type: 'LATEST' };
  const time = /^\d{4}-\d{2}-\d{2}(T|$)/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(time.getTime()))
    throw new Error(`--from ${value}: use trim-horizon, latest, or an ISO 8601 time such as 2026-01-31T12:00:00Z`);
  return { type: 'AT_TIMESTAMP', timestamp: time };
}
