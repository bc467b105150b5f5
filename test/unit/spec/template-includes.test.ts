/** Template fragments written in place of their #parse lines (spec-renderer/template-includes.ts). */
import { expandIncludes, expandIncludesIn } from '../../../spec-renderer/template-includes';

const FILES: Record<string, string> = {
  'a.vtl': '#set($a = 1)\n#parse("b.vtl")\n',
  'b.vtl': '#set($b = 2)\n',
  'loop.vtl': '#parse("loop.vtl")\n',
};
const read = (name: string): string => {
  const text = FILES[name];
  if (text === undefined) throw new Error(`no ${name}`);
  return text;
};

test('a #parse line is replaced by the fragment, nested fragments too', () => {
  expect(expandIncludes('{\n#parse("a.vtl")\n$a$b}', read)).toBe('{\n#set($a = 1)\n#set($b = 2)\n$a$b}');
});

test('only a #parse on a line of its own is an include', () => {
  expect(expandIncludes('x #parse("a.vtl")', read)).toBe('x #parse("a.vtl")');
});

test('a fragment that includes itself is an error naming the chain', () => {
  expect(() => expandIncludes('#parse("loop.vtl")', read)).toThrow(
    /loop\.vtl includes itself \(loop\.vtl → loop\.vtl\)/,
  );
});

test('every string of a document is expanded, other values kept', () => {
  expect(expandIncludesIn({ t: ['#parse("b.vtl")', 1, null] }, read)).toEqual({ t: ['#set($b = 2)', 1, null] });
});
