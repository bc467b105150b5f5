/**
 * The template language as API Gateway runs it (shared/reference/mapping-templates.md, points
 * 6 to 13): each case's expected output is what API Gateway produces.
 */
import { compileTemplate, renderTemplate, VtlSyntaxError, type TemplateRequest } from '../../../local/vtl';

const render = (template: string, request: TemplateRequest = {}): string => renderTemplate(template, request).output;
const body = (value: unknown): TemplateRequest => ({ body: JSON.stringify(value) });

describe('$input', () => {
  test('body is the raw body; a property of it renders empty', () => {
    expect(render('$input.body|$input.body.anything|', { body: '{"a": 1}' })).toBe('{"a": 1}||');
  });

  test('an empty body reads as {}', () => {
    expect(render("$input.json('$')", { body: '' })).toBe('{}');
  });

  test('path gives a map printed the Java way', () => {
    expect(render("$input.path('$.m')", body({ m: { a: 'b', c: 'd' } }))).toBe('{a=b, c=d}');
  });

  test('path gives a list printed as compact JSON', () => {
    expect(render("$input.path('$.l')", body({ l: [{ a: 'b' }] }))).toBe('[{"a":"b"}]');
  });

  test('a list inside a map prints as JSON inside the Java form', () => {
    expect(render("$input.path('$.m')", body({ m: { a: [{ b: 'c' }] } }))).toBe('{a=[{"b":"c"}]}');
  });

  test('a missing path prints nothing', () => {
    expect(render("[$input.path('$.nope')]", body({}))).toBe('[]');
  });

  test('json gives compact JSON, a string with its quotes', () => {
    expect(render("$input.json('$.s') $input.json('$.o')", body({ s: 'x', o: { a: [1, 2] } }))).toBe('"x" {"a":[1,2]}');
  });

  test('path values are live: size, get, keySet, containsKey, isEmpty, index', () => {
    const template = "#set($m = $input.path('$.m'))#set($l = $input.path('$.l'))$m.size() $m.get('a') $m.keySet() $m.containsKey('b') $m.isEmpty() $l.size() $l[1] $l.get(0)";
    expect(render(template, body({ m: { a: 1, b: 2 }, l: ['x', 'y'] }))).toBe('2 1 ["a","b"] true false 2 y x');
  });

  test('hyphenated property names', () => {
    expect(render("#set($e = $input.path('$'))$e.partition-key", body({ 'partition-key': 'pk' }))).toBe('pk');
  });

  test('params() has path, querystring and header; params(name) looks in that order', () => {
    const request = { path: { id: 'p' }, querystring: { id: 'q', only: 'qs' }, headers: { 'X-Trace': 'h' } };
    expect(render("$input.params('id') $input.params('only') $input.params('x-trace') [$input.params('none')]", request)).toBe('p qs h []');
    expect(render("$input.params().path.id $input.params().querystring.only $input.params().header.get('X-Trace')", request)).toBe('p qs h');
  });

  test('a template cannot change the raw body through what path gave it', () => {
    expect(render("#set($l = $input.path('$.l'))#set($ok = $l.add(3))$l.size() $input.body", body({ l: [1] }))).toBe('2 {"l":[1]}');
  });
});

describe('null and empty', () => {
  test('an undefined reference renders as nothing, never its name', () => {
    expect(render('[$nope][$nope.deeper][$!nope][${nope}]')).toBe('[][][][]');
  });

  test('null equals ""; an empty list does not', () => {
    expect(render("#if($nope == '')yes#end #if($input.path('$.l') == '')no#{else}differs#end", body({ l: [] }))).toBe('yes differs');
  });

  test("a property of an undefined reference compared with != '' is false", () => {
    expect(render("#if($nope.x != '')set#{else}unset#end")).toBe('unset');
  });

  test('#if is false only for null and false (Velocity 1.7)', () => {
    expect(render("#if('')a#end#if(0)b#end#if($nope)c#end#if(false)d#end#if(!$nope)e#end")).toBe('abe');
  });

  test('#set with a null value leaves the variable as it was (Velocity 1.7)', () => {
    expect(render("#set($x = 'kept')#set($x = $input.path('$.nope'))$x", body({}))).toBe('kept');
  });
});

describe('Java semantics', () => {
  test('integer division and remainder', () => {
    expect(render('#set($a = 7 / 2)#set($b = 7 % 3)#set($c = 7.5 / 2)$a $b $c')).toBe('3 1 3.75');
  });

  test('string concatenation with +', () => {
    expect(render("#set($s = 'n' + 1 + 2)$s")).toBe('n12');
  });

  test('ranges and $foreach', () => {
    expect(render('#foreach($i in [0..3])$i:$foreach.index:$foreach.count:$foreach.hasNext:$velocityHasNext #end')).toBe(
      '0:0:1:true:true 1:1:2:true:true 2:2:3:true:true 3:3:4:false:false ',
    );
  });

  test.each([
    ['abc', 'length()', '3'],
    ['a.b.c', "replaceAll('\\.', '-')", 'a-b-c'],
    ['a1b22', "replaceAll('([0-9]+)', '<$1>')", 'a<1>b<22>'],
    ['a.b', "replace('.', '-')", 'a-b'],
    ['abc', "matches('b')", 'false'],
    ['abc', "matches('a.c')", 'true'],
    ['a,b,,c,,', "split(',').size()", '4'],
    ['x', "equals('x')", 'true'],
    ['X', "equalsIgnoreCase('x')", 'true'],
    ['hello', "contains('ell')", 'true'],
    ['hello', "startsWith('he')", 'true'],
    ['hello', "endsWith('lo')", 'true'],
    ['', 'isEmpty()', 'true'],
    ['hello', 'substring(1, 3)', 'el'],
    ['hello', "indexOf('l')", '2'],
    ['Hi', 'toLowerCase()', 'hi'],
    ['Hi', 'toUpperCase()', 'HI'],
    ['  hi  ', 'trim()', 'hi'],
    ['isEmpty', 'getBytes()', ''],
  ])("'%s'.%s is %s", (text, call, expected) => {
    expect(render(`#set($v = '${text}')#set($s = $v.${call})$!s`)).toBe(expected);
  });
});

describe('$util', () => {
  test("escapeJavaScript escapes ' \" \\ / control characters and non-ASCII", () => {
    expect(render('$util.escapeJavaScript($input.path(\'$.s\'))', body({ s: `it's "q" \\ / \n\t é ☃ 𝄞 \u0001` }))).toBe(
      `it\\'s \\"q\\" \\\\ \\/ \\n\\t \\u00E9 \\u2603 \\uD834\\uDD1E \\u0001`,
    );
  });

  test("the documented idiom .replaceAll(\"\\\\'\", \"'\") gives valid JSON string content", () => {
    const out = render(`{"v": "$util.escapeJavaScript($input.path('$.s')).replaceAll("\\\\'", "'")"}`, body({ s: `it's "q" é\n` }));
    expect(JSON.parse(out)).toEqual({ v: `it's "q" é\n` });
  });

  test('base64Encode and base64Decode work on UTF-8 bytes', () => {
    expect(render("$util.base64Encode('héllo ☃')")).toBe(Buffer.from('héllo ☃', 'utf8').toString('base64'));
    expect(render("$util.base64Decode('aMOpbGxv')")).toBe('héllo');
  });

  test("urlEncode follows Java's URLEncoder", () => {
    expect(render("$util.urlEncode('a b*~é/+')")).toBe('a+b*%7E%C3%A9%2F%2B');
    expect(render("$util.urlDecode('a+b%7E%C3%A9')")).toBe('a b~é');
  });

  test('parseJson gives live values', () => {
    expect(render(`#set($o = $util.parseJson('{"a": {"b": [1]}}'))$o.a $o.a.b.size()`)).toBe('{b=[1]} 1');
  });
});

describe('$context and $stageVariables', () => {
  test('generated values, overridable', () => {
    const out = render('$context.requestId|$context.requestTime|$context.requestTimeEpoch|$context.stage', { context: { stage: 'dev' } });
    const [id, time, epoch, stage] = out.split('|');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Number(epoch)).toBeGreaterThan(1.7e12);
    expect(stage).toBe('dev');
  });

  test('nested overrides merge with the generated values', () => {
    expect(render('$context.identity.sourceIp $context.identity.apiKey', { context: { identity: { apiKey: 'k' } } })).toBe('127.0.0.1 k');
  });

  test('responseOverride status and headers come back with the result', () => {
    const result = renderTemplate('#set($context.responseOverride.status = 429)#set($context.responseOverride.header.Retry-After = "1")', {});
    expect(result.responseOverride).toEqual({ status: 429, headers: { 'Retry-After': '1' } });
  });

  test('requestOverride header, querystring and path come back with the result', () => {
    const result = renderTemplate('#set($context.requestOverride.header.X-A = "a")#set($context.requestOverride.querystring.q = "b")#set($context.requestOverride.path.p = "c")', {});
    expect(result.requestOverride).toEqual({ headers: { 'X-A': 'a' }, querystring: { q: 'b' }, path: { p: 'c' } });
  });

  test('stage variables by property and by index', () => {
    expect(render("$stageVariables.env $stageVariables['env']", { stageVariables: { env: 'prod' } })).toBe('prod prod');
  });
});

describe('the engine', () => {
  test('a syntax error is a VtlSyntaxError', () => {
    expect(() => compileTemplate('#if($x')).toThrow(VtlSyntaxError);
  });

  test('a compiled template renders many times, each with its own data', () => {
    const compiled = compileTemplate("$input.path('$.n')");
    expect([1, 2, 3].map((n) => renderTemplate(compiled, body({ n })).output)).toEqual(['1', '2', '3']);
  });

  test('rendering changes no built-in prototype', () => {
    const before = [String.prototype, Object.prototype, Array.prototype, Number.prototype].map((p) => Object.getOwnPropertyNames(p).sort().join());
    render("#set($m = $input.path('$'))$m.size() $m.keySet() 'x'.matches('x') $m.containsKey('a') #set($ok = $m.put('c', 1))", body({ a: 1 }));
    const after = [String.prototype, Object.prototype, Array.prototype, Number.prototype].map((p) => Object.getOwnPropertyNames(p).sort().join());
    expect(after).toEqual(before);
  });

  test('calling a method on a map adds no key to it', () => {
    expect(render("#set($m = $input.path('$'))#set($n = $m.size())$m.keySet()", body({ a: 1 }))).toBe('["a"]');
  });
});
