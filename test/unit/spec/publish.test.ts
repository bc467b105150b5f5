import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { parseConfig } from '../../../config/ingest-config';
import {
  bundleSpec,
  decimalRangePattern,
  isJsonObject,
  listOperations,
  publishedJson,
  publishedYaml,
  publishSpec,
  type JsonObject,
  type JsonValue,
  type OpenApiDocument,
} from '../../../spec-renderer';

let bundled: OpenApiDocument;
beforeAll(async () => {
  bundled = await bundleSpec();
});

const config = parseConfig({ stage: 'qa', streams: [{ name: 'clicks' }, { name: 'logs' }] });

function refs(node: JsonValue, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, found));
  else if (isJsonObject(node)) {
    if (typeof node.$ref === 'string') found.push(node.$ref);
    Object.values(node).forEach((n) => refs(n, found));
  }
  return found;
}

function pointer(doc: JsonObject, ref: string): JsonValue | undefined {
  let node: JsonValue | undefined = doc;
  for (const key of ref
    .slice(2)
    .split('/')
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~')))
    node = isJsonObject(node) ? node[key] : undefined;
  return node;
}

/** A validator for one of the published spec's component schemas (OpenAPI 3.0 schemas are close enough to JSON Schema for this). */
function validatorOf(doc: OpenApiDocument, name: string): (value: unknown) => boolean {
  const ajv = new Ajv({ strict: false });
  ajv.addSchema({ components: doc.components } as object, 'spec');
  return ajv.compile({ $ref: `spec#/components/schemas/${name}` });
}

describe('publishSpec', () => {
  test('is a valid OpenAPI 3.0 document', async () => {
    const doc = publishSpec(bundled, config);
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
    expect(doc.openapi).toMatch(/^3\.0\./);
  });

  test('is self-contained: every $ref is local and points at something', () => {
    const doc = publishSpec(bundled, config);
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter((r) => !r.startsWith('#/') || pointer(doc, r) === undefined)).toEqual([]);
  });

  test('carries none of API Gateway: no x-amazon-apigateway-* extension, no placeholder, no ARN', () => {
    const text = JSON.stringify(publishSpec(bundled, config));
    expect(text).not.toContain('x-amazon-apigateway');
    expect(text).not.toMatch(/\{\{[A-Za-z]+\}\}/);
    expect(text).not.toContain('arn:aws:iam');
  });

  test('lists the local gateway first and the deployed stage URL template second, both on the configured stage', () => {
    const doc = publishSpec(bundled, config, { localOrigin: 'http://127.0.0.1:4321' });
    const servers = doc.servers as JsonObject[];
    expect(servers).toHaveLength(2);
    expect(servers[0].url).toBe('http://127.0.0.1:4321/qa');
    expect(servers[1].url).toMatch(/^https:\/\/\{apiId\}\.execute-api\.\{region\}\.amazonaws\.com\/\{stage\}$/);
    expect(((servers[1].variables as JsonObject).stage as JsonObject).default).toBe('qa');
    expect((publishSpec(bundled, config).servers as JsonObject[])[0].url).toBe('http://127.0.0.1:4010/qa');
  });

  test('the stream name parameter lists the configured streams, with the first as example', () => {
    const parameter = (publishSpec(bundled, config).components as JsonObject).parameters as JsonObject;
    const streamName = Object.values(parameter).find((p) => isJsonObject(p) && p.name === 'stream-name') as JsonObject;
    expect(streamName.example).toBe('clicks');
    expect(streamName.schema).toMatchObject({ type: 'string', enum: ['clicks', 'logs'], example: 'clicks' });
  });

  test('an optional string query parameter without a default says absent means empty; others are left alone', () => {
    const doc = publishSpec(bundled, config);
    const query = listOperations(doc).flatMap(({ operation }) =>
      ((operation.parameters as JsonValue[] | undefined) ?? []).map((p) =>
        isJsonObject(p) && typeof p.$ref === 'string' ? pointer(doc, p.$ref) : p,
      ),
    );
    const byName = new Map(query.filter(isJsonObject).map((p) => [String(p.name), p]));
    expect((byName.get('starting-sequence-number')?.schema as JsonObject).default).toBe('');
    expect((byName.get('shard-iterator-type')?.schema as JsonObject).default).toBe('TRIM_HORIZON');
    expect((byName.get('shard-id')?.schema as JsonObject).default).toBeUndefined();
    expect((byName.get('timestamp')?.schema as JsonObject).default).toBeUndefined();
  });

  test('keeps the security of the configured auth mode only', () => {
    const apiKey = publishSpec(bundled, config);
    expect(apiKey.security).toEqual([{ api_key: [] }]);
    expect(Object.keys((apiKey.components as JsonObject).securitySchemes as JsonObject)).toEqual(['api_key']);
    const iam = publishSpec(bundled, { ...config, auth: 'iam' });
    expect(Object.keys((iam.components as JsonObject).securitySchemes as JsonObject)).toEqual(['sigv4']);
    expect(publishSpec(bundled, { ...config, auth: 'none' }).security).toEqual([]);
  });

  test('a record is one of two shapes, with data or with dataBase64, and the exclusivity holds as before', () => {
    const doc = publishSpec(bundled, config);
    const record = ((doc.components as JsonObject).schemas as JsonObject).RecordEntry as JsonObject;
    expect(record.allOf).toBeUndefined();
    expect((record.oneOf as JsonObject[]).map((s) => s.required)).toEqual([['data'], ['dataBase64']]);
    const valid = validatorOf(doc, 'RecordEntry');
    expect(valid({ data: { a: 1 }, partitionKey: 'k' })).toBe(true);
    expect(valid({ dataBase64: 'aGk=' })).toBe(true);
    expect(valid({ data: 'x', dataBase64: 'aGk=' })).toBe(false);
    expect(valid({ partitionKey: 'k' })).toBe(false);
  });

  test("every operation's request examples are valid against the published schema", () => {
    const doc = publishSpec(bundled, config);
    const valid = { putRecord: validatorOf(doc, 'RecordEntry'), putRecords: validatorOf(doc, 'PutRecordsRequest') };
    const examples = listOperations(doc).flatMap(({ operation }) => {
      const json =
        (((operation.requestBody as JsonObject | undefined)?.content as JsonObject | undefined)?.[
          'application/json'
        ] as JsonObject | undefined) ?? {};
      const values = [
        json.example,
        ...Object.values((json.examples as JsonObject | undefined) ?? {}).map((e) => (e as JsonObject).value),
      ].filter((v) => v !== undefined);
      return values.map((value) => ({ id: String(operation.operationId), value }));
    });
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const { id, value } of examples)
      expect({ id, valid: valid[id as keyof typeof valid](value) }).toEqual({ id, valid: true });
    const batchExample = (((doc.components as JsonObject).schemas as JsonObject).PutRecordsRequest as JsonObject)
      .example;
    expect(valid.putRecords(batchExample)).toBe(true);
  });

  test('an explicit hash key is 0 to 2^128 - 1 exactly', () => {
    const doc = publishSpec(bundled, config);
    const valid = validatorOf(doc, 'RecordEntry');
    const max = (2n ** 128n - 1n).toString();
    expect(valid({ data: 1, explicitHashKey: max })).toBe(true);
    expect(valid({ data: 1, explicitHashKey: '0' })).toBe(true);
    expect(valid({ data: 1, explicitHashKey: (2n ** 128n).toString() })).toBe(false);
    expect(valid({ data: 1, explicitHashKey: '9'.repeat(39) })).toBe(false);
  });

  test('the Read tag lists getting an iterator before reading records, and Write keeps its order', () => {
    const doc = publishSpec(bundled, config);
    const byTag = (tag: string): string[] =>
      listOperations(doc)
        .filter(({ operation }) => (operation.tags as string[]).includes(tag))
        .map(({ operation }) => String(operation.operationId));
    expect(byTag('Read')).toEqual(['getShardIterator', 'getRecords']);
    expect(byTag('Write')).toEqual(['putRecord', 'putRecords']);
    expect(JSON.stringify(doc.tags)).not.toContain('x-operation-order');
  });

  test('an x-operation-order that names no operation is an error that says so', () => {
    const broken = { ...bundled, tags: [{ name: 'Read', 'x-operation-order': ['getShardIterators'] }] };
    expect(() => publishSpec(broken, config)).toThrow(/getShardIterators, which is no operationId/);
  });

  test('JSON and YAML forms carry the same document', () => {
    const doc = publishSpec(bundled, config);
    expect(parseYaml(publishedYaml(doc))).toEqual(JSON.parse(publishedJson(doc)));
  });
});

describe('decimalRangePattern', () => {
  test.each(['0', '7', '10', '255', '1000', '340282366920938463463374607431768211455'])(
    'matches exactly 0 to %s',
    (max) => {
      const pattern = new RegExp(decimalRangePattern(max));
      const top = BigInt(max);
      const samples = [
        0n,
        1n,
        top,
        top + 1n,
        top - 1n,
        top / 2n,
        top * 10n,
        10n ** BigInt(max.length - 1),
        10n ** BigInt(max.length),
      ].filter((n) => n >= 0n);
      for (const n of samples)
        expect({ n: n.toString(), ok: pattern.test(n.toString()) }).toEqual({ n: n.toString(), ok: n <= top });
      for (let n = 0n; n <= 300n; n += 1n)
        expect({ n: n.toString(), ok: pattern.test(n.toString()) }).toEqual({ n: n.toString(), ok: n <= top });
      expect(pattern.test('01')).toBe(false);
      expect(pattern.test('')).toBe(false);
    },
  );
});
