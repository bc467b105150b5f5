/** $util (mapping-templates.md, point 12), with the Java library behaviour API Gateway uses. */
import { base64, render, withBody } from './helpers';

describe('$util.escapeJavaScript', () => {
  const escape = (text: string): string => render("$util.escapeJavaScript($input.path('$.s'))", withBody({ s: text }));

  test("escapes ' as \\'", () => {
    expect(escape("it's")).toBe("it\\'s");
  });

  test('escapes " and \\', () => {
    expect(escape('say "hi" \\ bye')).toBe('say \\"hi\\" \\\\ bye');
  });

  test('escapes / as \\/ (commons-lang 2)', () => {
    expect(escape('a/b')).toBe('a\\/b');
  });

  test('escapes control characters', () => {
    expect(escape('\n\t\r\b\f\u0001\u001f')).toBe('\\n\\t\\r\\b\\f\\u0001\\u001F');
  });

  test('escapes non-ASCII as \\uXXXX, UTF-16 units, upper-case hex', () => {
    expect(escape('é☃𝄞')).toBe('\\u00E9\\u2603\\uD834\\uDD1E');
  });

  test('leaves printable ASCII alone', () => {
    expect(escape('abc XYZ 019 !#$%&()*+,-.:;<=>?@[]^_`{|}~')).toBe('abc XYZ 019 !#$%&()*+,-.:;<=>?@[]^_`{|}~');
  });

  test('the documented idiom .replaceAll("\\\\\'", "\'") gives valid JSON string content', () => {
    const text = `it's "q" \\ / é\n\t☃`;
    const out = render(
      `{"v": "$util.escapeJavaScript($input.path('$.s')).replaceAll("\\\\'", "'")"}`,
      withBody({ s: text }),
    );
    expect(JSON.parse(out)).toEqual({ v: text });
  });

  test('null escapes to nothing', () => {
    expect(render('[$util.escapeJavaScript($nope)]')).toBe('[]');
  });
});

describe('$util.base64Encode / base64Decode', () => {
  test('encode works on UTF-8 bytes', () => {
    expect(render("$util.base64Encode('héllo ☃')")).toBe(base64('héllo ☃'));
  });

  test('decode gives the UTF-8 text', () => {
    expect(render("$util.base64Decode('aMOpbGxvIOKYgw==')")).toBe('héllo ☃');
  });

  test('encoding JSON text from $input.json', () => {
    expect(render("$util.base64Encode($input.json('$.d'))", withBody({ d: { a: 'é' } }))).toBe(base64('{"a":"é"}'));
  });
});

describe('$util.urlEncode / urlDecode (Java URLEncoder/URLDecoder, UTF-8)', () => {
  test('space is +; * - _ . stay; ~ is %7E; the rest %XX of UTF-8 bytes', () => {
    expect(render("$util.urlEncode('a b*-_.~é/+?&=')")).toBe('a+b*-_.%7E%C3%A9%2F%2B%3F%26%3D');
  });

  test('decode turns + into a space and %XX bytes into UTF-8 text', () => {
    expect(render("$util.urlDecode('a+b%7E%C3%A9%2F')")).toBe('a b~é/');
  });

  test('round trip', () => {
    expect(render("$util.urlDecode($util.urlEncode('x y/ü?'))")).toBe('x y/ü?');
  });
});

describe('$util.parseJson', () => {
  test('gives live values: maps print the Java way, lists as JSON', () => {
    expect(render(`#set($o = $util.parseJson('{"a": {"b": [1, {"c": "d"}]}}'))$o $o.a.b.size() $o.a.b[1].c`)).toBe(
      '{a={b=[1,{"c":"d"}]}} 2 d',
    );
  });

  test('of a string from the body', () => {
    expect(render("#set($o = $util.parseJson($input.path('$.inner')))$o.k", withBody({ inner: '{"k": "v"}' }))).toBe(
      'v',
    );
  });
});
