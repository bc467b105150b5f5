/**
 * openapi/README.md's worked example of adding an operation, followed to the letter: its
 * `add-operation` blocks are written into a temporary copy of openapi/ (nothing else is touched).
 * Shared by the tests that check the result: served, linted and collected
 * (test/unit/spec/add-operation.test.ts) and granted by the role (test/infra/kinesis-actions.test.ts).
 */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleSpec, type OpenApiDocument } from '../../spec-renderer';

const ROOT = join(__dirname, '..', '..');

export interface Step {
  readonly target: string;
  readonly text: string;
}

/** The README's `<!-- add-operation: <file> [after "<line>" | append] -->` blocks, in order. */
export function documentedSteps(): Step[] {
  const readme = readFileSync(join(ROOT, 'openapi', 'README.md'), 'utf8');
  return [...readme.matchAll(/<!-- add-operation: (.+?) -->\n```[a-z]*\n([\s\S]*?)```\n/g)].map((m) => ({
    target: m[1],
    text: m[2],
  }));
}

/** Does what one step says, in the copy of openapi/ at `dir`. */
function apply(dir: string, { target, text }: Step): void {
  const after = /^(\S+) after "(.+)"$/.exec(target);
  const append = /^(\S+) append$/.exec(target);
  if (after) {
    const file = join(dir, after[1]);
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.indexOf(after[2]);
    if (at === -1) throw new Error(`${after[1]} has no line ${JSON.stringify(after[2])}`);
    lines.splice(at + 1, 0, text.replace(/\n$/, ''));
    writeFileSync(file, lines.join('\n'));
  } else if (append) {
    appendFileSync(join(dir, append[1]), text);
  } else {
    writeFileSync(join(dir, target), text);
  }
}

export interface DocumentedCopy {
  /** The temporary folder: openapi/ and redocly.yaml. */
  readonly dir: string;
  readonly steps: Step[];
  readonly specRoot: string;
  readonly bundled: OpenApiDocument;
  remove(): void;
}

/** A temporary copy of openapi/ (and redocly.yaml) with every documented step done. */
export async function copyWithDocumentedOperation(): Promise<DocumentedCopy> {
  const dir = mkdtempSync(join(tmpdir(), 'add-operation-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    cpSync(join(ROOT, 'openapi'), join(dir, 'openapi'), { recursive: true });
    cpSync(join(ROOT, 'redocly.yaml'), join(dir, 'redocly.yaml'));
    const steps = documentedSteps();
    for (const step of steps) apply(join(dir, 'openapi'), step);
    const specRoot = join(dir, 'openapi', 'openapi.yaml');
    return { dir, steps, specRoot, bundled: await bundleSpec(specRoot), remove };
  } catch (error) {
    remove();
    throw error;
  }
}
