/** Redocly's lint, as `npm run lint` runs it, over the spec and redocly.yaml of `root` (a repo or a copy of it). */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export function redoclyLint(root: string): { status: number | null; output: string } {
  const result = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js'),
      'lint',
      '--config',
      join(root, 'redocly.yaml'),
      '--format',
      'stylish',
    ],
    {
      cwd: root,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      encoding: 'utf8',
    },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
