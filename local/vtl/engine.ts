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
interface CompilerInternals {
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

  /** Printing a reference: `$x` for undefined prints nothing, values print the Java way. */
  getReferences(ast: Ast, isVal?: boolean): unknown {
    let value: unknown;
    if (ast.id === 'velocityHasNext' && ast.path === undefined) {
      const local = this.internals.getLocal({ id: 'foreach' });
      value = local.isLocal ? (local.value as { hasNext: boolean }).hasNext : undefined;
    } else {
      value = (References.getReferences as (this: unknown, ast: Ast, isVal?: boolean) => unknown).call(this, ast, false);
    }
    if (!isVal) return value;
    return typeof value === 'function' ? '' : javaString(value);
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

// The compiler's own reference lookup, which the override above wraps.
const References = { getReferences: Object.getPrototypeOf(ApiGatewayCompile.prototype).getReferences as unknown };

const METHOD_CALLS = [
  {
    uid: 'api-gateway-java-methods',
    match: () => true,
    resolve: ({ property, context, params }: { property: string; context: unknown; params: unknown[] }): unknown => {
      if (context instanceof InputVariable || context instanceof UtilVariable) {
        const method = (context as unknown as Record<string, unknown>)[property];
        return typeof method === 'function' ? (method as (...a: unknown[]) => unknown).apply(context, params) : undefined;
      }
      return callJavaMethod(context, property, params);
    },
  },
];

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
  const compiler = new ApiGatewayCompile(compiled.asts, { customMethodHandlers: METHOD_CALLS });
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
