/**
 * The behaviour check: the base's contract collection (and its example variants) run with newman
 * against this working tree's local gateway, on 127.0.0.1 with a free port and the embedded
 * Kinesis. Every failed assertion of a base request is a change existing clients would feel.
 */
import { join } from 'node:path';
import type { NewmanRunSummary, NewmanVariable } from 'newman';
import { loadConfig } from '../config/ingest-config';
import { startLocalApi, type LocalApi } from '../local/start-local-api';
import type { PostmanEnvironment } from '../postman/types';
import { runNewman } from '../postman/run-newman';
import type { CollectionRun } from './example-variants';

export interface BehaviourFailure {
  /** The run's label: "as made", or the example a request sent. */
  readonly run: string;
  readonly request: string;
  readonly assertion: string;
  readonly message: string;
}

/** One assertion of a base request that failed, in one or more runs. */
export interface FailedAssertion {
  readonly request: string;
  readonly assertion: string;
  /** The message of its first failure. */
  readonly message: string;
  readonly runs: string[];
}

export interface RequestOutcome {
  readonly request: string;
  readonly status?: number;
  readonly assertions: number;
  readonly failed: number;
}

export interface RunOutcome {
  readonly label: string;
  readonly requests: RequestOutcome[];
  readonly assertions: { readonly total: number; readonly failed: number };
  readonly failures: BehaviourFailure[];
}

/** The URL and credentials of this gateway, in the variables every collection of the project reads. */
function connectionVariables(api: LocalApi): NewmanVariable[] {
  const vars: NewmanVariable[] = [{ key: 'baseUrl', value: api.url }];
  if (api.apiKey !== undefined) vars.push({ key: 'apiKey', value: api.apiKey });
  if (api.iamCredentials !== undefined) {
    vars.push(
      { key: 'awsAccessKeyId', value: api.iamCredentials.accessKeyId },
      { key: 'awsSecretAccessKey', value: api.iamCredentials.secretAccessKey },
    );
  }
  return vars;
}

function outcome(label: string, summary: NewmanRunSummary): RunOutcome {
  const requests = summary.run.executions.map((e): RequestOutcome => {
    const asserted = e.assertions ?? [];
    return {
      request: e.item.name,
      ...(e.response === undefined ? {} : { status: e.response.code }),
      assertions: asserted.length,
      failed: asserted.filter((a) => a.error !== undefined).length + (e.requestError === undefined ? 0 : 1),
    };
  });
  const failures = summary.run.failures.map((f) => ({
    run: label,
    request: f.source?.name ?? '(collection)',
    assertion: f.error.test ?? f.error.name,
    message: f.error.message,
  }));
  return {
    label,
    requests,
    assertions: { total: summary.run.stats.assertions.total, failed: summary.run.stats.assertions.failed },
    failures,
  };
}

/**
 * The gateway serves `workingDir`'s spec and configuration (cdk.json), as `npm start` there
 * would; its code is this process's, which is that tree's own when run as `npm run diff`.
 */
export async function runBaseContract(
  workingDir: string,
  runs: readonly CollectionRun[],
  environment?: PostmanEnvironment,
): Promise<RunOutcome[]> {
  const api = await startLocalApi({
    host: '127.0.0.1',
    port: 0,
    throttle: false,
    config: loadConfig({}, join(workingDir, 'cdk.json')),
    specRoot: join(workingDir, 'openapi', 'openapi.yaml'),
  });
  try {
    const envVar = connectionVariables(api);
    const outcomes: RunOutcome[] = [];
    for (const run of runs) {
      const summary = await runNewman({
        collection: run.collection,
        ...(environment === undefined ? {} : { environment }),
        envVar,
      });
      outcomes.push(outcome(run.label, summary));
    }
    return outcomes;
  } finally {
    await api.close();
  }
}

/** Each failed (request, assertion) once, with the runs it failed in, in run order. */
export function failedAssertions(runs: readonly RunOutcome[]): FailedAssertion[] {
  const byKey = new Map<string, FailedAssertion>();
  for (const run of runs) {
    for (const f of run.failures) {
      const key = JSON.stringify([f.request, f.assertion]);
      const seen = byKey.get(key);
      if (seen === undefined)
        byKey.set(key, { request: f.request, assertion: f.assertion, message: f.message, runs: [run.label] });
      else if (!seen.runs.includes(run.label)) seen.runs.push(run.label);
    }
  }
  return [...byKey.values()];
}
