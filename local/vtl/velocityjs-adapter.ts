/**
 * Everything this engine takes from velocityjs, in one place: its parser (public `parse`, and the
 * flat token list of its jison parser, which is not exported and is loaded by file path) and the
 * shape of its syntax tree. Rendering is our own (template-compiler.ts). velocityjs is pinned to an
 * exact version; test/unit/vtl/velocityjs-adapter.test.ts fails when that version or the tree's
 * shape changes, so an upgrade is a deliberate step.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'velocityjs';

/** The version these internals were read from. */
export const PINNED_VELOCITYJS = '2.1.7';

const packageDir = join(dirname(require.resolve('velocityjs')), '..', '..');

/** The velocityjs version installed. */
export const installedVelocityjs = (
  JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }
).version;

/** A node of velocityjs's tree, as far as the engine reads it. */
export interface AstNode {
  type: string;
  [key: string]: unknown;
}

/** Text, nodes, and nested blocks (#if, #foreach, #macro, #define: the head node first). */
export type Block = Array<AstNode | string | Block>;

export interface PathStep {
  type: 'property' | 'method' | 'index';
  id: unknown;
  args?: AstNode[] | false;
}

export interface ReferenceAst extends AstNode {
  id: string;
  prue?: boolean;
  path?: PathStep[];
}

export interface Position {
  first_line: number;
  first_column: number;
  last_column: number;
}

/** A node of the flat token list, before blocks are nested (it still has the #end tokens). */
export interface FlatNode {
  type: string;
  id?: string;
  pos?: Position;
}

const flatParser = require(join(dirname(require.resolve('velocityjs')), 'parse', 'index.cjs')) as {
  parse_1(source: string): Array<string | FlatNode>;
};
if (typeof flatParser.parse_1 !== 'function')
  throw new Error(
    `velocityjs ${installedVelocityjs}: its parser no longer has parse_1 (read from ${PINNED_VELOCITYJS})`,
  );

const LINE_END = /^[ \t]*\n/;

/**
 * The macro call an escaped reference (`\$a.b`) becomes before parsing (template-parser.ts);
 * a reference still, so the line end after it stays.
 */
export const ESCAPED_REFERENCE = 'vtlEscapedReference_';

const keepsLineEnd = (node: AstNode): boolean =>
  node.type === 'references' ||
  node.type === 'raw' ||
  (node.type === 'comment' && String(node.value).startsWith('#*')) ||
  (node.type === 'macro_call' && String(node.id).startsWith(ESCAPED_REFERENCE));

/**
 * velocityjs's rule that the line end after a directive is dropped (its parse() does it on the
 * flat list), applied here to the nested tree, with Velocity 1.7's exception: the line end after a
 * multi-line comment `#* *#` stays (apache/velocity-engine 1.7, test/templates/comment.vm and
 * compare/comment.cmp).
 */
function dropLineEnds(block: Block): void {
  const trimAfter = (index: number): void => {
    const next = block[index + 1];
    if (typeof next === 'string' && LINE_END.test(next)) block[index + 1] = next.replace(LINE_END, '');
  };
  for (let i = 0; i < block.length; i += 1) {
    const node = block[i];
    if (typeof node === 'string') continue;
    if (Array.isArray(node)) {
      dropLineEnds(node);
      // The block's #end.
      trimAfter(i);
    } else if (!keepsLineEnd(node)) trimAfter(i);
  }
}

/** The nested tree. */
export function parseTemplate(source: string): Block {
  const block = parse(source, undefined, false) as unknown as Block;
  dropLineEnds(block);
  return block;
}

/** The flat token list. */
export function parseFlat(source: string): Array<string | FlatNode> {
  return flatParser.parse_1(source);
}
