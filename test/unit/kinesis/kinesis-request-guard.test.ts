/**
 * Kinesis's own refusals, decided before any backend sees the call: the request limits with
 * Kinesis's codes and messages, and the role's scope over stream names and shard iterators.
 */
import {
  createKinesisCaller,
  guardKinesisCalls,
  IteratorLedger,
  ITERATOR_LIFETIME_MS,
  refuseKinesisRequest,
  type KinesisCallResult,
  type KinesisCaller,
  type StreamScope,
} from '../../../local/integration';
import { kinesaliteIteratorStream } from '../../../local/kinesis/kinesalite-module';
import { startEmbeddedKinesis } from '../../../local/kinesis';

const scope: StreamScope = {
  maxRecordSizeKiB: new Map([
    ['events', 1024],
    ['big', 2048],
  ]),
};
const MiB = 1024 * 1024;
const data = (bytes: number): string => Buffer.alloc(bytes, 0x61).toString('base64');
const batch = (records: unknown[], stream = 'events'): string =>
  JSON.stringify({ StreamName: stream, Records: records });
const refuse = (action: string, body: unknown): ReturnType<typeof refuseKinesisRequest> =>
  refuseKinesisRequest(action, typeof body === 'string' ? body : JSON.stringify(body), scope);

describe('PutRecords', () => {
  test('500 records pass, 501 and 0 are a ValidationException naming the bound', () => {
    const one = { Data: data(1), PartitionKey: 'k' };
    expect(refuse('PutRecords', batch(Array(500).fill(one)))).toBeUndefined();
    expect(refuse('PutRecords', batch(Array(501).fill(one)))).toEqual({
      type: 'ValidationException',
      message:
        "1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length less than or equal to 500",
    });
    expect(refuse('PutRecords', batch([]))).toMatchObject({
      type: 'ValidationException',
      message: expect.stringMatching(/greater than or equal to 1$/),
    });
  });

  test('5 MiB in all, partition keys included, passes; one byte more is an InvalidArgumentException', () => {
    const full = [
      ...Array(4).fill({ Data: data(MiB - 1), PartitionKey: 'k' }),
      { Data: data(MiB - 2), PartitionKey: 'kk' },
    ];
    expect(refuse('PutRecords', batch(full))).toBeUndefined();
    const over = [...full, { Data: '', PartitionKey: 'k' }];
    expect(refuse('PutRecords', batch(over))).toEqual({
      type: 'InvalidArgumentException',
      message: 'Records size exceeds 5 MB limit',
    });
  });

  test("a record over the stream's maximum (data and key) is a ValidationException at its position", () => {
    expect(
      refuse(
        'PutRecords',
        batch([
          { Data: data(1), PartitionKey: 'k' },
          { Data: data(MiB), PartitionKey: 'k' },
        ]),
      ),
    ).toEqual({
      type: 'ValidationException',
      message:
        "1 validation error detected: Value at 'records.2.member.data' failed to satisfy constraint: Member must have length less than or equal to 1048576",
    });
    expect(refuse('PutRecords', batch([{ Data: data(MiB - 1), PartitionKey: 'k' }]))).toBeUndefined();
  });

  test('a stream raised to 2048 KiB takes a 1.5 MiB record, and refuses one over 2 MiB', () => {
    expect(refuse('PutRecords', batch([{ Data: data(1.5 * MiB), PartitionKey: 'k' }], 'big'))).toBeUndefined();
    expect(refuse('PutRecord', { StreamName: 'big', Data: data(2 * MiB), PartitionKey: 'k' })).toMatchObject({
      type: 'ValidationException',
      message: expect.stringMatching(/'data'.*2097152$/),
    });
  });

  test('partition keys of 1 to 256 characters (UTF-16 units, as Java counts them)', () => {
    expect(refuse('PutRecords', batch([{ Data: data(1), PartitionKey: 'é'.repeat(256) }]))).toBeUndefined();
    expect(refuse('PutRecords', batch([{ Data: data(1), PartitionKey: 'p'.repeat(257) }]))).toMatchObject({
      type: 'ValidationException',
      message: expect.stringMatching(/'records.1.member.partitionKey'.*less than or equal to 256$/),
    });
    expect(refuse('PutRecord', { StreamName: 'events', Data: data(1), PartitionKey: '' })).toMatchObject({
      message: expect.stringMatching(/'partitionKey'.*greater than or equal to 1$/),
    });
  });
});

describe("the role's scope", () => {
  test('a call naming a stream outside the configuration is an AccessDeniedException', () => {
    for (const action of ['PutRecord', 'PutRecords', 'GetShardIterator', 'ListShards', 'DescribeStreamSummary']) {
      expect(refuse(action, { StreamName: 'other' })).toMatchObject({
        type: 'AccessDeniedException',
        message: expect.stringContaining(`kinesis:${action} on resource: stream/other`),
      });
    }
    expect(refuse('ListShards', { StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/other' })).toMatchObject({
      type: 'AccessDeniedException',
    });
    expect(refuse('ListStreams', {})).toBeUndefined();
  });

  test("another stream's iterator is denied when the backend can read iterators; an unreadable one is the backend's to judge", () => {
    const withIterators: StreamScope = {
      ...scope,
      streamOfIterator: (it) => ({ 'it-events': 'events', 'it-other': 'other' })[it],
    };
    expect(
      refuseKinesisRequest('GetRecords', JSON.stringify({ ShardIterator: 'it-other' }), withIterators),
    ).toMatchObject({ type: 'AccessDeniedException', message: expect.stringContaining('stream/other') });
    expect(
      refuseKinesisRequest('GetRecords', JSON.stringify({ ShardIterator: 'it-events' }), withIterators),
    ).toBeUndefined();
    expect(
      refuseKinesisRequest('GetRecords', JSON.stringify({ ShardIterator: 'garbage' }), withIterators),
    ).toBeUndefined();
  });

  test('a body that is not JSON is left to the backend', () => {
    expect(refuse('PutRecords', '{"StreamName": "other"')).toBeUndefined();
  });
});

test('kinesalite iterators are read back to their stream; anything else is unknown', async () => {
  const backend = await startEmbeddedKinesis({
    streams: [
      {
        name: 'events',
        physicalName: 'events',
        mode: 'PROVISIONED',
        shardCount: 1,
        retentionHours: 24,
        maxRecordSizeKiB: 1024,
      },
    ],
  });
  const caller = createKinesisCaller();
  try {
    const answer = await caller.call({
      endpoint: backend.endpoint,
      region: backend.region,
      action: 'GetShardIterator',
      body: JSON.stringify({
        StreamName: 'events',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    });
    const { ShardIterator } = JSON.parse(answer.body) as { ShardIterator: string };
    expect(kinesaliteIteratorStream(ShardIterator)).toBe('events');
    expect(backend.streamOfIterator?.(ShardIterator)).toBe('events');
    expect(kinesaliteIteratorStream('garbage')).toBeUndefined();
    expect(kinesaliteIteratorStream(Buffer.alloc(200, 1).toString('base64'))).toBeUndefined();
  } finally {
    caller.close();
    await backend.close();
  }
});

test('the guarded caller answers refusals as Kinesis does (HTTP 400, __type) and never calls the backend for them', async () => {
  const calls: string[] = [];
  const backend: KinesisCaller = {
    call: async (input): Promise<KinesisCallResult> => {
      calls.push(input.action);
      return { status: 200, headers: {}, body: '{}' };
    },
    close: () => undefined,
  };
  const guarded = guardKinesisCalls(backend, scope);
  const refused = await guarded.call({
    endpoint: 'http://127.0.0.1:1',
    region: 'us-east-1',
    action: 'PutRecords',
    body: batch(Array(501).fill({ Data: 'YQ==', PartitionKey: 'k' })),
  });
  expect(refused.status).toBe(400);
  expect(JSON.parse(refused.body)).toEqual({
    __type: 'ValidationException',
    message: expect.stringContaining("at 'records'"),
  });
  expect(calls).toEqual([]);
  await guarded.call({
    endpoint: 'http://127.0.0.1:1',
    region: 'us-east-1',
    action: 'PutRecords',
    body: batch([{ Data: 'YQ==', PartitionKey: 'k' }]),
  });
  expect(calls).toEqual(['PutRecords']);
});

describe('a backend whose iterators cannot be read: the gateway knows the ones it handed out', () => {
  /** A backend that hands out iterators `it-<stream>-<n>` and reads with any iterator. */
  const backend = (): KinesisCaller & { calls: string[] } => {
    const calls: string[] = [];
    let n = 0;
    return {
      calls,
      call: async (input): Promise<KinesisCallResult> => {
        calls.push(input.action);
        const body = JSON.parse(input.body) as { StreamName?: string; ShardIterator?: string };
        if (input.action === 'GetShardIterator')
          return {
            status: 200,
            headers: {},
            body: JSON.stringify({ ShardIterator: `it-${body.StreamName}-${(n += 1)}` }),
          };
        return {
          status: 200,
          headers: {},
          body: JSON.stringify({ Records: [], NextShardIterator: `${body.ShardIterator}-next`, MillisBehindLatest: 0 }),
        };
      },
      close: () => undefined,
    };
  };
  const at = { endpoint: 'http://127.0.0.1:1', region: 'us-east-1' };

  test('its iterators and their successors read; any other is AccessDenied before the backend sees it', async () => {
    const raw = backend();
    const guarded = guardKinesisCalls(raw, { ...scope, iterators: new IteratorLedger() });
    const { ShardIterator } = JSON.parse(
      (
        await guarded.call({
          ...at,
          action: 'GetShardIterator',
          body: JSON.stringify({ StreamName: 'events', ShardId: 's' }),
        })
      ).body,
    ) as { ShardIterator: string };
    const first = await guarded.call({ ...at, action: 'GetRecords', body: JSON.stringify({ ShardIterator }) });
    expect(first.status).toBe(200);
    const { NextShardIterator } = JSON.parse(first.body) as { NextShardIterator: string };
    expect(
      (await guarded.call({ ...at, action: 'GetRecords', body: JSON.stringify({ ShardIterator: NextShardIterator }) }))
        .status,
    ).toBe(200);
    expect(raw.calls).toEqual(['GetShardIterator', 'GetRecords', 'GetRecords']);

    // Handed out by the backend to someone else (another stream's): never seen by the gateway.
    const foreign = await guarded.call({
      ...at,
      action: 'GetRecords',
      body: JSON.stringify({ ShardIterator: 'it-outside-7' }),
    });
    expect(foreign.status).toBe(400);
    expect(JSON.parse(foreign.body)).toEqual({
      __type: 'AccessDeniedException',
      message: expect.stringContaining('not authorized to perform: kinesis:GetRecords'),
    });
    expect(raw.calls).toHaveLength(3);
  });

  test('the ledger is bounded in count and forgets iterators after their lifetime and a minute', () => {
    let now = 0;
    const ledger = new IteratorLedger({ capacity: 2, now: () => now });
    ledger.remember('a', 'events');
    ledger.remember('b', 'events');
    ledger.remember('c', 'big');
    expect([ledger.streamOf('a'), ledger.streamOf('b'), ledger.streamOf('c'), ledger.size]).toEqual([
      undefined,
      'events',
      'big',
      2,
    ]);
    now = ITERATOR_LIFETIME_MS + 60_000;
    expect(ledger.streamOf('b')).toBe('events');
    now += 1;
    expect([ledger.streamOf('b'), ledger.size]).toEqual([undefined, 0]);
  });
});
