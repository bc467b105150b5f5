/**
 * Numbers as API Gateway's Velocity holds them: Java objects, never JavaScript doubles that lose
 * digits. A JSON body is read by json-smart (net.minidev.json.parser.JSONParserBase): an integer of
 * up to 18 characters is an Integer or Long, a longer one a BigInteger; a number with a fraction
 * or an exponent is a Double, or a BigDecimal when its text is longer than 18 characters
 * (`extractFloat`: "if (xs.length() > 18) return new BigDecimal(xs)"). Here:
 *   Integer/Long/BigInteger -> a safe-integer `number`, or a `bigint` beyond 2^53;
 *   Double                  -> JavaDouble;
 *   BigDecimal              -> JavaBigDecimal (unscaled digits and a scale, as Java keeps them).
 * Arithmetic follows Velocity 1.7's MathUtils: integers stay integers (Long overflow widens to
 * BigInteger), a Double makes the result a Double, a BigDecimal a BigDecimal; division and
 * remainder by zero are null (ASTDivNode / ASTModNode log and return null).
 */

/*
 * valueOf: JSONPath filters (`$.a[?(@.n > 5)]`, jsonpath-plus) compare values with JavaScript's
 * operators, which read an object through valueOf; so a Double or BigDecimal compares as the
 * number it holds, as Jayway JsonPath's filters compare numbers (by value, whatever their class).
 */

export class JavaDouble {
  constructor(readonly value: number) {}

  valueOf(): number {
    return this.value;
  }
}

export class JavaBigDecimal {
  constructor(
    readonly unscaled: bigint,
    readonly scale: number,
  ) {}

  /** The nearest double: exact digits beyond a double's are not compared. */
  valueOf(): number {
    return toDouble(this);
  }
}

export type JavaNumber = number | bigint | JavaDouble | JavaBigDecimal;

export function isJavaNumber(value: unknown): value is JavaNumber {
  return (
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    value instanceof JavaDouble ||
    value instanceof JavaBigDecimal
  );
}

/** An integer as the engine keeps it: a number while it is exact, else a bigint. */
export function integer(value: bigint): number | bigint {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

export function isLong(value: bigint): boolean {
  return value >= LONG_MIN && value <= LONG_MAX;
}

/** JSON number text -> the Java value json-smart makes of it. */
export function fromJsonNumber(text: string): JavaNumber {
  if (!/[.eE]/.test(text)) {
    // Integers: exact whatever their length (Long below 19 characters, BigInteger above).
    if (text.length < 16) return Number(text) + 0; // `+ 0` turns -0 into 0: Long has no -0.
    return integer(BigInt(text));
  }
  if (text.length > 18) return bigDecimalOf(text);
  return new JavaDouble(Number(text));
}

/** `1.50`, `-2E+3` -> unscaled 150 scale 2, unscaled -2 scale -3. */
export function bigDecimalOf(text: string): JavaBigDecimal {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) throw new Error(`not a decimal number: ${text}`);
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  const digits = `${whole}${fraction}` || '0';
  return new JavaBigDecimal(BigInt(`${sign}${digits}`), fraction.length - Number(exponent));
}

/** Java's Double.toString: shortest digits, plain from 10^-3 to 10^7, else `d.dddE±n`. */
export function doubleText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const [mantissa, exponentText] = abs.toExponential().split('e');
  const exponent = Number(exponentText);
  const digits = mantissa.replace('.', '');
  if (abs >= 1e-3 && abs < 1e7) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exponent}`;
}

/** Java's BigDecimal.toString: plain unless the scale is negative or the exponent below -6. */
export function bigDecimalText(value: JavaBigDecimal): string {
  const negative = value.unscaled < 0n;
  const coefficient = (negative ? -value.unscaled : value.unscaled).toString();
  const sign = negative ? '-' : '';
  const adjusted = coefficient.length - 1 - value.scale;
  if (value.scale >= 0 && adjusted >= -6) {
    if (value.scale === 0) return sign + coefficient;
    if (coefficient.length > value.scale)
      return `${sign}${coefficient.slice(0, coefficient.length - value.scale)}.${coefficient.slice(coefficient.length - value.scale)}`;
    return `${sign}0.${'0'.repeat(value.scale - coefficient.length)}${coefficient}`;
  }
  const rest = coefficient.length > 1 ? `.${coefficient.slice(1)}` : '';
  return `${sign}${coefficient[0]}${rest}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}

/** What a number prints, as Java's toString. */
export function javaNumberText(value: JavaNumber): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : doubleText(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof JavaDouble) return doubleText(value.value);
  return bigDecimalText(value);
}

/** The JavaScript double nearest to a Java number (for ranges, indexes, JSON Schema checks). */
export function toDouble(value: JavaNumber): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof JavaDouble) return value.value;
  return Number(bigDecimalText(value));
}

type Kind = 'integer' | 'double' | 'decimal';

function kindOf(value: JavaNumber): Kind {
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'double';
  if (typeof value === 'bigint') return 'integer';
  return value instanceof JavaDouble ? 'double' : 'decimal';
}

/** MathUtils.findCalculationBase: BigDecimal wins, a BigInteger with a double is BigDecimal. */
function calculationBase(a: JavaNumber, b: JavaNumber): Kind {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === 'decimal' || kb === 'decimal') return 'decimal';
  if (ka === 'double' || kb === 'double') {
    const big = (v: JavaNumber): boolean => typeof v === 'bigint' && !isLong(v);
    return big(a) || big(b) ? 'decimal' : 'double';
  }
  return 'integer';
}

function toBigInt(value: JavaNumber): bigint {
  return typeof value === 'bigint' ? value : BigInt(value as number);
}

/**
 * `new BigDecimal(double)`: the double's exact binary value, written in decimal (0.1 is
 * 0.1000000000000000055511151231257827021181583404541015625): the significand without its
 * trailing zero bits, times a power of two (Java SE API, BigDecimal(double) constructor).
 */
export function exactBigDecimal(value: number): JavaBigDecimal {
  if (!Number.isFinite(value)) throw new Error(`${doubleText(value)} has no decimal value`);
  if (value === 0) return new JavaBigDecimal(0n, 0);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let significand = bits & 0xfffffffffffffn;
  let exponent = biased === 0 ? -1074 : biased - 1075;
  if (biased !== 0) significand |= 1n << 52n;
  while ((significand & 1n) === 0n) {
    significand >>= 1n;
    exponent += 1;
  }
  if (bits >> 63n === 1n) significand = -significand;
  return exponent >= 0
    ? new JavaBigDecimal(significand << BigInt(exponent), 0)
    : new JavaBigDecimal(significand * 5n ** BigInt(-exponent), -exponent);
}

/**
 * Velocity 1.7's MathUtils.toBigDecimal: a BigDecimal as it is, a BigInteger exactly, any other
 * number by `new BigDecimal(n.doubleValue())`, so a Double (or a Long) brings its exact binary
 * value into BigDecimal arithmetic.
 */
function toBigDecimal(value: JavaNumber): JavaBigDecimal {
  if (value instanceof JavaBigDecimal) return value;
  if (typeof value === 'bigint' && !isLong(value)) return new JavaBigDecimal(value, 0);
  return exactBigDecimal(toDouble(value));
}

function rescale(value: JavaBigDecimal, scale: number): bigint {
  return value.unscaled * 10n ** BigInt(scale - value.scale);
}

/** BigDecimal.divide(divisor, ROUND_HALF_DOWN): the dividend's scale. */
function divideDecimal(a: JavaBigDecimal, b: JavaBigDecimal): JavaBigDecimal {
  // a/b at scale sa: (ua * 10^sb) / ub.
  let numerator = a.unscaled;
  let denominator = b.unscaled;
  if (b.scale >= 0) numerator *= 10n ** BigInt(b.scale);
  else denominator *= 10n ** BigInt(-b.scale);
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  let quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice > denominator) quotient += numerator < 0n ? -1n : 1n;
  return new JavaBigDecimal(quotient, a.scale);
}

function isZero(value: JavaNumber): boolean {
  if (value instanceof JavaBigDecimal) return value.unscaled === 0n;
  return toDouble(value) === 0;
}

/** `+ - * / %` over two Java numbers; null (undefined) for a division by zero. */
export function numberArithmetic(operator: string, a: JavaNumber, b: JavaNumber): JavaNumber | undefined {
  if ((operator === '/' || operator === '%') && isZero(b)) return undefined;
  const base = calculationBase(a, b);
  if (base === 'double') {
    const x = toDouble(a);
    const y = toDouble(b);
    const result =
      operator === '+' ? x + y : operator === '-' ? x - y : operator === '*' ? x * y : operator === '/' ? x / y : x % y;
    return new JavaDouble(result);
  }
  if (base === 'decimal') {
    const x = toBigDecimal(a);
    const y = toBigDecimal(b);
    const scale = Math.max(x.scale, y.scale);
    switch (operator) {
      case '+':
        return new JavaBigDecimal(rescale(x, scale) + rescale(y, scale), scale);
      case '-':
        return new JavaBigDecimal(rescale(x, scale) - rescale(y, scale), scale);
      case '*':
        return new JavaBigDecimal(x.unscaled * y.unscaled, x.scale + y.scale);
      case '/':
        return divideDecimal(x, y);
      default:
        // MathUtils.modulo: "Cannot calculate the modulo of BigDecimals." (an ArithmeticException).
        throw new Error('Cannot calculate the modulo of BigDecimals.');
    }
  }
  if (typeof a === 'number' && typeof b === 'number') {
    const result =
      operator === '+'
        ? a + b
        : operator === '-'
          ? a - b
          : operator === '*'
            ? a * b
            : operator === '/'
              ? Math.trunc(a / b)
              : a % b;
    if (Number.isSafeInteger(result)) return result + 0;
  }
  const x = toBigInt(a);
  const y = toBigInt(b);
  const result =
    operator === '+' ? x + y : operator === '-' ? x - y : operator === '*' ? x * y : operator === '/' ? x / y : x % y;
  return integer(result);
}

export function negate(value: JavaNumber): JavaNumber {
  if (typeof value === 'number') return Number.isInteger(value) ? 0 - value : -value;
  if (typeof value === 'bigint') return integer(-value);
  if (value instanceof JavaDouble) return new JavaDouble(-value.value);
  return new JavaBigDecimal(-value.unscaled, value.scale);
}

/** MathUtils.compare: -1, 0 or 1 by value, whatever the two kinds. */
export function compareNumbers(a: JavaNumber, b: JavaNumber): number {
  const base = calculationBase(a, b);
  if (base === 'double') {
    const x = toDouble(a);
    const y = toDouble(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (base === 'decimal') {
    const x = toBigDecimal(a);
    const y = toBigDecimal(b);
    const scale = Math.max(x.scale, y.scale);
    const difference = rescale(x, scale) - rescale(y, scale);
    return difference < 0n ? -1 : difference > 0n ? 1 : 0;
  }
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const difference = toBigInt(a) - toBigInt(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/** A whole number for an index or a count (intValue()). */
export function toIndex(value: unknown): number {
  if (isJavaNumber(value)) return Math.trunc(toDouble(value));
  return Math.trunc(Number(value));
}
