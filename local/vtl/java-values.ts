/**
 * Java semantics for plain JSON values, as API Gateway's Velocity shows them: how a value prints,
 * compares and is tested, and the Java methods a template may call on strings, lists and maps.
 * Values stay plain JavaScript values (never wrapped, never patched): these are functions over them.
 */

export type JavaValue = unknown;

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value inside a map prints the Java way; a list anywhere prints as JSON (a JSONArray). */
function printNested(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return JSON.stringify(value);
  return javaString(value);
}

/**
 * What `$x` prints: nothing for null, a map as `{a=b, c=d}`, a list as compact JSON (API
 * Gateway's JSONPath returns JSON arrays), numbers and booleans as text.
 */
export function javaString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return JSON.stringify(value);
  if (isMap(value)) return `{${Object.entries(value).map(([k, v]) => `${k}=${printNested(v)}`).join(', ')}}`;
  return '';
}

/** Velocity 1.7's `#if($x)`: false only for null and `false`. */
export function isTruthy(value: unknown): boolean {
  return value !== null && value !== undefined && value !== false;
}

/** `==` as API Gateway evaluates it: null equals null and ""; numbers by value; else by their text. */
export function javaEquals(a: unknown, b: unknown): boolean {
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  if (aNull || bNull) return (aNull && bNull) || (aNull ? b === '' : a === '');
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (typeof a !== 'object' && typeof a === typeof b) return a === b;
  return javaString(a) === javaString(b);
}

const toInteger = (value: unknown): number => Math.trunc(Number(value));

/** A Java regular expression as a JavaScript one (the common subset; possessive/atomic forms aside). */
const REGEX_CACHE = new Map<string, RegExp>();

export function javaRegex(source: string, flags = ''): RegExp {
  const key = `${flags}/${source}`;
  let regex = REGEX_CACHE.get(key);
  if (regex === undefined) {
    regex = compileJavaRegex(source, flags);
    if (REGEX_CACHE.size < 1000) REGEX_CACHE.set(key, regex);
  }
  // A global regex keeps state between uses: each use gets it from the start.
  regex.lastIndex = 0;
  return regex;
}

function compileJavaRegex(source: string, flags: string): RegExp {
  return new RegExp(source.replace(/\\Q(.*?)(\\E|$)/g, (_, literal: string) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), flags);
}

/** Java's String.split: by a regex; with no limit, trailing empty strings are removed. */
function javaSplit(text: string, regex: string, limit = 0): string[] {
  const re = javaRegex(regex, 'g');
  const parts: string[] = [];
  let last = 0;
  let matched = false;
  let match: RegExpExecArray | null;
  while ((match = re.exec(text)) !== null) {
    if (match[0] === '') {
      re.lastIndex += 1;
      // A zero-width match at the start or the end splits nothing (Java 8 and later).
      if (match.index === 0 || match.index >= text.length) continue;
    }
    if (limit > 0 && parts.length === limit - 1) break;
    matched = true;
    parts.push(text.slice(last, match.index));
    last = match.index + match[0].length;
  }
  if (!matched) return [text];
  parts.push(text.slice(last));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Java's replacement string: `$1` groups, `\$` a literal dollar. */
function javaReplacement(replacement: string): string {
  if (!replacement.includes('\\')) return replacement;
  return replacement.replace(/\\\$/g, '$$$$').replace(/\\(.)/g, '$1');
}

type Method = (self: never, ...args: unknown[]) => unknown;

const STRING_METHODS: Record<string, (s: string, ...args: unknown[]) => unknown> = {
  length: (s) => s.length,
  isEmpty: (s) => s.length === 0,
  toString: (s: string) => s,
  trim: (s) => s.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, ''),
  toLowerCase: (s) => s.toLowerCase(),
  toUpperCase: (s) => s.toUpperCase(),
  equals: (s, other) => other !== null && other !== undefined && s === javaString(other) && typeof other === 'string',
  equalsIgnoreCase: (s, other) => typeof other === 'string' && s.toLowerCase() === other.toLowerCase(),
  contains: (s, part) => s.includes(javaString(part)),
  startsWith: (s, prefix, offset) => s.startsWith(javaString(prefix), offset === undefined ? 0 : toInteger(offset)),
  endsWith: (s, suffix) => s.endsWith(javaString(suffix)),
  indexOf: (s, part, from) => s.indexOf(javaString(part), from === undefined ? 0 : toInteger(from)),
  lastIndexOf: (s, part) => s.lastIndexOf(javaString(part)),
  charAt: (s, i) => s.charAt(toInteger(i)),
  substring: (s, begin, end) => (end === undefined ? s.substring(toInteger(begin)) : s.substring(toInteger(begin), toInteger(end))),
  concat: (s, other) => s + javaString(other),
  replace: (s, target, replacement) => s.split(javaString(target)).join(javaString(replacement)),
  replaceAll: (s, regex, replacement) => s.replace(javaRegex(javaString(regex), 'g'), javaReplacement(javaString(replacement))),
  replaceFirst: (s, regex, replacement) => s.replace(javaRegex(javaString(regex)), javaReplacement(javaString(replacement))),
  matches: (s, regex) => javaRegex(`^(?:${javaString(regex)})$`).test(s),
  split: (s, regex, limit) => javaSplit(s, javaString(regex), limit === undefined ? 0 : toInteger(limit)),
  hashCode: (s) => {
    let hash = 0;
    for (let i = 0; i < s.length; i += 1) hash = (Math.imul(31, hash) + s.charCodeAt(i)) | 0;
    return hash;
  },
};

const LIST_METHODS: Record<string, (l: unknown[], ...args: unknown[]) => unknown> = {
  size: (l) => l.length,
  isEmpty: (l) => l.length === 0,
  get: (l, i) => l[toInteger(i)],
  contains: (l, v) => l.some((item) => javaEquals(item, v)),
  indexOf: (l, v) => l.findIndex((item) => javaEquals(item, v)),
  add: (l, v) => {
    l.push(v);
    return true;
  },
  toString: (l: unknown[]) => javaString(l),
};

const MAP_METHODS: Record<string, (m: Record<string, unknown>, ...args: unknown[]) => unknown> = {
  size: (m) => Object.keys(m).length,
  isEmpty: (m) => Object.keys(m).length === 0,
  get: (m, k) => (Object.prototype.hasOwnProperty.call(m, javaString(k)) ? m[javaString(k)] : undefined),
  containsKey: (m, k) => Object.prototype.hasOwnProperty.call(m, javaString(k)),
  containsValue: (m, v) => Object.values(m).some((item) => javaEquals(item, v)),
  keySet: (m) => Object.keys(m),
  values: (m) => Object.values(m),
  entrySet: (m) => Object.entries(m).map(([key, value]) => ({ key, value })),
  put: (m, k, v) => {
    const key = javaString(k);
    if (key === '__proto__') return undefined;
    const previous = m[key];
    m[key] = v;
    return previous;
  },
  remove: (m, k) => {
    const key = javaString(k);
    const previous = m[key];
    delete m[key];
    return previous;
  },
  toString: (m: Record<string, unknown>) => javaString(m),
};

const ANY_METHODS: Record<string, (v: unknown, ...args: unknown[]) => unknown> = {
  toString: (v: unknown) => javaString(v),
  equals: (v, other) => javaEquals(v, other),
  intValue: (v) => toInteger(v),
  longValue: (v) => toInteger(v),
  doubleValue: (v) => Number(v),
  booleanValue: (v) => v === true,
};

/** Calls a Java method on a plain value; undefined when the value has no such method. */
export function callJavaMethod(self: unknown, name: string, args: unknown[]): unknown {
  let table: Record<string, Method> | undefined;
  if (typeof self === 'string') table = STRING_METHODS as unknown as Record<string, Method>;
  else if (Array.isArray(self)) table = LIST_METHODS as unknown as Record<string, Method>;
  else if (isMap(self)) table = MAP_METHODS as unknown as Record<string, Method>;
  const method = (table && Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined) ??
    (Object.prototype.hasOwnProperty.call(ANY_METHODS, name) ? (ANY_METHODS[name] as unknown as Method) : undefined);
  return method === undefined ? undefined : method(self as never, ...args);
}
