/**
 * The base's own contract collection: what the base's `npm run postman` writes, made in the base
 * checkout with the base's scripts and configuration, so the base's tests are the judge whatever
 * the working tree changed in how collections are made. A commit's collection never changes: it is
 * kept in the cache folder by commit id.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PostmanCollection, PostmanEnvironment } from '../postman/types';

export interface BaseCollection {
  readonly collection: PostmanCollection;
  readonly environment?: PostmanEnvironment;
}

/** Why there is no collection to run, when there is none. */
export type BaseCollectionResult =
  | { readonly found: true; readonly value: BaseCollection; readonly cached: boolean }
  | { readonly found: false; readonly why: string };

function readCollection(dir: string): BaseCollection | undefined {
  const files = readdirSync(dir);
  const collection = files.find((f) => f.endsWith('.postman_collection.json'));
  if (collection === undefined) return undefined;
  // The local gateway's environment, when the base writes one: the run overrides its URL and credentials.
  const environment = files.find((f) => f.startsWith('local') && f.endsWith('.postman_environment.json'));
  return {
    collection: JSON.parse(readFileSync(join(dir, collection), 'utf8')) as PostmanCollection,
    ...(environment === undefined
      ? {}
      : { environment: JSON.parse(readFileSync(join(dir, environment), 'utf8')) as PostmanEnvironment }),
  };
}

/** `installDependencies` runs only when the collection must be made (it is not in the cache). */
export async function baseCollection(
  baseDir: string,
  commit: string,
  cacheRoot: string,
  installDependencies: () => Promise<unknown>,
): Promise<BaseCollectionResult> {
  const cacheDir = join(cacheRoot, 'collections', commit);
  const cached = existsSync(cacheDir) ? readCollection(cacheDir) : undefined;
  if (cached !== undefined) return { found: true, value: cached, cached: true };

  const scripts =
    (JSON.parse(readFileSync(join(baseDir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ??
    {};
  if (scripts.postman === undefined)
    return { found: false, why: 'the base has no `npm run postman` script, so no contract collection' };
  await installDependencies();
  const outDir = join(baseDir, 'build', 'api-diff-collection');
  try {
    await promisify(execFile)('npm', ['run', '--silent', 'postman', '--', '--out', outDir], {
      cwd: baseDir,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, NO_UPDATE_NOTIFIER: '1', REDOCLY_TELEMETRY: 'off', CDK_DISABLE_CLI_TELEMETRY: 'true' },
    });
  } catch (error) {
    const detail =
      error instanceof Error && 'stderr' in error
        ? String((error as { stderr: unknown }).stderr).trim()
        : String(error);
    throw new Error(`The base's \`npm run postman -- --out <dir>\` failed: ${detail}`, { cause: error });
  }
  const made = existsSync(outDir) ? readCollection(outDir) : undefined;
  if (made === undefined)
    return { found: false, why: `the base's \`npm run postman\` wrote no *.postman_collection.json to ${outDir}` };

  mkdirSync(join(cacheRoot, 'collections'), { recursive: true });
  const staging = `${cacheDir}.${process.pid}.tmp`;
  cpSync(outDir, staging, { recursive: true });
  if (existsSync(cacheDir)) rmSync(staging, { recursive: true, force: true });
  else renameSync(staging, cacheDir);
  return { found: true, value: made, cached: false };
}
