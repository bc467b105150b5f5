/** The engine as a whole: compile once, syntax errors, isolation, and a PutRecords-style template. */
import { compileTemplate, renderTemplate, VtlSyntaxError } from '../../../local/vtl';
import { base64, render, withBody } from './helpers';

describe('compiling', () => {
  test('a compiled template renders many requests, each with its own data', () => {
    const compiled = compileTemplate("$input.path('$.n')");
    expect([1, 2, 3].map((n) => renderTemplate(compiled, withBody({ n })).output)).toEqual(['1', '2', '3']);
  });

  test('a syntax error is a VtlSyntaxError with its line and column', () => {
    let caught: unknown;
    try {
      compileTemplate('ok\n  #set($x = )\n');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(VtlSyntaxError);
    expect(caught).toMatchObject({ line: 2, column: expect.any(Number) });
    expect((caught as VtlSyntaxError).column).toBeGreaterThan(0);
    expect((caught as Error).message).toMatch(/^Template syntax error at line 2, column \d+/);
  });

  test.each([
    ['#if($x) never closed', 1, 1],
    ['a\n#foreach($i in $l)\n#if($i)x#end', 2, 1],
    ['text #end more', 1, 6],
    ['#else', 1, 1],
  ])('%j is rejected, as Velocity rejects it', (source, line, column) => {
    expect(() => compileTemplate(source)).toThrow(VtlSyntaxError);
    expect(() => compileTemplate(source)).toThrow(expect.objectContaining({ line, column }));
  });

  test('renderTemplate compiles a string itself', () => {
    expect(() => renderTemplate('#if(', {})).toThrow(VtlSyntaxError);
  });
});

describe('isolation', () => {
  const prototypes = [
    String.prototype,
    Object.prototype,
    Array.prototype,
    Number.prototype,
    Boolean.prototype,
    Function.prototype,
  ];
  const snapshot = (): string[] => prototypes.map((p) => Reflect.ownKeys(p).map(String).sort().join());

  test('rendering adds nothing to any built-in prototype', () => {
    const before = snapshot();
    render(
      "#set($m = $input.path('$'))$m.size() $m.keySet() $m.containsKey('a') #set($ok = $m.put('c', 1))#set($s = 'x')$s.matches('x') $s.replaceAll('x', 'y') $s.split(',') $s.isEmpty() $s.getBytes() $m.entrySet() $m.getClass().getName()",
      withBody({ a: 1, l: [1] }),
    );
    expect(snapshot()).toEqual(before);
    expect(Object.keys({})).toEqual([]);
  });

  test('reading a map (size, keySet, get, containsKey, #foreach, a missing key) adds no key to it', () => {
    const template =
      "#set($m = $util.parseJson($input.body))$m.keySet()|$m.size() $m.get('zz') $m.containsKey('zz') $m.isEmpty() $m.zz $m.toString() #foreach($v in $m)$v#end $m.entrySet() $m.hashCode()|$m.keySet()";
    const [before, , after] = render(template, withBody({ a: 1, b: 'x' })).split('|');
    expect(before).toBe('[a, b]');
    expect(after).toBe(before);
  });

  test('reading a value from $input.path adds no key to it', () => {
    const template =
      "#set($r = $input.path('$.r'))$r.size() [$r.nothing] [$r.get('x')] $r.isEmpty() $r.containsKey('y')|$r.keySet() $input.json('$.r')";
    expect(render(template, withBody({ r: { k: 'v' } }))).toBe('1 [] [] false false|[k] {"k":"v"}');
  });

  test("the request's own objects are never changed", () => {
    const request = {
      body: '{"a":1}',
      path: { p: '1' },
      querystring: { q: '2' },
      headers: { H: '3' },
      stageVariables: { s: '4' },
      context: { identity: { apiKey: 'k' } },
    };
    const before = JSON.stringify(request);
    render(
      "#set($h = $input.params().header)#set($ok = $h.put('X', 'y'))#set($ok = $input.params().path.put('z', 1))#set($stageVariables.t = 5)#set($context.identity.apiKey = 'other')#set($b = $input.path('$'))#set($ok = $b.put('z', 1))",
      request,
    );
    expect(JSON.stringify(request)).toBe(before);
  });
});

describe('a PutRecords-style template', () => {
  const template = [
    "#set($records = $input.path('$.records'))",
    '{"StreamName": "$input.params(\'stream-name\')", "Records": [',
    '#foreach($r in $records)',
    '#if("$!r.dataBase64" != "")#set($data = $r.dataBase64)#elseif($input.json("$.records[$foreach.index].data").startsWith(\'"\'))#set($data = $util.base64Encode($r.data))#else#set($data = $util.base64Encode($input.json("$.records[$foreach.index].data")))#end',
    '  {"Data": "$data", "PartitionKey": "#if("$!r.partitionKey" != "")$util.escapeJavaScript($r.partitionKey).replaceAll("\\\\\'", "\'")#else${context.requestId}-$foreach.index#end"}#if($foreach.hasNext),#end',
    '#end',
    ']}',
  ].join('\n');

  test('renders the Kinesis request', () => {
    const body = {
      records: [
        { data: { a: 1, b: [true, null] }, partitionKey: "it's" },
        { data: 'plain "text" é' },
        { dataBase64: 'AAEC', partitionKey: 'k/1' },
        { data: 12.5 },
      ],
    };
    const out = render(template, withBody(body, { path: { 'stream-name': 'clicks' }, context: { requestId: 'req' } }));
    expect(JSON.parse(out)).toEqual({
      StreamName: 'clicks',
      Records: [
        { Data: base64('{"a":1,"b":[true,null]}'), PartitionKey: "it's" },
        { Data: base64('plain "text" é'), PartitionKey: 'req-1' },
        { Data: 'AAEC', PartitionKey: 'k/1' },
        { Data: base64('12.5'), PartitionKey: 'req-3' },
      ],
    });
  });

  test('renders 500 records from one compiled template', () => {
    const compiled = compileTemplate(template);
    const records = Array.from({ length: 500 }, (_, i) => ({ data: { i }, partitionKey: `p${i}` }));
    const parsed = JSON.parse(
      renderTemplate(compiled, withBody({ records }, { path: { 'stream-name': 's' } })).output,
    ) as { Records: unknown[] };
    expect(parsed.Records).toHaveLength(500);
    expect(parsed.Records[499]).toEqual({ Data: base64('{"i":499}'), PartitionKey: 'p499' });
  });
});

describe('a PutRecords-style template written the way many samples write it', () => {
  // $context.requestId-$foreach.index reads the property "requestId-" (Velocity 1.7 names may hold
  // hyphens), which is null: only the index is left. ${context.requestId}-$foreach.index is meant.
  const template = [
    "#set($records = $input.path('$.records'))",
    '{"StreamName": "$input.params(\'stream-name\')", "Records": [',
    '#foreach($r in $records)',
    '#if("$!r.dataBase64" != "")#set($data = $r.dataBase64)#elseif($r.data.getClass().getName() == "java.lang.String")#set($data = $r.data)#end',
    '  {"Data": "$util.base64Encode($input.json("$.records[$foreach.index].data"))", "PartitionKey": "#if("$!r.partitionKey" != "")$util.escapeJavaScript($r.partitionKey)#else$context.requestId-$foreach.index#end"}#if($foreach.hasNext),#end',
    '#end',
    ']}',
  ].join('\n');

  test('renders as API Gateway would', () => {
    const out = render(
      template,
      withBody(
        { records: [{ data: { a: 1 }, partitionKey: 'k' }, { data: 'x' }] },
        { path: { 'stream-name': 's' }, context: { requestId: 'req' } },
      ),
    );
    expect(JSON.parse(out)).toEqual({
      StreamName: 's',
      Records: [
        { Data: base64('{"a":1}'), PartitionKey: 'k' },
        { Data: base64('"x"'), PartitionKey: '1' },
      ],
    });
  });
});
