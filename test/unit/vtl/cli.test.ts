/**
 * `npm run vtl` (scripts/vtl.ts over local/template-cli.ts) with files on disk: each case runs the
 * command's code in-process; the entry point itself is run as the user runs it, a child process,
 * once for a rendering and once for an error, so its output and exit status are checked too.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTemplateCli } from '../../../local/template-cli';

const ROOT = join(__dirname, '..', '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = join(ROOT, 'scripts', 'vtl.ts');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vtl-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The entry point, as `npm run --silent vtl -- ...` runs it. */
function spawnCli(args: string[]): Run {
  const result = spawnSync(TSX, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const runCli = (args: string[]): Run => runTemplateCli(args, ROOT);

/** Each call writes its own pair of files, so cases never share them. */
let written = 0;
function files(template: string, request: string): string[] {
  written += 1;
  const templateFile = join(dir, `t${written}.vtl`);
  const requestFile = join(dir, `r${written}.json`);
  writeFileSync(templateFile, template);
  writeFileSync(requestFile, request);
  return ['--template', templateFile, '--request', requestFile];
}

const printing = {
  template:
    '#set($d = $input.path(\'$.data\'))\n{"s": "$input.params(\'stream-name\')", "d": "$util.base64Encode($d)", "id": "$context.requestId", "m": "$input.path(\'$.m\')"}\n',
  request: {
    body: '{"data": "hi", "m": {"a": [1]}}',
    path: { 'stream-name': 'clicks' },
    context: { requestId: 'r-1' },
  },
  output: '{"s": "clicks", "d": "aGk=", "id": "r-1", "m": "{a=[1]}"}\n',
};

describe('the entry point, a child process', () => {
  test('prints exactly the rendered text, nothing added, and exits 0', () => {
    const result = spawnCli(files(printing.template, JSON.stringify(printing.request)));
    expect(result).toEqual({ status: 0, stdout: printing.output, stderr: '' });
  });

  test('a syntax error exits 2 with the reason on stderr, nothing on stdout', () => {
    const result = spawnCli(files('line one\n#if($x', '{}'));
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/Template syntax error at line 2/);
  });
});

test('prints exactly the rendered text, nothing added', () => {
  const result = runCli(files(printing.template, JSON.stringify(printing.request)));
  expect(result).toEqual({ status: 0, stdout: printing.output, stderr: '' });
});

test('an empty request file object is enough', () => {
  const result = runCli(files('[$input.body]', '{}'));
  expect(result.stdout).toBe('[{}]');
  expect(result.status).toBe(0);
});

test('a syntax error exits 2 with the reason on stderr', () => {
  const result = runCli(files('line one\n#if($x', '{}'));
  expect(result.status).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/Template syntax error at line 2/);
});

test('missing arguments exit 2 with the usage', () => {
  const result = runCli([]);
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/--template and --request/);
});

test('an unreadable file exits 2', () => {
  const result = runCli(['--template', join(dir, 'missing.vtl'), '--request', join(dir, 'missing.json')]);
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/missing\.vtl/);
});

test('a request file that is not JSON exits 2', () => {
  const result = runCli(files('x', '{not json'));
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/r\d+\.json/);
});

test('a request file that is not a JSON object exits 2', () => {
  const result = runCli(files('x', '[1]'));
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/must hold a JSON object/);
});

test('the request file can preset $context.requestOverride / responseOverride for a response template', () => {
  const template =
    '$context.requestOverride.path.body|$context.requestOverride.header.X-A|$context.responseOverride.status';
  const request = {
    context: { requestOverride: { path: { body: 'b' }, header: { 'X-A': 'a' } }, responseOverride: { status: 201 } },
  };
  const result = runCli(files(template, JSON.stringify(request)));
  expect(result.stderr).toBe('');
  expect(result.stdout).toBe('b|a|201');
});
