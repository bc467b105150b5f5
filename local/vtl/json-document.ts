/**
 * JSON read and written as API Gateway's Velocity does it: losslessly. Numbers become the Java
 * values of java-numbers.ts, so `9007199254740993`, `12345678901234567890` and `0.1` are printed
 * back with their digits. Most bodies hold only strings and small integers, which JavaScript's own
 * parser reads exactly: those take the native path; any other body is read again by lossless-json.
 *
 * Depth: json-smart, which API Gateway's JSONPath uses, refuses a document nested deeper than 400
 * levels ("Malicious payload, having non natural depths", its fix for CVE-2023-1370; its test
 * TestCVE202457699 stops at the 400th `{`). The same limit applies here, checked without recursion,
 * so no body can crash the engine. The local gateway answers such a body with 400.
 */
import { parse as losslessParse, stringify as losslessStringify } from 'lossless-json';
import * as importedJavaNumbers from './java-numbers';

// Bound once: under tsx (esbuild's CommonJS) each read of an imported name calls a getter, a cost
// that shows in a batch render's profile (node --cpu-prof).
const { JavaBigDecimal, JavaDouble, bigDecimalText, doubleText, fromJsonNumber, toDouble, isJavaNumber } =
  importedJavaNumbers;

export const MAX_JSON_DEPTH = 400;

export class JsonBodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonBodyError';
  }
}

/** A parsed body; `exact` when every number in it is a plain JavaScript integer (the same value for ajv). */
export interface JsonDocument {
  readonly root: unknown;
  readonly exact: boolean;
}

/** Arrays that came from parsing JSON (net.minidev JSONArray): they print as JSON. Weak, so nothing leaks. */
const JSON_ARRAYS = new WeakSet<unknown[]>();

export function markJsonArray<T extends unknown[]>(list: T): T {
  JSON_ARRAYS.add(list);
  return list;
}

export function isJsonArray(value: unknown): value is unknown[] {
  return Array.isArray(value) && JSON_ARRAYS.has(value);
}

interface WalkState {
  exact: boolean;
  sawInteger: boolean;
}

/**
 * One walk: marks every array as a JSONArray, enforces the depth limit, and tells whether every
 * number is an integer that JavaScript held exactly (no -0, nothing beyond 2^53). Recursive, but
 * never deeper than MAX_JSON_DEPTH + 1 levels: a deeper document is refused before. Scalars are
 * checked in the loop (visit is inlined), so only objects and arrays cost a call.
 */
function walkNode(node: object, depth: number, state: WalkState): void {
  if (depth > MAX_JSON_DEPTH) throw new JsonBodyError(`the body nests deeper than ${MAX_JSON_DEPTH} levels`);
  if (Array.isArray(node)) {
    JSON_ARRAYS.add(node);
    for (let i = 0; i < node.length; i += 1) visit(node[i], depth, state);
  } else {
    for (const key in node) visit((node as Record<string, unknown>)[key], depth, state);
  }
}

/** A value inside a container at `depth`. */
function visit(value: unknown, depth: number, state: WalkState): void {
  if (typeof value === 'object') {
    if (value !== null && !(value instanceof JavaDouble) && !(value instanceof JavaBigDecimal))
      walkNode(value, depth + 1, state);
  } else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || Object.is(value, -0)) state.exact = false;
    else state.sawInteger = true;
  }
}

function walk(root: unknown): WalkState {
  const state = { exact: true, sawInteger: false };
  visit(root, 0, state);
  return state;
}

/** A digit followed by a fraction or an exponent: maybe a number token like `1.0` or `2e3`. */
const DIGIT_THEN_DECIMAL = /\d[.eE]/g;

/**
 * Whether the text may hold a number token written with a fraction or an exponent (`1.0`, `2e3`):
 * JSON.parse reads it as an integer, but json-smart as a Double, which prints as one. A hit
 * inside a string (`"v1.2"`) mostly fails the check of what precedes the token; one that passes
 * anyway only sends the body to the lossless parser, which reads it right.
 */
function mayHaveDecimalToken(text: string): boolean {
  DIGIT_THEN_DECIMAL.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = DIGIT_THEN_DECIMAL.exec(text)) !== null) {
    let i = match.index;
    while (i > 0 && text.charCodeAt(i - 1) >= 0x30 && text.charCodeAt(i - 1) <= 0x39) i -= 1;
    if (i > 0 && text[i - 1] === '-') i -= 1;
    while (i > 0 && ' \t\n\r'.includes(text[i - 1])) i -= 1;
    if (i === 0 || text[i - 1] === ',' || text[i - 1] === '[') return true;
    // After a colon, only when the colon follows a key's closing quote (`"a": 1.0`, not `"12:00.5"`).
    if (text[i - 1] === ':') {
      i -= 1;
      while (i > 0 && ' \t\n\r'.includes(text[i - 1])) i -= 1;
      if (text[i - 1] === '"') return true;
    }
  }
  return false;
}

function javaNumberOf(text: string): unknown {
  const value = fromJsonNumber(text);
  if (value instanceof JavaDouble && !Number.isFinite(value.value)) {
    // json-smart reads it as an infinite Double and writes it back as null: data would be lost.
    throw new JsonBodyError(`the number ${text} is beyond the range of a double`);
  }
  return value;
}

/** Parses a body losslessly; throws JsonBodyError for bad syntax, depth or range. */
export function parseJsonDocument(text: string): JsonDocument {
  let root: unknown;
  try {
    root = JSON.parse(text) as unknown;
  } catch (error) {
    throw new JsonBodyError(`the body is not valid JSON (${(error as Error).message})`);
  }
  const { exact, sawInteger } = walk(root);
  if (exact && !(sawInteger && mayHaveDecimalToken(text))) return { root, exact: true };
  // Duplicate keys: the last one wins, as in json-smart and JSON.parse.
  root = losslessParse(text, null, { parseNumber: javaNumberOf, onDuplicateKey: ({ newValue }) => newValue });
  walk(root);
  return { root, exact: false };
}

const NUMBER_STRINGIFIERS = [
  {
    test: (value: unknown) => value instanceof JavaDouble,
    stringify: (value: unknown) => finiteDoubleText((value as importedJavaNumbers.JavaDouble).value),
  },
  {
    test: (value: unknown) => value instanceof JavaBigDecimal,
    stringify: (value: unknown) => bigDecimalText(value as importedJavaNumbers.JavaBigDecimal),
  },
  {
    test: (value: unknown) => typeof value === 'number' && !Number.isInteger(value),
    stringify: (value: unknown) => finiteDoubleText(value as number),
  },
];

function finiteDoubleText(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`${doubleText(value)} cannot be written as JSON`);
  return doubleText(value);
}

/** Thrown by JSON.stringify when it meets a Java number object; the lossless writer takes over. */
const SPECIAL = new Error('a Java number: written by the lossless writer');

for (const type of [JavaDouble, JavaBigDecimal]) {
  Object.defineProperty(type.prototype, 'toJSON', {
    value() {
      throw SPECIAL;
    },
  });
}

/** Compact JSON text with Java's numbers. */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (error) {
    // A bigint (TypeError) or a JavaDouble/JavaBigDecimal (SPECIAL): the slower, exact writer.
    if (error !== SPECIAL && !(error instanceof TypeError)) throw error;
    return losslessStringify(value, undefined, undefined, NUMBER_STRINGIFIERS) ?? 'null';
  }
}

/** The same document with plain JavaScript numbers, for JSON Schema validation (ajv). */
export function validationView(document: JsonDocument): unknown {
  if (document.exact) return document.root;
  const view = (value: unknown): unknown => {
    if (isJavaNumber(value)) return toDouble(value);
    if (Array.isArray(value)) return value.map(view);
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value))
        Object.defineProperty(out, key, {
          value: view((value as Record<string, unknown>)[key]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return out;
    }
    return value;
  };
  return view(document.root);
}
