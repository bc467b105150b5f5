/**
 * Templates are compiled into generated JavaScript (local/vtl/template-compiler.ts). These cases
 * pin what that code must keep from Velocity 1.7: variables resolved where they are written or,
 * in macros and #define blocks, where they are called; #break and #stop reaching through them;
 * template text and names that look like JavaScript staying text.
 */
import { renderTemplate } from '../../../local/vtl';
import { render, withBody } from './helpers';

test('a macro sees the #foreach variables of the place it is called from', () => {
  // Velocity 1.7 user guide, Velocimacros: a macro body is rendered in the caller's context.
  expect(render('#macro(show)$x:$foreach.index:$velocityCount#end#foreach($x in ["a", "b"])#show() #end')).toBe(
    'a:0:1 b:1:2 ',
  );
});

test('#set in a macro writes the template variable, not the loop variable of its caller', () => {
  expect(render('#macro(setit $v)#set($y = $v)#set($x = "m")#end#foreach($x in [1, 2])#setit($x)$x$y #end|$x$y')).toBe(
    '11 22 |m2',
  );
});

test('#break in a #define block printed inside a #foreach leaves that loop', () => {
  expect(render('#define($d)[$i#if($i == 2)#break#end]#end#foreach($i in [1..4])$d;#end|end')).toBe('[1];[2|end');
});

test('#stop in a double-quoted string ends the render', () => {
  expect(render('a#set($x = "#stop")after')).toBe('a');
});

test('directives inside a double-quoted string are rendered into its value', () => {
  expect(render('#set($s = "#if(true)yes#else no#end")$s|#set($t = "a#foreach($i in [1..3])$i#end")$t')).toBe(
    'yes|a123',
  );
});

test('$foreach reads the same as its map, before and after a template changes or prints it', () => {
  expect(
    render(
      '#foreach($i in [5, 6, 7])$foreach.index$foreach.count$foreach.first$foreach.last$foreach.hasNext$velocityCount$velocityHasNext #end',
    ),
  ).toBe('01truefalsetrue1true 12falsefalsetrue2true 23falsetruefalse3false ');
  expect(
    render('#foreach($i in [5, 6])#set($foreach.index = 9)$foreach.index,$foreach.count,$foreach.missing;#end'),
  ).toBe('9,1,;9,2,;');
  expect(render('#foreach($i in [5])$foreach.missing|$foreach.get("index")|$foreach#end')).toBe(
    '|0|{index=0, count=1, hasNext=false, first=true, last=true}',
  );
  // `#if($foreach)`: true inside a loop until a template sets it to false; nothing outside one.
  expect(
    render(
      '#if($foreach)a#end#foreach($i in [1, 2])#if($foreach)t#end#set($foreach = false)#if($foreach)x#else f#end;#end',
    ),
  ).toBe('t f;t f;');
  // A loop variable named foreach is the item.
  expect(render('#foreach($foreach in [5, 6])$foreach.index,$foreach;#end')).toBe(',5;,6;');
});

test('template text, names and map keys that look like JavaScript are text', () => {
  expect(render('"q" \\ ${x} `t` */ </script> \u2028 $hasOwnProperty$toString$constructor$__proto__.')).toBe(
    '"q" \\  `t` */ </script> \u2028 .',
  );
  expect(render('#set($m = {"a\\"); throw 1; //": 1, "__proto__": 2})$m $m.keySet()')).toBe(
    '{a"); throw 1; //=1} [a"); throw 1; //]',
  );
});

test('an indexed JSONPath reads the same with an index from $foreach, a variable, or text', () => {
  const request = withBody({ a: [{ b: 1.5 }, { b: 'x' }] });
  const output = renderTemplate(
    '#foreach($r in $input.path("$.a"))$input.json("$.a[$foreach.index].b")|#end#set($i = 1)$input.json("$.a[$i].b")|#set($i = "0")$input.json("$.a[$i].b")',
    request,
  ).output;
  expect(output).toBe('1.5|"x"|"x"|1.5');
});
