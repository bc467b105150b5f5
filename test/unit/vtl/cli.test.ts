import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vtl-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(template: string, request: unknown): { status: number | null; stdout: string; stderr: string } {
  writeFileSync(join(dir, 't.vtl'), template);
  writeFileSync(join(dir, 'r.json'), typeof request === 'string' ? request : JSON.stringify(request));
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'vtl.ts'), '--template', join(dir, 't.vtl'), '--request', join(dir, 'r.json')], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('prints exactly the rendered text', () => {
  const result = run("{\"s\": \"$input.params('stream-name')\", \"d\": \"$util.base64Encode($input.path('$.data'))\", \"id\": \"$context.requestId\"}", {
    body: '{"data": "hi"}',
    path: { 'stream-name': 'clicks' },
    context: { requestId: 'r-1' },
  });
  expect(result.stderr).toBe('');
  expect(result.stdout).toBe('{"s": "clicks", "d": "aGk=", "id": "r-1"}');
  expect(result.status).toBe(0);
});

test('renders the project template for PutRecord', () => {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'scripts', 'vtl.ts'), '--template', join(ROOT, 'openapi', 'templates', 'put-record.request.vtl'), '--request', writeRequest({ body: '{"data": {"a": 1}, "partitionKey": "k"}', path: { 'stream-name': 's' } })],
    { cwd: ROOT, encoding: 'utf8' },
  );
  expect(JSON.parse(result.stdout)).toEqual({ StreamName: 's', Data: Buffer.from('{"a":1}').toString('base64'), PartitionKey: 'k' });
});

function writeRequest(request: unknown): string {
  const file = join(dir, 'put.json');
  writeFileSync(file, JSON.stringify(request));
  return file;
}

test('a syntax error exits 2 with the reason on stderr', () => {
  const result = run('#if($x', {});
  expect(result.status).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/Template syntax error/);
});

test('a request file that is not an object exits 2', () => {
  const result = run('x', '[1]');
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/must hold a JSON object/);
});
