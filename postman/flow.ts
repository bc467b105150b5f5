/**
 * The order and the chaining of the collection (pure): each step's test script saves what the next
 * needs in collection variables, so one run is a real walk through the API: list streams,
 * describe, shards, put a record, put a batch, get an iterator, read, then read the record back
 * at its sequence number and compare it byte for byte with what was put. Negative requests last.
 */
import { isJsonObject, listOperations, type OpenApiDocument } from '../spec-renderer';
import { pmTest } from './schema-checks';

/**
 * Operation ids in the order they run, read from the published spec: by its tags (Streams, Write,
 * Read), and within a tag in the spec's order (publish.ts applies the tag's `x-operation-order`:
 * an iterator before a read). A new operation joins the walk under its tag.
 */
export function flowOrder(spec: OpenApiDocument): string[] {
  const tags = (Array.isArray(spec.tags) ? spec.tags : []).map((tag) => (isJsonObject(tag) ? tag.name : undefined));
  const rankOf = (operationTags: unknown): number => {
    const rank = Array.isArray(operationTags) ? tags.indexOf(operationTags[0] as string) : -1;
    return rank === -1 ? tags.length : rank;
  };
  return listOperations(spec)
    .filter(({ method }) => method !== 'options')
    .map(({ operation }, index) => ({ id: String(operation.operationId), rank: rankOf(operation.tags), index }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ id }) => id);
}

/** Folders (the spec's tags) in the order they run; the negative requests' folder comes last. */
export const ERRORS_FOLDER = 'Errors';

/** Collection variables the flow writes (with their starting values). */
export const FLOW_VARIABLES: Readonly<Record<string, { value: string; description: string }>> = {
  shardId: { value: 'shardId-000000000000', description: 'Set by "List a stream\'s shards": the first shard.' },
  shardIterator: { value: '', description: 'Set by "Get a shard iterator".' },
  putShardId: { value: '', description: 'Set by "Put one record": the shard it went to.' },
  putSequenceNumber: { value: '', description: 'Set by "Put one record": its sequence number.' },
  putPartitionKey: { value: '', description: 'Set by "Put one record": the partition key sent.' },
  putData: { value: '', description: 'Set by "Put one record": the stored bytes expected, as text or base64.' },
  putDataIsBase64: {
    value: 'false',
    description: 'Set by "Put one record": whether putData is base64 (dataBase64 was sent).',
  },
  readBackIterator: { value: '', description: 'Set by "Get an iterator at the record put".' },
};

/** Extra test lines per operation id, after the status and shape tests. */
export const FLOW_TESTS: Readonly<Record<string, readonly string[]>> = {
  listStreams: pmTest('the list names the streamName stream', [
    'const names = pm.response.json().streams.map(function (s) { return s.name; });',
    "pm.expect(names).to.include(pm.variables.get('streamName'));",
  ]),
  describeStream: pmTest('it describes the streamName stream, ACTIVE', [
    'const body = pm.response.json();',
    "pm.expect(body.name).to.equal(pm.variables.get('streamName'));",
    "pm.expect(body.status).to.equal('ACTIVE');",
  ]),
  listShards: pmTest('there is a shard to read (saved as shardId)', [
    'const shards = pm.response.json().shards;',
    'pm.expect(shards.length).to.be.above(0);',
    "pm.collectionVariables.set('shardId', shards[0].shardId);",
  ]),
  putRecord: pmTest('the record put is remembered for the read back', [
    'const sent = JSON.parse(pm.request.body.raw);',
    'const body = pm.response.json();',
    "pm.collectionVariables.set('putShardId', body.shardId);",
    "pm.collectionVariables.set('putSequenceNumber', body.sequenceNumber);",
    "pm.collectionVariables.set('putPartitionKey', sent.partitionKey || '');",
    "const isBase64 = typeof sent.dataBase64 === 'string';",
    "pm.collectionVariables.set('putDataIsBase64', String(isBase64));",
    // What the spec promises is stored: a string as its characters, any other JSON value compact.
    "pm.collectionVariables.set('putData', isBase64 ? sent.dataBase64 : typeof sent.data === 'string' ? sent.data : JSON.stringify(sent.data));",
    'pm.expect(body.sequenceNumber).to.match(/^\\d+$/);',
  ]),
  putRecords: pmTest('every record of the batch was written, in request order', [
    'const sent = JSON.parse(pm.request.body.raw);',
    'const body = pm.response.json();',
    'pm.expect(body.failedRecordCount).to.equal(0);',
    "pm.expect(pm.response.headers.get('X-Failed-Record-Count')).to.equal('0');",
    'pm.expect(body.records.length).to.equal(sent.records.length);',
    "body.records.forEach(function (r) { pm.expect(r).to.include.all.keys('shardId', 'sequenceNumber'); });",
  ]),
  getShardIterator: pmTest('the iterator is saved as shardIterator', [
    'const it = pm.response.json().shardIterator;',
    'pm.expect(it.length).to.be.above(0);',
    "pm.collectionVariables.set('shardIterator', it);",
  ]),
  getRecords: pmTest('records come back with data in base64', [
    'pm.response.json().records.forEach(function (r) {',
    '  pm.expect(r.data).to.match(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);',
    '});',
  ]),
};

/** Test lines of "Get an iterator at the record put". */
export const READ_BACK_ITERATOR_TESTS: readonly string[] = pmTest('the iterator is saved as readBackIterator', [
  'const it = pm.response.json().shardIterator;',
  'pm.expect(it.length).to.be.above(0);',
  "pm.collectionVariables.set('readBackIterator', it);",
]);

/** Test lines of "Read back the record put": the first record at its sequence number is it. */
export const READ_BACK_TESTS: readonly string[] = pmTest('the record read back is the record put, byte for byte', [
  'const records = pm.response.json().records;',
  'pm.expect(records.length, "records at the sequence number put").to.be.above(0);',
  'const record = records[0];',
  "pm.expect(record.sequenceNumber).to.equal(pm.collectionVariables.get('putSequenceNumber'));",
  "const key = pm.collectionVariables.get('putPartitionKey');",
  'if (key) { pm.expect(record.partitionKey).to.equal(key); }',
  "const expected = pm.collectionVariables.get('putData');",
  "if (pm.collectionVariables.get('putDataIsBase64') === 'true') {",
  '  pm.expect(record.data).to.equal(expected);',
  '} else {',
  "  const CryptoJS = require('crypto-js');",
  '  pm.expect(CryptoJS.enc.Base64.parse(record.data).toString(CryptoJS.enc.Utf8)).to.equal(expected);',
  '}',
]);
