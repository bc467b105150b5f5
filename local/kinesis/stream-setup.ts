/**
 * Makes sure the configured streams exist and are ACTIVE before the gateway takes requests:
 * creates the missing ones where asked to, and waits for them.
 */
import type { StreamConfig } from '../../infra/config';
import type { KinesisCaller } from '../integration';

export interface StreamSetupOptions {
  readonly endpoint: string;
  readonly region: string;
  readonly createMissing: boolean;
  /** Give up waiting for ACTIVE after this long. */
  readonly timeoutMs?: number;
  /** Kinesalite cannot create an ON_DEMAND stream without a shard count. */
  readonly onDemandAsOneShard?: boolean;
}

interface KinesisError {
  __type?: string;
  message?: string;
}

async function callJson<T>(caller: KinesisCaller, options: StreamSetupOptions, action: string, body: unknown): Promise<{ status: number; body: T & KinesisError }> {
  const result = await caller.call({ endpoint: options.endpoint, region: options.region, action, body: JSON.stringify(body), timeoutMs: 10_000 });
  return { status: result.status, body: (result.body === '' ? {} : JSON.parse(result.body)) as T & KinesisError };
}

const errorType = (error: KinesisError): string => (error.__type ?? '').replace(/^.*#/, '');

export async function ensureStreams(caller: KinesisCaller, streams: readonly StreamConfig[], options: StreamSetupOptions): Promise<void> {
  for (const stream of streams) {
    const described = await callJson<{ StreamDescriptionSummary?: { StreamStatus: string } }>(caller, options, 'DescribeStreamSummary', { StreamName: stream.name });
    if (described.status !== 200) {
      if (errorType(described.body) !== 'ResourceNotFoundException') {
        throw new Error(`Kinesis at ${options.endpoint} could not describe stream ${stream.name}: ${described.status} ${errorType(described.body)} ${described.body.message ?? ''}`);
      }
      if (!options.createMissing) {
        throw new Error(`Stream ${stream.name} does not exist at ${options.endpoint} (${options.region}): create it, or start with --create-streams`);
      }
      const shards = stream.mode === 'ON_DEMAND' && !options.onDemandAsOneShard ? undefined : stream.shardCount ?? 1;
      const created = await callJson(caller, options, 'CreateStream', {
        StreamName: stream.name,
        ...(shards === undefined ? { StreamModeDetails: { StreamMode: 'ON_DEMAND' } } : { ShardCount: shards }),
      });
      if (created.status !== 200 && errorType(created.body) !== 'ResourceInUseException') {
        throw new Error(`Kinesis at ${options.endpoint} could not create stream ${stream.name}: ${errorType(created.body)} ${created.body.message ?? ''}`);
      }
    }
    await waitUntilActive(caller, stream.name, options);
    if (stream.retentionHours > 24) {
      await callJson(caller, options, 'IncreaseStreamRetentionPeriod', { StreamName: stream.name, RetentionPeriodHours: stream.retentionHours });
      await waitUntilActive(caller, stream.name, options);
    }
  }
}

async function waitUntilActive(caller: KinesisCaller, name: string, options: StreamSetupOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const described = await callJson<{ StreamDescriptionSummary?: { StreamStatus: string } }>(caller, options, 'DescribeStreamSummary', { StreamName: name });
    const status = described.body.StreamDescriptionSummary?.StreamStatus;
    if (status === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`Stream ${name} at ${options.endpoint} is still ${status ?? 'missing'} after waiting`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
