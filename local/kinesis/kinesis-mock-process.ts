/**
 * The kinesis-mock backend: the kinesis-local package (an npm build of kinesis-mock, closer to
 * the real service than kinesalite) started as a child process on free ports.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import type { StreamConfig } from '../../infra/config';
import { createKinesisCaller } from '../integration';
import { LOCAL_REGION, type KinesisBackend } from './backend';
import { ensureStreams } from './stream-setup';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function startKinesisMock(options: { readonly streams: readonly StreamConfig[]; readonly port?: number }): Promise<KinesisBackend> {
  const main = require.resolve('kinesis-local/main.js');
  const plainPort = options.port ?? (await freePort());
  const tlsPort = await freePort();
  const child = spawn(process.execPath, [main], {
    cwd: dirname(main),
    env: {
      ...process.env,
      KINESIS_MOCK_PLAIN_PORT: String(plainPort),
      KINESIS_MOCK_TLS_PORT: String(tlsPort),
      KINESIS_MOCK_CERT_PATH: join(dirname(main), 'server.json'),
      AWS_REGION: LOCAL_REGION,
      CREATE_STREAM_DURATION: '0ms',
      LOG_LEVEL: 'ERROR',
      ROOT_LOG_LEVEL: 'ERROR',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    return closed;
  };

  const endpoint = `http://127.0.0.1:${plainPort}`;
  const caller = createKinesisCaller();
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`kinesis-mock exited with ${child.exitCode}: ${stderr}`);
      try {
        const listed = await caller.call({ endpoint, region: LOCAL_REGION, action: 'ListStreams', body: '{}', timeoutMs: 2_000 });
        if (listed.status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`kinesis-mock did not answer on ${endpoint}: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await ensureStreams(caller, options.streams, { endpoint, region: LOCAL_REGION, createMissing: true });
  } catch (error) {
    await close();
    throw error;
  } finally {
    caller.close();
  }
  return { kind: 'kinesis-mock', endpoint, region: LOCAL_REGION, close };
}
