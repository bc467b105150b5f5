/**
 * The kinesis-mock backend: the kinesis-local package (an npm build of kinesis-mock, closer to the
 * real service than kinesalite: on-demand streams, StreamARN) run as a child process. It binds
 * port 0 (or the port asked for) and reports the port it got, so no port is probed, released and
 * bound again (another process could take it in between).
 * It answers for region us-east-1 and account 000000000000, keeps nothing on disk, and makes
 * streams ACTIVE at once (CREATE_STREAM_DURATION=0ms and friends).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { StreamConfig } from '../../config/ingest-config';
import { createKinesisCaller, type KinesisCaller } from '../integration';
import { LOCAL_REGION, type KinesisBackend } from './backend';
import { ensureStreams } from './stream-setup';

export interface KinesisMockOptions {
  readonly streams: readonly StreamConfig[];
  /** Plain-HTTP port; default: a free one. */
  readonly port?: number;
  /** Give up if it does not answer within this long (default 30 s). */
  readonly startTimeoutMs?: number;
}

/**
 * Runs main.js in a process that exits when its stdin closes, so the mock does not outlive this
 * process even when it is killed without a chance to clean up (SIGKILL, a crashed test worker).
 * It kills itself rather than process.exit(): the mock hooks exit and then waits for open client
 * connections to drain. Each server the mock starts (plain and TLS, both plain net servers) writes
 * its port to fd 3 once it listens: the mock logs the port it was given, not the one port 0 got.
 */
const CHILD_MAIN = [
  "const die=()=>process.kill(process.pid,'SIGKILL');process.stdin.on('end',die);process.stdin.on('error',die);process.stdin.resume();",
  "const net=require('net'),fs=require('fs');const listen=net.Server.prototype.listen;",
  "net.Server.prototype.listen=function(...args){this.once('listening',()=>{try{fs.writeSync(3,this.address().port+'\\n')}catch{}});return listen.apply(this,args)};",
  'require(process.argv[1]);',
].join('');

const DURATIONS_TO_ZERO = [
  'CREATE_STREAM_DURATION',
  'DELETE_STREAM_DURATION',
  'UPDATE_SHARD_COUNT_DURATION',
  'UPDATE_STREAM_MODE_DURATION',
  'MERGE_SHARDS_DURATION',
  'SPLIT_SHARD_DURATION',
  'START_STREAM_ENCRYPTION_DURATION',
  'STOP_STREAM_ENCRYPTION_DURATION',
  'REGISTER_STREAM_CONSUMER_DURATION',
  'DEREGISTER_STREAM_CONSUMER_DURATION',
];

/** PROVISIONED streams are made at startup; ON_DEMAND ones (which INITIALIZE_STREAMS cannot express) by ensureStreams. */
function initializeStreams(streams: readonly StreamConfig[]): string {
  return streams
    .filter((s) => s.mode === 'PROVISIONED')
    .map((s) => `${s.name}:${s.shardCount ?? 1}`)
    .join(',');
}

function spawnMock(plainPort: number, streams: readonly StreamConfig[]): ChildProcess {
  const packageDir = dirname(require.resolve('kinesis-local/package.json'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KINESIS_MOCK_PLAIN_PORT: String(plainPort),
    KINESIS_MOCK_TLS_PORT: '0',
    KINESIS_MOCK_CERT_PATH: join(packageDir, 'server.json'),
    AWS_REGION: LOCAL_REGION,
    AWS_ACCOUNT_ID: '000000000000',
    SHOULD_PERSIST_DATA: 'false',
    LOAD_DATA_IF_EXISTS: 'false',
    SHARD_LIMIT: '10000',
    LOG_LEVEL: 'WARN',
    ROOT_LOG_LEVEL: 'ERROR',
  };
  for (const name of DURATIONS_TO_ZERO) env[name] = '0ms';
  // kinesis-mock refuses an empty INITIALIZE_STREAMS.
  const initial = initializeStreams(streams);
  if (initial === '') delete env.INITIALIZE_STREAMS;
  else env.INITIALIZE_STREAMS = initial;
  return spawn(process.execPath, ['-e', CHILD_MAIN, join(packageDir, 'main.js')], {
    cwd: packageDir,
    env,
    stdio: ['pipe', 'ignore', 'pipe', 'pipe'],
  });
}

/** The ports the child's servers listen on (plain and TLS, in no set order), as it reports them on fd 3. */
function listeningPorts(
  child: ChildProcess,
  count: number,
  output: () => string,
  timeoutMs: number,
): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const reports = child.stdio[3] as Readable;
    const ports: number[] = [];
    let buffered = '';
    const done = (error: Error | undefined): void => {
      clearTimeout(timer);
      reports.removeListener('data', onData);
      child.removeListener('exit', onExit);
      if (error) reject(error);
      else resolve(ports);
    };
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      ports.push(...lines.map(Number));
      if (ports.length >= count) done(undefined);
    };
    const onExit = (code: number | null, signal: string | null): void =>
      done(new Error(`kinesis-mock exited (${code ?? signal}) before listening:\n${output()}`));
    const timer = setTimeout(
      () => done(new Error(`kinesis-mock did not listen within ${timeoutMs} ms:\n${output()}`)),
      timeoutMs,
    );
    reports.on('data', onData);
    child.once('exit', onExit);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls ListStreams on each candidate until one answers 200 and returns it (the TLS port hangs up
 * on plain HTTP); fails early if the process exits.
 */
async function waitUntilAnswering(
  caller: KinesisCaller,
  endpoints: readonly string[],
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer';
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `kinesis-mock exited (${child.exitCode ?? child.signalCode}) before answering on ${endpoints.join(' or ')}:\n${output()}`,
      );
    }
    for (const endpoint of endpoints) {
      try {
        const listed = await caller.call({
          endpoint,
          region: LOCAL_REGION,
          action: 'ListStreams',
          body: '{}',
          timeoutMs: 2_000,
        });
        if (listed.status === 200) return endpoint;
        lastProblem = `ListStreams answered ${listed.status} ${listed.body.slice(0, 200)}`;
      } catch (error) {
        lastProblem = (error as Error).message;
      }
    }
    if (Date.now() > deadline)
      throw new Error(
        `kinesis-mock did not answer on ${endpoints.join(' or ')} within ${timeoutMs} ms (${lastProblem}):\n${output()}`,
      );
    await sleep(50);
  }
}

export async function startKinesisMock(options: KinesisMockOptions): Promise<KinesisBackend> {
  const child = spawnMock(options.port ?? 0, options.streams);

  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8_000);
  });
  // Swallow EPIPE if the child is gone when its stdin is closed.
  child.stdin?.on('error', () => undefined);
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const killNow = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killNow);

  let closing: Promise<void> | undefined;
  // SIGKILL rather than SIGTERM: it keeps nothing to flush (no persistence), and on SIGTERM it waits
  // about 5 s for idle keep-alive connections to go away.
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      process.removeListener('exit', killNow);
      child.stdin?.end();
      killNow();
      if (spawnError === undefined) await exited;
      child.stderr?.destroy();
    })());

  const output = (): string => (spawnError ? String(spawnError) : stderr);
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  let candidates: number[];
  try {
    const ports = await listeningPorts(child, 2, output, startTimeoutMs);
    candidates = options.port === undefined ? ports : [options.port];
  } catch (error) {
    await close();
    throw error;
  }
  // The reports pipe is not read any more; it must not keep this process alive.
  (child.stdio[3] as Readable).destroy();
  const caller = createKinesisCaller({ maxSockets: 4 });
  let endpoint: string;
  try {
    endpoint = await waitUntilAnswering(
      caller,
      candidates.map((port) => `http://127.0.0.1:${port}`),
      child,
      output,
      startTimeoutMs,
    );
    await ensureStreams(caller, options.streams, {
      endpoint,
      region: LOCAL_REGION,
      createMissing: true,
      reconcileRetention: true,
    });
  } catch (error) {
    await close();
    throw error;
  } finally {
    caller.close();
  }
  return { kind: 'kinesis-mock', endpoint, region: LOCAL_REGION, close };
}
