/**
 * JSONPath over a parsed body, as $input.path and $input.json use it. The simple paths templates
 * use almost always (`$.a.b[3]['c']`) are walked directly, because they run once per record of a
 * batch; anything else goes to jsonpath-plus.
 */
import { JSONPath } from 'jsonpath-plus';
import { markJsonArray } from './json-document';

const SIMPLE = /^\$((?:\.[A-Za-z_][\w-]*|\[\d+\]|\['[^']*'\]|\["[^"]*"\])*)$/;
const STEP = /\.([A-Za-z_][\w-]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/g;
const cache = new Map<string, Array<string | number> | null>();

/** The steps of a simple path (`$.a.b[3]['c']`), or null for any other JSONPath. */
export function simpleSteps(path: string): Array<string | number> | null {
  let steps = cache.get(path);
  if (steps !== undefined) return steps;
  const match = SIMPLE.exec(path.trim());
  steps = match
    ? [...match[1].matchAll(STEP)].map((m) => (m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3] ?? m[4])))
    : null;
  if (cache.size < 10_000) cache.set(path, steps);
  return steps;
}

/** The value at `path`, or undefined when there is none. */
/** Walks simple steps from `node`; undefined when one is missing. */
export function walkSteps(root: unknown, steps: ReadonlyArray<string | number>): unknown {
  let node = root;
  for (const step of steps) {
    if (node === null || typeof node !== 'object') return undefined;
    if (typeof step === 'number') {
      if (!Array.isArray(node)) return undefined;
      node = node[step];
    } else {
      if (Array.isArray(node) || !Object.prototype.hasOwnProperty.call(node, step)) return undefined;
      node = (node as Record<string, unknown>)[step];
    }
  }
  return node;
}

export function evaluatePath(root: unknown, path: string): unknown {
  const steps = simpleSteps(path);
  if (steps) return walkSteps(root, steps);
  if (root === null || typeof root !== 'object') return undefined;
  const found = JSONPath({ path, json: root, wrap: true }) as unknown[];
  // A path that can select several values (wildcards, filters, slices) gives a JSON list.
  if (/[*?]|\.\.|:|,/.test(path)) return markJsonArray(found);
  return found.length === 0 ? undefined : found[0];
}
