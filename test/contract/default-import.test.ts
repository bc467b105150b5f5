/**
 * The spec as a new user imports it: the local gateway started in-process (port 0), its
 * /openapi.json fetched, converted by Postman's own importer (openapi-to-postmanv2) with its
 * default options, and run with newman with nothing set but `baseUrl` and `apiKey`. Every request
 * that needs no value from another answer is 2xx; the two that do (a shard id, an iterator) are
 * 4xx with a JSON error that names what to send.
 */
import { convertV2 } from 'openapi-to-postmanv2';
import { parse as parseYaml } from 'yaml';
import type { NewmanRunSummary } from 'newman';
import { startLocalApi, type LocalApi } from '../../local/start-local-api';
import { runNewman } from '../../postman/run-newman';

interface Answer {
  readonly name: string;
  readonly status: number | undefined;
  readonly body: string;
}

let api: LocalApi;
let served: { json: unknown; yaml: unknown; yamlType: string | null };
let baseUrlOfImport: string | undefined;
let answers: Answer[];

function convertWithDefaults(
  spec: unknown,
): Promise<{ item: unknown[]; variable?: Array<{ key: string; value: string }> }> {
  return new Promise((resolve, reject) => {
    convertV2({ type: 'json', data: spec as object }, {}, (error, result) => {
      const collection = result?.output?.find((o) => o.type === 'collection')?.data;
      if (error || !result?.result || collection === undefined)
        reject(error ?? new Error(result?.reason ?? 'no collection'));
      else resolve(collection as { item: unknown[]; variable?: Array<{ key: string; value: string }> });
    });
  });
}

beforeAll(async () => {
  api = await startLocalApi({ port: 0, throttle: false });
  const origin = api.url.replace(/\/[^/]+$/, '');
  const json = await fetch(`${origin}/openapi.json`);
  const yaml = await fetch(`${origin}/openapi.yaml`);
  served = { json: await json.json(), yaml: parseYaml(await yaml.text()), yamlType: yaml.headers.get('content-type') };
  // The converter writes into the document it is given: hand it a copy.
  const collection = await convertWithDefaults(structuredClone(served.json));
  baseUrlOfImport = collection.variable?.find((v) => v.key === 'baseUrl')?.value;
  const summary: NewmanRunSummary = await runNewman({
    collection,
    envVar: [
      { key: 'baseUrl', value: api.url },
      { key: 'apiKey', value: api.apiKey as string },
    ],
  });
  answers = summary.run.executions.map((e) => ({
    name: e.item.name,
    status: e.response?.code,
    body: e.response?.stream?.toString('utf8') ?? '',
  }));
}, 120_000);

afterAll(async () => {
  await api?.close();
});

test('the gateway serves the published spec as JSON and as YAML, the same document', () => {
  expect(served.yaml).toEqual(served.json);
  expect(served.yamlType).toMatch(/yaml/);
});

test("the importer takes the running gateway as its base URL (the spec's first server)", () => {
  expect(baseUrlOfImport).toBe(api.url);
});

test('all seven operations were imported and run', () => {
  expect(answers.map((a) => a.name).sort()).toEqual(
    [
      'Describe a stream',
      'Get a shard iterator',
      "List a stream's shards",
      'List the streams this API serves',
      'Put one record',
      'Put up to 500 records',
      'Read records from a shard',
    ].sort(),
  );
});

test('the five operations that need no earlier answer are 2xx', () => {
  const ok = answers.filter((a) => a.status !== undefined && a.status >= 200 && a.status < 300).map((a) => a.name);
  expect(ok.sort()).toEqual(
    [
      'Describe a stream',
      "List a stream's shards",
      'List the streams this API serves',
      'Put one record',
      'Put up to 500 records',
    ].sort(),
  );
});

test('the records put by the imported requests were all written', () => {
  const batch = JSON.parse(answers.find((a) => a.name === 'Put up to 500 records')?.body ?? '{}') as {
    failedRecordCount?: number;
  };
  expect(batch.failedRecordCount).toBe(0);
  expect(JSON.parse(answers.find((a) => a.name === 'Put one record')?.body ?? '{}')).toEqual({
    shardId: expect.any(String),
    sequenceNumber: expect.any(String),
  });
});

test.each([
  ['Get a shard iterator', /shardId/],
  ['Read records from a shard', /ShardIterator/],
])('%s, which needs a value from another answer, is a 4xx JSON error naming it', (name, names) => {
  const answer = answers.find((a) => a.name === name);
  expect(answer?.status).toBeGreaterThanOrEqual(400);
  expect(answer?.status).toBeLessThan(500);
  const body = JSON.parse(answer?.body ?? '') as { error: string; message: string };
  expect(body).toEqual({ error: expect.any(String), message: expect.stringMatching(names) });
});
