import { parseConfig } from '../../../config/ingest-config';
import {
  apiName,
  bundleSpec,
  checkImport,
  isJsonObject,
  listOperations,
  publishSpec,
  renderDeployedSpec,
  type JsonObject,
  type OpenApiDocument,
} from '../../../spec-renderer';

let bundled: OpenApiDocument;
beforeAll(async () => {
  bundled = await bundleSpec();
});

const facts = {
  region: 'eu-west-1',
  integrationRoleArn: 'arn:aws:iam::111122223333:role/ingest',
  accountId: '111122223333',
};
const streams = [{ name: 'clicks' }, { name: 'logs' }];

function integration(doc: OpenApiDocument, path: string, method: string): JsonObject {
  return ((doc.paths[path] as JsonObject)[method] as JsonObject)['x-amazon-apigateway-integration'] as JsonObject;
}

describe('renderDeployedSpec', () => {
  test('fills region and role into every aws integration', () => {
    const doc = renderDeployedSpec(bundled, parseConfig({ streams }), facts);
    const put = integration(doc, '/streams/clicks/record', 'put');
    expect(put.uri).toBe('arn:aws:apigateway:eu-west-1:kinesis:action/PutRecord');
    expect(put.credentials).toBe('arn:aws:iam::111122223333:role/ingest');
    expect(JSON.stringify(doc)).not.toMatch(/\{\{[A-Za-z]+\}\}/);
  });

  test('inlines mapping templates as text', () => {
    const doc = renderDeployedSpec(bundled, parseConfig({ streams }), facts);
    const templates = integration(doc, '/streams/clicks/records', 'put').requestTemplates as JsonObject;
    expect(templates['application/json']).toEqual(expect.stringContaining('"Records": ['));
    expect(JSON.stringify(doc['x-amazon-apigateway-gateway-responses'])).not.toContain('$ref');
    expect(JSON.stringify(integration(doc, '/streams/clicks/records', 'put'))).not.toContain('$ref');
  });

  test('has no resource policy: stream scoping is by routes', () => {
    for (const auth of ['apiKey', 'iam', 'none']) {
      expect(
        renderDeployedSpec(bundled, parseConfig({ streams, auth }), facts)['x-amazon-apigateway-policy'],
      ).toBeUndefined();
    }
  });

  test('lists the configured streams in the GET /streams template', () => {
    const doc = renderDeployedSpec(bundled, parseConfig({ streams }), facts);
    const response = (integration(doc, '/streams', 'get').responses as JsonObject).default as JsonObject;
    expect((response.responseTemplates as JsonObject)['application/json']).toContain(
      '#set($names = ["clicks","logs"])',
    );
  });

  test.each([
    ['apiKey', [{ api_key: [] }], ['api_key']],
    ['iam', [{ sigv4: [] }], ['sigv4']],
    ['none', [], []],
  ])('auth %s: the requirement on every operation, none at the root, one scheme', (auth, security, schemes) => {
    const doc = renderDeployedSpec(bundled, parseConfig({ streams, auth }), facts);
    expect(doc.security).toBeUndefined();
    for (const { operation } of listOperations(doc)) expect(operation.security).toEqual(security);
    expect(Object.keys(((doc.components as JsonObject).securitySchemes as JsonObject | undefined) ?? {})).toEqual(
      schemes,
    );
  });

  test('without a CORS origin there is no preflight', () => {
    const doc = renderDeployedSpec(bundled, parseConfig({ streams }), facts);
    expect(listOperations(doc).filter((o) => o.method === 'options')).toEqual([]);
  });

  test('with a CORS origin every path has a preflight and every response the origin header', () => {
    const doc = renderDeployedSpec(
      bundled,
      parseConfig({ streams, corsAllowOrigin: 'https://app.example.com' }),
      facts,
    );
    const preflights = listOperations(doc).filter((o) => o.method === 'options');
    expect(preflights).toHaveLength(Object.keys(doc.paths).length);
    for (const { operation, method } of listOperations(doc)) {
      const responses = (operation['x-amazon-apigateway-integration'] as JsonObject).responses as JsonObject;
      for (const response of Object.values(responses)) {
        const params = (response as JsonObject).responseParameters as JsonObject;
        expect([method, params['method.response.header.Access-Control-Allow-Origin']]).toEqual([
          method,
          "'https://app.example.com'",
        ]);
      }
    }
    for (const response of Object.values(doc['x-amazon-apigateway-gateway-responses'] as JsonObject)) {
      expect(
        ((response as JsonObject).responseParameters as JsonObject)[
          'gatewayresponse.header.Access-Control-Allow-Origin'
        ],
      ).toBe("'https://app.example.com'");
    }
  });

  describe.each(['apiKey', 'iam', 'none'])('the Body imported with auth %s', (auth) => {
    test.each([undefined, 'https://app.example.com'])(
      'CORS %s: per-operation security, no response $ref, every mapped header declared, no customized 413, the API name as title',
      (cors) => {
        const config = parseConfig({
          stage: 'qa',
          streams,
          auth,
          ...(cors === undefined ? {} : { corsAllowOrigin: cors }),
        });
        const doc = renderDeployedSpec(bundled, config, facts);
        expect(checkImport(doc)).toEqual([]);
        for (const { operation, method } of listOperations(doc)) {
          expect(Array.isArray(operation.security)).toBe(true);
          if (method === 'options') expect(operation.security).toEqual([]);
          for (const response of Object.values(operation.responses as JsonObject))
            expect(response).not.toHaveProperty('$ref');
        }
        expect((doc.components as JsonObject).responses).toBeUndefined();
        expect(doc['x-amazon-apigateway-gateway-responses']).not.toHaveProperty('REQUEST_TOO_LARGE');
        expect(JSON.stringify(doc)).not.toContain('NotResource');
        expect((doc.info as JsonObject).title).toBe(apiName(config));
        expect(apiName(config)).toBe('kinesis-ingest-qa');
      },
    );
  });

  test('one resource per configured stream, the Kinesis name fixed in its templates and the path parameter gone', () => {
    const doc = renderDeployedSpec(bundled, parseConfig({ streams }), facts);
    expect(Object.keys(doc.paths).filter((p) => p.includes('{'))).toEqual([]);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/streams', '/streams/clicks', '/streams/logs/record', '/streams/clicks/sharditerator']),
    );
    const put = integration(doc, '/streams/logs/record', 'put');
    expect((put.requestTemplates as JsonObject)['application/json']).toContain('"StreamName": "logs-dev"');
    const item = doc.paths['/streams/logs/record'] as JsonObject;
    expect(item.parameters).toBeUndefined();
    expect((item.put as JsonObject).operationId).toBe('putRecord-logs');
  });

  test("the fixed name is the Kinesis stream's own (physicalName), the path the API name", () => {
    const base = parseConfig({ streams: [{ name: 'clicks' }] });
    const config = { ...base, streams: [{ ...base.streams[0], physicalName: 'clicks-prod' }] };
    const doc = renderDeployedSpec(bundled, config, facts);
    expect(
      (integration(doc, '/streams/clicks/record', 'put').requestTemplates as JsonObject)['application/json'],
    ).toContain('"StreamName": "clicks-prod"');
  });

  test('past 300 resources per API the render fails, naming the quota', () => {
    const raw = { streams: Array.from({ length: 60 }, (_, i) => ({ name: `s${i}` })) };
    expect(() => parseConfig(raw)).toThrow(/at most 59 fit API Gateway's quota of 300 resources per API/);
    const one = parseConfig({ streams: [{ name: 's' }] });
    const many = { ...one, streams: raw.streams.map((s) => ({ ...one.streams[0], ...s, physicalName: s.name })) };
    expect(() => renderDeployedSpec(bundled, many, facts)).toThrow(/quota of 300/);
    expect(() => renderDeployedSpec(bundled, { ...many, streams: many.streams.slice(0, 59) }, facts)).not.toThrow();
  });

  test('the published spec has no trace of the gateway extensions or of the role', () => {
    const doc = publishSpec(bundled, parseConfig({ streams }));
    const text = JSON.stringify(doc);
    expect(text).not.toContain('x-amazon-apigateway');
    expect(text).not.toContain('arn:aws:iam');
    expect(isJsonObject(doc.paths['/streams/{stream-name}/record'])).toBe(true);
  });
});
