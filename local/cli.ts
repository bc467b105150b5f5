/**
 * `npm start`: the API on 127.0.0.1, from the same spec and configuration as the stack.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { AUTH_MODES, ConfigError, loadConfig, type AuthMode } from '../config/ingest-config';
import { DEFAULT_PORT, startLocalApi, type BackendChoice, type LocalApi } from './start-local-api';
import type { StaticPage } from './gateway/http-server';
import { buildDocs, DOCS_DIR } from '../docs-site/build-docs';
import { docsPages as docsPagesOf } from './static-pages';

const USAGE = `Usage: npm start -- [options]

  --port <n>               port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host <address>         address to bind (default 127.0.0.1)
  --stage <name>           the stage to run, with its settings (cdk.json's stages.<name>;
                           default: the configuration's stage)
  --auth <mode>            apiKey | iam | none (default: the configuration's)
  --api-key <value>        the API key to accept (apiKey mode; default: generated and printed)
  --kinesis <backend>      embedded (default, in-process) | kinesis-mock (the kinesis-local package)
  --kinesis-endpoint <url> any Kinesis-compatible endpoint instead (LocalStack, or AWS with the
                           default credential chain); --region names its region
  --region <region>        region of --kinesis-endpoint (default us-east-1)
  --kinesis-port <n>       port of the embedded Kinesis or kinesis-mock (default: a free one), so
                           other tools can keep one endpoint across restarts
  --create-streams         create missing configured streams at --kinesis-endpoint
  --data-dir <path>        keep the embedded Kinesis's data on disk, across restarts
  --no-throttle            do not apply the configured throttling and quota
  --quiet                  no access log
  --help                   this text
`;

/** From SIGTERM to exit, at most (the HTTP server's grace for requests in flight is shorter). */
const SHUTDOWN_LIMIT_MS = 30_000;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

/** The docs page at /docs: the one `npm run docs` built, or built now in the background. */
function docsPages(): Map<string, StaticPage> {
  const pages = new Map<string, StaticPage>();
  const serve = (file: string): void => {
    for (const [path, page] of docsPagesOf(readFileSync(file))) pages.set(path, page);
  };
  const file = join(DOCS_DIR, 'index.html');
  if (existsSync(file)) serve(file);
  else buildDocs().then(serve, (error: unknown) => process.stderr.write(`docs not built: ${String(error)}\n`));
  return pages;
}

/** The Kinesis backend straight, with the AWS CLI: an emulator takes any credentials, AWS the user's own. */
function awsCliLines(api: LocalApi, stream: string): string[] {
  const { kind, endpoint, region } = api.backend;
  const credentials = kind === 'endpoint' ? '' : 'AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local ';
  const target = `--endpoint-url ${endpoint} --region ${region}`;
  return [
    `The ${kind === 'endpoint' ? 'Kinesis endpoint' : `${kind} Kinesis`} itself, with the AWS CLI:`,
    `  ${credentials}aws kinesis list-shards --stream-name ${stream} ${target}`,
    `  ${credentials}aws kinesis put-record --stream-name ${stream} --partition-key u-1 --data '{"event": "page_view"}' --cli-binary-format raw-in-base64-out ${target}`,
    '  (AWS CLI v2 reads --data as base64 unless given --cli-binary-format raw-in-base64-out; v1 has no such option: drop it there)',
  ];
}

function banner(api: LocalApi): string {
  const stream = api.config.streams[0].name;
  const key = api.apiKey === undefined ? '' : ` -H 'x-api-key: ${api.apiKey}'`;
  const origin = api.url.replace(/\/[^/]+$/, '');
  const lines = [
    `Kinesis Ingest API (local) on ${api.url}`,
    `  stage ${api.config.stage}, auth ${api.config.auth}, region ${api.backend.region}, backend ${api.backend.kind} at ${api.backend.endpoint}`,
    `  streams: ${api.config.streams.map((s) => (s.name === s.physicalName ? s.name : `${s.name} (Kinesis stream ${s.physicalName})`)).join(', ')}`,
  ];
  if (api.apiKey !== undefined) lines.push(`  API key: ${api.apiKey}`);
  if (api.iamCredentials !== undefined) {
    lines.push(
      `  IAM signing key: ${api.iamCredentials.accessKeyId} / ${api.iamCredentials.secretAccessKey} (service execute-api, region ${api.backend.region})`,
    );
  }
  lines.push(`  docs: ${origin}/docs`);
  lines.push(`  OpenAPI: ${origin}/openapi.json (and .yaml): Postman → Import → Link, then set apiKey`);
  lines.push(
    '',
    'Try it:',
    `  curl -s${key} ${api.url}/streams`,
    `  curl -s${key} -X PUT -H 'content-type: application/json' -d '{"data": {"event": "page_view"}, "partitionKey": "u-1"}' ${api.url}/streams/${stream}/record`,
    `  curl -s${key} '${api.url}/streams/${stream}/sharditerator?shard-id=shardId-000000000000'`,
    `  curl -s${key} -H 'Shard-Iterator: <shardIterator from above>' ${api.url}/streams/${stream}/records`,
    '',
    ...awsCliLines(api, api.config.streams[0].physicalName),
    '',
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        stage: { type: 'string' },
        auth: { type: 'string' },
        'api-key': { type: 'string' },
        kinesis: { type: 'string' },
        'kinesis-endpoint': { type: 'string' },
        'kinesis-port': { type: 'string' },
        region: { type: 'string' },
        'create-streams': { type: 'boolean' },
        'data-dir': { type: 'string' },
        'no-throttle': { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (error) {
    fail((error as Error).message);
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  const port = args.port === undefined ? DEFAULT_PORT : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port ${args.port} is not a port number`);
  if (args.auth !== undefined && !(AUTH_MODES as readonly string[]).includes(args.auth))
    fail(`--auth ${args.auth}: use one of ${AUTH_MODES.join(', ')}`);
  const kinesisPort = args['kinesis-port'] === undefined ? undefined : Number(args['kinesis-port']);
  if (kinesisPort !== undefined && (!Number.isInteger(kinesisPort) || kinesisPort < 0 || kinesisPort > 65535))
    fail(`--kinesis-port ${args['kinesis-port']} is not a port number`);
  if (kinesisPort !== undefined && args['kinesis-endpoint'] !== undefined)
    fail('--kinesis-port is for the embedded Kinesis or kinesis-mock; --kinesis-endpoint already names its port');
  const onPort = kinesisPort === undefined ? {} : { port: kinesisPort };
  let backend: BackendChoice;
  if (args['kinesis-endpoint'] !== undefined) {
    backend = {
      kind: 'endpoint',
      endpoint: args['kinesis-endpoint'],
      region: args.region ?? 'us-east-1',
      createMissing: args['create-streams'] === true,
    };
  } else if (args.kinesis === undefined || args.kinesis === 'embedded') {
    backend = { kind: 'embedded', ...(args['data-dir'] === undefined ? {} : { dataDir: args['data-dir'] }), ...onPort };
  } else if (args.kinesis === 'kinesis-mock') {
    backend = { kind: 'kinesis-mock', ...onPort };
  } else {
    fail(`--kinesis ${args.kinesis}: use embedded or kinesis-mock, or --kinesis-endpoint <url>`);
  }

  let config;
  try {
    config = loadConfig({ stage: args.stage });
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const pages = docsPages();
  const quiet = args.quiet === true;
  const api = await startLocalApi({
    config,
    port,
    host: args.host ?? '127.0.0.1',
    backend,
    ...(args.auth === undefined ? {} : { auth: args.auth as AuthMode }),
    ...(args['api-key'] === undefined ? {} : { apiKey: args['api-key'] }),
    throttle: args['no-throttle'] !== true,
    pages,
    ...(quiet ? {} : { accessLog: (entry) => process.stdout.write(`${JSON.stringify(entry)}\n`) }),
  });
  process.stdout.write(banner(api));

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(
      `${signal}: no new requests; finishing the ones in flight, then stopping (at most ${SHUTDOWN_LIMIT_MS / 1000} s)\n`,
    );
    // The server cuts requests still running after its grace; this bounds the backend's close too.
    setTimeout(() => {
      process.stderr.write(`${signal}: not stopped after ${SHUTDOWN_LIMIT_MS / 1000} s: exiting now\n`);
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    api.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`local gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
