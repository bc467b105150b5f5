/**
 * `npm run smoke` against the local gateway, started in-process on a free port: every check passes
 * against a healthy API, and a check fails when the API does not behave (a wrong key).
 */
import { parseConfig, type IngestConfig } from '../../config/ingest-config';
import { startLocalApi, type LocalApi } from '../../local/start-local-api';
import { runSmoke } from '../../smoke/checks';

const failed = (results: Array<{ check: string; ok: boolean; detail: string }>): string[] =>
  results.filter((r) => !r.ok).map((r) => `${r.check}: ${r.detail}`);

describe('apiKey auth with CORS', () => {
  let api: LocalApi;
  let config: IngestConfig;
  beforeAll(async () => {
    config = parseConfig({ stage: 'smoke', corsAllowOrigin: 'https://app.example.com' });
    api = await startLocalApi({ config, port: 0, throttle: false });
  });
  afterAll(() => api.close());

  test('every check passes, the preflight and the 413 included', async () => {
    const results = await runSmoke(
      { baseUrl: api.url, region: api.backend.region, apiKey: api.apiKey as string },
      config,
    );
    expect(failed(results)).toEqual([]);
    expect(results.map((r) => r.check)).toEqual([
      'GET /streams',
      'newman contract',
      'no credentials: 403 InvalidApiKey',
      'unknown stream: 404 NotFound',
      'a body over 10 MB: 413',
      'CORS preflight',
    ]);
  });

  test('a wrong key fails the checks that need one', async () => {
    const results = await runSmoke({ baseUrl: api.url, region: api.backend.region, apiKey: 'wrong' }, config);
    expect(failed(results).length).toBeGreaterThan(0);
    expect(results.find((r) => r.check === 'GET /streams')?.ok).toBe(false);
  });
});

test('iam auth: signed checks pass, an unsigned request is refused', async () => {
  const config = parseConfig({ stage: 'smoke', auth: 'iam' });
  const api = await startLocalApi({ config, port: 0, throttle: false });
  try {
    const results = await runSmoke(
      { baseUrl: api.url, region: api.backend.region, credentials: api.iamCredentials },
      config,
    );
    expect(failed(results)).toEqual([]);
    expect(results.map((r) => r.check)).toContain('no credentials: 404 NotFound');
  } finally {
    await api.close();
  }
});
