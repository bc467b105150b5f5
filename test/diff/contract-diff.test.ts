/**
 * The contract diff on this project's published spec, changed in memory: each kind of change is
 * classified with its reason, and what the library leaves unclassified is settled where it can be.
 */
import { publishedSpecOf } from '../../api-diff/published-spec';
import { diffContracts, type ContractChange } from '../../api-diff/contract-diff';
import type { OpenApiDocument } from '../../spec-renderer';
import { PROJECT_DIR } from './project-repo';

/** The spec as plain nested records, for tests that edit it. */
type Editable = { [key: string]: any };

let published: OpenApiDocument;
beforeAll(async () => {
  published = await publishedSpecOf(PROJECT_DIR);
});

function changed(edit: (spec: Editable) => void): ContractChange[] {
  const after = structuredClone(published) as Editable;
  edit(after);
  return diffContracts(published, after as OpenApiDocument);
}

/** The record schema's alternatives: the published spec says "exactly one of data, dataBase64" as a oneOf. */
const recordEntries = (s: Editable): Editable[] => s.components.schemas.RecordEntry.oneOf;

const brief = (changes: ContractChange[]): string[] =>
  changes.map((c) => `${c.severity} | ${c.operation ?? ''} | ${c.reason}`);
const RECORD = '/streams/{stream-name}/record';

test('the published spec has no API Gateway internals, and the same spec has no changes', () => {
  expect(JSON.stringify(published)).not.toContain('x-amazon-apigateway');
  expect(diffContracts(published, structuredClone(published))).toEqual([]);
});

test('removing an operation is breaking; adding one is not', () => {
  expect(brief(changed((s) => delete s.paths['/streams/{stream-name}/shards']))).toEqual([
    'breaking | GET /streams/{stream-name}/shards | removed operation',
  ]);
  expect(
    brief(
      changed((s) => (s.paths['/streams/{stream-name}/summary'] = structuredClone(s.paths['/streams/{stream-name}']))),
    ),
  ).toEqual(['non-breaking | GET /streams/{stream-name}/summary | new operation']);
});

test('a new required field in a request is breaking, once per operation that takes it; an optional one is not', () => {
  expect(brief(changed((s) => recordEntries(s).forEach((r) => r.required.push('partitionKey'))))).toEqual([
    `breaking | PUT ${RECORD} | new required field \`partitionKey\``,
    'breaking | PUT /streams/{stream-name}/records | new required field `partitionKey`',
  ]);
  expect(brief(changed((s) => recordEntries(s).forEach((r) => (r.properties.source = { type: 'string' }))))).toEqual([
    `non-breaking | PUT ${RECORD} | new optional field \`source\``,
    'non-breaking | PUT /streams/{stream-name}/records | new optional field `source`',
  ]);
});

test('a parameter made required, a narrowed enum, a changed type: breaking', () => {
  expect(brief(changed((s) => (s.components.parameters.Limit.required = true)))).toEqual([
    'breaking | GET /streams/{stream-name}/records | new required parameter',
  ]);
  expect(brief(changed((s) => s.components.parameters.ShardIteratorType.schema.enum.pop()))).toEqual([
    'breaking | GET /streams/{stream-name}/sharditerator | narrowed enum: AT_TIMESTAMP is no longer accepted',
  ]);
  expect(
    brief(changed((s) => recordEntries(s).forEach((r) => (r.properties.partitionKey.type = 'integer')))),
  ).toContain(`breaking | PUT ${RECORD} | narrowed type: string → integer`);
});

test('a removed response field and a removed status code: breaking', () => {
  expect(brief(changed((s) => delete s.components.schemas.PutRecordResponse.properties.shardId))).toEqual([
    `breaking | PUT ${RECORD} | removed response field \`shardId\``,
  ]);
  expect(brief(changed((s) => delete s.paths['/streams/{stream-name}/records'].get.responses['410']))).toEqual([
    'breaking | GET /streams/{stream-name}/records | changed status code: 410 is no longer answered',
  ]);
});

test('bounds: tighter on a request breaks, looser does not; on a response the other way round', () => {
  const tighter = changed((s) => recordEntries(s).forEach((r) => (r.properties.partitionKey.maxLength = 128)));
  expect(tighter.map((c) => c.severity)).toEqual(['breaking', 'breaking']);
  expect(tighter[0].reason).toMatch(/^narrowed maxLength in a request/);
  const looser = changed((s) => recordEntries(s).forEach((r) => (r.properties.partitionKey.minLength = 0)));
  expect(looser.map((c) => `${c.severity} ${c.reason}`)).toEqual([
    'non-breaking widened minLength in a request',
    'non-breaking widened minLength in a request',
  ]);
  const response = changed((s) => (s.components.schemas.PutRecordResponse.properties.shardId.maxLength = 64));
  expect(response.map((c) => `${c.severity} ${c.reason}`)).toEqual(['non-breaking narrowed maxLength in a response']);
});

test('documentation changes are non-breaking, and every change names where it is', () => {
  const changes = changed((s) => (s.paths[RECORD].put.summary = 'Put a record'));
  expect(brief(changes)).toEqual([`non-breaking | PUT ${RECORD} | documentation`]);
  expect(changes[0].location).toBe('/paths/~1streams~1{stream-name}~1record/put/summary');
});
