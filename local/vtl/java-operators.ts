/**
 * Velocity 1.7's operators over Java values: `+` joins text when either side is a string,
 * arithmetic needs numbers on both sides (else null) and follows MathUtils (java-numbers.ts),
 * ordering compares numbers only (else false, as ASTLTNode and its siblings log an error and
 * answer false), `==` compares as javaEquals does.
 */
import * as importedJavaNumbers from './java-numbers';
import * as importedJavaValues from './java-values';

// Bound once: under tsx (esbuild's CommonJS) each read of an imported name calls a getter, a cost
// that shows in a batch render's profile (node --cpu-prof).
const { compareNumbers, isJavaNumber, numberArithmetic } = importedJavaNumbers;
const { javaEquals, javaString } = importedJavaValues;

export function arithmetic(operator: string, a: unknown, b: unknown): unknown {
  if (operator === '+' && (typeof a === 'string' || typeof b === 'string')) return javaString(a) + javaString(b);
  if (!isJavaNumber(a) || !isJavaNumber(b)) return undefined;
  return numberArithmetic(operator, a, b);
}

export function comparison(operator: string, a: unknown, b: unknown): boolean {
  if (operator === '==') return javaEquals(a, b);
  if (operator === '!=') return !javaEquals(a, b);
  if (!isJavaNumber(a) || !isJavaNumber(b)) return false;
  const order = compareNumbers(a, b);
  switch (operator) {
    case '>':
      return order > 0;
    case '<':
      return order < 0;
    case '>=':
      return order >= 0;
    case '<=':
      return order <= 0;
    default:
      return false;
  }
}
