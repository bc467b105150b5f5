/**
 * `npm run tail -- <stream> [--from trim-horizon|latest|<ISO time>] [--url <stage URL>] [--api-key <key>] [--json]`
 * (or `--iam --region <r>`: SigV4 with the default AWS credential chain): prints every record of the
 * stream as it arrives, through the API, until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import {
  createIngestApi,
  formatForHumans,
  formatJsonLine,
  IngestError,
  parseTailStart,
  tailStream,
  type ApiAuth,
} from '../client';

const USAGE =
  'usage: npm run tail -- <stream> [--from trim-horizon|latest|<ISO time>] [--url <stage URL>] [--api-key <key> | --iam --region <region>] [--json]';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      from: { type: 'string', default: 'latest' },
      url: { type: 'string', default: process.env.INGEST_API_URL ?? 'http://127.0.0.1:4010/dev' },
      'api-key': { type: 'string' },
      iam: { type: 'boolean', default: false },
      region: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const stream = positionals[0];
  if (stream === undefined || positionals.length > 1) throw new Error(USAGE);
  const apiKey = values['api-key'] ?? process.env.INGEST_API_KEY;
  let auth: ApiAuth;
  if (values.iam) {
    const region = values.region ?? process.env.AWS_REGION;
    if (region === undefined) throw new Error('--iam needs --region (or AWS_REGION)');
    auth = { iam: { region, credentials: defaultProvider() } };
  } else auth = apiKey === undefined ? { none: true } : { apiKey };
  const format = values.json ? formatJsonLine : formatForHumans;
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  await tailStream({
    api: createIngestApi({ url: values.url, auth }),
    stream,
    from: parseTailStart(values.from),
    signal: stop.signal,
    // Throttling (429) is part of reading and passes quietly; an API that is down or out of reach is told.
    onRetry: (retry) => {
      if (retry.status === 429) return;
      const what = retry.status === undefined ? 'no answer' : `HTTP ${String(retry.status)}`;
      process.stderr.write(`tail: ${what} (${retry.reason}); retrying in ${(retry.delayMs / 1000).toFixed(1)} s\n`);
    },
    onRecord: (record) => {
      const line = format(record);
      // Wait for the terminal or pipe to take it: a slow reader slows the reads, not the memory.
      if (!process.stdout.write(line)) return new Promise((resolve) => process.stdout.once('drain', resolve));
      return undefined;
    },
  });
}

main().catch((error: unknown) => {
  const text =
    error instanceof IngestError
      ? `${error.code} (HTTP ${String(error.status)}): ${error.message}`
      : error instanceof Error
        ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}`
        : String(error);
  process.stderr.write(`tail: ${text}\n`);
  process.exit(1);
});
