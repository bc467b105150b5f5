/// <reference path="./newman.d.ts" />
/** newman's Node API as a promise, with a readable list of what failed. */
import { run, type NewmanRunOptions, type NewmanRunSummary } from 'newman';

export function runNewman(options: NewmanRunOptions): Promise<NewmanRunSummary> {
  return new Promise((resolve, reject) => {
    run({ reporters: [], timeoutRequest: 10_000, ...options }, (error, summary) =>
      error ? reject(error) : resolve(summary),
    );
  });
}

/** One line per failure: the request, the test and the message. */
export function describeFailures(summary: NewmanRunSummary): string[] {
  return summary.run.failures.map(
    (f) => `${f.source?.name ?? '?'}: ${f.error.test ?? f.error.name}: ${f.error.message}`,
  );
}
