/**
 * node_modules for the base checkout, so that its own scripts run with its own dependencies: the
 * working tree's when both lockfiles are the same (the usual pull request), else a `npm ci` of the
 * base's lockfile kept in a cache folder named by the lockfile's hash and reused by later runs.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export type DependencySource = 'working tree' | 'cache' | 'fresh install';

function lockfileHash(dir: string): string {
  const file = join(dir, 'package-lock.json');
  if (!existsSync(file))
    throw new Error(`${file} is missing: the base's dependencies are installed with npm ci from its lockfile`);
  return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 32);
}

async function installInto(cacheDir: string, baseDir: string): Promise<void> {
  const staging = `${cacheDir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const file of ['package.json', 'package-lock.json', '.npmrc']) {
    if (existsSync(join(baseDir, file))) copyFileSync(join(baseDir, file), join(staging, file));
  }
  try {
    await promisify(execFile)('npm', ['ci', '--no-audit', '--no-fund'], {
      cwd: staging,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NO_UPDATE_NOTIFIER: '1', CDK_DISABLE_CLI_TELEMETRY: 'true', REDOCLY_TELEMETRY: 'off' },
    });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`npm ci of the base's lockfile failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  // A concurrent run may have finished first: theirs is as good as ours.
  if (existsSync(cacheDir)) rmSync(staging, { recursive: true, force: true });
  else renameSync(staging, cacheDir);
}

export async function provideBaseDependencies(
  baseDir: string,
  workingDir: string,
  cacheRoot: string,
): Promise<DependencySource> {
  const hash = lockfileHash(baseDir);
  const target = join(baseDir, 'node_modules');
  if (hash === lockfileHash(workingDir)) {
    symlinkSync(realpathSync(join(workingDir, 'node_modules')), target, 'dir');
    return 'working tree';
  }
  const cacheDir = join(cacheRoot, 'dependencies', hash);
  const cached = existsSync(join(cacheDir, 'node_modules'));
  if (!cached) {
    mkdirSync(join(cacheRoot, 'dependencies'), { recursive: true });
    await installInto(cacheDir, baseDir);
  }
  symlinkSync(join(cacheDir, 'node_modules'), target, 'dir');
  return cached ? 'cache' : 'fresh install';
}
