import { parseConfig } from '../../../infra/config';
import { bundleSpec, LOCAL_FACTS, renderSpec } from '../../../lib/spec';
import { RouteTable } from '../../../local/gateway/routes';
import { selectIntegrationResponse } from '../../../local/gateway/response-mapping';

let routes: RouteTable;
beforeAll(async () => {
  routes = new RouteTable(renderSpec(await bundleSpec(), parseConfig({}), LOCAL_FACTS));
});

test('matches path templates and decodes parameters', () => {
  const match = routes.match('PUT', '/streams/my%2Dstream/record');
  expect(match?.operation.operationId).toBe('putRecord');
  expect(match?.pathParams).toEqual({ 'stream-name': 'my-stream' });
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
  expect(put).toMatchObject({ validateBody: true, validateParameters: true, requiresApiKey: true, integration: { type: 'aws', action: 'PutRecords', passthroughBehavior: 'never' } });
  const get = routes.match('GET', '/streams/s/records')?.operation;
  expect(get).toMatchObject({ validateBody: false, validateParameters: true, integration: { action: 'GetRecords' } });
});

test('integration responses are chosen by a full match of the status', () => {
  const responses = routes.match('PUT', '/streams/s/record')?.operation.integration.responses ?? [];
  expect([200, 400, 404, 429, 500, 503, 504].map((status) => selectIntegrationResponse(responses, status).statusCode)).toEqual([200, 400, 400, 400, 502, 503, 502]);
  // "4\d{2}" must not match 4000 or 14: the pattern is anchored
  expect(selectIntegrationResponse(responses, 4000).statusCode).toBe(200);
});
