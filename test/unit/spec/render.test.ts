import { parseConfig } from '../../../infra/config';
import { bundleSpec, isJsonObject, LOCAL_FACTS, listOperations, renderSpec, stripGatewayExtensions, type JsonObject, type OpenApiDocument } from '../../../lib/spec';

let bundled: OpenApiDocument;
beforeAll(async () => {
  bundled = await bundleSpec();
});

const facts = { region: 'eu-west-1', integrationRoleArn: 'arn:aws:iam::111122223333:role/ingest', accountId: '111122223333' };
const streams = [{ name: 'clicks' }, { name: 'logs' }];

function integration(doc: OpenApiDocument, path: string, method: string): JsonObject {
  return ((doc.paths[path] as JsonObject)[method] as JsonObject)['x-amazon-apigateway-integration'] as JsonObject;
}

describe('renderSpec', () => {
  test('fills region and role into every aws integration', () => {
    const doc = renderSpec(bundled, parseConfig({ streams }), facts);
    const put = integration(doc, '/streams/{stream-name}/record', 'put');
    expect(put.uri).toBe('arn:aws:apigateway:eu-west-1:kinesis:action/PutRecord');
    expect(put.credentials).toBe('arn:aws:iam::111122223333:role/ingest');
    expect(JSON.stringify(doc)).not.toMatch(/\{\{[A-Za-z]+\}\}/);
  });

  test('inlines mapping templates as text', () => {
    const doc = renderSpec(bundled, parseConfig({ streams }), facts);
    const templates = integration(doc, '/streams/{stream-name}/records', 'put').requestTemplates as JsonObject;
    expect(templates['application/json']).toEqual(expect.stringContaining('"Records": ['));
    expect(JSON.stringify(doc['x-amazon-apigateway-gateway-responses'])).not.toContain('$ref');
    expect(JSON.stringify(integration(doc, '/streams/{stream-name}/records', 'put'))).not.toContain('$ref');
  });

  test('scopes the resource policy to the configured streams', () => {
    const doc = renderSpec(bundled, parseConfig({ streams }), facts);
    const policy = doc['x-amazon-apigateway-policy'] as { Statement: JsonObject[] };
    const deny = policy.Statement.find((s) => s.Effect === 'Deny');
    expect(deny?.NotResource).toEqual([
      'execute-api:/*/GET/streams',
      'execute-api:/*/*/streams/clicks',
      'execute-api:/*/*/streams/clicks/*',
      'execute-api:/*/*/streams/logs',
      'execute-api:/*/*/streams/logs/*',
      'execute-api:/*/OPTIONS/*',
    ]);
  });

  test('lists the configured streams in the GET /streams template', () => {
    const doc = renderSpec(bundled, parseConfig({ streams }), facts);
    const response = (integration(doc, '/streams', 'get').responses as JsonObject).default as JsonObject;
    expect((response.responseTemplates as JsonObject)['application/json']).toContain('#set($names = ["clicks","logs"])');
  });

  test.each([
    ['apiKey', [{ api_key: [] }], ['api_key'], '*'],
    ['iam', [{ sigv4: [] }], ['sigv4'], { AWS: 'arn:aws:iam::111122223333:root' }],
    ['none', [], [], '*'],
  ])('auth %s: security, schemes and invoke principal', (auth, security, schemes, principal) => {
    const doc = renderSpec(bundled, parseConfig({ streams, auth }), facts);
    expect(doc.security).toEqual(security);
    expect(Object.keys(((doc.components as JsonObject).securitySchemes as JsonObject | undefined) ?? {})).toEqual(schemes);
    const allow = (doc['x-amazon-apigateway-policy'] as { Statement: JsonObject[] }).Statement.find((s) => s.Effect === 'Allow');
    expect(allow?.Principal).toEqual(principal);
  });

  test('without a CORS origin there is no preflight', () => {
    const doc = renderSpec(bundled, parseConfig({ streams }), facts);
    expect(listOperations(doc).filter((o) => o.method === 'options')).toEqual([]);
  });

  test('with a CORS origin every path has a preflight and every response the origin header', () => {
    const doc = renderSpec(bundled, parseConfig({ streams, corsAllowOrigin: 'https://app.example.com' }), facts);
    const preflights = listOperations(doc).filter((o) => o.method === 'options');
    expect(preflights).toHaveLength(Object.keys(doc.paths).length);
    for (const { operation, method } of listOperations(doc)) {
      const responses = (operation['x-amazon-apigateway-integration'] as JsonObject).responses as JsonObject;
      for (const response of Object.values(responses)) {
        const params = (response as JsonObject).responseParameters as JsonObject;
        expect([method, params['method.response.header.Access-Control-Allow-Origin']]).toEqual([method, "'https://app.example.com'"]);
      }
    }
    for (const response of Object.values(doc['x-amazon-apigateway-gateway-responses'] as JsonObject)) {
      expect(((response as JsonObject).responseParameters as JsonObject)['gatewayresponse.header.Access-Control-Allow-Origin']).toBe("'https://app.example.com'");
    }
  });

  test('stripping the gateway extensions leaves no trace of them or of the role', () => {
    const doc = stripGatewayExtensions(renderSpec(bundled, parseConfig({ streams }), LOCAL_FACTS));
    const text = JSON.stringify(doc);
    expect(text).not.toContain('x-amazon-apigateway');
    expect(text).not.toContain('arn:aws:iam');
    expect(isJsonObject(doc.paths['/streams/{stream-name}/record'])).toBe(true);
  });
});
