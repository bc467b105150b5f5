/** Java semantics of Velocity 1.7 (mapping-templates.md, point 11): arithmetic, lists, maps. */
import { render, withBody } from './helpers';

describe('arithmetic', () => {
  test('integer operands divide as integers', () => {
    expect(render('#set($a = 7 / 2)#set($b = -7 / 2)$a $b')).toBe('3 -3');
  });

  test('integer numbers from the body divide as integers', () => {
    expect(render("#set($n = $input.path('$.n'))#set($h = $n / 2)$h", withBody({ n: 7 }))).toBe('3');
  });

  test('remainder', () => {
    expect(render('#set($r = 7 % 3)$r')).toBe('1');
  });

  test('a decimal operand divides as a double', () => {
    expect(render('#set($a = 7.5 / 2)#set($b = 10 / 4.0)$a $b')).toBe('3.75 2.5');
  });

  test('division by zero is null', () => {
    expect(render("#set($x = 'kept')#set($x = 1 / 0)$x")).toBe('kept');
  });

  test('+ with a string joins text', () => {
    expect(render("#set($s = 'n' + 1 + 2)#set($t = 1 + 2 + 'n')$s $t")).toBe('n12 3n');
  });

  test('arithmetic on a string that is not joined is null', () => {
    expect(render("#set($x = 'kept')#set($x = '5' - 2)$x")).toBe('kept');
  });

  test('ordering compares numbers', () => {
    expect(render('#if(2 > 1)a#end#if(1 >= 1)b#end#if(1 < 2)c#end#if(2 <= 1)d#end')).toBe('abc');
  });
});

describe('ranges and #foreach', () => {
  test('a range to a variable', () => {
    expect(render('#set($n = 3)#foreach($i in [0..$n])$i#end')).toBe('0123');
  });

  test('a descending range', () => {
    expect(render('#foreach($i in [2..0])$i#end')).toBe('210');
  });

  test('$foreach.index, count, hasNext, first, last and $velocityHasNext, $velocityCount', () => {
    expect(
      render(
        '#foreach($i in ["a", "b"])$i:$foreach.index:$foreach.count:$foreach.hasNext:$foreach.first:$foreach.last:$velocityHasNext:$velocityCount #end',
      ),
    ).toBe('a:0:1:true:true:false:true:1 b:1:2:false:false:true:false:2 ');
  });

  test('the comma idiom', () => {
    expect(
      render('[#foreach($i in $input.path(\'$\'))"$i"#if($foreach.hasNext),#end#end]', withBody(['a', 'b', 'c'])),
    ).toBe('["a","b","c"]');
  });

  test('nested loops keep their own $foreach', () => {
    expect(render('#foreach($a in [1..2])#foreach($b in [1..2])$foreach.index#end/$foreach.index #end')).toBe(
      '01/0 01/1 ',
    );
  });

  test('#foreach over null renders nothing', () => {
    expect(render('#foreach($i in $nope)x#end.')).toBe('.');
  });
});

describe('lists and maps the template makes', () => {
  test('a list literal prints the Java way', () => {
    expect(render('#set($l = [1, "a", [2]])$l')).toBe('[1, a, [2]]');
  });

  test('a map literal prints the Java way', () => {
    expect(render('#set($m = {"a": 1, "b": [1, 2]})$m')).toBe('{a=1, b=[1, 2]}');
  });

  test('add returns true: printed when called bare or with $!{}, silent under #set', () => {
    expect(render('#set($l = [])$l.add("x")|$!{l.add("y")}|#set($ok = $l.add("z"))$l')).toBe('true|true|[x, y, z]');
  });

  test('put returns the previous value (null prints nothing)', () => {
    expect(render('#set($m = {})[$m.put("k", "v")][$m.put("k", "w")]$m')).toBe('[][v]{k=w}');
  });

  test('#set of a map entry by property and by index', () => {
    expect(render('#set($m = {})#set($m.a = 1)#set($m["b"] = 2)$m')).toBe('{a=1, b=2}');
  });

  test('#set creates nothing on the way to a missing map', () => {
    expect(render('#set($m = {})#set($m.a.b = 1)$m')).toBe('{}');
  });

  test('keySet, values and entrySet are Java collections', () => {
    const template =
      "#set($m = $input.path('$'))$m.keySet() $m.values() $m.entrySet() #foreach($e in $m.entrySet())$e.key=$e.value,$e.getKey()=$e.getValue();#end";
    expect(render(template, withBody({ a: 1, b: [2] }))).toBe('[a, b] [1, [2]] [a=1, b=[2]] a=1,a=1;b=[2],b=[2];');
  });

  test('a JSON list stays JSON after add', () => {
    expect(render("#set($l = $input.path('$.l'))#set($ok = $l.add('y'))$l", withBody({ l: ['x'] }))).toBe('["x","y"]');
  });

  test('a map from the body can be changed with put', () => {
    expect(render("#set($m = $input.path('$'))#set($ok = $m.put('b', 2))$m", withBody({ a: 1 }))).toBe('{a=1, b=2}');
  });
});

describe('telling types apart', () => {
  test('getClass().getName() names a string as java.lang.String', () => {
    const template =
      "#foreach($v in $input.path('$'))#if($v.getClass().getName() == 'java.lang.String')s#{else}o#end#end";
    expect(render(template, withBody(['x', 1, { a: 1 }, [1]]))).toBe('sooo');
  });
});
