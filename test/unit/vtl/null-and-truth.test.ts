/** Null and truth as API Gateway's Velocity has them (mapping-templates.md, point 10). */
import { render, withBody } from './helpers';

test('an undefined reference renders as nothing, never as its name', () => {
  expect(render('[$nope][$!nope][${nope}][$!{nope}]')).toBe('[][][][]');
});

test('a property, index or method of an undefined reference renders as nothing', () => {
  expect(render('[$nope.bar][$nope.bar.baz][$nope[0]][$nope.size()]')).toBe('[][][][]');
});

test('an undefined property of a defined map renders as nothing', () => {
  expect(render("#set($m = $input.path('$'))[$m.missing][$m.missing.deeper]", withBody({ a: 1 }))).toBe('[][]');
});

test('null equals ""', () => {
  expect(render("#if($nope == '')a#end#if('' == $nope)b#end#if($input.path('$.x') == \"\")c#end", withBody({}))).toBe(
    'abc',
  );
});

test('null equals null', () => {
  expect(render('#if($nope == $other)same#end')).toBe('same');
});

test('an empty list is not equal to ""', () => {
  expect(render("#if($input.path('$.l') == '')equal#{else}different#end", withBody({ l: [] }))).toBe('different');
});

test("a property of an undefined reference compared with != '' is false", () => {
  expect(render("#if($nope.x != '')set#{else}unset#end")).toBe('unset');
});

test('#if($x) is false for null and false', () => {
  expect(render("#if($nope)a#end#if(false)b#end#if($input.path('$.n'))c#end", withBody({ n: null }))).toBe('');
});

test("#if($x) is true for anything else, '' and 0 included (Velocity 1.7)", () => {
  expect(render("#if('')a#end#if(0)b#end#if(true)c#end#if($input.path('$.l'))d#end", withBody({ l: [] }))).toBe('abcd');
});

test('! negates truth', () => {
  expect(render('#if(!$nope)a#end#if(!true)b#end')).toBe('a');
});

test('#set with a null value leaves the variable as it was (Velocity 1.7)', () => {
  expect(render("#set($x = 'kept')#set($x = $input.path('$.nope'))$x", withBody({}))).toBe('kept');
});

test('"$!x" turns null into an empty string to compare', () => {
  expect(render('#if("$!nope" != "")set#{else}unset#end')).toBe('unset');
});
