/**
 * The base side's files: the tree of a git ref unpacked into a temporary folder with `git archive`
 * (no worktree is registered in the repository, nothing is left behind but what `remove` deletes).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface Checkout {
  readonly dir: string;
  /** The full commit id the ref named. */
  readonly commit: string;
  remove(): void;
}

async function resolveCommit(repoDir: string, ref: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
      cwd: repoDir,
    });
    return stdout.trim();
  } catch {
    throw new Error(
      `The base ref "${ref}" is not a commit of the repository at ${repoDir} (in CI, check out with fetch-depth: 0 so the base branch is there)`,
    );
  }
}

/** `git archive <commit> | tar -x -C <dir>`, without a shell. */
function extract(repoDir: string, commit: string, dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const archive = spawn('git', ['archive', '--format=tar', commit], {
      cwd: repoDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const untar = spawn('tar', ['-x', '-C', dir], { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    archive.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    untar.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    archive.stdout.pipe(untar.stdin);
    let pending = 2;
    const done = (what: string) => (code: number | null) => {
      if (code !== 0) reject(new Error(`${what} of ${commit} failed (exit ${code}): ${errors.trim()}`));
      else if (--pending === 0) resolve();
    };
    archive.on('error', reject).on('close', done('git archive'));
    untar.on('error', reject).on('close', done('Unpacking'));
  });
}

export async function checkoutRef(repoDir: string, ref: string): Promise<Checkout> {
  const commit = await resolveCommit(repoDir, ref);
  const dir = mkdtempSync(join(tmpdir(), 'api-diff-base-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    await extract(repoDir, commit, dir);
  } catch (error) {
    remove();
    throw error;
  }
  return { dir, commit, remove };
}
