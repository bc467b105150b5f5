/**
 * The embedded backend: kinesalite in this process on 127.0.0.1, in memory, or on disk (LevelDB)
 * with a data directory so that records survive a restart.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import type { StreamConfig } from '../../infra/config';
import { createKinesisCaller } from '../integration';
import { LOCAL_REGION, type KinesisBackend } from './backend';
import { ensureStreams } from './stream-setup';

interface KinesaliteOptions {
  createStreamMs?: number;
  deleteStreamMs?: number;
  updateStreamMs?: number;
  shardLimit?: number;
  path?: string;
}

// kinesalite ships no types: its factory returns a node:http Server whose close() also closes the database.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kinesalite = require('kinesalite') as (options: KinesaliteOptions) => Server;

export interface EmbeddedKinesisOptions {
  readonly streams: readonly StreamConfig[];
  readonly dataDir?: string;
  /** Default: a free port. */
  readonly port?: number;
}

export async function startEmbeddedKinesis(options: EmbeddedKinesisOptions): Promise<KinesisBackend> {
  if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
  const server = kinesalite({
    createStreamMs: 0,
    deleteStreamMs: 0,
    updateStreamMs: 0,
    shardLimit: 1000,
    ...(options.dataDir === undefined ? {} : { path: options.dataDir }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error?: Error) => (error ? reject(error) : resolve()));
    });
    return closed;
  };

  const caller = createKinesisCaller();
  try {
    await ensureStreams(caller, options.streams, { endpoint, region: LOCAL_REGION, createMissing: true, onDemandAsOneShard: true });
  } catch (error) {
    await close();
    throw error;
  } finally {
    caller.close();
  }
  return { kind: 'embedded', endpoint, region: LOCAL_REGION, close };
}
