/**
 * The generated Postman collection, run with newman against the local gateway: every request of
 * the flow (streams, shards, put, read, the record read back at its sequence number) and the
 * negative ones pass their spec-derived tests. Files are written to a temporary folder.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthMode } from '../../config/ingest-config';
import { startLocalApi, type LocalApi } from '../../local/start-local-api';
import { exportPostman, listRequests, type PostmanCollection } from '../../postman';
import { describeFailures, runNewman } from '../../postman/run-newman';
import type { NewmanRunSummary } from 'newman';

/** Fewer than this many assertions would mean tests were lost on the way. */
const MIN_ASSERTIONS = 20;

interface Run {
  readonly summary: NewmanRunSummary;
  readonly collection: PostmanCollection;
}

async function runAgainstLocalGateway(auth: AuthMode): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), `postman-${auth}-`));
  let api: LocalApi | undefined;
  try {
    api = await startLocalApi({ port: 0, throttle: false, auth });
    const files = await exportPostman({ outDir: dir, config: api.config });
    const envVar = [{ key: 'baseUrl', value: api.url }];
    if (api.apiKey !== undefined) envVar.push({ key: 'apiKey', value: api.apiKey });
    if (api.iamCredentials !== undefined) {
      envVar.push(
        { key: 'awsAccessKeyId', value: api.iamCredentials.accessKeyId },
        { key: 'awsSecretAccessKey', value: api.iamCredentials.secretAccessKey },
      );
    }
    const summary = await runNewman({ collection: files.collection, environment: files.localEnvironment, envVar });
    return { summary, collection: JSON.parse(readFileSync(files.collection, 'utf8')) as PostmanCollection };
  } finally {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('apiKey mode (the default configuration)', () => {
  let result: Run;
  beforeAll(async () => {
    result = await runAgainstLocalGateway('apiKey');
  }, 90_000);

  test('no failures', () => {
    expect(describeFailures(result.summary)).toEqual([]);
  });

  test('every request of the collection was executed, in order, and answered', () => {
    const executed = result.summary.run.executions.map((e) => e.item.name);
    expect(executed).toEqual(listRequests(result.collection).map((i) => i.name));
    expect(
      result.summary.run.executions.filter((e) => e.requestError !== undefined || e.response === undefined),
    ).toEqual([]);
  });

  test('every assertion ran and passed, and there are enough of them', () => {
    const { assertions } = result.summary.run.stats;
    expect(assertions.failed).toBe(0);
    expect(assertions.total).toBeGreaterThanOrEqual(MIN_ASSERTIONS);
    const skipped = result.summary.run.executions.flatMap((e) =>
      (e.assertions ?? []).filter((a) => a.skipped).map((a) => `${e.item.name}: ${a.assertion}`),
    );
    expect(skipped).toEqual([]);
  });

  test('the record was read back byte for byte', () => {
    const readBack = result.summary.run.executions.find((e) => e.item.name === 'Read back the record put');
    expect(readBack?.assertions?.map((a) => [a.assertion, a.error?.message])).toContainEqual([
      'the record read back is the record put, byte for byte',
      undefined,
    ]);
  });
});

test('iam mode: the collection signs with AWS Signature v4 and passes', async () => {
  const { summary } = await runAgainstLocalGateway('iam');
  expect(describeFailures(summary)).toEqual([]);
  expect(summary.run.stats.assertions.total).toBeGreaterThanOrEqual(MIN_ASSERTIONS);
}, 90_000);

test('none mode: the collection runs without credentials and passes', async () => {
  const { summary } = await runAgainstLocalGateway('none');
  expect(describeFailures(summary)).toEqual([]);
  expect(summary.run.stats.assertions.total).toBeGreaterThanOrEqual(MIN_ASSERTIONS);
}, 90_000);
