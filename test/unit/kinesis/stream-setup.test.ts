/** ensureStreams against a scripted, in-memory stand-in for Kinesis (no network). */
import type { StreamConfig } from '../../../config/ingest-config';
import type { KinesisCallInput, KinesisCallResult, KinesisCaller } from '../../../local/integration';
import { ensureStreams } from '../../../local/kinesis';

interface FakeStream {
  status: string;
  retention: number;
  /** DescribeStreamSummary calls left before it turns ACTIVE. */
  describesUntilActive: number;
}

class FakeKinesis implements KinesisCaller {
  readonly streams = new Map<string, FakeStream>();
  readonly calls: Array<{ action: string; body: Record<string, unknown> }> = [];
  describesUntilActiveAfterCreate = 0;

  call(input: KinesisCallInput): Promise<KinesisCallResult> {
    const body = JSON.parse(input.body) as Record<string, unknown>;
    this.calls.push({ action: input.action, body });
    const name = String(body.StreamName);
    const stream = this.streams.get(name);
    const answer = (status: number, payload: object): Promise<KinesisCallResult> =>
      Promise.resolve({ status, headers: {}, body: JSON.stringify(payload) });
    const notFound = () =>
      answer(400, {
        __type: 'ResourceNotFoundException',
        message: `Stream ${name} under account 000000000000 not found.`,
      });
    switch (input.action) {
      case 'DescribeStreamSummary':
        if (!stream) return notFound();
        if (stream.describesUntilActive > 0 && (stream.describesUntilActive -= 1) === 0) stream.status = 'ACTIVE';
        return answer(200, {
          StreamDescriptionSummary: {
            StreamName: name,
            StreamStatus: stream.status,
            RetentionPeriodHours: stream.retention,
          },
        });
      case 'CreateStream':
        this.streams.set(name, {
          status: this.describesUntilActiveAfterCreate > 0 ? 'CREATING' : 'ACTIVE',
          retention: 24,
          describesUntilActive: this.describesUntilActiveAfterCreate,
        });
        return answer(200, {});
      case 'IncreaseStreamRetentionPeriod':
      case 'DecreaseStreamRetentionPeriod':
        if (!stream) return notFound();
        stream.retention = Number(body.RetentionPeriodHours);
        return answer(200, {});
      default:
        return answer(400, { __type: 'UnknownOperationException' });
    }
  }

  close(): void {}

  actions(): string[] {
    return this.calls.map((c) => c.action);
  }
}

const target = { endpoint: 'http://127.0.0.1:4567', region: 'us-east-1' };
const provisioned = (name: string, shardCount = 2, retentionHours = 24): StreamConfig => ({
  name,
  physicalName: name,
  mode: 'PROVISIONED',
  shardCount,
  retentionHours,
  maxRecordSizeKiB: 1024,
});
const onDemand = (name: string): StreamConfig => ({
  name,
  physicalName: name,
  mode: 'ON_DEMAND',
  retentionHours: 24,
  maxRecordSizeKiB: 1024,
});

let kinesis: FakeKinesis;
beforeEach(() => {
  kinesis = new FakeKinesis();
});

test('a missing stream is an error naming the stream and the endpoint when not asked to create it', async () => {
  await expect(ensureStreams(kinesis, [provisioned('orders')], target)).rejects.toThrow(
    /orders does not exist at http:\/\/127\.0\.0\.1:4567/,
  );
  expect(kinesis.actions()).not.toContain('CreateStream');
});

test('creates a missing PROVISIONED stream with its shard count', async () => {
  await ensureStreams(kinesis, [provisioned('orders', 3)], { ...target, createMissing: true });
  expect(kinesis.calls.find((c) => c.action === 'CreateStream')?.body).toEqual({ StreamName: 'orders', ShardCount: 3 });
});

test('creates a missing ON_DEMAND stream in on-demand mode', async () => {
  await ensureStreams(kinesis, [onDemand('clicks')], { ...target, createMissing: true });
  expect(kinesis.calls.find((c) => c.action === 'CreateStream')?.body).toEqual({
    StreamName: 'clicks',
    StreamModeDetails: { StreamMode: 'ON_DEMAND' },
  });
});

test('creates an ON_DEMAND stream with a shard count where the backend has no on-demand mode', async () => {
  await ensureStreams(kinesis, [onDemand('clicks')], { ...target, createMissing: true, onDemandShardCount: 1 });
  expect(kinesis.calls.find((c) => c.action === 'CreateStream')?.body).toEqual({ StreamName: 'clicks', ShardCount: 1 });
});

test('leaves existing streams alone', async () => {
  kinesis.streams.set('orders', { status: 'ACTIVE', retention: 48, describesUntilActive: 0 });
  await ensureStreams(kinesis, [provisioned('orders')], { ...target, createMissing: true });
  expect(kinesis.actions()).toEqual(['DescribeStreamSummary', 'DescribeStreamSummary']);
});

test('waits until a CREATING stream is ACTIVE', async () => {
  kinesis.describesUntilActiveAfterCreate = 3;
  await ensureStreams(kinesis, [provisioned('orders')], { ...target, createMissing: true });
  expect(kinesis.streams.get('orders')?.status).toBe('ACTIVE');
});

test('gives up waiting after timeoutMs with the stream and its status', async () => {
  kinesis.streams.set('orders', { status: 'UPDATING', retention: 24, describesUntilActive: 0 });
  await expect(ensureStreams(kinesis, [provisioned('orders')], { ...target, timeoutMs: 100 })).rejects.toThrow(
    /orders .* still UPDATING/,
  );
});

test('gives a created stream its configured retention', async () => {
  await ensureStreams(kinesis, [provisioned('orders', 1, 72)], { ...target, createMissing: true });
  expect(kinesis.calls.find((c) => c.action === 'IncreaseStreamRetentionPeriod')?.body).toEqual({
    StreamName: 'orders',
    RetentionPeriodHours: 72,
  });
});

test('clamps the retention to what the backend accepts', async () => {
  await ensureStreams(kinesis, [provisioned('orders', 1, 8760)], {
    ...target,
    createMissing: true,
    maxRetentionHours: 168,
  });
  expect(kinesis.streams.get('orders')?.retention).toBe(168);
});

test('reconciles the retention of an existing stream only when asked to', async () => {
  kinesis.streams.set('orders', { status: 'ACTIVE', retention: 96, describesUntilActive: 0 });
  await ensureStreams(kinesis, [provisioned('orders', 1, 48)], target);
  expect(kinesis.streams.get('orders')?.retention).toBe(96);
  await ensureStreams(kinesis, [provisioned('orders', 1, 48)], { ...target, reconcileRetention: true });
  expect(kinesis.streams.get('orders')?.retention).toBe(48);
});

test('an unexpected error from Kinesis names the stream, the endpoint and the error', async () => {
  const failing: KinesisCaller = {
    call: () =>
      Promise.resolve({
        status: 400,
        headers: {},
        body: '{"__type":"com.amazonaws.kinesis#AccessDeniedException","message":"no"}',
      }),
    close: () => undefined,
  };
  await expect(ensureStreams(failing, [provisioned('orders')], target)).rejects.toThrow(
    'Kinesis at http://127.0.0.1:4567 could not describe stream orders: 400 AccessDeniedException no',
  );
});
