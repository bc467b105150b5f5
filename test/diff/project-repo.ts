/**
 * A temporary git repository made from this project's files (tracked and new, as in the working
 * tree), with node_modules linked to the project's, for tests that commit changes to the API.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseDocument } from 'yaml';

export const PROJECT_DIR = join(__dirname, '..', '..');

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'api-diff test',
  GIT_AUTHOR_EMAIL: 'api-diff@example.invalid',
  GIT_COMMITTER_NAME: 'api-diff test',
  GIT_COMMITTER_EMAIL: 'api-diff@example.invalid',
};

export class ProjectRepo {
  readonly root = mkdtempSync(join(tmpdir(), 'api-diff-test-'));
  readonly dir = join(this.root, 'repo');

  constructor() {
    try {
      this.copyProject();
      this.git('init', '-q', '-b', 'main');
      // .gitignore's `node_modules/` matches folders only, not the link.
      writeFileSync(join(this.dir, '.git', 'info', 'exclude'), 'node_modules\n');
      this.commit('baseline');
      this.git('tag', 'baseline');
    } catch (error) {
      this.remove();
      throw error;
    }
  }

  private copyProject(): void {
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: PROJECT_DIR,
    })
      .toString()
      .split('\0')
      .filter((f) => f !== '');
    for (const file of files) {
      const from = join(PROJECT_DIR, file);
      // Deleted in the working tree, or not a file (a node_modules link, which `node_modules/` does not ignore).
      if (!existsSync(from) || !lstatSync(from).isFile()) continue;
      mkdirSync(dirname(join(this.dir, file)), { recursive: true });
      copyFileSync(from, join(this.dir, file));
    }
    symlinkSync(realpathSync(join(PROJECT_DIR, 'node_modules')), join(this.dir, 'node_modules'), 'dir');
  }

  git(...args: string[]): string {
    return execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd: this.dir, env: GIT_ENV }).toString();
  }

  commit(message: string): void {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
  }

  /** Back to the baseline commit, on a branch of its own. */
  resetTo(branch: string): void {
    this.git('checkout', '-q', '-B', branch, 'baseline');
    this.git('clean', '-qfd');
  }

  read(file: string): string {
    return readFileSync(join(this.dir, file), 'utf8');
  }

  write(file: string, text: string): void {
    mkdirSync(dirname(join(this.dir, file)), { recursive: true });
    writeFileSync(join(this.dir, file), text);
  }

  /** Edits a YAML file through its document (comments kept). */
  editYaml(file: string, edit: (doc: ReturnType<typeof parseDocument>) => void): void {
    const doc = parseDocument(this.read(file));
    edit(doc);
    this.write(file, doc.toString());
  }

  /** Replaces text that must be there. */
  replace(file: string, from: string, to: string): void {
    const text = this.read(file);
    if (!text.includes(from)) throw new Error(`${file} no longer contains the text this test changes: ${from}`);
    this.write(file, text.replace(from, to));
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
