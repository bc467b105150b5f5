/** Any Kinesis-compatible endpoint (LocalStack, or AWS itself with the default credential chain). */
import type { StreamConfig } from '../../infra/config';
import { createKinesisCaller, type KinesisCallerOptions } from '../integration';
import type { KinesisBackend } from './backend';
import { ensureStreams } from './stream-setup';

export interface EndpointOptions {
  readonly endpoint: string;
  readonly region: string;
  readonly streams: readonly StreamConfig[];
  readonly createMissing?: boolean;
  readonly credentials?: KinesisCallerOptions['credentials'];
}

export async function useKinesisEndpoint(options: EndpointOptions): Promise<KinesisBackend> {
  const caller = createKinesisCaller(options.credentials === undefined ? {} : { credentials: options.credentials });
  try {
    await ensureStreams(caller, options.streams, { endpoint: options.endpoint, region: options.region, createMissing: options.createMissing ?? false });
  } finally {
    caller.close();
  }
  return { kind: 'endpoint', endpoint: options.endpoint, region: options.region, close: async () => undefined };
}
