/**
 * velocityjs's renderer with API Gateway's Velocity 1.7 semantics in place of its JavaScript ones.
 * This reaches into velocityjs's compiler (its mixin methods and state are not in its type
 * declarations), which is why velocityjs is pinned to an exact version. What is replaced: how a
 * reference is resolved and printed (nothing for null, Java printing, Java methods looked up in
 * tables, never on the data), operators, #if truth, #set (null keeps the old value, nothing is
 * created on the way), #foreach ($foreach.first/last, $velocityCount, #break) and #stop.
 */
import { Compile, parse } from 'velocityjs';
import { InputVariable } from './input-variable';
import { callJavaMethod, readJavaProperty } from './java-methods';
import { JavaDouble, bigDecimalOf, fromJsonNumber, isJavaNumber, negate } from './java-numbers';
import { arithmetic, comparison, logical } from './java-operators';
import { isJavaMap, isTruthy, javaString } from './java-values';
import type { TemplateAst } from './template-parser';
import { UtilVariable } from './util-variable';

/** velocityjs AST nodes, as far as this layer reads them. */
interface AstNode {
  type: string;
  [key: string]: unknown;
}
type Block = Array<AstNode | string | Block>;

interface PathStep {
  type: 'property' | 'method' | 'index';
  id: unknown;
  args?: AstNode[] | false;
}

interface ReferenceAst extends AstNode {
  id: string;
  prue?: boolean;
  path?: PathStep[];
}

/** velocityjs's compiler state and methods used here. */
interface CompilerInternals {
  asts: Block;
  context: Record<string, unknown>;
  defines: Record<string, unknown>;
  local: Record<string, Record<string, unknown>>;
  conditions: string[];
  contextId: string;
  runState: { stop: boolean; break: boolean };
  getLiteral(ast: AstNode): unknown;
  getContext(id: string): Record<string, unknown>;
  getBlock(block: Block): string;
  getMacro(ast: AstNode): string;
}

const BLOCKED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const INPUT_METHODS = new Set(['path', 'json', 'params']);
const UTIL_METHODS = new Set(['escapeJavaScript', 'base64Encode', 'base64Decode', 'urlEncode', 'urlDecode', 'parseJson']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);
const COMPARISON = new Set(['==', '!=', '>', '<', '>=', '<=']);

/** Interpolated strings ("$a-$b"), parsed once each: inside a #foreach they are evaluated per item. */
const INTERPOLATED = new Map<string, TemplateAst>();
const INTERPOLATED_LIMIT = 10_000;
let scopeCounter = 0;

/** `$x.name()` on $input, $util, or a Java value. */
function callMethod(self: unknown, name: string, args: unknown[]): unknown {
  if (self instanceof InputVariable) return INPUT_METHODS.has(name) ? (self[name as 'path'] as (...a: unknown[]) => unknown).apply(self, args) : undefined;
  if (self instanceof UtilVariable) return UTIL_METHODS.has(name) ? (self[name as 'parseJson'] as (...a: unknown[]) => unknown).apply(self, args) : undefined;
  return callJavaMethod(self, name, args);
}

function readProperty(value: unknown, key: string): unknown {
  if (value instanceof InputVariable) return key === 'body' ? value.body : undefined;
  return readJavaProperty(value, key);
}

/**
 * Velocity 1.7's number literals: an integer literal is an Integer (a Long or BigInteger when it
 * does not fit), one with a fraction or an exponent a Double (ASTFloatingPointLiteral).
 */
function numberLiteral(ast: AstNode): unknown {
  const text = String(ast.value);
  if (ast.type === 'integer') return fromJsonNumber(text);
  const value = Number(text);
  return Number.isFinite(value) ? new JavaDouble(value) : bigDecimalOf(text);
}

const NO_ARGS: unknown[] = [];
const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

interface Branch {
  /** Absent for #else. */
  readonly condition: AstNode | undefined;
  readonly body: Block;
}

/** An #if block's branches, split once per compiled block rather than on every evaluation. */
const BRANCHES = new WeakMap<Block, Branch[]>();

function branchesOf(block: Block): Branch[] {
  let branches = BRANCHES.get(block);
  if (branches === undefined) {
    branches = [];
    for (const ast of block) {
      const isBranch = typeof ast === 'object' && !Array.isArray(ast) && (ast.type === 'if' || ast.type === 'elseif' || ast.type === 'else');
      if (isBranch) branches.push({ condition: ast.type === 'else' ? undefined : (ast.condition as AstNode), body: [] });
      else branches[branches.length - 1]?.body.push(ast);
    }
    BRANCHES.set(block, branches);
  }
  return branches;
}

/** velocityjs's compiler class, typed loosely: the overrides below work on its untyped AST. */
const VelocityCompile = Compile as unknown as new (asts: TemplateAst, config: object) => { render(context: Record<string, unknown>): string };

const BASE_GET_LITERAL = (VelocityCompile.prototype as unknown as CompilerInternals).getLiteral;

export class ApiGatewayCompiler extends VelocityCompile {
  private readonly state = this as unknown as CompilerInternals;

  /** Renders a list of nodes; stops at #break (up to the enclosing #foreach) and at #stop. */
  renderAstList(asts?: Block, contextId?: string): string {
    const state = this.state;
    if (contextId) {
      if (contextId !== state.contextId && !state.conditions.includes(contextId)) state.conditions.unshift(contextId);
      state.contextId = contextId;
    } else state.contextId = '';
    let out = '';
    for (const ast of asts ?? state.asts) {
      if (state.runState.stop || state.runState.break) break;
      if (typeof ast === 'string') out += ast;
      else if (Array.isArray(ast)) out += state.getBlock(ast);
      else if (ast.type === 'references') out += this.getReferences(ast, true) as string;
      else if (ast.type === 'set') this.setValue(ast);
      else if (ast.type === 'break') state.runState.break = true;
      else if (ast.type === 'macro_call') out += state.getMacro(ast);
      else if (ast.type === 'raw') out += ast.value as string;
    }
    return out;
  }

  /** A reference: printed (`isVal`), null is nothing and values print the Java way. */
  getReferences(ast: AstNode, isVal?: boolean): unknown {
    const value = this.resolveReference(ast as ReferenceAst);
    return isVal ? javaString(value) : value;
  }

  /** A #foreach or macro variable (innermost scope first), else a template variable. */
  private rootValue(id: string): unknown {
    const state = this.state;
    for (const contextId of state.conditions) {
      const scope = state.local[contextId];
      if (scope !== undefined && hasOwn(scope, id)) return scope[id];
    }
    return hasOwn(state.context, id) ? state.context[id] : undefined;
  }

  private step(value: unknown, step: PathStep): unknown {
    const state = this.state;
    if (step.type === 'method') return callMethod(value, step.id as string, Array.isArray(step.args) && step.args.length > 0 ? step.args.map((arg) => state.getLiteral(arg)) : NO_ARGS);
    const key = step.type === 'index' ? javaString(state.getLiteral(step.id as AstNode)) : (step.id as string);
    return readProperty(value, key);
  }

  private resolveReference(ast: ReferenceAst): unknown {
    const state = this.state;
    const define = ast.prue ? state.defines[ast.id] : undefined;
    if (Array.isArray(define)) return this.renderAstList(define as Block, state.contextId);
    let value = this.rootValue(ast.id);
    for (const step of ast.path ?? []) {
      if (value === null || value === undefined) return undefined;
      value = this.step(value, step);
    }
    return value;
  }

  /** Java operators; see java-operators.ts. */
  getExpression(ast: AstNode): unknown {
    if (ast.type !== 'math') return this.getLiteral(ast);
    const operator = ast.operator as string;
    const [left, right] = ast.expression as AstNode[];
    const value = (node: AstNode): unknown => this.getExpression(node);
    if (ARITHMETIC.has(operator)) return arithmetic(operator, value(left), value(right));
    if (COMPARISON.has(operator)) return comparison(operator, value(left), value(right));
    if (operator === '&&' || operator === '||' || operator === 'not') return logical(operator, () => value(left), () => value(right));
    if (operator === 'minus') {
      const number = value(left);
      return isJavaNumber(number) ? negate(number) : undefined;
    }
    return operator === 'parenthesis' ? value(left) : undefined;
  }

  /** Literals, with Java's numbers; the rest as velocityjs evaluates them (strings, lists, maps). */
  getLiteral(ast: AstNode): unknown {
    if (ast.type === 'integer' || ast.type === 'decimal') return numberLiteral(ast);
    return BASE_GET_LITERAL.call(this, ast);
  }

  evalStr(text: string): string {
    let asts = INTERPOLATED.get(text);
    if (asts === undefined) {
      asts = parse(text);
      if (INTERPOLATED.size < INTERPOLATED_LIMIT) INTERPOLATED.set(text, asts);
    }
    return this.renderAstList(asts as Block, this.state.contextId);
  }

  /** #if / #elseif / #else with Velocity 1.7's truth: only null and false are false. */
  getBlockIf(block: Block): string {
    for (const branch of branchesOf(block)) {
      if (branch.condition === undefined || isTruthy(this.getExpression(branch.condition))) return this.renderAstList(branch.body, this.state.contextId);
    }
    return '';
  }

  /**
   * #foreach over a list, or a map's values. Each item gets $foreach.index/count/hasNext/first/last,
   * $velocityCount and $velocityHasNext; #break ends the loop.
   */
  getBlockEach(block: Block): string {
    const state = this.state;
    const head = block[0] as AstNode;
    const from = state.getLiteral(head.from as AstNode);
    const items = Array.isArray(from) ? from : isJavaMap(from) ? Object.values(from) : undefined;
    if (items === undefined) return '';
    const body = block.slice(1);
    const contextId = `foreach:${(scopeCounter += 1)}`;
    const local: Record<string, unknown> = {};
    state.local[contextId] = local;
    const length = items.length;
    let out = '';
    for (let i = 0; i < length; i += 1) {
      const hasNext = i + 1 < length;
      local[head.to as string] = items[i];
      local.foreach = { index: i, count: i + 1, hasNext, first: i === 0, last: !hasNext };
      local.velocityCount = i + 1;
      local.velocityHasNext = hasNext;
      out += this.renderAstList(body, contextId);
      if (state.runState.stop) break;
      if (state.runState.break) {
        state.runState.break = false;
        break;
      }
    }
    delete state.local[contextId];
    const position = state.conditions.indexOf(contextId);
    if (position !== -1) state.conditions.splice(position, 1);
    state.contextId = state.conditions[0] ?? '';
    return out;
  }

  /**
   * #set as Velocity 1.7 does it: a null value leaves the target as it was; `$a.b.c = v` sets
   * `c` on the map (or list index) that `$a.b` already is, and creates nothing on the way.
   */
  setValue(ast: AstNode): void {
    const state = this.state;
    const [ref, valueAst] = ast.equal as [ReferenceAst, AstNode];
    if (BLOCKED_KEYS.has(ref.id)) return;
    const value = valueAst.type === 'math' ? this.getExpression(valueAst) : state.getLiteral(valueAst);
    if (value === null || value === undefined) return;
    const path = ref.path ?? [];
    if (path.length === 0) {
      // In a macro, #set writes the template's variables (velocityjs's rule).
      const scope = state.contextId.startsWith('macro:') ? state.context : state.getContext(ref.id);
      scope[ref.id] = value;
      return;
    }
    let target = this.rootValue(ref.id);
    for (const step of path.slice(0, -1)) {
      if (target === null || target === undefined) return;
      target = this.step(target, step);
    }
    const last = path[path.length - 1];
    if (last.type === 'method') return;
    const key = last.type === 'index' ? javaString(state.getLiteral(last.id as AstNode)) : String(last.id);
    if (isJavaMap(target) && !BLOCKED_KEYS.has(key)) target[key] = value;
    else if (Array.isArray(target) && /^\d+$/.test(key) && Number(key) < target.length) target[Number(key)] = value;
  }
}
