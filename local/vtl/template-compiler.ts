/**
 * A parsed template turned, once, into one JavaScript function: its source is generated from
 * velocityjs's syntax tree and built with `new Function`, so a render walks no tree and V8 can
 * inline what each call site calls. Only the template's structure becomes code; every name, text
 * and literal from the template enters the source as a JSON string literal or through the
 * constants array, and request data only ever flows through the function's variables.
 *
 * What the code does is Velocity 1.7 as API Gateway runs it: a reference prints the Java way and
 * null prints nothing; Java methods are looked up in tables, never on the data; operators and
 * numbers are Java's; #if truth is Velocity's; #set of null keeps the old value and creates nothing
 * on the way; #foreach gives $foreach.index/count/hasNext/first/last, $velocityCount and
 * $velocityHasNext; #break ends the loop and #stop the render.
 *
 * Variables: outside macros and #define blocks, which #foreach a name belongs to is known from
 * where it is written, so it is read from that loop's scope directly; a macro or #define body,
 * which sees the scopes of wherever it is called, looks names up through the runtime's stack.
 */
import * as importedInputVariable from './input-variable';
import * as importedJavaMethods from './java-methods';
import { simpleSteps } from './json-path';
import * as importedJavaNumbers from './java-numbers';
import * as importedJavaOperators from './java-operators';
import * as importedJavaValues from './java-values';
import {
  ESCAPED_REFERENCE,
  parseTemplate,
  type AstNode,
  type Block,
  type PathStep,
  type ReferenceAst,
} from './velocityjs-adapter';
import { checkOverrideWrite } from './override-maps';
import * as importedUtilVariable from './util-variable';

// Bound once: under tsx (esbuild's CommonJS) each read of an imported name calls a getter.
const { InputVariable } = importedInputVariable;
const { callJavaMethod, methodsNamed, readJavaProperty } = importedJavaMethods;
const { JavaDouble, bigDecimalOf, fromJsonNumber, isJavaNumber, negate, toIndex } = importedJavaNumbers;
const { arithmetic, comparison } = importedJavaOperators;
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
 * map, as they change on every iteration; $foreach's map is made when a template reads it whole
 * (`$foreach.index` and its siblings are read from the fields while it is not made).
 */
export class ForeachScope implements Scope {
  item: unknown;
  index = 0;
  hasNext = false;
  info: unknown;
  count: unknown;
  countHasNext: unknown;

  constructor(readonly name: string) {}

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

  /** `$foreach`, as a map. */
  foreach(): unknown {
    const { index, hasNext } = this;
    this.info ??= { index, count: index + 1, hasNext, first: index === 0, last: !hasNext };
    return this.info;
  }

  get(id: string): unknown {
    if (id === this.name) return this.item;
    if (id === 'foreach') return this.foreach();
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

type Render = (rt: Runtime) => string;

/**
 * One render's state: the template's variables, the #foreach and macro scopes, #break and #stop.
 * Every name a template can read or set is written in it, so its variables are slots numbered
 * when it is compiled (an array, read by index; nothing inherited, whatever the name).
 */
class Runtime {
  readonly scopes: Scope[] = [];
  readonly variables: unknown[];
  readonly defines = new Map<string, Render>();
  stop = false;
  break = false;
  macroDepth = 0;

  constructor(slots: ReadonlyMap<string, number>, globals: Record<string, unknown>) {
    this.variables = new Array<unknown>(slots.size).fill(undefined);
    for (const [name, slot] of slots) if (own(globals, name)) this.variables[slot] = globals[name];
  }

  lookup(id: string, slot: number): unknown {
    const scopes = this.scopes;
    for (let i = scopes.length - 1; i >= 0; i -= 1) {
      const scope = scopes[i];
      if (scope.has(id)) return scope.get(id);
    }
    return this.variables[slot];
  }

  /** `#set($x = v)`: the innermost scope that has $x, else the template's variables; in a macro, always those. */
  assign(id: string, slot: number, value: unknown): void {
    if (this.macroDepth === 0) {
      const scopes = this.scopes;
      for (let i = scopes.length - 1; i >= 0; i -= 1) {
        if (scopes[i].has(id)) {
          scopes[i].set(id, value);
          return;
        }
      }
    }
    this.variables[slot] = value;
  }
}

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
const UTIL_METHODS = new Set([
  'escapeJavaScript',
  'base64Encode',
  'base64Decode',
  'urlEncode',
  'urlDecode',
  'parseJson',
]);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);
const COMPARISON = new Set(['==', '!=', '>', '<', '>=', '<=']);
/** `$foreach.x` read from the loop's fields while `$foreach` is not made: what its map would hold. */
const FOREACH_FIELDS: Record<string, (scope: string) => string> = {
  index: (s) => `${s}.index`,
  count: (s) => `(${s}.index + 1)`,
  hasNext: (s) => `${s}.hasNext`,
  first: (s) => `(${s}.index === 0)`,
  last: (s) => `!${s}.hasNext`,
};
/** Velocity's velocimacro.max.depth default. */
const MAX_MACRO_DEPTH = 20;
const own = (value: object, key: string): boolean => Object.hasOwn(value, key);

/** `$x.name` / `$x[key]` on anything but a plain map. */
function readProperty(value: unknown, key: string): unknown {
  if (value instanceof InputVariable) return key === 'body' ? value.body : undefined;
  return readJavaProperty(value, key);
}

/** The last step of `#set($a.b.c = v)`: into a map (overrides once each), or an existing list slot. */
function setEntry(target: unknown, name: string, value: unknown): void {
  if (isJavaMap(target) && !BLOCKED_KEYS.has(name)) {
    checkOverrideWrite(target, name);
    target[name] = value;
  } else if (Array.isArray(target) && /^\d+$/.test(name) && Number(name) < target.length) target[Number(name)] = value;
}

/** #foreach's source: a list, or a map's values; anything else iterates nothing. */
function foreachItems(source: unknown): unknown[] | undefined {
  return Array.isArray(source) ? source : isJavaMap(source) ? Object.values(source) : undefined;
}

/** [a..b], both ends included, counting down when a > b. */
function range(fromValue: unknown, toValue: unknown): number[] | undefined {
  const [from, to] = [fromValue, toValue].map((value) =>
    isJavaNumber(value)
      ? toIndex(value)
      : typeof value === 'string' && /^-?\d+$/.test(value.trim())
        ? Number(value)
        : NaN,
  );
  if (Number.isNaN(from) || Number.isNaN(to)) return undefined;
  const out: number[] = [];
  if (from <= to) for (let i = from; i <= to; i += 1) out.push(i);
  else for (let i = from; i >= to; i -= 1) out.push(i);
  return out;
}

function callMacro(rt: Runtime, macros: Map<string, Macro>, id: string, args: Array<() => unknown>): string {
  const macro = macros.get(id);
  if (macro === undefined) return '';
  if (rt.macroDepth >= MAX_MACRO_DEPTH)
    throw new Error(`#${id}: macros nest deeper than ${MAX_MACRO_DEPTH} (velocimacro.max.depth)`);
  const scope = new Map<string, unknown>();
  macro.params.forEach((param, i) => {
    scope.set(param, args[i] === undefined ? undefined : args[i]());
  });
  rt.scopes.push(scope);
  rt.macroDepth += 1;
  try {
    return macro.body(rt);
  } finally {
    rt.macroDepth -= 1;
    rt.scopes.pop();
  }
}

/** What the generated code calls, by the names it uses. */
const HELPERS = {
  InputVariable,
  UtilVariable,
  ForeachScope,
  MAX_FOREACH_ITERATIONS,
  arithmetic,
  callJavaMethod,
  callMacro,
  comparison,
  foreachItems,
  isJavaMap,
  isJavaNumber,
  isTruthy,
  javaString,
  negate,
  own,
  range,
  readProperty,
  setEntry,
};

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

const isNode = (node: unknown): node is AstNode => typeof node === 'object' && node !== null && !Array.isArray(node);
const str = (text: string): string => JSON.stringify(text);
/** The #break/#stop flags: checked before each part of a block, in a template that can set them. */
const FLAGS = '(rt.stop || rt.break)';

/** A variable's scope where it is written: a #foreach's, by the generated name of its scope object. */
interface LexicalScope {
  readonly name: string;
  readonly variable: string;
}

/** The temporaries of the generated function being written. */
interface FunctionFrame {
  temps: string[];
}

class CodeGenerator {
  private readonly constants: unknown[] = [];
  private readonly declarations: string[] = [];
  private readonly macros = new Map<string, Macro>();
  private readonly macroSources: Array<{ id: string; params: string[]; fn: string }> = [];
  private readonly literalTemplates = new WeakMap<AstNode, Block | null>();
  private readonly defineIds = new Set<string>();
  private readonly slots = new Map<string, number>();
  private interruptible = false;
  private counter = 0;
  /** The #foreach scopes around the code being generated; null inside a macro or #define body. */
  private lexical: LexicalScope[] | null = [];
  private frame: FunctionFrame = { temps: [] };

  /** escapedReferences: the text of each escaped reference (`\$a.b`), by its number. */
  constructor(private readonly escapedReferences: readonly string[]) {}

  compile(asts: Block): TemplateProgram {
    this.survey(asts);
    const body = this.functionBody(() => this.block(asts));
    const source = `"use strict";\n${Object.keys(HELPERS)
      .map((name) => `const ${name} = H.${name};`)
      .join('\n')}\n${this.declarations.join('\n')}\n${this.macroSources
      .map(({ id, params, fn }) => `M.set(${str(id)}, { params: ${JSON.stringify(params)}, body: ${fn} });`)
      .join('\n')}\nreturn function render(rt) {\n${body}\n};`;
    const factory = new Function('H', 'K', 'M', source) as (
      h: typeof HELPERS,
      k: unknown[],
      m: Map<string, Macro>,
    ) => Render;
    const render = factory(HELPERS, this.constants, this.macros);
    const slots = this.slots;
    return {
      render(globals) {
        return render(new Runtime(slots, globals));
      },
    };
  }

  /**
   * Once over the whole tree, string literals' templates included: the #define names, and whether
   * anything can set the #break/#stop flags (#break, #stop, a macro call, a #define printed). A
   * template with none of them needs no flag checks.
   */
  private survey(node: unknown): void {
    if (Array.isArray(node)) {
      const head: unknown = node[0];
      if (isNode(head) && head.type === 'define') {
        this.defineIds.add(String(head.id));
        this.interruptible = true;
      }
      for (const item of node) this.survey(item);
      return;
    }
    if (!isNode(node)) return;
    if (node.type === 'break' || (node.type === 'macro_call' && !String(node.id).startsWith(ESCAPED_REFERENCE)))
      this.interruptible = true;
    if (node.type === 'string') {
      const template = this.literalTemplate(node);
      if (template !== null) this.survey(template);
      return;
    }
    for (const value of Object.values(node)) if (typeof value === 'object') this.survey(value);
  }

  /** A constant the code reads by name. */
  private constant(value: unknown): string {
    const name = `k${this.constants.length}`;
    this.declarations.push(`const ${name} = K[${this.constants.length}];`);
    this.constants.push(value);
    return name;
  }

  private name(prefix: string): string {
    this.counter += 1;
    return `${prefix}${this.counter}`;
  }

  private temp(): string {
    const name = this.name('t');
    this.frame.temps.push(name);
    return name;
  }

  /** A function body that renders into `out`, with its own temporaries. */
  private functionBody(emit: () => string): string {
    const outer = this.frame;
    this.frame = { temps: [] };
    const code = emit();
    const temps = this.frame.temps;
    this.frame = outer;
    return `const V = rt.variables;\nlet out = '';\n${temps.length > 0 ? `let ${temps.join(', ')};\n` : ''}${code}\nreturn out;`;
  }

  /** An expression in a function of its own (a macro argument, evaluated when the macro runs). */
  private thunk(ast: AstNode): string {
    const outer = this.frame;
    this.frame = { temps: [] };
    const code = this.expression(ast);
    const temps = this.frame.temps;
    this.frame = outer;
    return temps.length > 0 ? `() => { let ${temps.join(', ')}; return ${code}; }` : `() => (${code})`;
  }

  /** A body that sees its caller's scopes (macro, #define): a function of its own, names looked up at run time. */
  private dynamicFunction(nodes: Block): string {
    const lexical = this.lexical;
    this.lexical = null;
    const fn = this.name('f');
    this.declarations.push(`function ${fn}(rt) {\n${this.functionBody(() => this.block(nodes))}\n}`);
    this.lexical = lexical;
    return fn;
  }

  // Statements: each appends to `out`.

  private block(nodes: Block): string {
    const parts: string[] = [];
    let text = '';
    const flush = (): void => {
      if (text !== '') parts.push(`out += ${str(text)};`);
      text = '';
    };
    for (const node of nodes) {
      if (typeof node === 'string') {
        text += node;
        continue;
      }
      if (isNode(node) && node.type === 'raw') {
        text += String(node.value);
        continue;
      }
      const code = this.node(node);
      if (code === '') continue;
      flush();
      parts.push(code);
    }
    flush();
    if (parts.length === 0) return '';
    if (!this.interruptible) return parts.join('\n');
    // Velocity stops rendering a block at #break or #stop: the flags are checked before each part.
    const label = this.name('b');
    return `${label}: {\n${parts.map((part) => `if ${FLAGS} break ${label};\n${part}`).join('\n')}\n}`;
  }

  private node(node: AstNode | Block): string {
    if (Array.isArray(node)) return this.directiveBlock(node);
    switch (node.type) {
      case 'references':
        return this.printed(node as ReferenceAst);
      case 'set':
        return this.set(node);
      case 'break':
        return 'rt.break = true;';
      case 'macro_call':
        return this.macroCall(node);
      default:
        // Comments, and the #else/#elseif/#end markers handled by their blocks.
        return '';
    }
  }

  private directiveBlock(block: Block): string {
    const head = block[0] as AstNode;
    const body = block.slice(1);
    switch (head.type) {
      case 'if':
        return this.ifBlock(block);
      case 'foreach':
        return this.foreach(head, body);
      case 'macro': {
        const params = ((head.args as ReferenceAst[] | undefined) ?? []).map((arg) => arg.id);
        const id = String(head.id);
        const fn = this.dynamicFunction(body);
        // Later definitions of the same name win, as they did when read in order.
        this.macroSources.push({ id, params, fn });
        return '';
      }
      case 'define':
        return `rt.defines.set(${str(String(head.id))}, ${this.dynamicFunction(body)});`;
      default:
        // #noescape and plain nested blocks render their content.
        return this.block(body);
    }
  }

  private ifBlock(block: Block): string {
    const branches: Array<{ condition: AstNode | undefined; nodes: Block }> = [];
    for (const node of block) {
      if (isNode(node) && (node.type === 'if' || node.type === 'elseif' || node.type === 'else')) {
        branches.push({ condition: node.type === 'else' ? undefined : (node.condition as AstNode), nodes: [] });
      } else branches[branches.length - 1]?.nodes.push(node);
    }
    let code = '';
    for (const [i, branch] of branches.entries()) {
      const body = this.block(branch.nodes);
      if (branch.condition === undefined) {
        code += `${i === 0 ? '' : ' else '}{\n${body}\n}`;
        break;
      }
      code += `${i === 0 ? '' : ' else '}if (${this.truthy(branch.condition)}) {\n${body}\n}`;
    }
    return code;
  }

  /** #foreach over a list, or a map's values, up to MAX_FOREACH_ITERATIONS; #break ends it. */
  private foreach(head: AstNode, body: Block): string {
    const from = this.expression(head.from as AstNode);
    const name = String(head.to);
    const scope = this.name('s');
    const items = this.name('items');
    const i = this.name('i');
    const length = this.name('n');
    // A #foreach #else is not Velocity 1.7: what follows it is not rendered.
    const elseAt = body.findIndex((node) => isNode(node) && node.type === 'else');
    this.lexical?.push({ name, variable: scope });
    const render = this.block(elseAt === -1 ? body : body.slice(0, elseAt));
    this.lexical?.pop();
    // API Gateway stops a #foreach after 1000 iterations (developer guide, quotas: "Number of
    // iterations in a #foreach ... #end loop in mapping templates: 1000"), as Velocity's
    // directive.foreach.maxloops does: quietly, with what was rendered so far.
    const flags = this.interruptible ? '\nif (rt.stop) break;\nif (rt.break) { rt.break = false; break; }' : '';
    return `{
const ${items} = foreachItems(${from});
if (${items} !== undefined) {
const ${scope} = new ForeachScope(${str(name)});
rt.scopes.push(${scope});
const ${length} = Math.min(${items}.length, MAX_FOREACH_ITERATIONS);
for (let ${i} = 0; ${i} < ${length}; ${i} += 1) {
${scope}.next(${items}[${i}], ${i}, ${i} + 1 < ${length});
${render}${flags}
}
rt.scopes.pop();
}
}`;
  }

  private macroCall(node: AstNode): string {
    const id = String(node.id);
    if (id === 'stop') return 'rt.stop = true;';
    const args = (node.args as AstNode[] | undefined) ?? [];
    if (id.startsWith(ESCAPED_REFERENCE)) {
      const text = this.escapedReferences[Number(id.slice(ESCAPED_REFERENCE.length))];
      if (text !== undefined && args.length === 1) {
        // Its text, after a backslash when its value is null (ASTReference.render, escaped).
        const value = this.temp();
        return `${value} = ${this.expression(args[0])};\nout += ${value} === null || ${value} === undefined ? ${str(`\\${text}`)} : ${str(text)};`;
      }
    }
    return `out += callMacro(rt, M, ${str(id)}, [${args.map((arg) => this.thunk(arg)).join(', ')}]);`;
  }

  /** A reference in the text: its Java text, nothing for null; a #define's block when it names one. */
  private printed(ast: ReferenceAst): string {
    return `out += ${this.printedExpression(ast)};`;
  }

  private printedExpression(ast: ReferenceAst): string {
    const value = this.reference(ast);
    if ((ast.path === undefined || ast.path.length === 0) && this.defineIds.has(ast.id)) {
      const define = this.temp();
      return `(${define} = rt.defines.get(${str(ast.id)}), ${define} === undefined ? javaString(${value}) : ${define}(rt))`;
    }
    return this.text(value);
  }

  /** A value's Java text; a string is its own. */
  private text(value: string): string {
    const temp = this.temp();
    return `(${temp} = ${value}, typeof ${temp} === 'string' ? ${temp} : javaString(${temp}))`;
  }

  /** Velocity 1.7's truth, inline: false only for null and false. */
  private truthy(ast: AstNode): string {
    const temp = this.temp();
    const scope =
      ast.type === 'references' && ast.id === 'foreach' && ((ast as ReferenceAst).path ?? []).length === 0
        ? this.scopeOf('foreach')
        : undefined;
    if (scope !== undefined && scope.name !== 'foreach') {
      // `#if($foreach)`: a map while the template has not replaced it; the map is not made for it.
      return `((${temp} = ${scope.variable}.info) === undefined || (${temp} !== null && ${temp} !== false))`;
    }
    return `((${temp} = ${this.expression(ast)}) !== null && ${temp} !== undefined && ${temp} !== false)`;
  }

  /** #set as Velocity 1.7 does it: null keeps the old value; `$a.b.c = v` writes only into what exists. */
  private set(node: AstNode): string {
    const [ref, valueAst] = node.equal as [ReferenceAst, AstNode];
    const id = ref.id;
    if (BLOCKED_KEYS.has(id)) return '';
    const path = ref.path ?? [];
    const last = path[path.length - 1];
    if (last?.type === 'method') return '';
    const value = this.temp();
    const code = `${value} = ${this.expression(valueAst)};\n`;
    if (last === undefined) return `${code}if (${value} !== null && ${value} !== undefined) ${this.assign(id, value)}`;
    const label = this.name('w');
    const target = this.temp();
    let walk = `${target} = ${this.lookup(id)};\n`;
    for (const step of path.slice(0, -1))
      walk += `if (${target} === null || ${target} === undefined) break ${label};\n${target} = ${this.step(target, step)};\n`;
    const key = last.type === 'index' ? `javaString(${this.expression(last.id as AstNode)})` : str(String(last.id));
    return `${code}${label}: if (${value} !== null && ${value} !== undefined) {\n${walk}setEntry(${target}, ${key}, ${value});\n}`;
  }

  // Variables.

  /** The innermost #foreach scope that has `id`, when it is known where the code is written. */
  private scopeOf(id: string): LexicalScope | undefined {
    if (this.lexical === null) return undefined;
    for (let i = this.lexical.length - 1; i >= 0; i -= 1) {
      const scope = this.lexical[i];
      if (id === scope.name || id === 'foreach' || id === 'velocityCount' || id === 'velocityHasNext') return scope;
    }
    return undefined;
  }

  /** The template variable's slot in Runtime.variables. */
  private slot(id: string): number {
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(id, slot);
    }
    return slot;
  }

  private lookup(id: string): string {
    if (this.lexical === null) return `rt.lookup(${str(id)}, ${this.slot(id)})`;
    const scope = this.scopeOf(id);
    if (scope === undefined) return `V[${this.slot(id)}]`;
    if (id === scope.name) return `${scope.variable}.item`;
    if (id === 'foreach') return `${scope.variable}.foreach()`;
    return id === 'velocityCount' ? `${scope.variable}.count` : `${scope.variable}.countHasNext`;
  }

  private assign(id: string, value: string): string {
    if (this.lexical === null) return `rt.assign(${str(id)}, ${this.slot(id)}, ${value});`;
    const scope = this.scopeOf(id);
    if (scope === undefined) return `V[${this.slot(id)}] = ${value};`;
    return `${scope.variable}.set(${str(id)}, ${value});`;
  }

  // Expressions.

  private reference(ast: ReferenceAst): string {
    const steps = ast.path ?? [];
    let first = 0;
    let root = this.lookup(ast.id);
    const scope = this.scopeOf(ast.id);
    const firstStep = steps[0];
    if (
      scope !== undefined &&
      ast.id === 'foreach' &&
      scope.name !== 'foreach' &&
      firstStep?.type === 'property' &&
      own(FOREACH_FIELDS, String(firstStep.id))
    ) {
      // `$foreach.index`: from the loop's fields, unless a template has made or replaced $foreach.
      const made = this.temp();
      root = `(${scope.variable}.info === undefined ? ${FOREACH_FIELDS[String(firstStep.id)](scope.variable)} : (${made} = ${scope.variable}.info, ${this.step(made, firstStep)}))`;
      first = 1;
    }
    if (steps.length === first) return root;
    const value = this.temp();
    let code = `(${value} = ${root}`;
    for (const step of steps.slice(first))
      code += `, ${value} === null || ${value} === undefined ? undefined : (${value} = ${this.step(value, step)}`;
    return `${code}${')'.repeat(steps.length - first + 1)}`;
  }

  /** One step of a reference, applied to the (non-null) value in `value`. */
  private step(value: string, step: PathStep): string {
    if (step.type === 'method')
      return this.methodCall(value, String(step.id), Array.isArray(step.args) ? step.args : []);
    if (step.type === 'index') return `readProperty(${value}, javaString(${this.expression(step.id as AstNode)}))`;
    const key = String(step.id);
    if (BLOCKED_KEYS.has(key)) return 'undefined';
    // A map's entry, the common case, read here; anything else as readProperty reads it.
    return `(isJavaMap(${value}) ? (own(${value}, ${str(key)}) ? ${value}[${str(key)}] : undefined) : readProperty(${value}, ${str(key)}))`;
  }

  /**
   * `$x.name(args)` on $input, $util, or a Java value: the methods for each kind of value are
   * resolved when the template is compiled, and the call site tells the kinds apart inline.
   */
  private methodCall(value: string, name: string, args: AstNode[]): string {
    return (
      this.indexedPath(value, name, args) ??
      this.dispatch(
        value,
        name,
        args.map((arg) => this.expression(arg)),
      )
    );
  }

  private dispatch(value: string, name: string, args: string[]): string {
    const temps = args.map(() => this.temp());
    const list = temps.map((temp) => `, ${temp}`).join('');
    const { forString, forMap, forList } = methodsNamed(name);
    const onInput = INPUT_METHODS.has(name) ? InputVariable.prototype[name as 'path'] : undefined;
    const onUtil = UTIL_METHODS.has(name) ? UtilVariable.prototype[name as 'parseJson'] : undefined;
    let code = `(${args.map((arg, i) => `${temps[i]} = ${arg}, `).join('')}`;
    if (forMap !== undefined) code += `isJavaMap(${value}) ? ${this.constant(forMap)}(${value}${list}) : `;
    if (forString !== undefined)
      code += `typeof ${value} === 'string' ? ${this.constant(forString)}(${value}${list}) : `;
    if (forList !== undefined) code += `Array.isArray(${value}) ? ${this.constant(forList)}(${value}${list}) : `;
    code += `${value} instanceof InputVariable ? ${onInput === undefined ? 'undefined' : `${this.constant(onInput)}.call(${value}${list})`} : `;
    code += `${value} instanceof UtilVariable ? ${onUtil === undefined ? 'undefined' : `${this.constant(onUtil)}.call(${value}${list})`} : `;
    // Strings, lists and maps without the method find none there either (callJavaMethod reads the same tables).
    return `${code}callJavaMethod(${value}, ${str(name)}, [${temps.join(', ')}]))`;
  }

  /**
   * `$input.json("$.records[$foreach.index].data")`: a JSONPath with one reference as a list
   * index. Read directly with the index when the value is $input and the index a whole number;
   * anything else takes the general path (the text built, then read).
   */
  private indexedPath(value: string, name: string, args: AstNode[]): string | undefined {
    if (
      (name !== 'json' && name !== 'path') ||
      args.length !== 1 ||
      args[0].type !== 'string' ||
      args[0].isEval !== true
    )
      return undefined;
    const parts: Block = [];
    for (const part of this.literalTemplate(args[0]) ?? []) {
      const last = parts.length - 1;
      if (typeof part === 'string' && typeof parts[last] === 'string') parts[last] += part;
      else parts.push(part);
    }
    if (parts.length !== 3) return undefined;
    const [before, reference, after] = parts;
    if (
      typeof before !== 'string' ||
      typeof after !== 'string' ||
      !isNode(reference) ||
      reference.type !== 'references'
    )
      return undefined;
    if (!before.endsWith('[') || !after.startsWith(']')) return undefined;
    const prefix = simpleSteps(before.slice(0, -1));
    const suffix = simpleSteps(`$${after.slice(1)}`);
    if (prefix === null || suffix === null) return undefined;
    const index = this.temp();
    const general = this.dispatch(value, name, [this.expression(args[0])]);
    return `(${value} instanceof InputVariable && (${index} = ${this.reference(reference as ReferenceAst)}, typeof ${index} === 'number' && Number.isInteger(${index}) && ${index} >= 0) ? ${value}.atIndex(${str(name)}, ${this.constant(prefix)}, ${index}, ${this.constant(suffix)}) : ${general})`;
  }

  private expression(ast: AstNode): string {
    switch (ast.type) {
      case 'references':
        return this.reference(ast as ReferenceAst);
      case 'integer':
      case 'decimal': {
        const value = numberLiteral(ast);
        return typeof value === 'number' ? String(value) : this.constant(value);
      }
      case 'bool':
        return ast.value === 'true' ? 'true' : ast.value === 'false' ? 'false' : 'undefined';
      case 'string':
        return this.stringLiteral(ast);
      case 'array':
        if (ast.isRange === true) return `range(${this.rangeEnds(ast).join(', ')})`;
        return `[${(ast.value as AstNode[]).map((item) => this.expression(item)).join(', ')}]`;
      case 'map': {
        const entries = Object.entries((ast.value as Record<string, AstNode> | undefined) ?? {}).filter(
          ([key]) => !BLOCKED_KEYS.has(key),
        );
        return `({${entries.map(([key, value]) => `${str(key)}: ${this.expression(value)}`).join(', ')}})`;
      }
      case 'math':
        return this.math(ast);
      default:
        return 'undefined';
    }
  }

  /**
   * A double-quoted string's template: its \uXXXX escapes read first (ASTStringLiteral.unescape,
   * Velocity 1.6+), then parsed once; null for text with nothing to evaluate.
   */
  private literalTemplate(ast: AstNode): Block | null {
    let template = this.literalTemplates.get(ast);
    if (template === undefined) {
      const text = this.literalText(ast);
      template = ast.isEval !== true || (!text.includes('$') && !text.includes('#')) ? null : parseTemplate(text);
      this.literalTemplates.set(ast, template);
    }
    return template;
  }

  private literalText(ast: AstNode): string {
    const raw = String(ast.value);
    return ast.isEval === true
      ? raw.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      : raw;
  }

  /** A double-quoted string is a template of its own; a single-quoted one is text. */
  private stringLiteral(ast: AstNode): string {
    const template = this.literalTemplate(ast);
    if (template === null) return str(this.literalText(ast));
    // Text and references only: one concatenation.
    const simple =
      !this.interruptible &&
      template.every(
        (part) => typeof part === 'string' || (isNode(part) && (part.type === 'references' || part.type === 'comment')),
      );
    if (simple) {
      const pieces = template.flatMap((part) =>
        typeof part === 'string'
          ? part === ''
            ? []
            : [str(part)]
          : isNode(part) && part.type === 'references'
            ? [this.printedExpression(part as ReferenceAst)]
            : [],
      );
      return pieces.length === 0 ? "''" : `(${pieces.join(' + ')})`;
    }
    return `(() => {\n${this.functionBody(() => this.block(template))}\n})()`;
  }

  private rangeEnds(ast: AstNode): string[] {
    return (ast.value as Array<AstNode | string | number>).map((end) =>
      typeof end === 'string' || typeof end === 'number' ? String(Number(end)) : this.expression(end),
    );
  }

  private math(ast: AstNode): string {
    const operator = String(ast.operator);
    const [left, right] = (ast.expression as AstNode[]).map((node) => this.expression(node));
    if (ARITHMETIC.has(operator)) return `arithmetic(${str(operator)}, ${left}, ${right})`;
    if (COMPARISON.has(operator)) return `comparison(${str(operator)}, ${left}, ${right})`;
    // Short-circuit, as Java does: the right side is not evaluated when the left decides.
    if (operator === '&&') return `(isTruthy(${left}) && isTruthy(${right ?? 'undefined'}))`;
    if (operator === '||') return `(isTruthy(${left}) || isTruthy(${right ?? 'undefined'}))`;
    if (operator === 'not') return `!isTruthy(${left})`;
    if (operator === 'minus') {
      const number = this.temp();
      return `(${number} = ${left}, isJavaNumber(${number}) ? negate(${number}) : undefined)`;
    }
    return operator === 'parenthesis' ? left : 'undefined';
  }
}

/** Compiles a parsed template once into one function; each render gets a fresh Runtime. */
export function compileProgram(asts: Block, escapedReferences: readonly string[] = []): TemplateProgram {
  return new CodeGenerator(escapedReferences).compile(asts);
}
