/**
 * Java String methods on template strings (mapping-templates.md, point 11), with Java's regex
 * rules for replaceAll, matches and split. Velocity string literals: '...' is taken as written.
 */
import { render } from './helpers';

const call = (text: string, method: string): string => render(`#set($v = '${text}')#set($r = $v.${method})$!r`);

test.each([
  ['abc', 'length()', '3'],
  ['', 'isEmpty()', 'true'],
  ['x', 'isEmpty()', 'false'],
  ['x', "equals('x')", 'true'],
  ['1', 'equals(1)', 'false'],
  ['X', "equalsIgnoreCase('x')", 'true'],
  ['hello', "contains('ell')", 'true'],
  ['hello', "startsWith('he')", 'true'],
  ['hello', "endsWith('lo')", 'true'],
  ['hello', 'substring(1, 3)', 'el'],
  ['hello', 'substring(3)', 'lo'],
  ['hello', "indexOf('l')", '2'],
  ['hello', "indexOf('z')", '-1'],
  ['hello', "lastIndexOf('l')", '3'],
  ['hello', 'charAt(1)', 'e'],
  ['Hi', 'toLowerCase()', 'hi'],
  ['Hi', 'toUpperCase()', 'HI'],
  ['  hi \t', 'trim()', 'hi'],
])("'%s'.%s is %s", (text, method, expected) => {
  expect(call(text, method)).toBe(expected);
});

describe('replaceAll is a Java regex replace', () => {
  test('a regex, not a literal', () => {
    expect(call('a.b.c', "replaceAll('\\.', '-')")).toBe('a-b-c');
    expect(call('a1b22', "replaceAll('[0-9]+', '#')")).toBe('a#b#');
  });

  test('$1 is a group in the replacement', () => {
    expect(call('a1b22', "replaceAll('([0-9]+)', '<$1>')")).toBe('a<1>b<22>');
  });

  test('\\$ is a literal dollar in the replacement', () => {
    expect(call('cost', "replaceAll('^', '\\$')")).toBe('$cost');
  });

  test('the escapeJavaScript idiom: "\\\\\'" matches the two characters \\\'', () => {
    expect(render(`#set($v = "it\\'s")$v.replaceAll("\\\\'", "'")`)).toBe("it's");
  });

  test('\\Q...\\E quotes, as in Java', () => {
    expect(call('a+b+c', "replaceAll('\\Q+\\E', ' ')")).toBe('a b c');
  });

  test('replaceFirst replaces the first match only', () => {
    expect(call('aaa', "replaceFirst('a', 'b')")).toBe('baa');
  });
});

test('replace is literal', () => {
  expect(call('a.b.c', "replace('.', '$')")).toBe('a$b$c');
});

describe('matches is a full match', () => {
  test.each([
    ['abc', 'b', 'false'],
    ['abc', 'a.c', 'true'],
    ['abc', 'ab', 'false'],
    ['123', '[0-9]{1,9}', 'true'],
    ['12a', '[0-9]{1,9}', 'false'],
    ['ABC', '(?i)abc', 'true'],
    ['a\nb', 'a', 'false'],
  ])("'%s'.matches('%s') is %s", (text, regex, expected) => {
    expect(render(`#set($v = "${text}")$v.matches('${regex}')`)).toBe(expected);
  });
});

describe('split is a Java regex split', () => {
  test('trailing empty strings are dropped, inner ones kept', () => {
    expect(render("#set($v = 'a,b,,c,,')#set($p = $v.split(','))$p.size() [$p[2]] $p[3]")).toBe('4 [] c');
  });

  test('a leading empty string is kept', () => {
    expect(render("#set($v = ',a')#set($p = $v.split(','))$p.size() [$p[0]] $p[1]")).toBe('2 [] a');
  });

  test('by a regex', () => {
    expect(render("#set($v = 'a1b22c')#set($p = $v.split('[0-9]+'))#foreach($s in $p)$s;#end")).toBe('a;b;c;');
  });

  test('with a limit, the rest stays whole', () => {
    expect(render("#set($v = 'a,b,c')#set($p = $v.split(',', 2))$p[1]")).toBe('b,c');
  });

  test('a string with no separator is itself', () => {
    expect(render("#set($v = 'abc')#set($p = $v.split(','))$p.size() $p[0]")).toBe('1 abc');
  });
});

test('a method a Java string does not have renders nothing and does not fail', () => {
  expect(render("#set($v = 'abc')[$v.isBlankish()][$v.getBytes()][$v.notAMethod(1)]")).toBe('[][][]');
});

test('methods chain', () => {
  expect(render("#set($v = ' Pad ')$v.trim().toUpperCase().replaceAll('A', '4').length()")).toBe('3');
});

test('a string from JSON has the same methods', () => {
  expect(render("$input.path('$.s').toUpperCase()", { body: '{"s": "abc"}' })).toBe('ABC');
});
