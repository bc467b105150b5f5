/**
 * Writes included template fragments in place (pure, given a reader). API Gateway reads a mapping
 * template as one text and no other file, so a template that shares a fragment with others
 * (openapi/templates/record-fields.vtl) says `#parse("<file>.vtl")` on a line of its own, as
 * Velocity would, and the renderer puts the fragment's text there before anything runs it.
 */
import { isJsonObject, type JsonValue } from './document';

const PARSE_LINE = /^#parse\("([A-Za-z0-9._-]+\.vtl)"\)$/gm;

/** `template` with each `#parse("name.vtl")` line replaced by `read(name)` (fragments nest). */
export function expandIncludes(template: string, read: (name: string) => string, seen: readonly string[] = []): string {
  return template.replace(PARSE_LINE, (_line, name: string) => {
    if (seen.includes(name))
      throw new Error(`The template fragment ${name} includes itself (${[...seen, name].join(' → ')})`);
    return expandIncludes(read(name).replace(/\n$/, ''), read, [...seen, name]);
  });
}

/** A copy of `node` with every string's includes expanded. */
export function expandIncludesIn(node: JsonValue, read: (name: string) => string): JsonValue {
  if (typeof node === 'string') return node.includes('#parse(') ? expandIncludes(node, read) : node;
  if (Array.isArray(node)) return node.map((item) => expandIncludesIn(item, read));
  if (!isJsonObject(node)) return node;
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, expandIncludesIn(value, read)]));
}
