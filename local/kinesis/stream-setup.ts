/**
 * Makes sure the configured streams exist and are ACTIVE before the gateway takes requests: creates
 * the missing ones where asked to, and waits for all of them.
 */
import type { StreamConfig } from '../../config/ingest-config';
import type { CredentialsSource, KinesisCaller } from '../integration';

export interface EnsureStreamsOptions {
  /** Where the streams live, and the region to sign for. */
  readonly endpoint: string;
  readonly region: string;
  /** Default: the caller's own. */
  readonly credentials?: CredentialsSource;
  /** Create the streams that are missing (default false: a missing stream is an error). */
  readonly createMissing?: boolean;
  /** Give up waiting for a stream to become ACTIVE after this long (default 60 s). */
  readonly timeoutMs?: number;
  /** Create ON_DEMAND streams as this many shards instead: for kinesalite, which has no on-demand mode. */
  readonly onDemandShardCount?: number;
  /**
   * Also bring the retention of streams that already exist to the configured one: for the local
   * emulators, whose data the config owns. Streams created here always get it.
   */
  readonly reconcileRetention?: boolean;
  /** Clamp the retention to what the backend accepts (kinesalite: 168 hours). */
  readonly maxRetentionHours?: number;
}

interface Summary {
  readonly StreamStatus: string;
  readonly RetentionPeriodHours: number;
}

interface Answer<T> {
  readonly status: number;
  readonly body: Partial<T> & { readonly __type?: string; readonly message?: string; readonly Message?: string };
}

const DEFAULT_TIMEOUT_MS = 60_000;
const SETUP_CALL_TIMEOUT_MS = 10_000;

async function callJson<T>(
  caller: KinesisCaller,
  options: EnsureStreamsOptions,
  action: string,
  body: object,
): Promise<Answer<T>> {
  const result = await caller.call({
    endpoint: options.endpoint,
    region: options.region,
    action,
    body: JSON.stringify(body),
    timeoutMs: SETUP_CALL_TIMEOUT_MS,
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  });
  try {
    return { status: result.status, body: (result.body === '' ? {} : JSON.parse(result.body)) as Answer<T>['body'] };
  } catch {
    throw new Error(
      `Kinesis at ${options.endpoint} answered ${action} with ${result.status} and a body that is not JSON: ${result.body.slice(0, 200)}`,
    );
  }
}

/** `com.amazonaws.kinesis#ResourceNotFoundException` -> `ResourceNotFoundException` */
function errorType(answer: Answer<unknown>): string {
  return (answer.body.__type ?? '').replace(/^.*#/, '');
}

function describeError(answer: Answer<unknown>): string {
  return `${answer.status} ${errorType(answer)} ${answer.body.message ?? answer.body.Message ?? ''}`.trim();
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function describe(
  caller: KinesisCaller,
  name: string,
  options: EnsureStreamsOptions,
): Promise<Summary | undefined> {
  const answer = await callJson<{ StreamDescriptionSummary: Summary }>(caller, options, 'DescribeStreamSummary', {
    StreamName: name,
  });
  if (answer.status === 200 && answer.body.StreamDescriptionSummary) return answer.body.StreamDescriptionSummary;
  if (errorType(answer) === 'ResourceNotFoundException') return undefined;
  throw new Error(`Kinesis at ${options.endpoint} could not describe stream ${name}: ${describeError(answer)}`);
}

/** Polls with a growing interval (25 ms up to 1 s): quick locally, gentle on the real service's limits. */
async function waitUntilActive(caller: KinesisCaller, name: string, options: EnsureStreamsOptions): Promise<Summary> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let interval = 25;
  for (;;) {
    const summary = await describe(caller, name, options);
    if (summary?.StreamStatus === 'ACTIVE') return summary;
    if (Date.now() > deadline) {
      throw new Error(
        `Stream ${name} at ${options.endpoint} is still ${summary?.StreamStatus ?? 'missing'} after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`,
      );
    }
    await sleep(interval);
    interval = Math.min(interval * 1.5, 1_000);
  }
}

async function create(caller: KinesisCaller, stream: StreamConfig, options: EnsureStreamsOptions): Promise<void> {
  const onDemand = stream.mode === 'ON_DEMAND' && options.onDemandShardCount === undefined;
  const shards = stream.mode === 'ON_DEMAND' ? options.onDemandShardCount : (stream.shardCount ?? 1);
  const answer = await callJson(caller, options, 'CreateStream', {
    StreamName: stream.physicalName,
    ...(onDemand ? { StreamModeDetails: { StreamMode: 'ON_DEMAND' } } : { ShardCount: shards }),
  });
  // ResourceInUse: someone else created it meanwhile, which is as good.
  if (answer.status !== 200 && errorType(answer) !== 'ResourceInUseException') {
    throw new Error(
      `Kinesis at ${options.endpoint} could not create stream ${stream.physicalName}: ${describeError(answer)}`,
    );
  }
}

async function setRetention(
  caller: KinesisCaller,
  stream: StreamConfig,
  current: Summary,
  options: EnsureStreamsOptions,
): Promise<void> {
  const wanted = Math.min(stream.retentionHours, options.maxRetentionHours ?? Number.POSITIVE_INFINITY);
  if (current.RetentionPeriodHours === wanted) return;
  const action =
    wanted > current.RetentionPeriodHours ? 'IncreaseStreamRetentionPeriod' : 'DecreaseStreamRetentionPeriod';
  const answer = await callJson(caller, options, action, {
    StreamName: stream.physicalName,
    RetentionPeriodHours: wanted,
  });
  if (answer.status !== 200) {
    throw new Error(
      `Kinesis at ${options.endpoint} could not set the retention of stream ${stream.physicalName} to ${wanted} hours: ${describeError(answer)}`,
    );
  }
  await waitUntilActive(caller, stream.physicalName, options);
}

/** Creates the missing streams (when asked to), then waits until every one is ACTIVE. */
export async function ensureStreams(
  caller: KinesisCaller,
  streams: readonly StreamConfig[],
  options: EnsureStreamsOptions,
): Promise<void> {
  const found = await Promise.all(streams.map((stream) => describe(caller, stream.physicalName, options)));
  const missing = streams.filter((_, i) => found[i] === undefined);
  if (missing.length > 0 && options.createMissing !== true) {
    const names = missing.map((s) => s.physicalName).join(', ');
    throw new Error(
      `Stream${missing.length > 1 ? 's' : ''} ${names} ${missing.length > 1 ? 'do' : 'does'} not exist at ${options.endpoint} (region ${options.region}): ` +
        'create it there, or let the missing streams be created (--create-streams)',
    );
  }
  // One at a time: the real service allows only a few concurrent CreateStream calls.
  for (const stream of missing) await create(caller, stream, options);
  const created = new Set(missing);
  await Promise.all(
    streams.map(async (stream) => {
      const summary = await waitUntilActive(caller, stream.physicalName, options);
      if (created.has(stream) || options.reconcileRetention === true)
        await setRetention(caller, stream, summary, options);
    }),
  );
}
