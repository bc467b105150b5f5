/**
 * The embedded backend: kinesalite in this process on 127.0.0.1, in memory, or on disk (LevelDB) with
 * a data directory so that records survive a restart.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StreamConfig } from '../../config/ingest-config';
import { createKinesisCaller } from '../integration';
import { LOCAL_REGION, type KinesisBackend } from './backend';
import {
  checkDataDirCanOpen,
  kinesalite,
  kinesaliteIteratorStream,
  KINESALITE_MAX_RETENTION_HOURS,
} from './kinesalite-module';
import { ensureStreams } from './stream-setup';

export interface EmbeddedKinesisOptions {
  readonly streams: readonly StreamConfig[];
  /** LevelDB directory (created if missing); in memory when absent. */
  readonly dataDir?: string;
  /** Default: a free port. */
  readonly port?: number;
}

/** Closes the server and its LevelDB (releasing the LOCK file); an error from an unopened server is ignored. */
function closeKinesalite(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const listening = server.listening;
    server.closeAllConnections();
    server.close((error?: Error) => (error && listening ? reject(error) : resolve()));
  });
}

export async function startEmbeddedKinesis(options: EmbeddedKinesisOptions): Promise<KinesisBackend> {
  if (options.dataDir !== undefined) {
    mkdirSync(options.dataDir, { recursive: true });
    await checkDataDirCanOpen(options.dataDir).catch((error: Error) => {
      throw new Error(
        `The embedded Kinesis cannot open its data directory ${options.dataDir} (is another local gateway using it?): ${error.message}`,
        { cause: error },
      );
    });
  }
  const server = kinesalite({
    createStreamMs: 0,
    deleteStreamMs: 0,
    updateStreamMs: 0,
    // kinesalite's default of 10 shards in all would refuse bigger local configs.
    shardLimit: 10_000,
    ...(options.dataDir === undefined ? {} : { path: options.dataDir }),
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await closeKinesalite(server).catch(() => undefined);
    throw new Error(
      `The embedded Kinesis could not listen on 127.0.0.1:${options.port ?? 0}: ${(error as Error).message}`,
      { cause: error },
    );
  }

  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= closeKinesalite(server));

  const caller = createKinesisCaller();
  try {
    await ensureStreams(caller, options.streams, {
      endpoint,
      region: LOCAL_REGION,
      createMissing: true,
      // kinesalite has no on-demand mode (CreateStream without ShardCount is refused): an ON_DEMAND
      // stream is a 1-shard stream here. Use the kinesis-mock backend to run it as on-demand.
      onDemandShardCount: 1,
      reconcileRetention: true,
      maxRetentionHours: KINESALITE_MAX_RETENTION_HOURS,
    });
  } catch (error) {
    await close();
    throw error;
  } finally {
    caller.close();
  }
  return {
    kind: 'embedded',
    endpoint,
    region: LOCAL_REGION,
    streamOfIterator: kinesaliteIteratorStream,
    listsShardsInOnePage: true,
    close,
  };
}
