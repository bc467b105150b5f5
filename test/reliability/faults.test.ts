/**
 * Faults: the backend stopped during load answers quickly with 5xx and the gateway recovers by
 * itself when it returns; with a data directory nothing acknowledged is lost across a backend
 * restart; SIGTERM during load lets requests in flight finish. Bounded in count and time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../config/ingest-config';
import { startEmbeddedKinesis, type KinesisBackend } from '../../local/kinesis';
import { startLocalApi, type LocalApi } from '../../local/start-local-api';
import { startChild, type Child } from '../../bench/child-process';
import { ApiClient, readShard } from '../support/api-client';
import { startTcpForwarder, type TcpForwarder } from '../support/tcp-forwarder';

const STREAM = 'faults';
const streams = [
  {
    name: STREAM,
    physicalName: STREAM,
    mode: 'PROVISIONED' as const,
    shardCount: 1,
    retentionHours: 24,
    maxRecordSizeKiB: 1024,
  },
];
const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'kinesis-faults-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the backend stops during load and comes back', () => {
  let kinesis: KinesisBackend;
  let api: LocalApi;
  let client: ApiClient;
  let dataDir: string;
  // The gateway's one address for Kinesis, which comes back on a port of its own.
  let forwarder: TcpForwarder;

  beforeAll(async () => {
    dataDir = tempDir();
    kinesis = await startEmbeddedKinesis({ streams, dataDir });
    forwarder = await startTcpForwarder(kinesis.endpoint);
    api = await startLocalApi({
      config: parseConfig({ stage: 'rel', streams }),
      port: 0,
      throttle: false,
      backend: { kind: 'endpoint', endpoint: forwarder.endpoint, region: kinesis.region },
    });
    client = new ApiClient(api.url, api.apiKey);
  });
  afterAll(async () => {
    await api.close();
    await forwarder.close();
    await kinesis.close();
  });

  test('answers 5xx quickly while it is down, recovers when it returns, and loses nothing acknowledged', async () => {
    const acknowledged: string[] = [];
    const put = async (i: number): Promise<number> => {
      const res = await client.put(`/streams/${STREAM}/record`, { data: `record-${i}`, partitionKey: 'p' });
      if (res.status === 200) acknowledged.push(`record-${i}`);
      else {
        expect(res.status).toBeGreaterThanOrEqual(500);
        expect(res.body).toEqual({ error: expect.any(String), message: expect.any(String) });
      }
      return res.status;
    };

    for (let i = 0; i < 20; i += 1) await put(i);
    await kinesis.close();
    forwarder.cut();
    // 502 (a failed connection), not 504: nothing waited for the integration timeout.
    const whileDown = await Promise.all(Array.from({ length: 20 }, (_, i) => put(100 + i)));
    expect(whileDown.every((s) => s === 502)).toBe(true);

    kinesis = await startEmbeddedKinesis({ streams, dataDir });
    forwarder.forwardTo(kinesis.endpoint);
    const afterRestart = [];
    for (let i = 0; i < 20; i += 1) afterRestart.push(await put(200 + i));
    expect(afterRestart.every((s) => s === 200)).toBe(true);

    const read = (await readShard(client, STREAM)).map((r) => Buffer.from(r.data, 'base64').toString('utf8'));
    expect(read).toEqual(acknowledged);
    expect(acknowledged).toHaveLength(40);
  }, 60_000);
});

describe('SIGTERM during load', () => {
  test('requests in flight finish, and what was acknowledged is there after a restart', async () => {
    const dataDir = tempDir();
    const key = 'sigterm-key';
    const start = (): Promise<Child> =>
      startChild(
        'local/cli.ts',
        ['--port', '0', '--quiet', '--no-throttle', '--data-dir', dataDir, '--api-key', key],
        /on (http:\/\/127\.0\.0\.1:\d+\/\S+)/,
      );

    const first = await start();
    const client = new ApiClient(first.match[1], key);
    const exited = new Promise<number | null>((resolve) => first.process.on('exit', (code) => resolve(code)));
    const batches = Array.from({ length: 8 }, (_, b) =>
      Array.from({ length: 150 }, (_, i) => ({ data: `b${b}-r${i}`, partitionKey: `b${b}` })),
    );
    let firstAnswered!: () => void;
    const answered = new Promise<void>((resolve) => (firstAnswered = resolve));
    const inFlight = batches.map((records) =>
      client.put<{ failedRecordCount: number }>(`/streams/ingest-events/records`, { records }).then(
        (res) => {
          firstAnswered();
          return { status: res.status, failed: res.body?.failedRecordCount };
        },
        (error: Error) => ({ status: 0, failed: undefined, error: error.message }),
      ),
    );
    // The signal comes once the load is under way (the first answer is in), whatever the machine's pace.
    await answered;
    first.process.kill('SIGTERM');
    const results = await Promise.all(inFlight);
    expect(await exited).toBe(0);

    // Each request either finished (200, all written) or was never accepted (no answer at all).
    for (const r of results) expect([0, 200]).toContain(r.status);
    const acknowledged = results.flatMap((r, b) =>
      r.status === 200 && r.failed === 0 ? batches[b].map((e) => e.data) : [],
    );
    expect(acknowledged.length).toBeGreaterThan(0);

    const second = await start();
    try {
      const read = new Set(
        (await readShard(new ApiClient(second.match[1], key), 'ingest-events')).map((r) =>
          Buffer.from(r.data, 'base64').toString('utf8'),
        ),
      );
      expect(acknowledged.filter((data) => !read.has(data))).toEqual([]);
    } finally {
      await second.stop();
    }
  }, 90_000);
});

describe('SIGTERM under keep-alive load', () => {
  test('open connections are closed after their answer, the load stops being served, and the process exits, printing its bound', async () => {
    const key = 'keep-alive-key';
    const child = await startChild(
      'local/cli.ts',
      ['--port', '0', '--quiet', '--no-throttle', '--api-key', key],
      /on (http:\/\/127\.0\.0\.1:\d+\/\S+)/,
    );
    let output = '';
    child.process.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.process.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.process.on('exit', (code) => resolve(code)));
    const client = new ApiClient(child.match[1], key);

    // Each client sends one request after another on its keep-alive connection until one fails.
    const firstAnswers: Array<Promise<void>> = [];
    const load = Array.from({ length: 4 }, async () => {
      let answered!: () => void;
      firstAnswers.push(new Promise<void>((resolve) => (answered = resolve)));
      try {
        for (let i = 0; i < 10_000; i += 1) {
          try {
            const res = await client.get(`/streams/ingest-events`);
            if (res.status !== 200) return res.status;
            answered();
          } catch {
            return 'refused';
          }
        }
        return 'never stopped';
      } finally {
        answered();
      }
    });
    // The signal comes once every client has had an answer on its connection, whatever the pace.
    await Promise.all(firstAnswers);
    child.process.kill('SIGTERM');
    const ends = await Promise.all(load);
    expect(await exited).toBe(0);
    // Each client's loop ended by itself: after its answer in flight its connection was closed and
    // no new one was taken (503 only if a request slipped in while the server was closing).
    for (const end of ends) expect(['refused', 503]).toContain(end);
    expect(output).toMatch(/SIGTERM: no new requests; finishing the ones in flight, then stopping \(at most 30 s\)/);
    expect(output).not.toMatch(/\n\s+at /);
  }, 90_000);
});
