/**
 * `npm run diff` on a temporary git repository made from this project: a baseline commit, then one
 * commit per kind of change, each compared with the baseline by contract and by behaviour. The
 * base checkout's collection is made once (by the baseline's own `npm run postman`) and kept in a
 * cache folder of the test, which the later comparisons reuse.
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { behaviourFailures, compareApi, exitStatus, type ApiDiffResult } from '../../api-diff/compare-api';
import { renderReport } from '../../api-diff/report';
import { ProjectRepo } from './project-repo';

let repo: ProjectRepo;
let cacheRoot: string;

beforeAll(() => {
  repo = new ProjectRepo();
  cacheRoot = join(repo.root, 'cache');
});

afterAll(() => repo?.remove());

const baseCheckouts = (): string[] => readdirSync(tmpdir()).filter((f) => f.startsWith('api-diff-base-'));
const compare = (): Promise<ApiDiffResult> => compareApi({ workingDir: repo.dir, baseRef: 'baseline', cacheRoot });
const reasons = (result: ApiDiffResult, severity: string): string[] =>
  result.contract.filter((c) => c.severity === severity).map((c) => `${c.operation ?? ''}: ${c.reason}`);

test('no change: exit 0, "no changes", the base collection made by the base and passing', async () => {
  repo.resetTo('no-change');
  const checkoutsBefore = baseCheckouts();
  const result = await compare();
  expect(result.contract).toEqual([]);
  expect(behaviourFailures(result)).toEqual([]);
  expect(exitStatus(result, false)).toBe(0);
  expect(renderReport(result, { allowBreaking: false })).toContain('**No changes**');
  // The collection was really run: as made and with each other PutRecord example.
  expect(result.behaviour.checked && result.behaviour.dependencies).toBe('working tree');
  const runs = result.behaviour.checked ? result.behaviour.runs : [];
  expect(runs.map((r) => r.label)).toEqual([
    'as made',
    '"Put one record" sending example `text`',
    '"Put one record" sending example `bytes`',
  ]);
  for (const run of runs) expect(run.assertions.total).toBeGreaterThanOrEqual(20);
  expect(readdirSync(join(cacheRoot, 'collections'))).toEqual([repo.git('rev-parse', 'baseline').trim()]);
  // The base checkout, a temporary folder, is gone.
  expect(baseCheckouts().filter((f) => !checkoutsBefore.includes(f))).toEqual([]);
}, 180_000);

test('an optional body field and a new operation: exit 0, reported as non-breaking', async () => {
  repo.resetTo('additions');
  repo.editYaml('openapi/components/schemas/RecordEntry.yaml', (doc) => {
    doc.setIn(
      ['properties', 'source'],
      doc.createNode({ type: 'string', description: 'Where the record comes from.' }),
    );
  });
  repo.write(
    'openapi/paths/streams_{stream-name}_summary.yaml',
    repo
      .read('openapi/paths/streams_{stream-name}.yaml')
      .replace('operationId: describeStream', 'operationId: describeStreamAgain'),
  );
  repo.editYaml('openapi/openapi.yaml', (doc) =>
    doc.setIn(
      ['paths', '/streams/{stream-name}/summary'],
      doc.createNode({ $ref: 'paths/streams_{stream-name}_summary.yaml' }),
    ),
  );
  repo.commit('Optional source field, a second describe operation');

  const result = await compare();
  expect(reasons(result, 'breaking')).toEqual([]);
  expect(behaviourFailures(result)).toEqual([]);
  expect(reasons(result, 'non-breaking')).toEqual(
    expect.arrayContaining([
      'GET /streams/{stream-name}/summary: new operation',
      'PUT /streams/{stream-name}/record: new optional field `source`',
      'PUT /streams/{stream-name}/records: new optional field `source`',
    ]),
  );
  expect(exitStatus(result, false)).toBe(0);
  expect(renderReport(result, { allowBreaking: false })).toMatch(/\*\*Non-breaking\*\*/);
}, 120_000);

test('a removed operation, a required partitionKey, a changed error status: `npm run diff` exits 1, each with its reason', async () => {
  repo.resetTo('breaking');
  repo.editYaml('openapi/openapi.yaml', (doc) => doc.deleteIn(['paths', '/streams/{stream-name}/shards']));
  repo.editYaml('openapi/components/schemas/RecordEntry.yaml', (doc) =>
    doc.set('required', doc.createNode(['partitionKey'])),
  );
  repo.editYaml('openapi/paths/streams_{stream-name}_records.yaml', (doc) => doc.deleteIn(['get', 'responses', '410']));
  repo.commit('Breaking changes');

  const reportFile = join(repo.root, 'report.md');
  const run = await promisify(execFile)(
    join(repo.dir, 'node_modules', '.bin', 'tsx'),
    ['scripts/diff.ts', '--base', 'baseline', '--report', reportFile],
    {
      cwd: repo.dir,
      env: { ...process.env, API_DIFF_CACHE: cacheRoot },
    },
  ).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
  expect(run).toMatchObject({ code: 1 });
  const report = readFileSync(reportFile, 'utf8');
  expect(run.stdout).toBe(report);
  expect(report).toContain(
    '| GET /streams/{stream-name}/shards | [Removed] operation GET /streams/{stream-name}/shards | removed operation |',
  );
  expect(report).toMatch(/\| PUT \/streams\/\{stream-name\}\/record \| .* \| new required field `partitionKey` \|/);
  expect(report).toMatch(
    /\| GET \/streams\/\{stream-name\}\/records \| .* \| changed status code: 410 is no longer answered \|/,
  );
  // The base's collection feels them too: its shards request is now answered 404 ...
  expect(report).toMatch(
    /- \*\*List a stream's shards\*\* \(every run\): _status is 200_: expected response to have status code 200 but got 4\d\d/,
  );
  // ... and its example without a partition key is refused.
  expect(report).toContain(
    '- **Put one record** (in the run "Put one record" sending example `bytes`): _status is 200_: expected response to have status code 200 but got 400',
  );
}, 180_000);

test('a template that stores a string with its quotes: non-zero, seen by the behaviour check only', async () => {
  repo.resetTo('stray-quotes');
  repo.replace(
    'openapi/templates/record-fields.vtl',
    `#if($json.startsWith('"'))\n#set($data = $util.base64Encode($record.data))\n#else\n#set($data = $util.base64Encode($json))\n#end`,
    '#set($data = $util.base64Encode($json))',
  );
  repo.commit('Store data as its JSON text');

  const result = await compare();
  expect(result.contract).toEqual([]);
  expect(behaviourFailures(result)).toEqual([
    expect.objectContaining({
      runs: ['"Put one record" sending example `text`'],
      request: 'Read back the record put',
      assertion: 'the record read back is the record put, byte for byte',
      message: expect.stringContaining('"GET /pricing 200 12ms"'),
    }),
  ]);
  expect(exitStatus(result, false)).toBe(1);
  expect(exitStatus(result, true)).toBe(0);
  const report = renderReport(result, { allowBreaking: false });
  expect(report).toContain('### Breaking changes in behaviour');
  expect(report).not.toContain('### Breaking changes to the contract');
}, 120_000);
