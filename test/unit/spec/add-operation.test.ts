/**
 * openapi/README.md's worked example, followed to the letter: its `add-operation` blocks are
 * written into a copy of openapi/ (nothing else is touched), and the new operation is then served
 * by the local gateway against the embedded Kinesis, passes the import check and the lint rules,
 * and is in the Postman collection and the operation inventory. That the role grants it is checked
 * with the other role tests, in test/infra/kinesis-actions.test.ts, which loads CDK anyway.
 */
import { parseConfig } from '../../../config/ingest-config';
import { createKinesisCaller } from '../../../local/integration';
import { startLocalApi, type LocalApi } from '../../../local/start-local-api';
import { compileTemplate, renderTemplate } from '../../../local/vtl';
import { buildCollection, listRequests } from '../../../postman';
import {
  checkImport,
  listOperations,
  LOCAL_FACTS,
  operationInventory,
  renderDeployedSpec,
  type JsonObject,
  type OpenApiDocument,
} from '../../../spec-renderer';
import { redoclyLint } from '../../support/redocly-lint';
import { copyWithDocumentedOperation, type DocumentedCopy } from '../../support/documented-operation';

const STREAM = 'ingest-events';
const config = parseConfig({ stage: 'dev', streams: [{ name: STREAM }] });

let copy: DocumentedCopy;
let dir: string;
let specRoot: string;
let bundled: OpenApiDocument;
let api: LocalApi | undefined;

beforeAll(async () => {
  copy = await copyWithDocumentedOperation();
  ({ dir, specRoot, bundled } = copy);
  expect(copy.steps.map((s) => s.target)).toEqual([
    'paths/streams_{stream-name}_tags.yaml',
    'components/schemas/TagList.yaml',
    'openapi.yaml after "paths:"',
    'openapi.yaml after "  schemas:"',
    'templates/list-tags.response.vtl',
    'kinesis-iam.yaml append',
  ]);
}, 30_000);

afterAll(async () => {
  await api?.close();
  copy?.remove();
});

test('the inventory has it: route, Kinesis action, IAM action on the stream', () => {
  expect(operationInventory(bundled).find((e) => e.operationId === 'listTags')).toEqual({
    operationId: 'listTags',
    method: 'GET',
    route: '/streams/{stream-name}/tags',
    tag: 'Streams',
    integration: 'aws',
    kinesis: { action: 'ListTagsForStream', iamAction: 'kinesis:ListTagsForStream', resource: 'stream' },
  });
});

test('the rendered spec passes the import check, with the shared error responses added', () => {
  const rendered = renderDeployedSpec(bundled, config, LOCAL_FACTS);
  expect(checkImport(rendered)).toEqual([]);
  const op = listOperations(rendered).find((o) => o.operation.operationId === `listTags-${STREAM}`);
  expect(Object.keys(op?.operation.responses as JsonObject)).toEqual([
    '200',
    '400',
    '403',
    '404',
    '429',
    '502',
    '503',
    '504',
  ]);
  // Step 4's test, on the rendered template.
  const responses = (op?.operation['x-amazon-apigateway-integration'] as JsonObject).responses as Record<
    string,
    JsonObject
  >;
  const template = compileTemplate((responses['200'].responseTemplates as JsonObject)['application/json'] as string);
  const answer = { Tags: [{ Key: 'team', Value: 'data "platform"' }], HasMoreTags: false };
  expect(JSON.parse(renderTemplate(template, { body: JSON.stringify(answer) }).output)).toEqual({
    tags: [{ key: 'team', value: 'data "platform"' }],
    hasMoreTags: false,
  });
  expect(renderTemplate(template, { body: '{}' }).responseOverride.status).toBe(502);
});

test('the copy passes the lint rules', () => {
  const { status, output } = redoclyLint(dir);
  expect(output).toContain('Your API description is valid');
  expect(status).toBe(0);
});

test('the Postman collection has it, under its tag', async () => {
  const collection = await buildCollection(config, specRoot);
  const streams = collection.item.find((item) => item.name === 'Streams');
  expect(streams === undefined ? [] : listRequests({ item: [streams] }).map((r) => r.name)).toContain(
    "List a stream's tags",
  );
}, 20_000);

test('the local gateway serves it against the embedded Kinesis', async () => {
  api = await startLocalApi({
    config,
    specRoot,
    host: '127.0.0.1',
    port: 0,
    apiKey: 'add-operation-key',
    throttle: false,
  });
  const kinesis = createKinesisCaller();
  const tagged = await kinesis.call({
    endpoint: api.backend.endpoint,
    region: api.backend.region,
    action: 'AddTagsToStream',
    body: JSON.stringify({ StreamName: api.config.streams[0].physicalName, Tags: { team: 'data-platform' } }),
  });
  kinesis.close();
  expect([tagged.status, tagged.body]).toEqual([200, '']);
  const res = await fetch(`${api.url}/streams/${STREAM}/tags`, { headers: { 'x-api-key': 'add-operation-key' } });
  expect([res.status, await res.json()]).toEqual([
    200,
    { tags: [{ key: 'team', value: 'data-platform' }], hasMoreTags: false },
  ]);
  const other = await fetch(`${api.url}/streams/other/tags`, { headers: { 'x-api-key': 'add-operation-key' } });
  expect(other.status).toBe(404);
}, 20_000);
