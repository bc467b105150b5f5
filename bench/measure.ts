/** Runs a bounded workload and reports throughput and latency percentiles (pure timing helpers). */
import { performance } from 'node:perf_hooks';

export interface Measurement {
  readonly requests: number;
  readonly seconds: number;
  readonly requestsPerSec: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

/** The middle value (the upper one of the two for an even count). */
export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1];

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** Calls `task` `count` times with `concurrency` workers; every call must resolve. */
export async function measure(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<Measurement> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next;
      next += 1;
      const t0 = performance.now();
      await task(i);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: count,
    seconds: round(seconds, 3),
    requestsPerSec: round(count / seconds, 1),
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies[latencies.length - 1] ?? 0),
    },
  };
}
