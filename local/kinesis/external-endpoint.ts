/**
 * Any Kinesis-compatible endpoint (LocalStack, a kinesis-mock started elsewhere, or AWS itself with
 * the default credential chain). Nothing is started: the configured streams are checked, and
 * created only when asked to. close() has nothing to free.
 */
import type { StreamConfig } from '../../config/ingest-config';
import { createKinesisCaller, type CredentialsSource } from '../integration';
import type { KinesisBackend } from './backend';
import { ensureStreams } from './stream-setup';

export interface EndpointOptions {
  readonly endpoint: string;
  readonly region: string;
  readonly streams: readonly StreamConfig[];
  /** Create missing streams (default false: a missing stream is an error naming it and the endpoint). */
  readonly createMissing?: boolean;
  /** Default: the local dummy credentials. For AWS: `fromNodeProviderChain()`. */
  readonly credentials?: CredentialsSource;
  /** Wait this long for streams to become ACTIVE (default 60 s). */
  readonly timeoutMs?: number;
}

export async function useKinesisEndpoint(options: EndpointOptions): Promise<KinesisBackend> {
  const caller = createKinesisCaller(options.credentials === undefined ? {} : { credentials: options.credentials });
  try {
    await ensureStreams(caller, options.streams, {
      endpoint: options.endpoint,
      region: options.region,
      createMissing: options.createMissing ?? false,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
  } finally {
    caller.close();
  }
  return { kind: 'endpoint', endpoint: options.endpoint, region: options.region, close: () => Promise.resolve() };
}
