/**
 * kinesalite ships no TypeScript types: this is the little of it used here, typed. Its factory
 * returns a node:http Server whose close() first closes the LevelDB store, then the server.
 */
import type { Server } from 'node:http';
import { createDecipheriv } from 'node:crypto';
import { dirname } from 'node:path';

export interface KinesaliteOptions {
  /** Time a stream stays CREATING; 0 makes it ACTIVE at once. */
  readonly createStreamMs?: number;
  readonly deleteStreamMs?: number;
  readonly updateStreamMs?: number;
  /** Shards allowed over all streams (kinesalite's default is 10). */
  readonly shardLimit?: number;
  /** A LevelDB directory; in memory when absent. */
  readonly path?: string;
}

export type KinesaliteFactory = (options: KinesaliteOptions) => Server;

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const kinesalite = require('kinesalite') as KinesaliteFactory;

/** kinesalite accepts at most this retention (the real service: 8760 hours). */
export const KINESALITE_MAX_RETENTION_HOURS = 168;

interface LevelDown {
  open(callback: (error?: Error) => void): void;
  close(callback: (error?: Error) => void): void;
}

/**
 * Opens and closes the LevelDB in `path` the way kinesalite will. kinesalite itself reports a failed
 * open (most often: another process holds the directory's LOCK) as an uncaught 'error' event, which
 * would crash this process with no useful message; this turns it into an error to throw.
 */
export function checkDataDirCanOpen(path: string): Promise<void> {
  const kinesaliteDir = dirname(require.resolve('kinesalite'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const leveldown = require(require.resolve('leveldown', { paths: [kinesaliteDir] })) as (
    location: string,
  ) => LevelDown;
  const db = leveldown(path);
  return new Promise<void>((resolve, reject) => {
    db.open((openError) => {
      if (openError) return reject(openError);
      db.close((closeError) => (closeError ? reject(closeError) : resolve()));
    });
  });
}

interface KinesaliteDb {
  readonly ITERATOR_PWD_KEY: Buffer;
  readonly ITERATOR_PWD_IV: Buffer;
}

/**
 * The stream a kinesalite shard iterator reads. kinesalite's iterators are its own cipher text of
 * `time/stream/shard/sequence/…` under a key it exports; undefined for anything else (then the
 * backend judges the iterator, as Kinesis would a malformed one).
 */
export function kinesaliteIteratorStream(iterator: string): string | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const db = require('kinesalite/db') as KinesaliteDb;
  const buffer = Buffer.from(iterator, 'base64');
  if (buffer.length < 24 || buffer.subarray(0, 8).toString('hex') !== '0000000000000001') return undefined;
  try {
    const decipher = createDecipheriv('aes-256-cbc', db.ITERATOR_PWD_KEY, db.ITERATOR_PWD_IV);
    const pieces = Buffer.concat([decipher.update(buffer.subarray(8)), decipher.final()])
      .toString('utf8')
      .split('/');
    return pieces.length === 5 ? pieces[1] : undefined;
  } catch {
    return undefined;
  }
}
