/** Velocity 1.7 directives and reference forms, as API Gateway runs them. */
import { render, withBody } from './helpers';

test('#set then a reference', () => {
  expect(render('#set($a = "x")$a')).toBe('x');
});

test('#set eats the newline that ends its line', () => {
  expect(render('#set($a = 1)\n$a\n')).toBe('1\n');
});

test('#if / #elseif / #else', () => {
  const template = '#foreach($n in [1..3])#if($n == 1)one#elseif($n == 2)two#{else}other#end #end';
  expect(render(template)).toBe('one two other ');
});

test('&& and || short-circuit, as in Java', () => {
  expect(render("#set($m = {})#if($m.containsKey('a') && $m.get('a').length() > 0)yes#{else}no#end")).toBe('no');
});

test('#break leaves the loop at once', () => {
  expect(render('#foreach($i in [1..5])#if($i == 3)#break#end$i;#end|after')).toBe('1;2;|after');
});

test('#break in an inner loop leaves only that loop', () => {
  expect(render('#foreach($a in [1..2])#foreach($b in [1..3])#if($b == 2)#break#end$a$b #end#end')).toBe('11 21 ');
});

test('#foreach stops after 1000 iterations, as API Gateway quotas say, keeping what it rendered', () => {
  // Developer guide, quotas: "Number of iterations in a #foreach ... #end loop in mapping templates: 1000".
  const out = render(
    "#foreach($r in $input.path('$.records'))x#end|after",
    withBody({ records: Array.from({ length: 1500 }, (_, i) => i) }),
  );
  expect(out).toBe(`${'x'.repeat(1000)}|after`);
  expect(render('#foreach($i in [1..1000])x#end')).toBe('x'.repeat(1000));
});

test('#stop ends the rendering', () => {
  expect(render('a#stop b')).toBe('a');
  expect(render('#foreach($i in [1..3])$i#if($i == 2)#stop#end#end tail')).toBe('12');
});

test('#define renders its block where it is referenced', () => {
  expect(render('#define($greeting)hi $name#end#set($name = "you")$greeting')).toBe('hi you');
});

test('#macro with arguments', () => {
  expect(render('#macro(pair $k $v)"$k": "$v"#end{#pair("a" "1"), #pair("b" 2)}')).toBe('{"a": "1", "b": "2"}');
});

test('## and #* *# comments render nothing; a ## comment takes its newline with it', () => {
  expect(render('a## line comment\nb#* block\ncomment *#c')).toBe('abc');
});

test('$!ref and ${ref}', () => {
  expect(render('#set($a = "x")$!a ${a}y $!{a}')).toBe('x xy x');
});

test('a hyphen continues a name (Velocity 1.7): $a.b-$c reads the property "b-"', () => {
  // Hence ${context.requestId}-$foreach.index, not $context.requestId-$foreach.index.
  const request = { context: { requestId: 'r' } };
  expect(
    render(
      '#foreach($i in [0..1])[$context.requestId-$foreach.index][${context.requestId}-$foreach.index]#end',
      request,
    ),
  ).toBe('[0][r-0][1][r-1]');
});

test('a double-quoted string interpolates, a single-quoted one does not', () => {
  expect(render('#set($a = "v")#set($d = "[$a]")#set($s = \'[$a]\')$d $s')).toBe('[v] [$a]');
});

test('an interpolated JSONPath in a loop', () => {
  const template = '#foreach($r in $input.path(\'$.r\'))$input.json("$.r[$foreach.index].v")#end';
  expect(render(template, withBody({ r: [{ v: 1 }, { v: 'x' }] }))).toBe('1"x"');
});
