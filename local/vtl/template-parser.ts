/**
 * Parsing a template once, with velocityjs's parser, and rejecting what Velocity 1.7 rejects but
 * velocityjs lets through: a block never closed with #end, an #end with no block, an #else or
 * #elseif outside #if. Velocity's bare `#stop` (velocityjs only knows `#stop()`) is rewritten.
 */
import { compileProgram, type TemplateProgram } from './template-compiler';
import {
  ESCAPED_REFERENCE,
  parseFlat,
  parseTemplate,
  type Block,
  type FlatNode,
  type Position,
} from './velocityjs-adapter';

export class VtlSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`Template syntax error at line ${line}, column ${column}: ${reason}`);
    this.name = 'VtlSyntaxError';
  }
}

export interface CompiledTemplate {
  readonly asts: Block;
  readonly program: TemplateProgram;
}

/** jison's parse error: where it stopped. */
interface JisonError extends Error {
  hash?: { loc?: Position };
}

const BLOCK_TYPES = new Set(['if', 'foreach', 'macro', 'define', 'macro_body', 'noescape']);

/**
 * `#stop` / `#{stop}` as `#stop()`; raw blocks, comments and escaped `\#stop` are left alone.
 */
const STOP_OR_SKIPPED = /#\[\[[\s\S]*?\]\]#|#\*[\s\S]*?\*#|##[^\n]*|\\#|#\{stop\}|#stop(?![\w(-])/g;

function rewriteStop(source: string): string {
  if (!source.includes('stop')) return source;
  return source.replace(STOP_OR_SKIPPED, (match) => (match === '#stop' || match === '#{stop}' ? '#stop()' : match));
}

/** `4.5e3` -> `4500.0`: the same value, written the way velocityjs's grammar reads a decimal. */
function plainDecimal(whole: string, fraction: string, exponent: string): string {
  const digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, '');
  const point = whole.length + Number(exponent);
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${digits}${'0'.repeat(point - digits.length)}.0`;
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

const DIRECTIVE_WITH_ARGUMENTS = /#\{?(?:set|if|elseif|foreach)\}?\s*\(/g;
const EXPONENT = /(^|[^\w$.])(\d+)(?:\.(\d+))?[eE]([+-]?\d+)(?![\w.])/g;

/** Integer keys in a map literal (`{1 : 2}`), as string keys: a Java map prints and finds them alike. */
const INTEGER_KEY = /([{,]\s*)(-?\d+)(\s*:)/g;

/**
 * Velocity 1.7's doubled quotes inside a string literal (`"a ""b"""`, `''''`: ASTStringLiteral
 * replaceQuotes), as the backslash escape velocityjs's lexer reads.
 */
function rewriteDoubledQuotes(literals: string): string {
  if (!literals.includes('""') && !literals.includes("''")) return literals;
  let out = '';
  for (let i = 0; i < literals.length;) {
    const quote = literals[i];
    let body = '';
    let j = i + 1;
    for (; j < literals.length; j += 1) {
      if (literals[j] !== quote) body += literals[j];
      else if (literals[j + 1] === quote) {
        body += `\\${quote}`;
        j += 1;
      } else break;
    }
    out += `${quote}${body}${quote}`;
    i = j + 1;
  }
  return out;
}

/**
 * What Velocity 1.7's grammar reads inside a directive's parentheses and velocityjs's does not,
 * rewritten into forms velocityjs reads with the same meaning: exponent literals (`4.5e3`,
 * ASTFloatingPointLiteral) written out, integer map keys, doubled quotes in string literals.
 */
function rewriteDirectiveArguments(source: string): string {
  if (!/\d[eE]|""|''|[{,]\s*-?\d+\s*:/.test(source)) return source;
  let out = '';
  let from = 0;
  for (const match of source.matchAll(DIRECTIVE_WITH_ARGUMENTS)) {
    const start = (match.index ?? 0) + match[0].length;
    if (start < from) continue;
    // The arguments, as runs of code and of string literals, up to the closing parenthesis.
    const runs: Array<{ text: string; literal: boolean }> = [];
    let depth = 1;
    let quote = '';
    let i = start;
    for (; i < source.length && depth > 0; i += 1) {
      const ch = source[i];
      const literal = quote !== '' || ch === '"' || ch === "'";
      if (quote !== '') {
        if (ch === quote) quote = '';
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '(') depth += 1;
      else if (ch === ')') depth -= 1;
      const last = runs[runs.length - 1];
      if (last !== undefined && last.literal === literal) last.text += ch;
      else runs.push({ text: ch, literal });
    }
    const rewritten = runs
      .map((run) =>
        run.literal
          ? rewriteDoubledQuotes(run.text)
          : run.text
              .replace(
                EXPONENT,
                (_: string, before: string, whole: string, fraction: string | undefined, exponent: string) =>
                  `${before}${plainDecimal(whole, fraction ?? '', exponent)}`,
              )
              .replace(INTEGER_KEY, '$1"$2"$3'),
      )
      .join('');
    out += source.slice(from, start) + rewritten;
    from = i;
  }
  return out + source.slice(from);
}

const DIRECTIVE_AFTER_HASH =
  /^(?:\{?(?:set|if|elseif|else|end|foreach|macro|define|stop|break|include|parse|evaluate|noescape)(?![\w-])|\[\[|\*|#|@)/;
const REFERENCE_AFTER_DOLLAR = /^[A-Za-z_{!]/;
const ESCAPES_OR_SKIPPED = /#\[\[[\s\S]*?\]\]#|#\*[\s\S]*?\*#|##[^\n]*|(\\+)([$#])|\$(\\+)!(?=[A-Za-z_{])/g;
const raw = (text: string): string => `#[[${text}]]#`;

/** The end of the bracketed text that opens at `from` (`(`, `[` or `{`), quotes skipped; -1 if none. */
function closingBracket(source: string, from: number): number {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const stack: string[] = [];
  for (let i = from; i < source.length; i += 1) {
    const ch = source[i];
    if (ch === '"' || ch === "'") {
      const close = source.indexOf(ch, i + 1);
      if (close === -1) return -1;
      i = close;
    } else if (pairs[ch] !== undefined) stack.push(pairs[ch]);
    else if (ch === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i + 1;
    } else if (ch === '\n') return -1;
  }
  return -1;
}

const IDENTIFIER = /[A-Za-z_][\w-]*/y;

/** Where the reference that starts at `from` (its `$`) ends: `$a.b(1)[2]`, `$!a`, `${a.b}`; -1 if none. */
function referenceEnd(source: string, from: number): number {
  let i = from + 1;
  if (source[i] === '!') i += 1;
  if (source[i] === '{') return closingBracket(source, i);
  const identifier = (at: number): number => {
    IDENTIFIER.lastIndex = at;
    return IDENTIFIER.test(source) ? IDENTIFIER.lastIndex : -1;
  };
  i = identifier(i);
  while (i !== -1) {
    if (source[i] === '.' && /[A-Za-z_]/.test(source[i + 1] ?? '')) {
      const end = identifier(i + 1);
      if (source[end] !== '(') {
        i = end;
        continue;
      }
      const close = closingBracket(source, end);
      if (close === -1) return end;
      i = close;
    } else if (source[i] === '[') {
      const close = closingBracket(source, i);
      if (close === -1) return i;
      i = close;
    } else return i;
  }
  return -1;
}

export interface RewrittenSource {
  readonly text: string;
  /** The text of each escaped reference, by the number in its ESCAPED_REFERENCE call. */
  readonly escapedReferences: string[];
}

/**
 * Velocity 1.7's backslashes before `$` and `#` (apache/velocity-engine 1.7,
 * test/templates/escape2.vm and compare/escape2.cmp): before a reference or a directive, each pair
 * prints one backslash and an odd one left over escapes it; before anything else (`\#woogie`,
 * `\$(`) a backslash is plain text. velocityjs's lexer reads one or two backslashes that way, so
 * longer runs and plain-text backslashes are handed to it as raw text (not inside an argument
 * list, where they belong to a string literal).
 *
 * An escaped reference prints its own text, and a backslash before it when its value is null:
 * "\$a: escaping an unbound reference renders it as \$a ... [once set] now renders as $a"
 * (Velocity 1.7 user guide, Escaping Valid VTL References; ASTReference.render). It becomes a
 * call the compiler prints that way. And `$\!foo` is no reference: one backslash goes, the rest
 * is text (`$\!foo` -> `$!foo`, `$\\!foo` -> `$\!foo`: user guide, Advanced Issues: Escaping and !).
 */
function rewriteBackslashes(source: string): RewrittenSource {
  const escapedReferences: string[] = [];
  if (!source.includes('\\')) return { text: source, escapedReferences };
  let out = '';
  let from = 0;
  ESCAPES_OR_SKIPPED.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = ESCAPES_OR_SKIPPED.exec(source)) !== null) {
    const [text, slashes, sigil, bangSlashes] = match;
    const offset = match.index;
    let end = offset + text.length;
    let replacement = text;
    const line = source.slice(source.lastIndexOf('\n', offset) + 1, offset);
    // Inside an argument list (a string literal's text), left to velocityjs as it is.
    const inArguments = line.split('(').length > line.split(')').length;
    if (bangSlashes !== undefined) {
      if (!inArguments) replacement = raw(`$${bangSlashes.slice(1)}!`);
    } else if (slashes !== undefined && sigil !== undefined && !inArguments) {
      const after = source.slice(end, end + 16);
      const active = sigil === '$' ? REFERENCE_AFTER_DOLLAR.test(after) : DIRECTIVE_AFTER_HASH.test(after);
      const kept = '\\'.repeat(Math.floor(slashes.length / 2));
      const referenceTo = sigil === '$' && active && slashes.length % 2 === 1 ? referenceEnd(source, end - 1) : -1;
      if (referenceTo !== -1) {
        const reference = source.slice(end - 1, referenceTo);
        replacement = `${kept === '' ? '' : raw(kept)}#${ESCAPED_REFERENCE}${escapedReferences.length}(${reference})`;
        escapedReferences.push(reference);
        end = referenceTo;
        ESCAPES_OR_SKIPPED.lastIndex = referenceTo;
      } else if (!active) replacement = raw(text);
      else if (slashes.length > 2) replacement = raw(kept) + (slashes.length % 2 === 1 ? '\\' : '') + sigil;
    }
    out += source.slice(from, offset) + replacement;
    from = end;
  }
  return { text: out + source.slice(from), escapedReferences };
}

function at(node: FlatNode): [number, number] {
  return node.pos ? [node.pos.first_line, node.pos.first_column + 1] : [0, 0];
}

function checkBlocks(nodes: Array<string | FlatNode>): void {
  const open: FlatNode[] = [];
  for (const node of nodes) {
    if (typeof node === 'string') continue;
    if (BLOCK_TYPES.has(node.type)) open.push(node);
    else if (node.type === 'end') {
      if (open.pop() === undefined) throw new VtlSyntaxError('#end with no block to close', ...at(node));
    } else if ((node.type === 'else' || node.type === 'elseif') && open[open.length - 1]?.type !== 'if') {
      throw new VtlSyntaxError(`#${node.type} outside #if`, ...at(node));
    }
  }
  const unclosed = open.pop();
  if (unclosed !== undefined)
    throw new VtlSyntaxError(
      `#${unclosed.type === 'macro_body' ? '@' + (unclosed.id ?? '') : unclosed.type} is never closed with #end`,
      ...at(unclosed),
    );
}

/** Parses once; callers cache the result. Throws VtlSyntaxError with the line and column. */
export function compileTemplate(source: string): CompiledTemplate {
  const { text: unescaped, escapedReferences } = rewriteBackslashes(rewriteStop(source));
  const text = rewriteDirectiveArguments(unescaped);
  try {
    checkBlocks(parseFlat(text));
    const asts = parseTemplate(text);
    return { asts, program: compileProgram(asts, escapedReferences) };
  } catch (error) {
    if (error instanceof VtlSyntaxError) throw error;
    const loc = (error as JisonError).hash?.loc;
    const message = error instanceof Error ? error.message : String(error);
    throw new VtlSyntaxError(message, loc?.first_line ?? 0, loc ? loc.last_column + 1 : 0);
  }
}
