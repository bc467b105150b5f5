/**
 * A parsed template turned, once, into JavaScript closures: each node of velocityjs's syntax tree
 * becomes a function, so a render walks no tree, looks nothing up by node type and parses no
 * interpolated string again. What the closures do is Velocity 1.7 as API Gateway runs it: a
 * reference prints the Java way and null prints nothing; Java methods are looked up in tables,
 * never on the data; operators and numbers are Java's; #if truth is Velocity's; #set of null keeps
 * the old value and creates nothing on the way; #foreach gives $foreach.index/count/hasNext/first/
 * last, $velocityCount and $velocityHasNext; #break ends the loop and #stop the render.
 */
import * as importedInputVariable from './input-variable';
import * as importedJavaMethods from './java-methods';
import { simpleSteps } from './json-path';
import * as importedJavaNumbers from './java-numbers';
import * as importedJavaOperators from './java-operators';
import * as importedJavaValues from './java-values';
import { ESCAPED_REFERENCE, parseTemplate, type AstNode, type Block, type PathStep, type ReferenceAst } from './velocityjs-adapter';
import { checkOverrideWrite } from './override-maps';
import * as importedUtilVariable from './util-variable';

// Bound once: under tsx (esbuild's CommonJS) each read of an imported name calls a getter, a cost
// that shows in a batch render's profile (node --cpu-prof).
const { InputVariable } = importedInputVariable;
const { javaMethodNamed, javaMethodNamed1, readJavaProperty } = importedJavaMethods;
const { JavaDouble, bigDecimalOf, fromJsonNumber, isJavaNumber, negate, toIndex } = importedJavaNumbers;
const { arithmetic, comparison, logical } = importedJavaOperators;
const { isJavaMap, isTruthy, javaString } = importedJavaValues;
const { UtilVariable } = importedUtilVariable;

/** API Gateway's quota of iterations per #foreach loop. */
export const MAX_FOREACH_ITERATIONS = 1000;

/** A scope's variables: a fixed set of names, set when it is made (#set finds and writes them). */
interface Scope {
  has(id: string): boolean;
  get(id: string): unknown;
  set(id: string, value: unknown): void;
}

/**
 * A #foreach's variables: the loop's, $foreach, $velocityCount, $velocityHasNext. Fields, not a
 * map, as they change on every iteration; $foreach's map is made when a template reads it.
 */
class ForeachScope implements Scope {
  private item: unknown;
  private index = 0;
  private hasNext = false;
  private info: unknown;
  private count: unknown;
  private countHasNext: unknown;

  constructor(private readonly name: string) {}

  next(item: unknown, index: number, hasNext: boolean): void {
    this.item = item;
    this.index = index;
    this.hasNext = hasNext;
    this.info = undefined;
    this.count = index + 1;
    this.countHasNext = hasNext;
  }

  has(id: string): boolean {
    return id === this.name || id === 'foreach' || id === 'velocityCount' || id === 'velocityHasNext';
  }

  get(id: string): unknown {
    if (id === this.name) return this.item;
    if (id === 'foreach') {
      const { index, hasNext } = this;
      this.info ??= { index, count: index + 1, hasNext, first: index === 0, last: !hasNext };
      return this.info;
    }
    if (id === 'velocityCount') return this.count;
    return id === 'velocityHasNext' ? this.countHasNext : undefined;
  }

  set(id: string, value: unknown): void {
    if (id === this.name) this.item = value;
    else if (id === 'foreach') this.info = value;
    else if (id === 'velocityCount') this.count = value;
    else if (id === 'velocityHasNext') this.countHasNext = value;
  }
}

/** One render's state: the template's variables, the #foreach and macro scopes, #break and #stop. */
class Runtime {
  readonly scopes: Scope[] = [];
  /** A map, not an object: a variable named like a built-in property finds nothing inherited. */
  readonly globals: Map<string, unknown>;
  readonly defines = new Map<string, Render>();
  stop = false;
  break = false;
  macroDepth = 0;

  constructor(globals: Record<string, unknown>) {
    this.globals = new Map(Object.entries(globals));
  }

  lookup(id: string): unknown {
    const scopes = this.scopes;
    for (let i = scopes.length - 1; i >= 0; i -= 1) {
      const scope = scopes[i];
      if (scope.has(id)) return scope.get(id);
    }
    return this.globals.get(id);
  }

  /** `#set($x = v)`: the innermost scope that has $x, else the template's variables; in a macro, always those. */
  assign(id: string, value: unknown): void {
    if (this.macroDepth === 0) {
      const scopes = this.scopes;
      for (let i = scopes.length - 1; i >= 0; i -= 1) {
        if (scopes[i].has(id)) {
          scopes[i].set(id, value);
          return;
        }
      }
    }
    this.globals.set(id, value);
  }
}

type Render = (rt: Runtime) => string;
type Evaluate = (rt: Runtime) => unknown;

interface Macro {
  readonly params: string[];
  readonly body: Render;
}

/** A compiled template: render it with its top-level variables ($input, $util, $context, ...). */
export interface TemplateProgram {
  render(globals: Record<string, unknown>): string;
}

const BLOCKED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const INPUT_METHODS = new Set(['path', 'json', 'params']);
const UTIL_METHODS = new Set(['escapeJavaScript', 'base64Encode', 'base64Decode', 'urlEncode', 'urlDecode', 'parseJson']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);
const COMPARISON = new Set(['==', '!=', '>', '<', '>=', '<=']);
/** Velocity's velocimacro.max.depth default. */
const MAX_MACRO_DEPTH = 20;
const EMPTY: Render = () => '';
const NO_ARGS: unknown[] = [];
const NOTHING: Evaluate = () => undefined;

/** `$x.name(args)` on $input, $util, or a Java value: resolved once per call site. */
function methodNamed(name: string): (self: unknown, args: unknown[]) => unknown {
  const java = javaMethodNamed(name);
  const onInput = INPUT_METHODS.has(name) ? (InputVariable.prototype[name as 'path'] as (...a: unknown[]) => unknown) : undefined;
  const onUtil = UTIL_METHODS.has(name) ? (UtilVariable.prototype[name as 'parseJson'] as (...a: unknown[]) => unknown) : undefined;
  return (self, args) => {
    if (self instanceof InputVariable) return onInput === undefined ? undefined : onInput.apply(self, args);
    if (self instanceof UtilVariable) return onUtil === undefined ? undefined : onUtil.apply(self, args);
    return java(self, args);
  };
}

/** The same for a call with one argument (most calls): no argument list is made. */
function methodNamed1(name: string): (self: unknown, arg: unknown) => unknown {
  const java = javaMethodNamed1(name);
  const onInput = INPUT_METHODS.has(name) ? (InputVariable.prototype[name as 'path'] as (arg: unknown) => unknown) : undefined;
  const onUtil = UTIL_METHODS.has(name) ? (UtilVariable.prototype[name as 'parseJson'] as (arg: unknown) => unknown) : undefined;
  return (self, arg) => {
    if (self instanceof InputVariable) return onInput === undefined ? undefined : onInput.call(self, arg);
    if (self instanceof UtilVariable) return onUtil === undefined ? undefined : onUtil.call(self, arg);
    return java(self, arg);
  };
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

class Compiler {
  readonly macros = new Map<string, Macro>();

  /** escapedReferences: the text of each escaped reference (`\$a.b`), by its number. */
  constructor(private readonly escapedReferences: readonly string[]) {}

  block(nodes: Block): Render {
    const parts: Render[] = [];
    for (const node of nodes) {
      const part = this.node(node);
      if (part !== EMPTY) parts.push(part);
    }
    if (parts.length === 0) return EMPTY;
    if (parts.length === 1) {
      const [only] = parts;
      return (rt) => (rt.stop || rt.break ? '' : only(rt));
    }
    return (rt) => {
      let out = '';
      for (let i = 0; i < parts.length; i += 1) {
        if (rt.stop || rt.break) break;
        out += parts[i](rt);
      }
      return out;
    };
  }

  private node(node: AstNode | string | Block): Render {
    if (typeof node === 'string') return node === '' ? EMPTY : () => node;
    if (Array.isArray(node)) return this.directiveBlock(node);
    switch (node.type) {
      case 'references':
        return this.printed(node as ReferenceAst);
      case 'set':
        return this.set(node);
      case 'break':
        return (rt) => {
          rt.break = true;
          return '';
        };
      case 'macro_call':
        return this.macroCall(node);
      case 'raw':
        return this.node(String(node.value));
      default:
        // Comments, and the #else/#elseif/#end markers handled by their blocks.
        return EMPTY;
    }
  }

  private directiveBlock(block: Block): Render {
    const head = block[0] as AstNode;
    const body = block.slice(1);
    switch (head.type) {
      case 'if':
        return this.ifBlock(block);
      case 'foreach':
        return this.foreach(head, body);
      case 'macro': {
        const params = ((head.args as ReferenceAst[] | undefined) ?? []).map((arg) => arg.id);
        this.macros.set(String(head.id), { params, body: this.block(body) });
        return EMPTY;
      }
      case 'define': {
        const id = String(head.id);
        const render = this.block(body);
        return (rt) => {
          rt.defines.set(id, render);
          return '';
        };
      }
      default:
        // #noescape and plain nested blocks render their content.
        return this.block(body);
    }
  }

  private ifBlock(block: Block): Render {
    const branches: Array<{ condition: Evaluate | undefined; nodes: Block }> = [];
    for (const node of block) {
      const isBranch = typeof node === 'object' && !Array.isArray(node) && (node.type === 'if' || node.type === 'elseif' || node.type === 'else');
      if (isBranch) branches.push({ condition: node.type === 'else' ? undefined : this.expression(node.condition as AstNode), nodes: [] });
      else branches[branches.length - 1]?.nodes.push(node);
    }
    const compiled = branches.map((branch) => ({ condition: branch.condition, body: this.block(branch.nodes) }));
    return (rt) => {
      for (let i = 0; i < compiled.length; i += 1) {
        const branch = compiled[i];
        if (branch.condition === undefined || isTruthy(branch.condition(rt))) return branch.body(rt);
      }
      return '';
    };
  }

  /** #foreach over a list, or a map's values, up to MAX_FOREACH_ITERATIONS; #break ends it. */
  private foreach(head: AstNode, body: Block): Render {
    const from = this.expression(head.from as AstNode);
    const name = String(head.to);
    // A #foreach #else is not Velocity 1.7: what follows it is not rendered.
    const elseAt = body.findIndex((node) => typeof node === 'object' && !Array.isArray(node) && node.type === 'else');
    const render = this.block(elseAt === -1 ? body : body.slice(0, elseAt));
    return (rt) => {
      const source = from(rt);
      const items = Array.isArray(source) ? source : isJavaMap(source) ? Object.values(source) : undefined;
      if (items === undefined) return '';
      const scope = new ForeachScope(name);
      rt.scopes.push(scope);
      // API Gateway stops a #foreach after 1000 iterations (developer guide, quotas: "Number of
      // iterations in a #foreach ... #end loop in mapping templates: 1000"), as Velocity's
      // directive.foreach.maxloops does: quietly, with what was rendered so far.
      const length = Math.min(items.length, MAX_FOREACH_ITERATIONS);
      let out = '';
      try {
        for (let i = 0; i < length; i += 1) {
          scope.next(items[i], i, i + 1 < length);
          out += render(rt);
          if (rt.stop) break;
          if (rt.break) {
            rt.break = false;
            break;
          }
        }
      } finally {
        rt.scopes.pop();
      }
      return out;
    };
  }

  private macroCall(node: AstNode): Render {
    const id = String(node.id);
    if (id === 'stop') {
      return (rt) => {
        rt.stop = true;
        return '';
      };
    }
    const args = ((node.args as AstNode[] | undefined) ?? []).map((arg) => this.expression(arg));
    if (id.startsWith(ESCAPED_REFERENCE)) {
      const text = this.escapedReferences[Number(id.slice(ESCAPED_REFERENCE.length))];
      if (text !== undefined && args.length === 1) {
        // Its text, after a backslash when its value is null (ASTReference.render, escaped).
        const [value] = args;
        return (rt) => {
          const v = value(rt);
          return v === null || v === undefined ? `\\${text}` : text;
        };
      }
    }
    return (rt) => {
      const macro = this.macros.get(id);
      if (macro === undefined) return '';
      if (rt.macroDepth >= MAX_MACRO_DEPTH) throw new Error(`#${id}: macros nest deeper than ${MAX_MACRO_DEPTH} (velocimacro.max.depth)`);
      const scope = new Map<string, unknown>();
      macro.params.forEach((param, i) => {
        scope.set(param, args[i] === undefined ? undefined : args[i](rt));
      });
      rt.scopes.push(scope);
      rt.macroDepth += 1;
      try {
        return macro.body(rt);
      } finally {
        rt.macroDepth -= 1;
        rt.scopes.pop();
      }
    };
  }

  /** A reference in the text: its Java text, nothing for null; a #define's block when it names one. */
  private printed(ast: ReferenceAst): Render {
    const value = this.reference(ast);
    const id = ast.id;
    if (ast.path === undefined || ast.path.length === 0) {
      return (rt) => {
        const define = rt.defines.get(id);
        return define === undefined ? javaString(value(rt)) : define(rt);
      };
    }
    return (rt) => javaString(value(rt));
  }

  private reference(ast: ReferenceAst): Evaluate {
    const id = ast.id;
    const steps = (ast.path ?? []).map((step) => this.step(step));
    if (steps.length === 0) return (rt) => rt.lookup(id);
    if (steps.length === 1) {
      const [only] = steps;
      return (rt) => {
        const root = rt.lookup(id);
        return root === null || root === undefined ? undefined : only(root, rt);
      };
    }
    return (rt) => {
      let value = rt.lookup(id);
      for (let i = 0; i < steps.length; i += 1) {
        if (value === null || value === undefined) return undefined;
        value = steps[i](value, rt);
      }
      return value;
    };
  }

  private step(step: PathStep): (value: unknown, rt: Runtime) => unknown {
    if (step.type === 'method') {
      const name = String(step.id);
      const indexed = this.indexedPath(name, Array.isArray(step.args) ? step.args : []);
      if (indexed !== undefined) return indexed;
      const args = (Array.isArray(step.args) ? step.args : []).map((arg) => this.expression(arg));
      if (args.length === 1) {
        const [only] = args;
        const call1 = methodNamed1(name);
        return (value, rt) => call1(value, only(rt));
      }
      const call = methodNamed(name);
      if (args.length === 0) return (value) => call(value, NO_ARGS);
      return (value, rt) =>
        call(
          value,
          args.map((arg) => arg(rt)),
        );
    }
    if (step.type === 'index') {
      const key = this.expression(step.id as AstNode);
      return (value, rt) => readProperty(value, javaString(key(rt)));
    }
    const key = String(step.id);
    if (BLOCKED_KEYS.has(key)) return () => undefined;
    // A map's entry, the common case, read here; anything else as readProperty reads it.
    return (value) => (isJavaMap(value) ? (Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined) : readProperty(value, key));
  }

  /**
   * `$input.json("$.records[$foreach.index].data")`: a JSONPath with one reference as a list
   * index. Read directly with the index when the value is $input and the index a whole number;
   * anything else takes the general path (the text built, then read).
   */
  private indexedPath(name: string, args: AstNode[]): ((value: unknown, rt: Runtime) => unknown) | undefined {
    if ((name !== 'json' && name !== 'path') || args.length !== 1 || args[0].type !== 'string' || args[0].isEval !== true) return undefined;
    const parts: Block = [];
    for (const part of parseTemplate(String(args[0].value))) {
      const last = parts.length - 1;
      if (typeof part === 'string' && typeof parts[last] === 'string') parts[last] += part;
      else parts.push(part);
    }
    if (parts.length !== 3) return undefined;
    const [before, reference, after] = parts;
    if (typeof before !== 'string' || typeof after !== 'string' || typeof reference !== 'object' || Array.isArray(reference) || reference.type !== 'references') return undefined;
    if (!before.endsWith('[') || !after.startsWith(']')) return undefined;
    const prefix = simpleSteps(before.slice(0, -1));
    const suffix = simpleSteps(`$${after.slice(1)}`);
    if (prefix === null || suffix === null) return undefined;
    const index = this.reference(reference as ReferenceAst);
    const text = this.stringLiteral(args[0]);
    const call = methodNamed(name);
    return (value, rt) => {
      if (value instanceof InputVariable) {
        const i = index(rt);
        if (typeof i === 'number' && Number.isInteger(i) && i >= 0) return value.atIndex(name, prefix, i, suffix);
      }
      return call(value, [text(rt)]);
    };
  }

  /** #set as Velocity 1.7 does it: null keeps the old value; `$a.b.c = v` writes only into what exists. */
  private set(node: AstNode): Render {
    const [ref, valueAst] = node.equal as [ReferenceAst, AstNode];
    const value = this.expression(valueAst);
    const id = ref.id;
    if (BLOCKED_KEYS.has(id)) return EMPTY;
    const path = ref.path ?? [];
    if (path.length === 0) {
      return (rt) => {
        const v = value(rt);
        if (v !== null && v !== undefined) rt.assign(id, v);
        return '';
      };
    }
    const walk = path.slice(0, -1).map((step) => this.step(step));
    const last = path[path.length - 1];
    if (last.type === 'method') return EMPTY;
    const key: Evaluate = last.type === 'index' ? this.expression(last.id as AstNode) : () => String(last.id);
    return (rt) => {
      const v = value(rt);
      if (v === null || v === undefined) return '';
      let target = rt.lookup(id);
      for (const step of walk) {
        if (target === null || target === undefined) return '';
        target = step(target, rt);
      }
      const name = javaString(key(rt));
      if (isJavaMap(target) && !BLOCKED_KEYS.has(name)) {
        checkOverrideWrite(target, name);
        target[name] = v;
      }
      else if (Array.isArray(target) && /^\d+$/.test(name) && Number(name) < target.length) target[Number(name)] = v;
      return '';
    };
  }

  expression(ast: AstNode): Evaluate {
    switch (ast.type) {
      case 'references':
        return this.reference(ast as ReferenceAst);
      case 'integer':
      case 'decimal': {
        const value = numberLiteral(ast);
        return () => value;
      }
      case 'bool': {
        const value = ast.value === 'true' ? true : ast.value === 'false' ? false : undefined;
        return () => value;
      }
      case 'string':
        return this.stringLiteral(ast);
      case 'array':
        return ast.isRange === true ? this.range(ast) : this.list(ast);
      case 'map':
        return this.map(ast);
      case 'math':
        return this.math(ast);
      default:
        return NOTHING;
    }
  }

  /**
   * A double-quoted string is a template of its own, parsed here once, with its \uXXXX escapes
   * read first (ASTStringLiteral.unescape, Velocity 1.6+); a single-quoted one is text.
   */
  private stringLiteral(ast: AstNode): Evaluate {
    const raw = String(ast.value);
    const text = ast.isEval === true ? raw.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : raw;
    if (ast.isEval !== true || (!text.includes('$') && !text.includes('#'))) return () => text;
    const render = this.block(parseTemplate(text));
    return render;
  }

  private list(ast: AstNode): Evaluate {
    const items = (ast.value as AstNode[]).map((item) => this.expression(item));
    return (rt) => items.map((item) => item(rt));
  }

  /** [a..b], both ends included, counting down when a > b. */
  private range(ast: AstNode): Evaluate {
    const ends = (ast.value as Array<AstNode | string | number>).map((end): Evaluate => {
      if (typeof end === 'string' || typeof end === 'number') {
        const value = Number(end);
        return () => value;
      }
      return this.expression(end);
    });
    return (rt) => {
      const [from, to] = ends.map((end) => {
        const value = end(rt);
        return isJavaNumber(value) ? toIndex(value) : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
      });
      if (Number.isNaN(from) || Number.isNaN(to)) return undefined;
      const out: number[] = [];
      if (from <= to) for (let i = from; i <= to; i += 1) out.push(i);
      else for (let i = from; i >= to; i -= 1) out.push(i);
      return out;
    };
  }

  private map(ast: AstNode): Evaluate {
    const entries = Object.entries((ast.value as Record<string, AstNode> | undefined) ?? {})
      .filter(([key]) => !BLOCKED_KEYS.has(key))
      .map(([key, value]) => [key, this.expression(value)] as const);
    return (rt) => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of entries) out[key] = value(rt);
      return out;
    };
  }

  private math(ast: AstNode): Evaluate {
    const operator = String(ast.operator);
    const [left, right] = (ast.expression as AstNode[]).map((node) => this.expression(node));
    if (ARITHMETIC.has(operator)) return (rt) => arithmetic(operator, left(rt), right(rt));
    if (COMPARISON.has(operator)) return (rt) => comparison(operator, left(rt), right(rt));
    if (operator === '&&' || operator === '||' || operator === 'not') return (rt) => logical(operator, () => left(rt), () => (right ?? NOTHING)(rt));
    if (operator === 'minus') {
      return (rt) => {
        const number = left(rt);
        return isJavaNumber(number) ? negate(number) : undefined;
      };
    }
    return operator === 'parenthesis' ? left : NOTHING;
  }
}

/** Compiles a parsed template once; each render gets a fresh Runtime. */
export function compileProgram(asts: Block, escapedReferences: readonly string[] = []): TemplateProgram {
  const compiler = new Compiler(escapedReferences);
  const render = compiler.block(asts);
  return {
    render(globals) {
      return render(new Runtime(globals));
    },
  };
}
