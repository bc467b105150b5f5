/**
 * Velocity 1.7's operators over Java values: `+` joins text when either side is a string,
 * arithmetic needs numbers on both sides (else null), integer operands divide as integers,
 * division by zero is null, ordering compares numbers only (else false), `==` compares as
 * javaEquals does.
 */
import { isTruthy, javaEquals, javaString } from './java-values';

/** A number operand and whether Java would hold it as a double (1.5, or 4.0 written in the template). */
export interface Operand {
  readonly value: unknown;
  readonly isDouble: boolean;
}

const isNumber = (value: unknown): value is number => typeof value === 'number';

function integral(operand: Operand): boolean {
  return !operand.isDouble && Number.isInteger(operand.value);
}

export function arithmetic(operator: string, left: Operand, right: Operand): unknown {
  const a = left.value;
  const b = right.value;
  if (operator === '+' && (typeof a === 'string' || typeof b === 'string')) return javaString(a) + javaString(b);
  if (!isNumber(a) || !isNumber(b)) return undefined;
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) return undefined;
      return integral(left) && integral(right) ? Math.trunc(a / b) : a / b;
    case '%':
      if (b === 0) return undefined;
      return a % b;
    default:
      return undefined;
  }
}

export function comparison(operator: string, a: unknown, b: unknown): boolean {
  switch (operator) {
    case '==':
      return javaEquals(a, b);
    case '!=':
      return !javaEquals(a, b);
    default:
      break;
  }
  if (!isNumber(a) || !isNumber(b)) return false;
  switch (operator) {
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
    default:
      return false;
  }
}

export function logical(operator: string, a: () => unknown, b: () => unknown): boolean {
  // Short-circuit, as Java does: the right side is not evaluated when the left decides.
  if (operator === '&&') return isTruthy(a()) && isTruthy(b());
  if (operator === '||') return isTruthy(a()) || isTruthy(b());
  return !isTruthy(a());
}
