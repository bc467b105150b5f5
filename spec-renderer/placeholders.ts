/**
 * Fills the spec's `{{Name}}` placeholders by walking the parsed document, never by text
 * replacement: a value may be a plain string, a list or an object (a whole-string placeholder
 * takes the value as it is), or a CDK token string, which stays valid inside a larger string.
 * A placeholder with no value, or a value that no placeholder uses, is an error: both are a typo
 * on one side or the other.
 */
import { isJsonObject, type JsonValue } from './document';

export type PlaceholderValue = JsonValue;

const PLACEHOLDER = /\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g;
const WHOLE_PLACEHOLDER = /^\{\{([A-Za-z][A-Za-z0-9]*)\}\}$/;

export class PlaceholderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlaceholderError';
  }
}

function pointer(path: readonly string[]): string {
  return '#/' + path.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/** Text for a value placed inside a larger string: lists and objects as compact JSON. */
function asText(value: PlaceholderValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Every placeholder name in the document, with where it first appears. */
export function findPlaceholders(
  node: JsonValue,
  path: string[] = [],
  found = new Map<string, string>(),
): Map<string, string> {
  if (typeof node === 'string') {
    for (const match of node.matchAll(PLACEHOLDER)) if (!found.has(match[1])) found.set(match[1], pointer(path));
  } else if (Array.isArray(node)) {
    node.forEach((item, i) => findPlaceholders(item, [...path, String(i)], found));
  } else if (isJsonObject(node)) {
    for (const [key, value] of Object.entries(node)) findPlaceholders(value, [...path, key], found);
  }
  return found;
}

/** Fills only the named placeholders, as text, and leaves any other placeholder as it is. */
export function fillPlaceholders(node: JsonValue, values: Readonly<Record<string, PlaceholderValue>>): JsonValue {
  if (typeof node === 'string')
    return node.replace(PLACEHOLDER, (whole, name: string) => (name in values ? asText(values[name]) : whole));
  if (Array.isArray(node)) return node.map((item) => fillPlaceholders(item, values));
  if (isJsonObject(node))
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fillPlaceholders(v, values)]));
  return node;
}

export function substitutePlaceholders<T extends JsonValue>(
  doc: T,
  values: Readonly<Record<string, PlaceholderValue>>,
): T {
  const used = findPlaceholders(doc);
  const missing = [...used].filter(([name]) => !(name in values));
  if (missing.length > 0) {
    throw new PlaceholderError(
      `No value for ${missing.map(([name, at]) => `{{${name}}} (at ${at})`).join(', ')}; values were given for: ${Object.keys(values).join(', ') || 'nothing'}`,
    );
  }
  const unused = Object.keys(values).filter((name) => !used.has(name));
  if (unused.length > 0) {
    throw new PlaceholderError(
      `Values given for placeholders the spec does not use: ${unused.map((n) => `{{${n}}}`).join(', ')}`,
    );
  }

  const fill = (node: JsonValue): JsonValue => {
    if (typeof node === 'string') {
      const whole = WHOLE_PLACEHOLDER.exec(node);
      if (whole) return values[whole[1]];
      return node.replace(PLACEHOLDER, (_, name: string) => asText(values[name]));
    }
    if (Array.isArray(node)) return node.map(fill);
    if (isJsonObject(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v)]));
    return node;
  };
  const result = fill(doc) as T;

  const leftover = findPlaceholders(result);
  if (leftover.size > 0) {
    throw new PlaceholderError(
      `Placeholders left after substitution (a value contains one): ${[...leftover].map(([n, at]) => `{{${n}}} at ${at}`).join(', ')}`,
    );
  }
  return result;
}
