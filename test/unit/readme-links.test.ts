/**
 * Every relative link in the README and the folder READMEs resolves: to a file or folder of the
 * repository, and for a `#fragment` to a heading of the Markdown file it names (GitHub's anchors).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const SKIPPED = new Set(['node_modules', 'build', 'cdk.out', 'coverage', '.git']);

function readmes(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : readmes(join(dir, entry.name));
    return entry.name === 'README.md' ? [join(dir, entry.name)] : [];
  });
}

/** Markdown without code: links shown as code are examples, not links. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Inline links `[text](target)` and reference definitions `[label]: target`. */
function linkTargets(markdown: string): string[] {
  const text = prose(markdown);
  const inline = [...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
  const references = [...text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]);
  return [...inline, ...references];
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(file: string): Set<string> {
  const headings = [...prose(readFileSync(file, 'utf8')).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((m) =>
    anchorOf(m[1]),
  );
  return new Set(headings);
}

/** Why a relative link does not resolve, or undefined when it does (external links are not checked). */
function problem(from: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined;
  const [pathPart, fragment] = target.split('#', 2);
  const file = pathPart === '' ? from : resolve(dirname(from), decodeURIComponent(pathPart.split('?')[0]));
  if (!file.startsWith(ROOT)) return `${target} leaves the repository`;
  if (!existsSync(file)) return `${target}: no such file or folder`;
  if (fragment !== undefined && file.endsWith('.md') && !anchors(file).has(fragment))
    return `${target}: no heading with the anchor #${fragment}`;
  return undefined;
}

const files = readmes(ROOT);

test('finds the README and the folder READMEs', () => {
  expect(files.map((f) => relative(ROOT, f))).toEqual(
    expect.arrayContaining(['README.md', join('openapi', 'README.md')]),
  );
});

test.each(files.map((f) => [relative(ROOT, f), f]))('every relative link in %s resolves', (_, file) => {
  const targets = linkTargets(readFileSync(file, 'utf8'));
  const broken = targets.map((t) => problem(file, t)).filter((p): p is string => p !== undefined);
  expect(broken).toEqual([]);
});

describe('the checker itself', () => {
  test('finds inline and reference links, and ignores those in code', () => {
    const md = 'See [a](docs/a.md) and [b][1].\n\n[1]: ./b.md\n\n`[c](c.md)`\n\n```\n[d](d.md)\n```\n';
    expect(linkTargets(md)).toEqual(['docs/a.md', './b.md']);
  });

  test('reports a missing file, a missing heading, and a link out of the repository', () => {
    const readme = join(ROOT, 'README.md');
    expect(problem(readme, 'openapi/paths/README.md')).toMatch(/no such file/);
    expect(problem(readme, 'openapi/README.md#no-such-heading')).toMatch(/no heading/);
    expect(problem(readme, '../../etc/passwd')).toMatch(/leaves the repository/);
    expect(problem(readme, 'openapi/README.md#adding-an-operation')).toBeUndefined();
    expect(problem(readme, 'https://example.org/missing')).toBeUndefined();
  });

  test("GitHub's anchors", () => {
    expect(anchorOf('Postman, newman and the API reference')).toBe('postman-newman-and-the-api-reference');
    expect(anchorOf('openapi/: the contract')).toBe('openapi-the-contract');
  });
});
