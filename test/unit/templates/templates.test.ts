/**
 * Each mapping template of the spec, rendered as API Gateway renders it, against example requests
 * and example Kinesis answers. The output must be the JSON Kinesis (or the client) expects.
 */
import { parseConfig } from '../../../infra/config';
import { bundleSpec, LOCAL_FACTS, listOperations, renderSpec, type JsonObject, type OpenApiDocument } from '../../../lib/spec';
import { renderTemplate, type RenderResult, type TemplateRequest } from '../../../local/vtl';

let spec: OpenApiDocument;
beforeAll(async () => {
  spec = renderSpec(await bundleSpec(), parseConfig({ streams: [{ name: 'clicks' }, { name: 'logs' }] }), LOCAL_FACTS);
});

function integrationOf(operationId: string): JsonObject {
  const found = listOperations(spec).find((o) => o.operation.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId}`);
  return found.operation['x-amazon-apigateway-integration'] as JsonObject;
}

function requestTemplate(operationId: string): string {
  return (integrationOf(operationId).requestTemplates as JsonObject)['application/json'] as string;
}

function responseTemplate(operationId: string, pattern = 'default'): string {
  const response = (integrationOf(operationId).responses as JsonObject)[pattern] as JsonObject;
  return (response.responseTemplates as JsonObject)['application/json'] as string;
}

const CONTEXT = { requestId: 'req-1' };
const onStream = (body: unknown, extra: Partial<TemplateRequest> = {}): TemplateRequest => ({
  body: typeof body === 'string' ? body : JSON.stringify(body),
  path: { 'stream-name': 'clicks' },
  context: CONTEXT,
  ...extra,
});
const json = (result: RenderResult): unknown => JSON.parse(result.output);
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

describe('putRecord request', () => {
  const render = (body: unknown): unknown => json(renderTemplate(requestTemplate('putRecord'), onStream(body)));

  test('a JSON object is stored as its compact JSON', () => {
    expect(render({ data: { a: 1, b: ['x', { c: null }] }, partitionKey: 'k' })).toEqual({
      StreamName: 'clicks',
      Data: b64('{"a":1,"b":["x",{"c":null}]}'),
      PartitionKey: 'k',
    });
  });

  test('a string is stored as its characters, without quotes', () => {
    expect(render({ data: 'say "hi" \\ é ☃', partitionKey: 'k' })).toMatchObject({ Data: b64('say "hi" \\ é ☃') });
  });

  test('numbers, booleans and null are stored as JSON text', () => {
    expect(render({ data: 12.5 })).toMatchObject({ Data: b64('12.5') });
    expect(render({ data: true })).toMatchObject({ Data: b64('true') });
    expect(render({ data: null })).toMatchObject({ Data: b64('null') });
    expect(render({ data: [1, 'two'] })).toMatchObject({ Data: b64('[1,"two"]') });
  });

  test('dataBase64 is passed on as the bytes it encodes', () => {
    expect(render({ dataBase64: 'AAEC/w==' })).toMatchObject({ Data: 'AAEC/w==' });
  });

  test('without a partition key the request id is used', () => {
    expect(render({ data: 'x' })).toMatchObject({ PartitionKey: 'req-1' });
  });

  test("a partition key with quotes, apostrophes and unicode stays valid JSON", () => {
    expect(render({ data: 'x', partitionKey: `it's "k" \\ ☃` })).toMatchObject({ PartitionKey: `it's "k" \\ ☃` });
  });

  test('an explicit hash key is passed on only when given', () => {
    expect(render({ data: 'x', explicitHashKey: '42' })).toMatchObject({ ExplicitHashKey: '42' });
    expect(render({ data: 'x' })).not.toHaveProperty('ExplicitHashKey');
  });
});

describe('putRecords request', () => {
  const render = (body: unknown): { StreamName: string; Records: Array<Record<string, string>> } =>
    json(renderTemplate(requestTemplate('putRecords'), onStream(body))) as { StreamName: string; Records: Array<Record<string, string>> };

  test('each entry is encoded as PutRecord encodes its record, in order', () => {
    expect(render({ records: [{ data: { n: 1 }, partitionKey: 'a' }, { data: 'two' }, { dataBase64: 'Mw==', explicitHashKey: '7' }] })).toEqual({
      StreamName: 'clicks',
      Records: [
        { Data: b64('{"n":1}'), PartitionKey: 'a' },
        { Data: b64('two'), PartitionKey: 'req-1-1' },
        { Data: 'Mw==', PartitionKey: 'req-1-2', ExplicitHashKey: '7' },
      ],
    });
  });

  test('500 entries render to 500 records', () => {
    const records = Array.from({ length: 500 }, (_, i) => ({ data: { i }, partitionKey: `p${i}` }));
    const out = render({ records });
    expect(out.Records).toHaveLength(500);
    expect(out.Records[499]).toEqual({ Data: b64('{"i":499}'), PartitionKey: 'p499' });
  });

  test('an empty batch renders an empty list (Kinesis rejects it)', () => {
    expect(render({ records: [] }).Records).toEqual([]);
  });
});

describe('read and describe requests', () => {
  test('getShardIterator defaults to TRIM_HORIZON', () => {
    const out = json(renderTemplate(requestTemplate('getShardIterator'), onStream('', { querystring: { 'shard-id': 'shardId-000000000000' } })));
    expect(out).toEqual({ StreamName: 'clicks', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' });
  });

  test('getShardIterator passes a timestamp on with AT_TIMESTAMP and a sequence number with AT_/AFTER_SEQUENCE_NUMBER, each only there', () => {
    const both = { 'shard-id': 's', timestamp: '1795000000.5', 'starting-sequence-number': '123' };
    const render = (type: string): unknown => json(renderTemplate(requestTemplate('getShardIterator'), onStream('', { querystring: { ...both, 'shard-iterator-type': type } })));
    expect(render('AT_TIMESTAMP')).toEqual({ StreamName: 'clicks', ShardId: 's', ShardIteratorType: 'AT_TIMESTAMP', Timestamp: 1795000000.5 });
    expect(render('AT_SEQUENCE_NUMBER')).toEqual({ StreamName: 'clicks', ShardId: 's', ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: '123' });
    expect(render('AFTER_SEQUENCE_NUMBER')).toEqual({ StreamName: 'clicks', ShardId: 's', ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: '123' });
    expect(render('TRIM_HORIZON')).toEqual({ StreamName: 'clicks', ShardId: 's', ShardIteratorType: 'TRIM_HORIZON' });
    expect(render('LATEST')).toEqual({ StreamName: 'clicks', ShardId: 's', ShardIteratorType: 'LATEST' });
  });

  test('getShardIterator keeps hostile values inside JSON strings', () => {
    const out = json(renderTemplate(requestTemplate('getShardIterator'), onStream('', { querystring: { 'shard-id': `x", "Evil": "1`, 'shard-iterator-type': 'AT_TIMESTAMP', timestamp: 'soon' } })));
    expect(out).toEqual({ StreamName: 'clicks', ShardId: `x", "Evil": "1`, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: 'soon' });
  });

  test('getRecords reads the iterator header and the limit (default 1000)', () => {
    expect(json(renderTemplate(requestTemplate('getRecords'), onStream('', { headers: { 'Shard-Iterator': 'AAAA' } })))).toEqual({ ShardIterator: 'AAAA', Limit: 1000 });
    expect(json(renderTemplate(requestTemplate('getRecords'), onStream('', { headers: { 'shard-iterator': 'AAAA' }, querystring: { limit: '25' } })))).toEqual({
      ShardIterator: 'AAAA',
      Limit: 25,
    });
  });

  test('getRecords sends a limit that is not a whole number as 0, for Kinesis to reject', () => {
    expect(json(renderTemplate(requestTemplate('getRecords'), onStream('', { headers: { 'Shard-Iterator': 'A' }, querystring: { limit: '-5' } })))).toEqual({ ShardIterator: 'A', Limit: 0 });
  });

  test.each(['describeStream', 'listShards'])('%s names the stream', (operationId) => {
    expect(json(renderTemplate(requestTemplate(operationId), onStream('')))).toEqual({ StreamName: 'clicks' });
  });

  test('listStreams is a mock answered 200', () => {
    expect(json(renderTemplate(requestTemplate('listStreams'), onStream('')))).toEqual({ statusCode: 200 });
  });
});

describe('responses', () => {
  test('listStreams lists the configured streams', () => {
    expect(json(renderTemplate(responseTemplate('listStreams'), onStream('')))).toEqual({ streams: [{ name: 'clicks' }, { name: 'logs' }] });
  });

  test('describeStream maps the summary, defaulting mode and encryption', () => {
    const body = { StreamDescriptionSummary: { StreamName: 'clicks', StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/clicks', StreamStatus: 'ACTIVE', OpenShardCount: 2, RetentionPeriodHours: 24 } };
    expect(json(renderTemplate(responseTemplate('describeStream'), onStream(body)))).toEqual({
      name: 'clicks',
      arn: 'arn:aws:kinesis:us-east-1:000000000000:stream/clicks',
      status: 'ACTIVE',
      mode: 'PROVISIONED',
      openShardCount: 2,
      retentionPeriodHours: 24,
      encryptionType: 'NONE',
    });
    const full = { StreamDescriptionSummary: { ...body.StreamDescriptionSummary, StreamModeDetails: { StreamMode: 'ON_DEMAND' }, EncryptionType: 'KMS' } };
    expect(json(renderTemplate(responseTemplate('describeStream'), onStream(full)))).toMatchObject({ mode: 'ON_DEMAND', encryptionType: 'KMS' });
  });

  test('listShards maps shards, with a parent and an end only when present', () => {
    const body = {
      Shards: [
        { ShardId: 's0', HashKeyRange: { StartingHashKey: '0', EndingHashKey: '9' }, SequenceNumberRange: { StartingSequenceNumber: '1', EndingSequenceNumber: '5' } },
        { ShardId: 's1', ParentShardId: 's0', HashKeyRange: { StartingHashKey: '0', EndingHashKey: '9' }, SequenceNumberRange: { StartingSequenceNumber: '6' } },
      ],
    };
    expect(json(renderTemplate(responseTemplate('listShards'), onStream(body)))).toEqual({
      shards: [
        { shardId: 's0', hashKeyRange: { startingHashKey: '0', endingHashKey: '9' }, sequenceNumberRange: { startingSequenceNumber: '1', endingSequenceNumber: '5' } },
        { shardId: 's1', parentShardId: 's0', hashKeyRange: { startingHashKey: '0', endingHashKey: '9' }, sequenceNumberRange: { startingSequenceNumber: '6' } },
      ],
    });
  });

  test('putRecord answers shard and sequence number', () => {
    expect(json(renderTemplate(responseTemplate('putRecord'), onStream({ ShardId: 's0', SequenceNumber: '42' })))).toEqual({ shardId: 's0', sequenceNumber: '42' });
  });

  test('putRecords keeps request order, marks failures and sets the failure count header', () => {
    const result = renderTemplate(
      responseTemplate('putRecords'),
      onStream({ FailedRecordCount: 1, Records: [{ ShardId: 's0', SequenceNumber: '1' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal "service" failure' }] }),
    );
    expect(json(result)).toEqual({
      failedRecordCount: 1,
      records: [{ shardId: 's0', sequenceNumber: '1' }, { errorCode: 'InternalFailure', errorMessage: 'Internal "service" failure' }],
    });
    expect(result.responseOverride.headers['X-Failed-Record-Count']).toBe('1');
  });

  test('getShardIterator answers the iterator', () => {
    expect(json(renderTemplate(responseTemplate('getShardIterator'), onStream({ ShardIterator: 'AAAA' })))).toEqual({ shardIterator: 'AAAA' });
  });

  test('getRecords keeps data as base64 and the arrival time as a number', () => {
    const body = { Records: [{ Data: 'aGk=', PartitionKey: `k"'`, SequenceNumber: '1', ApproximateArrivalTimestamp: 1795000000.123 }], NextShardIterator: 'NEXT', MillisBehindLatest: 0 };
    expect(json(renderTemplate(responseTemplate('getRecords'), onStream(body)))).toEqual({
      records: [{ data: 'aGk=', partitionKey: `k"'`, sequenceNumber: '1', approximateArrivalTimestamp: 1795000000.123 }],
      nextShardIterator: 'NEXT',
      millisBehindLatest: 0,
    });
  });

  test('getRecords at the end of a closed shard has no next iterator', () => {
    expect(json(renderTemplate(responseTemplate('getRecords'), onStream({ Records: [], MillisBehindLatest: 0 })))).toEqual({ records: [], millisBehindLatest: 0 });
  });
});

describe('the Kinesis error template', () => {
  const render = (status: string, body: unknown): RenderResult => renderTemplate(responseTemplate('putRecord', status), onStream(body));

  test('names the error without its Exception suffix and keeps the message', () => {
    const result = render('4\\d{2}', { __type: 'ValidationException', message: "1 validation error: Value 'x' at \"data\"" });
    expect(json(result)).toEqual({ error: 'Validation', message: "1 validation error: Value 'x' at \"data\"" });
    expect(result.responseOverride.status).toBeUndefined();
  });

  test('throttling is 429 with Retry-After', () => {
    const result = render('4\\d{2}', { __type: 'ProvisionedThroughputExceededException', message: 'Rate exceeded' });
    expect(result.responseOverride).toMatchObject({ status: 429, headers: { 'Retry-After': '1' } });
  });

  test('reads a capitalised Message and a namespaced __type', () => {
    const result = render('4\\d{2}', { __type: 'com.amazon.coral.service#ExpiredIteratorException', Message: 'Iterator expired' });
    expect(json(result)).toEqual({ error: 'ExpiredIterator', message: 'Iterator expired' });
    expect(result.responseOverride.status).toBe(410);
  });

  test('an answer without a type is KinesisFailure', () => {
    expect(json(render('50[0-24-9]|5[1-9]\\d', {}))).toEqual({ error: 'KinesisFailure', message: '' });
  });
});
