/**
 * Starts the whole local API: a Kinesis backend with the configured streams, the spec rendered for
 * it, the gateway and its HTTP server. Used by the CLI (`npm start`), the tests and the benchmarks.
 */
import { randomBytes } from 'node:crypto';
import { loadConfig, type AuthMode, type IngestConfig } from '../config/ingest-config';
import { bundleSpec, LOCAL_FACTS, publishSpec, renderDeployedSpec, type OpenApiDocument } from '../spec-renderer';
import { LocalGateway, type AccessLogEntry } from './gateway/gateway';
import { startHttpServer, type StaticPage } from './gateway/http-server';
import { BodyPool } from './gateway/offload/body-pool';
import { publishedSpecPages } from './static-pages';
import type { LocalCredentials } from './gateway/iam-signature';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { createKinesisCaller, guardKinesisCalls, IteratorLedger, type KinesisCaller } from './integration';
import { startEmbeddedKinesis, startKinesisMock, useKinesisEndpoint, type KinesisBackend } from './kinesis';

export type BackendChoice =
  | { readonly kind: 'embedded'; readonly dataDir?: string; readonly port?: number }
  | { readonly kind: 'kinesis-mock'; readonly port?: number }
  | { readonly kind: 'endpoint'; readonly endpoint: string; readonly region: string; readonly createMissing?: boolean };

export interface LocalApiOptions {
  readonly config?: IngestConfig;
  /** The spec's root file (default: this project's openapi/openapi.yaml). */
  readonly specRoot?: string;
  readonly host?: string;
  readonly port?: number;
  readonly auth?: AuthMode;
  /** The key to accept in apiKey mode; generated when absent. */
  readonly apiKey?: string;
  readonly backend?: BackendChoice;
  /** Apply the configured throttling and quota (on by default, as in the cloud). */
  readonly throttle?: boolean;
  readonly accessLog?: (entry: AccessLogEntry) => void;
  readonly pages?: ReadonlyMap<string, StaticPage>;
  /** Time a client gets to send its whole request, and its headers (defaults: the HTTP server's). */
  readonly requestTimeoutMs?: number;
  readonly headersTimeoutMs?: number;
}

export interface LocalApi {
  /** The stage's base URL, e.g. http://127.0.0.1:4010/dev */
  readonly url: string;
  readonly config: IngestConfig;
  readonly spec: OpenApiDocument;
  readonly apiKey?: string;
  readonly iamCredentials?: LocalCredentials;
  readonly backend: KinesisBackend;
  /** Stops taking requests, lets those in flight finish within `graceMs` (default the server's), then stops the backend. */
  close(graceMs?: number): Promise<void>;
}

export const DEFAULT_PORT = 4010;

/** Real AWS wants real credentials (the default chain); local emulators take any. */
function isAws(endpoint: string): boolean {
  return /\.amazonaws\.com(\.cn)?$/.test(new URL(endpoint).hostname);
}

function callerFor(choice: BackendChoice): KinesisCaller {
  return choice.kind === 'endpoint' && isAws(choice.endpoint)
    ? createKinesisCaller({ credentials: defaultProvider() })
    : createKinesisCaller();
}

function startBackend(choice: BackendChoice, config: IngestConfig): Promise<KinesisBackend> {
  switch (choice.kind) {
    case 'embedded':
      return startEmbeddedKinesis({
        streams: config.streams,
        ...(choice.dataDir === undefined ? {} : { dataDir: choice.dataDir }),
        ...(choice.port === undefined ? {} : { port: choice.port }),
      });
    case 'kinesis-mock':
      return startKinesisMock({ streams: config.streams, ...(choice.port === undefined ? {} : { port: choice.port }) });
    case 'endpoint':
      return useKinesisEndpoint({
        endpoint: choice.endpoint,
        region: choice.region,
        streams: config.streams,
        createMissing: choice.createMissing ?? false,
        ...(isAws(choice.endpoint) ? { credentials: defaultProvider() } : {}),
      });
  }
}

export async function startLocalApi(options: LocalApiOptions = {}): Promise<LocalApi> {
  const base = options.config ?? loadConfig();
  const config: IngestConfig = options.auth === undefined ? base : { ...base, auth: options.auth };
  const choice = options.backend ?? { kind: 'embedded' };
  const backend = await startBackend(choice, config);
  const maxRecordSizeKiB = config.streams.map((s) => [s.physicalName, s.maxRecordSizeKiB] as const);
  const listsShardsInOnePage = backend.listsShardsInOnePage === true;
  const backendCaller = callerFor(choice);
  let largeBodies: BodyPool | undefined;
  try {
    const bundled = await bundleSpec(options.specRoot);
    const spec = renderDeployedSpec(bundled, config, { ...LOCAL_FACTS, region: backend.region });
    largeBodies = new BodyPool({ spec, maxRecordSizeKiB, listsShardsInOnePage });
    // Kinesis's own limits and the role's scope, applied before any backend sees a call.
    const caller = guardKinesisCalls(
      backendCaller,
      {
        maxRecordSizeKiB: new Map(maxRecordSizeKiB),
        // The embedded backend's iterators say which stream they read; any other backend's are known
        // by the gateway handing them out.
        ...(backend.streamOfIterator === undefined
          ? { iterators: new IteratorLedger() }
          : { streamOfIterator: backend.streamOfIterator }),
        ...(listsShardsInOnePage ? { listsShardsInOnePage } : {}),
      },
      largeBodies,
    );
    const apiKey = config.auth === 'apiKey' ? (options.apiKey ?? randomBytes(20).toString('base64url')) : undefined;
    const iamCredentials: LocalCredentials | undefined =
      config.auth === 'iam'
        ? {
            accessKeyId: 'LOCALACCESSKEY',
            secretAccessKey: randomBytes(20).toString('base64url'),
            region: backend.region,
          }
        : undefined;
    const gateway = new LocalGateway({
      spec,
      stage: config.stage,
      auth: config.auth,
      kinesis: { endpoint: backend.endpoint, region: backend.region, caller },
      ...(apiKey === undefined ? {} : { apiKeys: [apiKey] }),
      ...(iamCredentials === undefined ? {} : { iamCredentials }),
      ...(options.throttle === false
        ? {}
        : { limits: { stage: config.throttle, perKey: config.usagePlan.throttle, quota: config.usagePlan.quota } }),
      largeBodies,
    });
    // The caller's pages (the docs), then the published spec at /openapi.json and /openapi.yaml
    // once the server's own URL is known (it is the spec's first server).
    const pages = new Map(options.pages ?? []);
    const server = await startHttpServer(gateway, {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? DEFAULT_PORT,
      ...(options.accessLog === undefined ? {} : { accessLog: options.accessLog }),
      pages,
      ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
      ...(options.headersTimeoutMs === undefined ? {} : { headersTimeoutMs: options.headersTimeoutMs }),
    });
    for (const [path, page] of publishedSpecPages(publishSpec(bundled, config, { localOrigin: server.url })))
      pages.set(path, page);
    return {
      url: `${server.url}/${config.stage}`,
      config,
      spec,
      ...(apiKey === undefined ? {} : { apiKey }),
      ...(iamCredentials === undefined ? {} : { iamCredentials }),
      backend,
      close: async (graceMs?: number) => {
        await server.close(graceMs);
        caller.close();
        await largeBodies?.close();
        await backend.close();
      },
    };
  } catch (error) {
    backendCaller.close();
    await largeBodies?.close();
    await backend.close();
    throw error;
  }
}
