/**
 * How API Gateway's Velocity sees plain JSON values: as Java objects. Values stay plain JavaScript
 * values (never wrapped, never patched); these functions give them Java's printing, equality and
 * truth. API Gateway parses JSON with json-smart under JsonPath: an object becomes a LinkedHashMap
 * (prints `{a=b}`), an array a JSONArray (prints as compact JSON); a list the template makes
 * (`[1, 2]`, `keySet()`) is an ArrayList and prints `[1, 2]`. Numbers are java-numbers.ts's.
 */
import * as importedJavaNumbers from './java-numbers';
import * as importedJsonDocument from './json-document';

// Bound once: under tsx (esbuild's CommonJS) each read of an imported name calls a getter, a cost
// that shows in a batch render's profile (node --cpu-prof).
const { JavaBigDecimal, JavaDouble, compareNumbers, isJavaNumber, isLong, javaNumberText } = importedJavaNumbers;
const { isJsonArray, jsonText } = importedJsonDocument;

/** A Java Map: a plain object (JSON object, `{}` literal, $context); not a class instance like $input. */
export function isJavaMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** One entry of `$map.entrySet()`: `$e.key`, `$e.getValue()`, prints `key=value`. */
export class MapEntry {
  constructor(
    readonly key: string,
    readonly value: unknown,
  ) {}
}

/**
 * `$x.getClass()`, so templates can test a value's type the Java way. java.lang.String is certain;
 * the other names follow from json-smart's types and are unverified against API Gateway.
 */
export class JavaClass {
  constructor(readonly name: string) {}

  get simpleName(): string {
    return this.name.slice(this.name.lastIndexOf('.') + 1);
  }
}

export function javaClassOf(value: unknown): JavaClass | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return new JavaClass('java.lang.String');
  if (typeof value === 'boolean') return new JavaClass('java.lang.Boolean');
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return new JavaClass('java.lang.Double');
    return new JavaClass(Math.abs(value) <= 2147483647 ? 'java.lang.Integer' : 'java.lang.Long');
  }
  if (typeof value === 'bigint') return new JavaClass(isLong(value) ? 'java.lang.Long' : 'java.math.BigInteger');
  if (value instanceof JavaDouble) return new JavaClass('java.lang.Double');
  if (value instanceof JavaBigDecimal) return new JavaClass('java.math.BigDecimal');
  if (isJsonArray(value)) return new JavaClass('net.minidev.json.JSONArray');
  if (Array.isArray(value)) return new JavaClass('java.util.ArrayList');
  if (isJavaMap(value)) return new JavaClass('java.util.LinkedHashMap');
  if (value instanceof MapEntry) return new JavaClass('java.util.LinkedHashMap$Entry');
  return new JavaClass('java.lang.Object');
}

/** An element inside a Java collection or map: null prints as `null`. */
function elementText(value: unknown): string {
  return value === null || value === undefined ? 'null' : javaString(value);
}

/**
 * What `$x` prints: nothing for null, a map as `{a=b, c=d}`, a JSON list as compact JSON, a list
 * the template made as `[a, b]`, numbers and booleans as text.
 */
export function javaString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : javaNumberText(value);
  if (typeof value === 'boolean') return String(value);
  if (isJavaNumber(value)) return javaNumberText(value);
  if (Array.isArray(value)) return isJsonArray(value) ? jsonText(value) : `[${value.map(elementText).join(', ')}]`;
  if (value instanceof MapEntry) return `${value.key}=${elementText(value.value)}`;
  if (value instanceof JavaClass) return `class ${value.name}`;
  if (isJavaMap(value)) {
    let out = '';
    for (const key in value) out += `${out === '' ? '' : ', '}${key}=${elementText(value[key])}`;
    return `{${out}}`;
  }
  return '';
}

/** Velocity 1.7's `#if($x)`: false only for null and `false` (an empty string is true). */
export function isTruthy(value: unknown): boolean {
  return value !== null && value !== undefined && value !== false;
}

/**
 * `==` as API Gateway evaluates it: null equals null and "" (API Gateway's reading, not plain
 * Velocity's); numbers by value; same-typed scalars by value; anything else by its printed text,
 * as Velocity 1.7 compares objects of different classes by toString().
 */
export function javaEquals(a: unknown, b: unknown): boolean {
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  if (aNull || bNull) return (aNull && bNull) || (aNull ? b === '' : a === '');
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  // Velocity 1.7's ASTEQNode: two numbers compare by value, whatever their classes (1 == 1.0).
  if (isJavaNumber(a) && isJavaNumber(b)) return compareNumbers(a, b) === 0;
  if (typeof a !== 'object' && typeof a === typeof b) return a === b;
  return javaString(a) === javaString(b);
}
