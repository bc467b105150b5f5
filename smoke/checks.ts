/**
 * The first-deploy check (`npm run smoke`): the newman contract against a stage, plus what only a
 * deployed API Gateway can get wrong: a request without credentials is refused, an unknown stream
 * matches no route (404), a request over the payload quota is 413, and a CORS preflight is
 * answered when CORS is on. Each check says what it saw.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestSigner } from '../client/request-signer';
import type { IngestConfig } from '../config/ingest-config';
import { MAX_PAYLOAD_BYTES } from '../local/gateway/gateway-responses';
import { buildCollection } from '../postman';
import { describeFailures, runNewman } from '../postman/run-newman';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SmokeTarget {
  /** The stage URL, without a trailing slash. */
  readonly baseUrl: string;
  readonly region: string;
  /** apiKey mode. */
  readonly apiKey?: string;
  /** iam mode. */
  readonly credentials?: AwsCredentials;
}

export interface SmokeResult {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

async function send(
  target: SmokeTarget,
  method: string,
  path: string,
  options: { body?: Buffer | string; headers?: Record<string, string>; anonymous?: boolean } = {},
): Promise<Answer> {
  const url = new URL(`${target.baseUrl}${path}`);
  let headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (!options.anonymous && target.apiKey !== undefined) headers['x-api-key'] = target.apiKey;
  if (!options.anonymous && target.credentials !== undefined) {
    headers = await createRequestSigner(
      target.region,
      target.credentials,
    )({
      method,
      url,
      headers,
      ...(options.body === undefined ? {} : { body: options.body }),
    });
  }
  const response = await fetch(url, { method, headers, ...(options.body === undefined ? {} : { body: options.body }) });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

function errorCode(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: unknown };
    return typeof body.error === 'string' ? body.error : undefined;
  } catch {
    return undefined;
  }
}

async function contract(target: SmokeTarget, config: IngestConfig, streamName: string): Promise<SmokeResult> {
  const dir = mkdtempSync(join(tmpdir(), 'smoke-'));
  try {
    const file = join(dir, 'collection.json');
    writeFileSync(file, JSON.stringify(await buildCollection(config)));
    const envVar = [
      { key: 'baseUrl', value: target.baseUrl },
      { key: 'streamName', value: streamName },
      { key: 'awsRegion', value: target.region },
    ];
    if (target.apiKey !== undefined) envVar.push({ key: 'apiKey', value: target.apiKey });
    if (target.credentials !== undefined) {
      envVar.push(
        { key: 'awsAccessKeyId', value: target.credentials.accessKeyId },
        { key: 'awsSecretAccessKey', value: target.credentials.secretAccessKey },
      );
      envVar.push({ key: 'awsSessionToken', value: target.credentials.sessionToken ?? '' });
    }
    const summary = await runNewman({ collection: file, envVar });
    const failures = describeFailures(summary);
    const { total } = summary.run.stats.assertions;
    return {
      check: 'newman contract',
      ok: failures.length === 0 && total > 0,
      detail: failures.length === 0 ? `${total} assertions passed` : failures.join('; '),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runSmoke(target: SmokeTarget, config: IngestConfig): Promise<SmokeResult[]> {
  const results: SmokeResult[] = [];
  const listed = await send(target, 'GET', '/streams');
  const names =
    listed.status === 200
      ? ((JSON.parse(listed.text) as { streams?: Array<{ name: string }> }).streams ?? []).map((s) => s.name)
      : [];
  results.push({
    check: 'GET /streams',
    ok: names.length > 0,
    detail: `${listed.status}, streams: ${names.join(', ') || 'none'}`,
  });
  const stream = names[0] ?? config.streams[0].name;

  results.push(await contract(target, config, stream));

  if (config.auth !== 'none') {
    // apiKey: INVALID_API_KEY, 403. iam: an unsigned request is MISSING_AUTHENTICATION_TOKEN,
    // which this API answers 404 NotFound.
    const expected =
      config.auth === 'apiKey' ? { status: 403, error: 'InvalidApiKey' } : { status: 404, error: 'NotFound' };
    const anonymous = await send(target, 'GET', '/streams', { anonymous: true });
    const ok = anonymous.status === expected.status && errorCode(anonymous.text) === expected.error;
    results.push({
      check: `no credentials: ${expected.status} ${expected.error}`,
      ok,
      detail: `${anonymous.status} ${anonymous.text.slice(0, 200)}`,
    });
  }

  const unknown = await send(target, 'GET', '/streams/not-a-configured-stream-smoke/shards');
  results.push({
    check: 'unknown stream: 404 NotFound',
    ok: unknown.status === 404 && errorCode(unknown.text) === 'NotFound',
    detail: `${unknown.status} ${unknown.text.slice(0, 200)}`,
  });

  // Anonymous, so that no signature has to hash 10 MB: the payload quota is checked first.
  const oversized = await send(target, 'PUT', `/streams/${stream}/records`, {
    anonymous: true,
    body: Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20),
    headers: { 'content-type': 'application/json' },
  });
  results.push({
    check: 'a body over 10 MB: 413',
    ok: oversized.status === 413,
    detail: `${oversized.status} ${oversized.text.slice(0, 200)}`,
  });

  if (config.corsAllowOrigin !== undefined) {
    const origin = config.corsAllowOrigin === '*' ? 'https://example.com' : config.corsAllowOrigin;
    const preflight = await send(target, 'OPTIONS', `/streams/${stream}/record`, {
      anonymous: true,
      headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
    });
    const allowed = preflight.headers.get('access-control-allow-origin');
    results.push({
      check: 'CORS preflight',
      ok:
        preflight.status >= 200 && preflight.status < 300 && (allowed === config.corsAllowOrigin || allowed === origin),
      detail: `${preflight.status}, Access-Control-Allow-Origin: ${allowed ?? 'none'}`,
    });
  }
  return results;
}
