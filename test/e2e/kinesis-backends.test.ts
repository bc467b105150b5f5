/**
 * The Kinesis backends of the local gateway, driven through the integration caller with the JSON
 * bodies the mapping templates send: embedded kinesalite (in memory and on disk), kinesis-mock (the
 * kinesis-local child process) and an external endpoint.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StreamConfig } from '../../config/ingest-config';
import { createKinesisCaller, IntegrationNetworkError, type KinesisCaller } from '../../local/integration';
import { startEmbeddedKinesis, startKinesisMock, useKinesisEndpoint, type KinesisBackend } from '../../local/kinesis';

const ROOT = join(__dirname, '..', '..');
const EVENTS: StreamConfig = {
  name: 'events',
  physicalName: 'events',
  mode: 'PROVISIONED',
  shardCount: 2,
  retentionHours: 48,
  maxRecordSizeKiB: 1024,
};
const CLICKS: StreamConfig = {
  name: 'clicks',
  physicalName: 'clicks',
  mode: 'ON_DEMAND',
  retentionHours: 24,
  maxRecordSizeKiB: 1024,
};

let caller: KinesisCaller;
beforeAll(() => {
  caller = createKinesisCaller();
});
afterAll(() => caller.close());

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kinesis-backends-'));
  dirs.push(dir);
  return dir;
}

async function kinesis<T>(backend: KinesisBackend, action: string, body: object): Promise<T> {
  const result = await caller.call({
    endpoint: backend.endpoint,
    region: backend.region,
    action,
    body: JSON.stringify(body),
  });
  if (result.status !== 200) throw new Error(`${action} answered ${result.status}: ${result.body}`);
  return JSON.parse(result.body) as T;
}

async function putRecord(
  backend: KinesisBackend,
  stream: string,
  text: string,
): Promise<{ ShardId: string; SequenceNumber: string }> {
  return kinesis(backend, 'PutRecord', {
    StreamName: stream,
    Data: Buffer.from(text).toString('base64'),
    PartitionKey: 'pk',
  });
}

/** Reads a shard from its start, as the gateway's read routes do. */
async function readShard(backend: KinesisBackend, stream: string, shardId: string): Promise<string[]> {
  const { ShardIterator } = await kinesis<{ ShardIterator: string }>(backend, 'GetShardIterator', {
    StreamName: stream,
    ShardId: shardId,
    ShardIteratorType: 'TRIM_HORIZON',
  });
  const { Records } = await kinesis<{ Records: Array<{ Data: string }> }>(backend, 'GetRecords', {
    ShardIterator,
    Limit: 100,
  });
  return Records.map((r) => Buffer.from(r.Data, 'base64').toString('utf8'));
}

interface Summary {
  StreamStatus: string;
  OpenShardCount: number;
  RetentionPeriodHours: number;
  StreamModeDetails?: { StreamMode: string };
}
const summary = async (backend: KinesisBackend, stream: string): Promise<Summary> =>
  (await kinesis<{ StreamDescriptionSummary: Summary }>(backend, 'DescribeStreamSummary', { StreamName: stream }))
    .StreamDescriptionSummary;

async function expectRefused(endpoint: string): Promise<void> {
  const fresh = createKinesisCaller();
  try {
    await expect(
      fresh.call({ endpoint, region: 'us-east-1', action: 'ListStreams', body: '{}' }),
    ).rejects.toBeInstanceOf(IntegrationNetworkError);
  } finally {
    fresh.close();
  }
}

describe('embedded kinesalite, in memory', () => {
  let backend: KinesisBackend;
  beforeAll(async () => {
    backend = await startEmbeddedKinesis({ streams: [EVENTS, CLICKS] });
  });
  afterAll(() => backend.close());

  test('listens on 127.0.0.1 and signs for us-east-1', () => {
    expect(backend.kind).toBe('embedded');
    expect(backend.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(backend.region).toBe('us-east-1');
  });

  test('a PROVISIONED stream is ACTIVE with its shards and retention', async () => {
    expect(await summary(backend, 'events')).toMatchObject({
      StreamStatus: 'ACTIVE',
      OpenShardCount: 2,
      RetentionPeriodHours: 48,
    });
  });

  test('an ON_DEMAND stream is an ACTIVE 1-shard stream', async () => {
    expect(await summary(backend, 'clicks')).toMatchObject({ StreamStatus: 'ACTIVE', OpenShardCount: 1 });
  });

  test('a record put is read back from its shard', async () => {
    const { ShardId } = await putRecord(backend, 'events', 'hello "embedded" ü');
    expect(await readShard(backend, 'events', ShardId)).toEqual(['hello "embedded" ü']);
  });
});

describe('embedded kinesalite, on disk', () => {
  test('records survive a restart on the same data directory', async () => {
    const dataDir = tempDir();
    const first = await startEmbeddedKinesis({ streams: [EVENTS], dataDir });
    const { ShardId } = await putRecord(first, 'events', 'kept across restarts');
    await first.close();

    const second = await startEmbeddedKinesis({ streams: [EVENTS], dataDir });
    try {
      expect(await readShard(second, 'events', ShardId)).toEqual(['kept across restarts']);
    } finally {
      await second.close();
    }
  });
});

describe('embedded kinesalite, on disk, in use', () => {
  test('a data directory another backend holds open is an error naming it', async () => {
    const dataDir = tempDir();
    const first = await startEmbeddedKinesis({ streams: [EVENTS], dataDir });
    try {
      await expect(startEmbeddedKinesis({ streams: [EVENTS], dataDir })).rejects.toThrow(
        `cannot open its data directory ${dataDir}`,
      );
    } finally {
      await first.close();
    }
  });
});

describe('embedded kinesalite, closing', () => {
  test('close() frees the port, and closing twice is fine', async () => {
    const backend = await startEmbeddedKinesis({ streams: [EVENTS] });
    await backend.close();
    await expect(backend.close()).resolves.toBeUndefined();
    await expectRefused(backend.endpoint);
  });

  test('the same port can be taken again after close()', async () => {
    const first = await startEmbeddedKinesis({ streams: [EVENTS] });
    await first.close();
    const port = Number(new URL(first.endpoint).port);
    const second = await startEmbeddedKinesis({ streams: [EVENTS], port });
    await second.close();
    expect(second.endpoint).toBe(first.endpoint);
  });

  test('a port in use is an error naming it', async () => {
    const first = await startEmbeddedKinesis({ streams: [] });
    const port = Number(new URL(first.endpoint).port);
    try {
      await expect(startEmbeddedKinesis({ streams: [EVENTS], port })).rejects.toThrow(`127.0.0.1:${port}`);
    } finally {
      await first.close();
    }
  });
});

describe('an external endpoint', () => {
  let emulator: KinesisBackend;
  beforeAll(async () => {
    emulator = await startEmbeddedKinesis({ streams: [EVENTS] });
  });
  afterAll(() => emulator.close());

  test('uses existing streams', async () => {
    const backend = await useKinesisEndpoint({
      endpoint: emulator.endpoint,
      region: emulator.region,
      streams: [EVENTS],
    });
    expect(backend).toMatchObject({ kind: 'endpoint', endpoint: emulator.endpoint, region: 'us-east-1' });
    await backend.close();
  });

  test('a missing stream is an error naming the stream and the endpoint', async () => {
    const missing: StreamConfig = {
      name: 'not-there',
      physicalName: 'not-there',
      mode: 'PROVISIONED',
      shardCount: 1,
      retentionHours: 24,
      maxRecordSizeKiB: 1024,
    };
    await expect(
      useKinesisEndpoint({ endpoint: emulator.endpoint, region: emulator.region, streams: [missing] }),
    ).rejects.toThrow(`Stream not-there does not exist at ${emulator.endpoint}`);
  });

  test('creates missing streams when asked to', async () => {
    const wanted: StreamConfig = {
      name: 'created-here',
      physicalName: 'created-here',
      mode: 'PROVISIONED',
      shardCount: 1,
      retentionHours: 24,
      maxRecordSizeKiB: 1024,
    };
    await useKinesisEndpoint({
      endpoint: emulator.endpoint,
      region: emulator.region,
      streams: [wanted],
      createMissing: true,
    });
    expect((await summary(emulator, 'created-here')).StreamStatus).toBe('ACTIVE');
  });

  test('an unreachable endpoint is a network error naming it', async () => {
    const gone = await startEmbeddedKinesis({ streams: [] });
    await gone.close();
    await expect(
      useKinesisEndpoint({ endpoint: gone.endpoint, region: 'us-east-1', streams: [EVENTS] }),
    ).rejects.toThrow(gone.endpoint);
  });
});

describe('kinesis-mock (kinesis-local child process)', () => {
  let backend: KinesisBackend;
  beforeAll(async () => {
    backend = await startKinesisMock({ streams: [EVENTS, CLICKS] });
  }, 60_000);
  afterAll(() => backend?.close());

  test('listens on 127.0.0.1 and signs for us-east-1', () => {
    expect(backend.kind).toBe('kinesis-mock');
    expect(backend.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(backend.region).toBe('us-east-1');
  });

  test('a PROVISIONED stream is ACTIVE with its shards and retention', async () => {
    expect(await summary(backend, 'events')).toMatchObject({
      StreamStatus: 'ACTIVE',
      OpenShardCount: 2,
      RetentionPeriodHours: 48,
    });
  });

  test('an ON_DEMAND stream is ACTIVE in on-demand mode', async () => {
    expect(await summary(backend, 'clicks')).toMatchObject({
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
    });
  });

  test('a record put is read back from its shard', async () => {
    const { ShardId } = await putRecord(backend, 'events', 'hello "mock" ü');
    expect(await readShard(backend, 'events', ShardId)).toEqual(['hello "mock" ü']);
  }, 60_000);

  // The shared mock, once the tests above are done with it: one start of kinesis-mock fewer.
  test('close() stops the process and frees the port; closing twice is fine', async () => {
    await backend.close();
    await expect(backend.close()).resolves.toBeUndefined();
    await expectRefused(backend.endpoint);
  }, 60_000);

  test('the process does not outlive a parent killed without cleanup (SIGKILL)', async () => {
    const script = `require(${JSON.stringify(join(ROOT, 'local', 'kinesis'))}).startKinesisMock({ streams: [] }).then((b) => console.log(b.endpoint));`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const endpoint = await new Promise<string>((resolve, reject) => {
      parent.stdout.setEncoding('utf8');
      parent.stdout.on('data', (line: string) => resolve(line.trim()));
      parent.once('exit', (code) => reject(new Error(`the parent exited early (${code})`)));
    });
    expect((await caller.call({ endpoint, region: 'us-east-1', action: 'ListStreams', body: '{}' })).status).toBe(200);
    // A connection held open to the mock closes when its process goes: no polling needed.
    const held = connect(Number(new URL(endpoint).port), '127.0.0.1');
    held.on('error', () => undefined);
    await new Promise((resolve) => held.once('connect', resolve));
    const gone = new Promise((resolve) => held.once('close', resolve));

    parent.kill('SIGKILL');
    await gone;
    await expectRefused(endpoint);
  }, 60_000);
});
