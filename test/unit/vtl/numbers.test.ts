/**
 * Numbers as API Gateway's Velocity holds them: read from JSON without loss (json-smart's
 * JSONParserBase: Integer/Long up to 18 characters, then BigInteger; Double for a fraction or an
 * exponent, BigDecimal past 18 characters), printed by Java's toString, and computed with Velocity
 * 1.7's MathUtils. Expected outputs follow apache/velocity-engine 1.7's regression templates
 * (test/templates/math.vm with compare/math.cmp) and the Java API documentation of
 * Double.toString(double) and BigDecimal.toString().
 */
import { bigDecimalText, bigDecimalOf, doubleText } from '../../../local/vtl/java-numbers';
import { jsonText, parseJsonDocument } from '../../../local/vtl/json-document';
import { render } from './helpers';

const raw = (body: string) => ({ body });

describe('lossless JSON', () => {
  const body =
    '{"a": 9007199254740993, "b": 12345678901234567890, "c": 0.1, "d": 1.0, "e": 1e2, "f": 0.1000000000000000055511151231257827, "g": -5}';

  test('$input.json gives the digits back (integers of any size, doubles as Java prints them)', () => {
    expect(render("$input.json('$')", raw(body))).toBe(
      '{"a":9007199254740993,"b":12345678901234567890,"c":0.1,"d":1.0,"e":100.0,"f":0.1000000000000000055511151231257827,"g":-5}',
    );
  });

  test('$input.path values print with Java toString', () => {
    expect(
      render(
        "$input.path('$.a') $input.path('$.b') $input.path('$.c') $input.path('$.d') $input.path('$.f')",
        raw(body),
      ),
    ).toBe('9007199254740993 12345678901234567890 0.1 1.0 0.1000000000000000055511151231257827');
  });

  test('each number has the class json-smart gives it', () => {
    const template = "#foreach($k in ['a', 'b', 'c', 'f', 'g'])$input.path(\"$.$k\").getClass().getName() #end";
    expect(render(template, raw(body))).toBe(
      'java.lang.Long java.math.BigInteger java.lang.Double java.math.BigDecimal java.lang.Integer ',
    );
  });

  test('-0 is the integer 0 (a Long has no negative zero); -0.0 stays a Double', () => {
    expect(render("$input.json('$')", raw('[-0, -0.0]'))).toBe('[0,-0.0]');
  });

  test('a plain body takes the native path and is still exact', () => {
    expect(parseJsonDocument('{"a": [1, "x", null]}').exact).toBe(true);
    expect(parseJsonDocument('{"a": 1.0}').exact).toBe(false);
    expect(parseJsonDocument('{"t": "12:00:00.000", "n": 3}').exact).toBe(true);
    expect(parseJsonDocument('{"v": "1.2.3", "ip": "10.0.0.1", "n": 3}').exact).toBe(true);
  });

  test('an integer written with a fraction or an exponent is a Double wherever it stands', () => {
    expect(render("$input.json('$')", raw('{"a": [1, 2.0, -3e0], "b":\n 4E1, "c": 5}'))).toBe(
      '{"a":[1,2.0,-3.0],"b":40.0,"c":5}',
    );
    expect(render("$input.json('$')", raw('[7.0]'))).toBe('[7.0]');
  });

  test('1e400 is beyond a double: refused, never turned into null or Infinity', () => {
    expect(() => parseJsonDocument('{"x": 1e400}')).toThrow(/1e400 is beyond the range of a double/);
  });

  test('a body nested deeper than json-smart allows (400) is refused, never a stack overflow', () => {
    expect(() => parseJsonDocument(`${'['.repeat(5000)}${']'.repeat(5000)}`)).toThrow(/deeper than 400 levels/);
    expect(() => parseJsonDocument(`${'{"a":'.repeat(401)}1${'}'.repeat(401)}`)).toThrow(/deeper than 400 levels/);
    expect(jsonText(parseJsonDocument(`${'{"a":'.repeat(400)}1${'}'.repeat(400)}`).root)).toBe(
      `${'{"a":'.repeat(400)}1${'}'.repeat(400)}`,
    );
  });

  test('$util.parseJson is lossless too', () => {
    expect(render('#set($v = $util.parseJson(\'{"n": 12345678901234567890}\'))$v.n')).toBe('12345678901234567890');
  });

  test('JSONPath filters compare Doubles, BigIntegers and BigDecimals by value (Jayway JsonPath compares numbers as BigDecimal)', () => {
    const body = raw(
      '{"r": [{"n": 3}, {"n": 7}, {"n": 5.5}, {"n": 1.0}, {"n": 12345678901234567890}, {"n": 0.1000000000000000000001}, {"n": -2}]}',
    );
    expect(render("$input.json('$.r[?(@.n > 5)]')", body)).toBe('[{"n":7},{"n":5.5},{"n":12345678901234567890}]');
    expect(render("$input.json('$.r[?(@.n == 1)]')", body)).toBe('[{"n":1.0}]');
    expect(render("$input.json('$.r[?(@.n < 0.2)]')", body)).toBe('[{"n":0.1000000000000000000001},{"n":-2}]');
    expect(render("$input.json('$.r[?(@.n >= 12345678901234567890)].n')", body)).toBe('[12345678901234567890]');
  });

  test('duplicate keys: the last one wins, as json-smart does', () => {
    expect(render("$input.json('$')", raw('{"a": 1.5, "a": 2.5}'))).toBe('{"a":2.5}');
  });
});

describe("Java's printing (Double.toString, BigDecimal.toString)", () => {
  test.each([
    [11, '11.0'],
    [4.5e55, '4.5E55'],
    [0.001, '0.001'],
    [0.0001, '1.0E-4'],
    [1e7, '1.0E7'],
    [9999999, '9999999.0'],
    [-1.5, '-1.5'],
    [0, '0.0'],
    [-0, '-0.0'],
    [Infinity, 'Infinity'],
    [NaN, 'NaN'],
  ])('double %p prints %p', (value, text) => {
    expect(doubleText(value)).toBe(text);
  });

  test.each([
    ['0.1000000000000000000001', '0.1000000000000000000001'],
    ['123.45e-20', '1.2345E-18'],
    ['1.0000000000000000000e400', '1.0000000000000000000E+400'],
    ['-0.00000012345678901234567', '-1.2345678901234567E-7'],
  ])('BigDecimal %p prints %p', (text, printed) => {
    expect(bigDecimalText(bigDecimalOf(text))).toBe(printed);
  });
});

describe("Velocity 1.7's arithmetic (math.vm / math.cmp)", () => {
  test('integer addition, subtraction, remainder, division, multiplication', () => {
    expect(
      render(
        '#set($bar = 5)#set($a = $bar % 2)#set($b = 7%2)#set($c = $bar / 2)#set($d = $bar * 2)#set($e = -2*$bar)$a $b $c $d $e',
      ),
    ).toBe('1 1 2 10 -10');
  });

  test('division and remainder by zero are null', () => {
    expect(
      render(
        '#set($r = "kept")#set($r = 5 % 0)$r #set($s = "kept")#set($s = 5 / 0)$s #set($t = "kept")#set($t = 5.0 / 0)$t',
      ),
    ).toBe('kept kept kept');
  });

  test('an Integer with a Long: 1000 and 10000000000', () => {
    const body = raw('{"i": 1000, "l": 10000000000}');
    const template =
      "#set($i = $input.path('$.i'))#set($l = $input.path('$.l'))#set($a = $i + $l)#set($b = $i - $l)#set($c = $i * $l)#set($d = $i / $l)#set($e = $i % $l)$a $b $c $d $e";
    expect(render(template, body)).toBe('10000001000 -9999999000 10000000000000 0 1000');
  });

  test('an Integer with a Double is a Double: 1000 and 999.125', () => {
    const template =
      '#set($f = 999.125)#set($a = 1000 + $f)#set($b = 1000 - $f)#set($c = 1000 * $f)#set($d = 1000 / $f)$a $b $c $d';
    expect(render(template)).toBe('1999.125 0.875 999125.0 1.0008757662955086');
  });

  test('integer division, and decimal division when either side is a Double', () => {
    expect(render('#set($a = 5 / 2)#set($b = 5 / 2.0)#set($c = 5.0 / 2)#set($d = 5.5 * 2)$a $b $c $d')).toBe(
      '2 2.5 2.5 11.0',
    );
  });

  test('a Long that overflows widens to a BigInteger (MathUtils overflow check)', () => {
    expect(render('#set($m = 9223372036854775807 + 1)#set($n = 9007199254740993 * 3)$m $n')).toBe(
      '9223372036854775808 27021597764222979',
    );
  });

  test('BigDecimal arithmetic keeps every digit', () => {
    const body = raw('{"x": 0.1000000000000000000001}');
    expect(
      render(
        "#set($x = $input.path('$.x'))#set($y = $x + 1)#set($z = $x * 2)$y $z $y.getClass().getSimpleName()",
        body,
      ),
    ).toBe('1.1000000000000000000001 0.2000000000000000000002 BigDecimal');
  });

  test("a Double meets a BigDecimal or a BigInteger with its exact binary value (1.7's MathUtils.toBigDecimal: new BigDecimal(n.doubleValue()))", () => {
    const body = raw('{"x": 0.1000000000000000000001, "b": 12345678901234567890}');
    const template =
      "#set($x = $input.path('$.x'))#set($b = $input.path('$.b'))#set($y = $x + 0.1)#set($z = $x * 1.5)#set($w = $b + 0.5)$y $z $w";
    // new BigDecimal(0.1) is 0.1000000000000000055511151231257827021181583404541015625 (Java SE API, BigDecimal(double)).
    expect(render(template, body)).toBe(
      '0.2000000000000000055512151231257827021181583404541015625 0.15000000000000000000015 12345678901234567890.5',
    );
  });

  test('the remainder of BigDecimals fails the render, as MathUtils.modulo throws', () => {
    expect(() =>
      render("#set($x = $input.path('$.x'))#set($r = $x % 2)", raw('{"x": 0.1000000000000000000001}')),
    ).toThrow('Cannot calculate the modulo of BigDecimals.');
  });

  test('numbers compare by value whatever their class (ASTEQNode: MathUtils.compare)', () => {
    const body = raw('{"one": 1.0, "big": 12345678901234567890}');
    const template =
      "#set($o = $input.path('$.one'))#set($b = $input.path('$.big'))#if($o == 1)a#end#if($b > 9007199254740993)b#end#if($b == 12345678901234567890)c#end#if($o < 2)d#end";
    expect(render(template, body)).toBe('abcd');
  });

  test('a number and a string compare by their text (ASTEQNode, different classes); ordering them is false', () => {
    expect(render("#if(1 == '1')a#end#if(1.0 == '1')b#end#if(2 > '1')c#end")).toBe('a');
  });
});
