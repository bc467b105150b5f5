/**
 * Velocity 1.7's lexical rules that velocityjs's grammar does not have, each from Velocity 1.7
 * itself: apache/velocity-engine tag 1.7, test/templates/*.vm with their expected outputs in
 * test/templates/compare/*.cmp, and the string literal rules of ASTStringLiteral.java.
 */
import { render } from './helpers';

describe('backslashes before references and directives (escape2.vm / escape2.cmp)', () => {
  test('as the number of backslashes grows, a defined reference alternates between its text and its value', () => {
    expect(render('#set($foo = "bar")$foo|\\$foo|\\\\$foo|\\\\\\$foo|\\\\\\\\$foo')).toBe(
      'bar|$foo|\\bar|\\$foo|\\\\bar',
    );
  });

  test('the same for directives: an odd run escapes #if, an even one prints half and runs it', () => {
    expect(render('\\#if(true) hi \\#end|\\\\#if(true) hi \\\\#end')).toBe('#if(true) hi #end|\\ hi \\');
    expect(render('\\\\\\#if(true) hi \\\\\\#end|\\\\\\\\#if(true) hi \\\\\\\\#end')).toBe(
      '\\#if(true) hi \\#end|\\\\ hi \\\\',
    );
  });

  test('a backslash before what is not a directive is plain text (\\#woogie)', () => {
    expect(render('\\#woogie|\\\\#woogie|\\\\\\#woogie')).toBe('\\#woogie|\\\\#woogie|\\\\\\#woogie');
  });

  test('a backslash before a $ that starts no reference is plain text (\\$()', () => {
    expect(render('a \\$( b')).toBe('a \\$( b');
  });
});

describe('escaped references (Velocity 1.7 user guide, "Escaping Valid VTL References"; ASTReference.render)', () => {
  test('an escaped reference with a value prints its text; one without prints its backslash too', () => {
    // "\$a: escaping an unbound reference renders it as \$a ... #set($a = 10) ... \$a now renders as $a".
    expect(render('\\$a|#set($a = 10)\\$a')).toBe('\\$a|$a');
    expect(
      render('\\$undefined|\\$!undefined|\\${undefined}|\\$input.body|\\$input.body.nothing', { body: '{}' }),
    ).toBe('\\$undefined|\\$!undefined|\\${undefined}|$input.body|\\$input.body.nothing');
  });

  test('after an odd run of backslashes, the pairs print as backslashes first', () => {
    expect(render('\\\\\\$undefined|#set($d = 1)\\\\\\$d')).toBe('\\\\$undefined|\\$d');
  });

  test('a whole reference is escaped: methods, arguments and indexes included, text after it stays', () => {
    expect(render('#set($m = {"k": "v"})\\$m.get("k").length()!|\\$m.get("(").x|\\$m[\'k\'].')).toBe(
      '$m.get("k").length()!|\\$m.get("(").x|$m[\'k\'].',
    );
  });

  test("inside a directive's string argument it is left to the string", () => {
    expect(render('#set($s = "\\$x")$s')).toBe('$x');
  });
});

describe('$\\! (Velocity 1.7 user guide, "Advanced Issues: Escaping and !")', () => {
  test('no reference: one backslash goes, the rest is text', () => {
    // The guide's own example, $foo set to "bar": $\!foo $\!{foo} $\\!foo $\\\!foo -> $!foo $!{foo} $\!foo $\\!foo.
    expect(render('#set( $foo = "bar" )\n$\\!foo\n$\\!{foo}\n$\\\\!foo\n$\\\\\\!foo')).toBe(
      '$!foo\n$!{foo}\n$\\!foo\n$\\\\!foo',
    );
  });

  test('against the plain escape before the $: \\$foo \\$!foo \\$!{foo} \\\\$!{foo} -> $foo $!foo $!{foo} \\bar', () => {
    expect(render('#set( $foo = "bar" )\n\\$foo\n\\$!foo\n\\$!{foo}\n\\\\$!{foo}')).toBe('$foo\n$!foo\n$!{foo}\n\\bar');
  });
});

describe('comments (comment.vm / comment.cmp)', () => {
  test('the line end after a multi-line comment stays; a ## comment takes its own', () => {
    expect(render('combo\n## line\n\n#*\n multi\n*#\n\nwith')).toBe('combo\n\n\n\nwith');
  });
});

describe('literals', () => {
  test('exponent literals are Doubles (ASTFloatingPointLiteral), in #set, #if and lists; text outside is left alone', () => {
    expect(render('#set($a = 4.5e3)#set($b = 4.5E55)#set($c = 1.5e-3)$a $b $c')).toBe('4500.0 4.5E55 0.0015');
    expect(render('#if(1e3 == 1000)yes#end 4.5e3 #set($l = [1e1, 2.5e+1])$l')).toBe('yes 4.5e3 [10.0, 25.0]');
  });

  test('integer keys in a map literal', () => {
    expect(render('#set($m = {1 : 2, "b": 3})$m $m.get(1)')).toBe('{1=2, b=3} 2');
  });

  test('a doubled quote inside a string literal is one quote (ASTStringLiteral.replaceQuotes)', () => {
    expect(render('#set($s = "a ""b""")#set($t = \'\'\'\')$s|$t')).toBe('a "b"|\'');
  });

  test('\\u escapes in a double-quoted literal are read (ASTStringLiteral.unescape); single-quoted text is kept', () => {
    expect(render('#set($u = "\\u0041\\u00e9")#set($v = \'\\u0041\')$u $v')).toBe('Aé \\u0041');
  });
});
