/**
 * The folder tree is the architecture: imports between top-level folders go one way, so each folder
 * can be read (and changed) knowing only the folders below it. `scripts/` holds entry points only,
 * which nothing imports.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SKIPPED = new Set(['node_modules', 'build', 'cdk.out', '.git']);

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIPPED.has(name) || name.startsWith('.')) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return typeScriptFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Top-level folder of each relative import in `file`, other than the file's own folder. */
function foldersImported(file: string): { folder: string; target: string }[] {
  const source = readFileSync(file, 'utf8');
  const own = topFolder(file);
  return [...source.matchAll(/(?:from\s+|import\(\s*|require\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)]
    .map((match) => normalize(join(dirname(file), match[1])))
    .map((target) => ({ folder: topFolder(target), target: relative(ROOT, target) }))
    .filter(({ folder }) => folder !== own);
}

function topFolder(path: string): string {
  return relative(ROOT, path).split(sep)[0];
}

const files = typeScriptFiles(ROOT);
const graph = new Map<string, Set<string>>();
for (const file of files) {
  const from = topFolder(file);
  for (const { folder } of foldersImported(file)) {
    if (!graph.has(from)) graph.set(from, new Set());
    graph.get(from)?.add(folder);
  }
}

function findCycle(): string[] | undefined {
  const done = new Set<string>();
  const visit = (node: string, path: string[]): string[] | undefined => {
    if (path.includes(node)) return [...path.slice(path.indexOf(node)), node];
    if (done.has(node)) return undefined;
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next, [...path, node]);
      if (cycle) return cycle;
    }
    done.add(node);
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node, []);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('imports between folders', () => {
  it('finds the folders it checks', () => {
    expect([...graph.keys()]).toEqual(expect.arrayContaining(['spec-renderer', 'infra', 'local', 'scripts', 'test']));
  });

  it('form no cycle', () => {
    expect(findCycle()).toBeUndefined();
  });

  it('never reach into scripts/ (entry points) from another folder', () => {
    const offenders = files.flatMap((file) =>
      foldersImported(file)
        .filter(({ folder }) => folder === 'scripts')
        .map(({ target }) => `${relative(ROOT, file)} imports ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('keep the configuration and the renderer below everything that reads them', () => {
    expect([...(graph.get('config') ?? [])]).toEqual([]);
    expect([...(graph.get('spec-renderer') ?? [])]).toEqual(['config']);
  });
});
