/**
 * Parsing a template once, with velocityjs's parser, and rejecting what Velocity 1.7 rejects but
 * velocityjs lets through: a block never closed with #end, an #end with no block, an #else or
 * #elseif outside #if. Velocity's bare `#stop` (velocityjs only knows `#stop()`) is rewritten.
 */
import { compileProgram, type TemplateProgram } from './template-compiler';
import { parseFlat, parseTemplate, type Block, type FlatNode, type Position } from './velocityjs-adapter';

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
  if (unclosed !== undefined) throw new VtlSyntaxError(`#${unclosed.type === 'macro_body' ? '@' + (unclosed.id ?? '') : unclosed.type} is never closed with #end`, ...at(unclosed));
}

/** Parses once; callers cache the result. Throws VtlSyntaxError with the line and column. */
export function compileTemplate(source: string): CompiledTemplate {
  const text = rewriteStop(source);
  try {
    checkBlocks(parseFlat(text));
    const asts = parseTemplate(text);
    return { asts, program: compileProgram(asts) };
  } catch (error) {
    if (error instanceof VtlSyntaxError) throw error;
    const loc = (error as JisonError).hash?.loc;
    const message = error instanceof Error ? error.message : String(error);
    throw new VtlSyntaxError(message, loc?.first_line ?? 0, loc ? loc.last_column + 1 : 0);
  }
}
