/**
 * The Java methods a template may call on strings, lists, maps, numbers and map entries, looked up
 * in tables by the value's kind: nothing is ever looked up on the value itself, so a map key named
 * like a method cannot be called and no built-in prototype is involved. An unknown method gives
 * null (prints nothing), as Velocity does when a method does not exist.
 */
import * as importedJavaRegex from './java-regex';
import * as importedJavaNumbers from './java-numbers';
import { type JavaNumber } from './java-numbers';
import * as importedJavaValues from './java-values';

// Bound once: under tsx (esbuild's CommonJS) each read of an imported name calls a getter, a cost
// that shows in a batch render's profile (node --cpu-prof).
const { javaMatches, javaReplaceAll, javaReplaceFirst, javaSplit } = importedJavaRegex;
const { JavaDouble, integer, isJavaNumber, toDouble, toIndex: toInteger } = importedJavaNumbers;
const { JavaClass, MapEntry, isJavaMap, javaClassOf, javaEquals, javaString } = importedJavaValues;

const own = (table: object, name: string): boolean => Object.hasOwn(table, name);
const BLOCKED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

type Methods<T> = Record<string, (self: T, ...args: unknown[]) => unknown>;

/** A method table without a prototype: a name like `constructor` finds nothing, with no own-key check. */
function table<T>(methods: Methods<T>): Methods<T> {
  return Object.assign(Object.create(null) as Methods<T>, methods);
}

const STRING_METHODS: Methods<string> = table({
  length: (s) => s.length,
  isEmpty: (s) => s.length === 0,
  trim: (s) => s.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, ''),
  toLowerCase: (s) => s.toLowerCase(),
  toUpperCase: (s) => s.toUpperCase(),
  equals: (s, other) => typeof other === 'string' && s === other,
  equalsIgnoreCase: (s, other) => typeof other === 'string' && s.toLowerCase() === other.toLowerCase(),
  contains: (s, part) => s.includes(javaString(part)),
  startsWith: (s, prefix, offset) => s.startsWith(javaString(prefix), offset === undefined ? 0 : toInteger(offset)),
  endsWith: (s, suffix) => s.endsWith(javaString(suffix)),
  indexOf: (s, part, from) => s.indexOf(javaString(part), from === undefined ? 0 : toInteger(from)),
  lastIndexOf: (s, part) => s.lastIndexOf(javaString(part)),
  charAt: (s, i) => s.charAt(toInteger(i)),
  substring: (s, begin, end) =>
    end === undefined ? s.substring(toInteger(begin)) : s.substring(toInteger(begin), toInteger(end)),
  concat: (s, other) => s + javaString(other),
  // Literal, every occurrence; a function replacement so `$` in it is never special.
  replace: (s, target, replacement) => s.replaceAll(javaString(target), () => javaString(replacement)),
  replaceAll: (s, regex, replacement) => javaReplaceAll(s, javaString(regex), javaString(replacement)),
  replaceFirst: (s, regex, replacement) => javaReplaceFirst(s, javaString(regex), javaString(replacement)),
  matches: (s, regex) => javaMatches(s, javaString(regex)),
  split: (s, regex, limit) => javaSplit(s, javaString(regex), limit === undefined ? 0 : toInteger(limit)),
  hashCode: (s) => {
    let hash = 0;
    for (let i = 0; i < s.length; i += 1) hash = (Math.imul(31, hash) + s.charCodeAt(i)) | 0;
    return hash;
  },
});

const LIST_METHODS: Methods<unknown[]> = table({
  size: (l) => l.length,
  isEmpty: (l) => l.length === 0,
  get: (l, i) => l[toInteger(i)],
  contains: (l, v) => l.some((item) => javaEquals(item, v)),
  indexOf: (l, v) => l.findIndex((item) => javaEquals(item, v)),
  add: (l, v) => {
    l.push(v);
    return true;
  },
  set: (l, i, v) => {
    const index = toInteger(i);
    if (index < 0 || index >= l.length) return undefined;
    const previous = l[index];
    l[index] = v;
    return previous;
  },
});

const MAP_METHODS: Methods<Record<string, unknown>> = table({
  size: (m) => Object.keys(m).length,
  isEmpty: (m) => Object.keys(m).length === 0,
  get: (m, k) => (own(m, javaString(k)) ? m[javaString(k)] : undefined),
  containsKey: (m, k) => own(m, javaString(k)),
  containsValue: (m, v) => Object.values(m).some((item) => javaEquals(item, v)),
  keySet: (m) => Object.keys(m),
  values: (m) => Object.values(m),
  entrySet: (m) => Object.entries(m).map(([key, value]) => new MapEntry(key, value)),
  put: (m, k, v) => {
    const key = javaString(k);
    if (BLOCKED_KEYS.has(key)) return undefined;
    const previous = own(m, key) ? m[key] : undefined;
    m[key] = v;
    return previous;
  },
  remove: (m, k) => {
    const key = javaString(k);
    if (!own(m, key)) return undefined;
    const previous = m[key];
    delete m[key];
    return previous;
  },
});

const ENTRY_METHODS: Methods<importedJavaValues.MapEntry> = table({
  getKey: (e) => e.key,
  getValue: (e) => e.value,
});

const CLASS_METHODS: Methods<importedJavaValues.JavaClass> = table({
  getName: (c) => c.name,
  getSimpleName: (c) => c.simpleName,
});

const NUMBER_METHODS: Methods<JavaNumber> = table({
  intValue: (n) => toInteger(n) | 0,
  longValue: (n) => (typeof n === 'bigint' ? integer(BigInt.asIntN(64, n)) : toInteger(n)),
  doubleValue: (n) => new JavaDouble(toDouble(n)),
});

/** Methods every object has. */
const OBJECT_METHODS: Methods<unknown> = table({
  toString: (v: unknown) => javaString(v),
  equals: (v, other) => javaEquals(v, other),
  getClass: (v) => javaClassOf(v),
  hashCode: (v: unknown) => STRING_METHODS.hashCode(javaString(v)),
});

function tableFor(self: unknown): Methods<never> | undefined {
  if (typeof self === 'string') return STRING_METHODS;
  if (isJavaNumber(self)) return NUMBER_METHODS;
  if (Array.isArray(self)) return LIST_METHODS;
  if (self instanceof MapEntry) return ENTRY_METHODS;
  if (self instanceof JavaClass) return CLASS_METHODS;
  if (isJavaMap(self)) return MAP_METHODS;
  return undefined;
}

type Method = (self: unknown, ...args: unknown[]) => unknown;

/**
 * The method `name` for a string, a map and a list (Object's when theirs has none), read from the
 * tables once per call site when a template is compiled; undefined where that kind has none (then
 * callJavaMethod finds none either).
 */
export function methodsNamed(name: string): { forString?: Method; forMap?: Method; forList?: Method } {
  const fallback = OBJECT_METHODS[name] as Method | undefined;
  const pick = (methods: Methods<never>): Method | undefined => (methods[name] as Method | undefined) ?? fallback;
  return { forString: pick(STRING_METHODS), forMap: pick(MAP_METHODS), forList: pick(LIST_METHODS) };
}

/** Calls a Java method on a plain value; undefined (null) when the value has no such method. */
export function callJavaMethod(self: unknown, name: string, args: unknown[]): unknown {
  const method =
    (tableFor(self)?.[name] as ((s: unknown, ...a: unknown[]) => unknown) | undefined) ?? OBJECT_METHODS[name];
  return method === undefined ? undefined : method(self, ...args);
}

/**
 * `$x.name` / `$x['name']`: a map's entry, a list's item by index, a bean property of an entry or
 * class (`$e.key`, `$c.simpleName`); nothing inherited, nothing on strings ($input.body.x is null).
 */
export function readJavaProperty(value: unknown, key: string): unknown {
  if (BLOCKED_KEYS.has(key)) return undefined;
  if (Array.isArray(value)) {
    if (!/^-?\d+$/.test(key)) return undefined;
    // Velocity 1.7's $list[-1] counts from the end.
    const index = Number(key);
    return value[index < 0 ? value.length + index : index];
  }
  if (value instanceof MapEntry) return key === 'key' ? value.key : key === 'value' ? value.value : undefined;
  if (value instanceof JavaClass)
    return key === 'name' ? value.name : key === 'simpleName' ? value.simpleName : undefined;
  if (isJavaMap(value)) return own(value, key) ? value[key] : undefined;
  return undefined;
}
