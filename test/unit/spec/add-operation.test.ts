/**
 * openapi/README.md's worked example, followed to the letter: its `add-operation` blocks are
 * written into a copy of openapi/ (nothing else is touched), and the new operation is then served
 * by the local gateway against the embedded Kinesis, granted by the role, passes the import check
 * and the lint rules, and is in the Postman collection and the operation inventory.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Stream } from 'aws-cdk-lib/aws-kinesis';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../config/ingest-config';
import { IngestRole } from '../../../infra/ingest-role';
import { createKinesisCaller } from '../../../local/integration';
import { startLocalApi, type LocalApi } from '../../../local/start-local-api';
import { compileTemplate, renderTemplate } from '../../../local/vtl';
import { buildCollection, listRequests } from '../../../postman';
import {
  bundleSpec,
  checkImport,
  iamActionsByResource,
  listOperations,
  LOCAL_FACTS,
  operationInventory,
  renderDeployedSpec,
  type JsonObject,
  type OpenApiDocument,
} from '../../../spec-renderer';

const ROOT = join(__dirname, '..', '..', '..');
const STREAM = 'ingest-events';
const config = parseConfig({ stage: 'dev', streams: [{ name: STREAM }] });

interface Step {
  readonly target: string;
  readonly text: string;
}

/** The README's `<!-- add-operation: <file> [after "<line>" | append] -->` blocks, in order. */
function documentedSteps(): Step[] {
  const readme = readFileSync(join(ROOT, 'openapi', 'README.md'), 'utf8');
  return [...readme.matchAll(/<!-- add-operation: (.+?) -->\n```[a-z]*\n([\s\S]*?)```\n/g)].map((m) => ({ target: m[1], text: m[2] }));
}

/** Does what one step says, in the copy of openapi/ at `dir`. */
function apply(dir: string, { target, text }: Step): void {
  const after = /^(\S+) after "(.+)"$/.exec(target);
  const append = /^(\S+) append$/.exec(target);
  if (after) {
    const file = join(dir, after[1]);
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.indexOf(after[2]);
    if (at === -1) throw new Error(`${after[1]} has no line ${JSON.stringify(after[2])}`);
    lines.splice(at + 1, 0, text.replace(/\n$/, ''));
    writeFileSync(file, lines.join('\n'));
  } else if (append) {
    appendFileSync(join(dir, append[1]), text);
  } else {
    writeFileSync(join(dir, target), text);
  }
}

let dir: string;
let specRoot: string;
let bundled: OpenApiDocument;
let api: LocalApi | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'add-operation-'));
  cpSync(join(ROOT, 'openapi'), join(dir, 'openapi'), { recursive: true });
  cpSync(join(ROOT, 'redocly.yaml'), join(dir, 'redocly.yaml'));
  const steps = documentedSteps();
  expect(steps.map((s) => s.target)).toEqual([
    'paths/streams_{stream-name}_tags.yaml',
    'components/schemas/TagList.yaml',
    'openapi.yaml after "paths:"',
    'openapi.yaml after "  schemas:"',
    'templates/list-tags.response.vtl',
    'kinesis-iam.yaml append',
  ]);
  for (const step of steps) apply(join(dir, 'openapi'), step);
  specRoot = join(dir, 'openapi', 'openapi.yaml');
  bundled = await bundleSpec(specRoot);
}, 30_000);

afterAll(async () => {
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
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

test('the role grants it on the configured streams', () => {
  const stack = new Stack(new App(), 'AddOperation');
  const stream = Stream.fromStreamArn(stack, 'S', 'arn:aws:kinesis:eu-west-1:111122223333:stream/ingest-events-dev');
  const role = new IngestRole(stack, 'R', { actions: iamActionsByResource(operationInventory(bundled)), streams: [stream] });
  const policy = (Template.fromStack(stack).toJSON().Resources as Record<string, { Properties: { Policies?: Array<{ PolicyDocument: { Statement: JsonObject[] } }> } }>)[
    stack.getLogicalId(role.role.node.defaultChild as never)
  ].Properties.Policies?.[0].PolicyDocument.Statement[0];
  expect(policy).toMatchObject({ Sid: 'SpecKinesisActions', Resource: 'arn:aws:kinesis:eu-west-1:111122223333:stream/ingest-events-dev' });
  expect(policy?.Action).toContain('kinesis:ListTagsForStream');
});

test('the rendered spec passes the import check, with the shared error responses added', () => {
  const rendered = renderDeployedSpec(bundled, config, LOCAL_FACTS);
  expect(checkImport(rendered)).toEqual([]);
  const op = listOperations(rendered).find((o) => o.operation.operationId === `listTags-${STREAM}`);
  expect(Object.keys(op?.operation.responses as JsonObject)).toEqual(['200', '400', '403', '404', '429', '502', '503', '504']);
  // Step 4's test, on the rendered template.
  const responses = (op?.operation['x-amazon-apigateway-integration'] as JsonObject).responses as Record<string, JsonObject>;
  const template = compileTemplate((responses['200'].responseTemplates as JsonObject)['application/json'] as string);
  const answer = { Tags: [{ Key: 'team', Value: 'data "platform"' }], HasMoreTags: false };
  expect(JSON.parse(renderTemplate(template, { body: JSON.stringify(answer) }).output)).toEqual({ tags: [{ key: 'team', value: 'data "platform"' }], hasMoreTags: false });
  expect(renderTemplate(template, { body: '{}' }).responseOverride.status).toBe(502);
});

test('the copy passes the lint rules', () => {
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js'), 'lint', '--config', join(dir, 'redocly.yaml'), '--format', 'stylish'], {
    cwd: dir,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    encoding: 'utf8',
  });
  expect(`${result.stdout}${result.stderr}`).toContain('Your API description is valid');
  expect(result.status).toBe(0);
});

test('the Postman collection has it, under its tag', async () => {
  const collection = await buildCollection(config, specRoot);
  const streams = collection.item.find((item) => item.name === 'Streams');
  expect(streams === undefined ? [] : listRequests({ item: [streams] }).map((r) => r.name)).toContain("List a stream's tags");
}, 20_000);

test('the local gateway serves it against the embedded Kinesis', async () => {
  api = await startLocalApi({ config, specRoot, host: '127.0.0.1', port: 0, apiKey: 'add-operation-key', throttle: false });
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
  expect([res.status, await res.json()]).toEqual([200, { tags: [{ key: 'team', value: 'data-platform' }], hasMoreTags: false }]);
  const other = await fetch(`${api.url}/streams/other/tags`, { headers: { 'x-api-key': 'add-operation-key' } });
  expect(other.status).toBe(404);
}, 20_000);
