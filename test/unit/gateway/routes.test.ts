import { parseConfig } from '../../../config/ingest-config';
import { bundleSpec, LOCAL_FACTS, renderDeployedSpec } from '../../../spec-renderer';
import { RouteTable } from '../../../local/gateway/routes';
import { selectIntegrationResponse } from '../../../local/gateway/phases/integration-response';

let routes: RouteTable;
beforeAll(async () => {
  routes = new RouteTable(
    renderDeployedSpec(
      await bundleSpec(),
      parseConfig({ streams: [{ name: 's' }, { name: 'my-stream' }] }),
      LOCAL_FACTS,
    ),
  );
});

test('each configured stream is its own route; another name matches nothing', () => {
  expect(routes.match('PUT', '/streams/my-stream/record')?.operation.operationId).toBe('putRecord-my-stream');
  expect(routes.match('PUT', '/streams/other/record')).toBeUndefined();
  expect(routes.match('GET', '/streams/other')).toBeUndefined();
});

test('only operation-level security counts, as in API Gateway: a root requirement protects nothing', () => {
  const doc = {
    openapi: '3.0.3',
    security: [{ api_key: [] }],
    paths: {
      '/x': {
        get: {
          'x-amazon-apigateway-integration': {
            type: 'mock',
            requestTemplates: { 'application/json': '{"statusCode": 200}' },
            responses: { default: { statusCode: '200' } },
          },
        },
      },
    },
  };
  expect(new RouteTable(doc).match('GET', '/x')?.operation.requiresApiKey).toBe(false);
});

test('a literal path wins over a parameter', () => {
  expect(routes.match('GET', '/streams')?.operation.operationId).toBe('listStreams');
});

test('an unknown method or path matches nothing', () => {
  expect(routes.match('DELETE', '/streams/x')).toBeUndefined();
  expect(routes.match('GET', '/streams/x/y/z')).toBeUndefined();
});

test('operations know their validator, auth and Kinesis action', () => {
  const put = routes.match('PUT', '/streams/s/records')?.operation;
  expect(put).toMatchObject({
    validateBody: true,
    validateParameters: true,
    requiresApiKey: true,
    integration: { type: 'aws', action: 'PutRecords', passthroughBehavior: 'never' },
  });
  const get = routes.match('GET', '/streams/s/records')?.operation;
  expect(get).toMatchObject({ validateBody: false, validateParameters: true, integration: { action: 'GetRecords' } });
});

test('integration responses are chosen by a full match of the status', () => {
  const responses = routes.match('PUT', '/streams/s/record')?.operation.integration.responses ?? [];
  expect(
    [200, 204, 302, 400, 404, 429, 500, 503, 504].map(
      (status) => selectIntegrationResponse(responses, status).statusCode,
    ),
  ).toEqual([200, 502, 502, 400, 400, 400, 502, 503, 502]);
  // "4\d{2}" must not match 4000 or 14: the pattern is anchored, and default is never a success
  expect(selectIntegrationResponse(responses, 4000).statusCode).toBe(502);
});
