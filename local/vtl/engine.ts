/**
 * The mapping-template engine: Velocity as API Gateway runs it (Velocity 1.7 with JSONPath and
 * Java values), on velocityjs, pinned to an exact version because this reaches into its compiler.
 * The layer changes what velocityjs does differently from API Gateway: how values print (maps the
 * Java way, nothing for null), Java methods on strings, lists and maps, Java arithmetic and
 * equality, Velocity 1.7's truth and null-assignment rules. No built-in prototype is touched, and
 * no method call writes into the template's data.
 */
import { Compile, parse } from 'velocityjs';
import { deepMerge, generatedContext } from './context-variable';
import { InputVariable } from './input-variable';
import { callJavaMethod, isTruthy, javaEquals, javaString } from './java-values';
import { UtilVariable } from './util-variable';

export interface TemplateRequest {
  /** The raw request body (in a response template, the backend's); '' or absent reads as {}. */
  readonly body?: string;
  readonly path?: Readonly<Record<string, string>>;
  readonly querystring?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly stageVariables?: Readonly<Record<string, string>>;
  /** Merged over the generated $context values. */
  readonly context?: Readonly<Record<string, unknown>>;
}

export interface RenderResult {
  readonly output: string;
  readonly responseOverride: { readonly status?: number; readonly headers: Record<string, string> };
  readonly requestOverride: { readonly headers: Record<string, string>; readonly querystring: Record<string, string>; readonly path: Record<string, string> };
}

export class VtlSyntaxError extends Error {
  constructor(message: string) {
    super(`Template syntax error: ${message}`);
    this.name = 'VtlSyntaxError';
  }
}

type Ast = Record<string, unknown> & { type: string };
export interface CompiledTemplate {
  readonly asts: ReturnType<typeof parse>;
}

/** What this layer uses of velocityjs's compiler (its mixins are not in its type declarations). */
interface ReferenceAst extends Ast {
  id: string;
  prue?: boolean;
  path?: Array<{ type: string; id: unknown; args?: Ast[] | false }>;
}

interface CompilerInternals {
  defines: Record<string, unknown>;
  getExpression(ast: Ast): unknown;
  getLiteral(ast: Ast): unknown;
  getReferences(ast: Ast, isVal?: boolean): unknown;
  getLocal(ast: { id: string }): { isLocal: boolean; value: unknown };
  getContext(id: string): Record<string, unknown>;
  renderAstList(asts: unknown[], contextId?: string): string;
  contextId: string;
  context: Record<string, unknown>;
}

const UTIL = new UtilVariable();
const INTERPOLATED = new Map<string, ReturnType<typeof parse>>();
const BLOCKED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function numeric(value: unknown): number {
  return typeof value === 'number' ? value : Number(javaString(value));
}

function isInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value);
}

/** velocityjs's compiler, typed loosely: the overrides below work on its untyped AST nodes. */
const VelocityCompile = Compile as unknown as new (asts: unknown, config: object) => { render(context: Record<string, unknown>): string };

class ApiGatewayCompile extends VelocityCompile {
  private get internals(): CompilerInternals {
    return this as unknown as CompilerInternals;
  }

  /**
   * A reference's value: a local (#foreach, macro) or context variable, then its properties,
   * indexes and Java method calls. Printed (`isVal`), undefined is nothing and values print the
   * Java way. Resolved here rather than by velocityjs, which formats each reference's source text
   * on every evaluation and calls methods on the data object itself.
   */
  getReferences(ast: Ast, isVal?: boolean): unknown {
    const value = this.resolveReference(ast as ReferenceAst);
    if (!isVal) return value;
    return typeof value === 'function' ? '' : javaString(value);
  }

  private resolveReference(ast: ReferenceAst): unknown {
    const internals = this.internals;
    if (ast.prue && Array.isArray(internals.defines[ast.id])) return internals.renderAstList(internals.defines[ast.id] as unknown[], internals.contextId);
    let value: unknown;
    if (ast.id === 'velocityHasNext') {
      const local = internals.getLocal({ id: 'foreach' });
      value = local.isLocal ? (local.value as { hasNext: boolean }).hasNext : undefined;
    } else {
      const local = internals.getLocal(ast);
      value = local.isLocal ? local.value : Object.prototype.hasOwnProperty.call(internals.context, ast.id) ? internals.context[ast.id] : undefined;
    }
    for (const step of ast.path ?? []) {
      if (value === null || value === undefined) return undefined;
      if (step.type === 'method') {
        value = callMethod(value, step.id as string, (Array.isArray(step.args) ? step.args : []).map((arg) => internals.getLiteral(arg)));
      } else {
        const key = step.type === 'index' ? javaString(internals.getLiteral(step.id as Ast)) : (step.id as string);
        value = readProperty(value, key);
      }
    }
    return value;
  }

  /** Java arithmetic (integer division), string concatenation, Velocity 1.7 equality and truth. */
  getExpression(ast: Ast): unknown {
    if (ast.type !== 'math') return this.internals.getLiteral(ast);
    const [left, right] = ast.expression as Ast[];
    const value = (node: Ast): unknown => this.getExpression(node);
    switch (ast.operator as string) {
      case '+': {
        const a = value(left);
        const b = value(right);
        if (typeof a === 'string' || typeof b === 'string') return javaString(a) + javaString(b);
        return numeric(a) + numeric(b);
      }
      case '-':
        return numeric(value(left)) - numeric(value(right));
      case '*':
        return numeric(value(left)) * numeric(value(right));
      case '/':
      case '%': {
        const a = value(left);
        const b = value(right);
        if (numeric(b) === 0) return undefined; // Velocity logs the error and gives null
        if (ast.operator === '%') return numeric(a) % numeric(b);
        return isInteger(a) && isInteger(b) ? Math.trunc(numeric(a) / numeric(b)) : numeric(a) / numeric(b);
      }
      case '==':
        return javaEquals(value(left), value(right));
      case '!=':
        return !javaEquals(value(left), value(right));
      case '>':
        return numeric(value(left)) > numeric(value(right));
      case '<':
        return numeric(value(left)) < numeric(value(right));
      case '>=':
        return numeric(value(left)) >= numeric(value(right));
      case '<=':
        return numeric(value(left)) <= numeric(value(right));
      case '&&':
        return isTruthy(value(left)) && isTruthy(value(right));
      case '||':
        return isTruthy(value(left)) || isTruthy(value(right));
      case 'not':
        return !isTruthy(value(left));
      case 'minus':
        return -numeric(value(left));
      case 'parenthesis':
        return value(left);
      default:
        return undefined;
    }
  }

  /**
   * An interpolated string ("$a-$b") is parsed by velocityjs every time it is evaluated: inside a
   * #foreach over 500 records that parse is most of the render. Parsed once per distinct string.
   */
  evalStr(text: string): string {
    let asts = INTERPOLATED.get(text);
    if (asts === undefined) {
      asts = parse(text);
      if (INTERPOLATED.size < 10_000) INTERPOLATED.set(text, asts);
    }
    return this.internals.renderAstList(asts, this.internals.contextId);
  }

  /** #if with Velocity 1.7's truth: only null and false are false. */
  getBlockIf(block: Ast[]): string {
    const chosen: Ast[] = [];
    let taken = false;
    let collecting = false;
    for (const ast of block) {
      const branch = ast.type === 'if' || ast.type === 'elseif' || ast.type === 'else';
      if (branch) {
        if (taken) break;
        collecting = ast.type === 'else' ? true : isTruthy(this.getExpression(ast.condition as Ast));
        taken = collecting;
        continue;
      }
      if (collecting) chosen.push(ast);
    }
    return this.internals.renderAstList(chosen, this.internals.contextId);
  }

  /** #set as Velocity 1.7 does it: a null value leaves the target unchanged. */
  setValue(ast: Ast): void {
    const [ref, valueAst] = ast.equal as [Ast & { id: string; path?: Ast[] }, Ast];
    const value = valueAst.type === 'math' ? this.getExpression(valueAst) : this.internals.getLiteral(valueAst);
    if (value === undefined || value === null) return;
    const scope = this.internals.contextId.startsWith('macro:') ? this.internals.context : this.internals.getContext(ref.id);
    if (BLOCKED_KEYS.has(ref.id)) return;
    const keys = (ref.path ?? []).map((step) => (step.type === 'index' ? javaString(this.internals.getLiteral(step.id as Ast)) : String(step.id)));
    if (keys.length === 0) {
      scope[ref.id] = value;
      return;
    }
    if (keys.some((k) => BLOCKED_KEYS.has(k))) return;
    if (typeof scope[ref.id] !== 'object' || scope[ref.id] === null) scope[ref.id] = {};
    let node = scope[ref.id] as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]] = value;
  }
}

/** Java methods on plain values; $input's and $util's own methods on them. */
function callMethod(self: unknown, name: string, args: unknown[]): unknown {
  if (self instanceof InputVariable || self instanceof UtilVariable) {
    const method: unknown = (self as unknown as Record<string, unknown>)[name];
    return typeof method === 'function' && name !== 'constructor' ? (method as (...a: unknown[]) => unknown).apply(self, args) : undefined;
  }
  return callJavaMethod(self, name, args);
}

/** `$x.key` / `$x['key']`: a map's entry, a list's item, or $input's body; nothing inherited. */
function readProperty(value: unknown, key: string): unknown {
  if (BLOCKED_KEYS.has(key)) return undefined;
  if (value instanceof InputVariable) return key === 'body' ? value.body : undefined;
  if (Array.isArray(value)) return /^\d+$/.test(key) ? value[Number(key)] : undefined;
  if (typeof value === 'object' && value !== null) return Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  return undefined;
}

export function compileTemplate(source: string): CompiledTemplate {
  try {
    return { asts: parse(source) };
  } catch (error) {
    throw new VtlSyntaxError(error instanceof Error ? error.message : String(error));
  }
}

export function defaultContext(request: TemplateRequest = {}): Record<string, unknown> {
  return deepMerge(generatedContext(), (request.context ?? {}) as Record<string, unknown>);
}

export function renderTemplate(template: string | CompiledTemplate, request: TemplateRequest): RenderResult {
  const compiled = typeof template === 'string' ? compileTemplate(template) : template;
  const responseOverride: Record<string, unknown> = { header: {} };
  const requestOverride: Record<string, unknown> = { header: {}, querystring: {}, path: {} };
  const context = { ...defaultContext(request), responseOverride, requestOverride };
  const input = new InputVariable(request.body ?? '', { path: request.path ?? {}, querystring: request.querystring ?? {}, header: request.headers ?? {} });
  const compiler = new ApiGatewayCompile(compiled.asts, {});
  const output = compiler.render({ input, util: UTIL, context, stageVariables: { ...(request.stageVariables ?? {}) } });

  const strings = (value: unknown): Record<string, string> =>
    Object.fromEntries(Object.entries(typeof value === 'object' && value !== null ? value : {}).map(([k, v]) => [k, javaString(v)]));
  const status = Number(javaString(responseOverride.status));
  return {
    output,
    responseOverride: {
      ...(responseOverride.status !== undefined && Number.isInteger(status) ? { status } : {}),
      headers: strings(responseOverride.header),
    },
    requestOverride: { headers: strings(requestOverride.header), querystring: strings(requestOverride.querystring), path: strings(requestOverride.path) },
  };
}
