/**
 * Each mapping template of the spec, rendered as API Gateway renders it, against example requests
 * and example Kinesis answers. The output must be the JSON Kinesis (or the client) expects.
 */
import { parseConfig } from '../../../config/ingest-config';
import {
  bundleSpec,
  LOCAL_FACTS,
  listOperations,
  maxRecordsPerRead,
  operationInventory,
  renderDeployedSpec,
  type JsonObject,
  type OpenApiDocument,
} from '../../../spec-renderer';
import { renderTemplate, type RenderResult, type TemplateRequest } from '../../../local/vtl';

let spec: OpenApiDocument;
let bundled: OpenApiDocument;
beforeAll(async () => {
  bundled = await bundleSpec();
  spec = renderDeployedSpec(
    bundled,
    parseConfig({
      streams: [
        { name: 'clicks', physicalName: 'clicks' },
        { name: 'logs', physicalName: 'logs', maxRecordSizeKiB: 10240 },
      ],
    }),
    LOCAL_FACTS,
  );
});

/** An operation of the stream "clicks" (or one that names no stream, like listStreams). */
function integrationOf(operationId: string): JsonObject {
  const found = listOperations(spec).find(
    (o) => o.operation.operationId === operationId || o.operation.operationId === `${operationId}-clicks`,
  );
  if (!found) throw new Error(`no operation ${operationId}`);
  return found.operation['x-amazon-apigateway-integration'] as JsonObject;
}

function requestTemplate(operationId: string): string {
  return (integrationOf(operationId).requestTemplates as JsonObject)['application/json'] as string;
}

function responseTemplate(operationId: string, pattern = operationId === 'listStreams' ? 'default' : '200'): string {
  const response = (integrationOf(operationId).responses as JsonObject)[pattern] as JsonObject;
  return (response.responseTemplates as JsonObject)['application/json'] as string;
}

const CONTEXT = { requestId: 'req-1' };
const onStream = (body: unknown, extra: Partial<TemplateRequest> = {}): TemplateRequest => ({
  body: typeof body === 'string' ? body : JSON.stringify(body),
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

  test('a partition key with quotes, apostrophes and unicode stays valid JSON', () => {
    expect(render({ data: 'x', partitionKey: `it's "k" \\ ☃` })).toMatchObject({ PartitionKey: `it's "k" \\ ☃` });
  });

  test('an explicit hash key is passed on only when given', () => {
    expect(render({ data: 'x', explicitHashKey: '42' })).toMatchObject({ ExplicitHashKey: '42' });
    expect(render({ data: 'x' })).not.toHaveProperty('ExplicitHashKey');
  });
});

describe('putRecords request', () => {
  const render = (body: unknown): { StreamName: string; Records: Array<Record<string, string>> } =>
    json(renderTemplate(requestTemplate('putRecords'), onStream(body))) as {
      StreamName: string;
      Records: Array<Record<string, string>>;
    };

  test('each entry is encoded as PutRecord encodes its record, in order', () => {
    expect(
      render({
        records: [{ data: { n: 1 }, partitionKey: 'a' }, { data: 'two' }, { dataBase64: 'Mw==', explicitHashKey: '7' }],
      }),
    ).toEqual({
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
    const out = json(
      renderTemplate(
        requestTemplate('getShardIterator'),
        onStream('', { querystring: { 'shard-id': 'shardId-000000000000' } }),
      ),
    );
    expect(out).toEqual({ StreamName: 'clicks', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' });
  });

  test('getShardIterator passes a timestamp on with AT_TIMESTAMP and a sequence number with AT_/AFTER_SEQUENCE_NUMBER, each only there', () => {
    const both = { 'shard-id': 's', timestamp: '1795000000.5', 'starting-sequence-number': '123' };
    const render = (type: string): unknown =>
      json(
        renderTemplate(
          requestTemplate('getShardIterator'),
          onStream('', { querystring: { ...both, 'shard-iterator-type': type } }),
        ),
      );
    expect(render('AT_TIMESTAMP')).toEqual({
      StreamName: 'clicks',
      ShardId: 's',
      ShardIteratorType: 'AT_TIMESTAMP',
      Timestamp: 1795000000.5,
    });
    expect(render('AT_SEQUENCE_NUMBER')).toEqual({
      StreamName: 'clicks',
      ShardId: 's',
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: '123',
    });
    expect(render('AFTER_SEQUENCE_NUMBER')).toEqual({
      StreamName: 'clicks',
      ShardId: 's',
      ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
      StartingSequenceNumber: '123',
    });
    expect(render('TRIM_HORIZON')).toEqual({ StreamName: 'clicks', ShardId: 's', ShardIteratorType: 'TRIM_HORIZON' });
    expect(render('LATEST')).toEqual({ StreamName: 'clicks', ShardId: 's', ShardIteratorType: 'LATEST' });
    const leftovers = { 'shard-id': 's', timestamp: '<number>', 'starting-sequence-number': 'x' };
    expect(json(renderTemplate(requestTemplate('getShardIterator'), onStream('', { querystring: leftovers })))).toEqual(
      { StreamName: 'clicks', ShardId: 's', ShardIteratorType: 'TRIM_HORIZON' },
    );
  });

  test('getShardIterator keeps hostile values inside JSON strings', () => {
    const out = json(
      renderTemplate(
        requestTemplate('getShardIterator'),
        onStream('', { querystring: { 'shard-id': `x", "Evil": "1` } }),
      ),
    );
    expect(out).toEqual({ StreamName: 'clicks', ShardId: `x", "Evil": "1`, ShardIteratorType: 'TRIM_HORIZON' });
  });

  test.each([
    ['timestamp', 'abc', 'AT_TIMESTAMP'],
    ['timestamp', '1e9', 'AT_TIMESTAMP'],
    ['starting-sequence-number', '010', 'AT_SEQUENCE_NUMBER'],
    ['starting-sequence-number', '1", "x": "', 'AFTER_SEQUENCE_NUMBER'],
    ['shard-iterator-type', 'at_timestamp', 'at_timestamp'],
  ])('getShardIterator sends Kinesis an empty request (refused, nothing read) for %s=%s', (name, value, type) => {
    expect(
      json(
        renderTemplate(
          requestTemplate('getShardIterator'),
          onStream('', { querystring: { 'shard-id': 's', 'shard-iterator-type': type, [name]: value } }),
        ),
      ),
    ).toEqual({});
  });

  test("getRecords reads the iterator header, and the limit up to the stream's safe bound (its default)", () => {
    const bound = maxRecordsPerRead(1024);
    expect(bound).toBe(7);
    expect(
      json(renderTemplate(requestTemplate('getRecords'), onStream('', { headers: { 'Shard-Iterator': 'AAAA' } }))),
    ).toEqual({ ShardIterator: 'AAAA', Limit: bound });
    expect(
      json(
        renderTemplate(
          requestTemplate('getRecords'),
          onStream('', { headers: { 'shard-iterator': 'AAAA' }, querystring: { limit: '5' } }),
        ),
      ),
    ).toEqual({ ShardIterator: 'AAAA', Limit: 5 });
    expect(
      json(
        renderTemplate(
          requestTemplate('getRecords'),
          onStream('', { headers: { 'Shard-Iterator': 'A' }, querystring: { limit: '10000' } }),
        ),
      ),
    ).toEqual({ ShardIterator: 'A', Limit: bound });
  });

  test('a stream of 10 MiB records reads one record at a time', () => {
    const logs = listOperations(spec).find((o) => o.operation.operationId === 'getRecords-logs')?.operation[
      'x-amazon-apigateway-integration'
    ] as JsonObject;
    const template = (logs.requestTemplates as JsonObject)['application/json'] as string;
    expect(
      json(
        renderTemplate(template, onStream('', { headers: { 'Shard-Iterator': 'A' }, querystring: { limit: '100' } })),
      ),
    ).toEqual({ ShardIterator: 'A', Limit: 1 });
  });

  test('a stream configured with maxRecordsPerRead reads up to it, and by default that many', () => {
    const small = renderDeployedSpec(
      bundled,
      parseConfig({ streams: [{ name: 'clicks', physicalName: 'clicks', maxRecordsPerRead: 1000 }] }),
      LOCAL_FACTS,
    );
    const read = listOperations(small).find((o) => o.operation.operationId === 'getRecords-clicks')?.operation[
      'x-amazon-apigateway-integration'
    ] as JsonObject;
    const template = (read.requestTemplates as JsonObject)['application/json'] as string;
    expect(json(renderTemplate(template, onStream('', { headers: { 'Shard-Iterator': 'A' } })))).toEqual({
      ShardIterator: 'A',
      Limit: 1000,
    });
    expect(
      json(
        renderTemplate(template, onStream('', { headers: { 'Shard-Iterator': 'A' }, querystring: { limit: '10000' } })),
      ),
    ).toEqual({ ShardIterator: 'A', Limit: 1000 });
  });

  test.each(['-5', '0', '010', '10001', '1.5', 'abc'])(
    'getRecords sends Kinesis an empty request for limit=%s',
    (limit) => {
      expect(
        json(
          renderTemplate(
            requestTemplate('getRecords'),
            onStream('', { headers: { 'Shard-Iterator': 'A' }, querystring: { limit } }),
          ),
        ),
      ).toEqual({});
    },
  );

  test('describeStream names its stream, fixed in the template', () => {
    expect(json(renderTemplate(requestTemplate('describeStream'), onStream('')))).toEqual({ StreamName: 'clicks' });
  });

  test('listShards names its stream, or passes only the next-token', () => {
    expect(json(renderTemplate(requestTemplate('listShards'), onStream('')))).toEqual({ StreamName: 'clicks' });
    expect(
      json(renderTemplate(requestTemplate('listShards'), onStream('', { querystring: { 'next-token': 'T"1' } }))),
    ).toEqual({ NextToken: 'T"1' });
  });

  test('listStreams is a mock answered 200', () => {
    expect(json(renderTemplate(requestTemplate('listStreams'), onStream('')))).toEqual({ statusCode: 200 });
  });
});

describe('responses', () => {
  test('listStreams lists the configured streams', () => {
    expect(json(renderTemplate(responseTemplate('listStreams'), onStream('')))).toEqual({
      streams: [{ name: 'clicks' }, { name: 'logs' }],
    });
  });

  test('describeStream maps the summary, defaulting mode and encryption', () => {
    const body = {
      StreamDescriptionSummary: {
        StreamName: 'clicks',
        StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/clicks',
        StreamStatus: 'ACTIVE',
        OpenShardCount: 2,
        RetentionPeriodHours: 24,
      },
    };
    expect(json(renderTemplate(responseTemplate('describeStream'), onStream(body)))).toEqual({
      name: 'clicks',
      arn: 'arn:aws:kinesis:us-east-1:000000000000:stream/clicks',
      status: 'ACTIVE',
      mode: 'PROVISIONED',
      openShardCount: 2,
      retentionPeriodHours: 24,
      encryptionType: 'NONE',
    });
    const full = {
      StreamDescriptionSummary: {
        ...body.StreamDescriptionSummary,
        StreamModeDetails: { StreamMode: 'ON_DEMAND' },
        EncryptionType: 'KMS',
      },
    };
    expect(json(renderTemplate(responseTemplate('describeStream'), onStream(full)))).toMatchObject({
      mode: 'ON_DEMAND',
      encryptionType: 'KMS',
    });
  });

  test('listShards maps shards, with parents and an end only when present', () => {
    // A split child names one parent; a merged child names both (ParentShardId and AdjacentParentShardId).
    const body = {
      Shards: [
        {
          ShardId: 's0',
          HashKeyRange: { StartingHashKey: '0', EndingHashKey: '9' },
          SequenceNumberRange: { StartingSequenceNumber: '1', EndingSequenceNumber: '5' },
        },
        {
          ShardId: 's1',
          ParentShardId: 's0',
          HashKeyRange: { StartingHashKey: '0', EndingHashKey: '4' },
          SequenceNumberRange: { StartingSequenceNumber: '6', EndingSequenceNumber: '8' },
        },
        {
          ShardId: 's2',
          ParentShardId: 's0',
          HashKeyRange: { StartingHashKey: '5', EndingHashKey: '9' },
          SequenceNumberRange: { StartingSequenceNumber: '7', EndingSequenceNumber: '9' },
        },
        {
          ShardId: 's3',
          ParentShardId: 's1',
          AdjacentParentShardId: 's2',
          HashKeyRange: { StartingHashKey: '0', EndingHashKey: '9' },
          SequenceNumberRange: { StartingSequenceNumber: '10' },
        },
      ],
    };
    expect(json(renderTemplate(responseTemplate('listShards'), onStream(body)))).toEqual({
      shards: [
        {
          shardId: 's0',
          hashKeyRange: { startingHashKey: '0', endingHashKey: '9' },
          sequenceNumberRange: { startingSequenceNumber: '1', endingSequenceNumber: '5' },
        },
        {
          shardId: 's1',
          parentShardId: 's0',
          hashKeyRange: { startingHashKey: '0', endingHashKey: '4' },
          sequenceNumberRange: { startingSequenceNumber: '6', endingSequenceNumber: '8' },
        },
        {
          shardId: 's2',
          parentShardId: 's0',
          hashKeyRange: { startingHashKey: '5', endingHashKey: '9' },
          sequenceNumberRange: { startingSequenceNumber: '7', endingSequenceNumber: '9' },
        },
        {
          shardId: 's3',
          parentShardId: 's1',
          adjacentParentShardId: 's2',
          hashKeyRange: { startingHashKey: '0', endingHashKey: '9' },
          sequenceNumberRange: { startingSequenceNumber: '10' },
        },
      ],
    });
    expect(json(renderTemplate(responseTemplate('listShards'), onStream({ Shards: [], NextToken: 'NEXT' })))).toEqual({
      shards: [],
      nextToken: 'NEXT',
    });
  });

  test('every Kinesis operation of the inventory: a 200 without the fields the answer needs is a 502 KinesisFailure', () => {
    const operationIds = operationInventory(bundled).flatMap((e) => (e.kinesis === undefined ? [] : [e.operationId]));
    expect(operationIds).toContain('putRecords');
    for (const operationId of operationIds) {
      for (const body of operationId === 'putRecord' ? ['', {}] : [{}]) {
        const result = renderTemplate(responseTemplate(operationId), onStream(body));
        expect([operationId, body, result.responseOverride.status, json(result)]).toEqual([
          operationId,
          body,
          502,
          expect.objectContaining({ error: 'KinesisFailure' }),
        ]);
      }
    }
  });

  test('putRecord answers shard and sequence number', () => {
    expect(
      json(renderTemplate(responseTemplate('putRecord'), onStream({ ShardId: 's0', SequenceNumber: '42' }))),
    ).toEqual({ shardId: 's0', sequenceNumber: '42' });
  });

  test('putRecords keeps request order, marks failures and sets the failure count header', () => {
    const result = renderTemplate(
      responseTemplate('putRecords'),
      onStream({
        FailedRecordCount: 1,
        Records: [
          { ShardId: 's0', SequenceNumber: '1' },
          { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal "service" failure' },
        ],
      }),
    );
    expect(json(result)).toEqual({
      failedRecordCount: 1,
      records: [
        { shardId: 's0', sequenceNumber: '1' },
        { errorCode: 'InternalFailure', errorMessage: 'Internal "service" failure' },
      ],
    });
    expect(result.responseOverride.headers['X-Failed-Record-Count']).toBe('1');
  });

  test('getShardIterator answers the iterator', () => {
    expect(json(renderTemplate(responseTemplate('getShardIterator'), onStream({ ShardIterator: 'AAAA' })))).toEqual({
      shardIterator: 'AAAA',
    });
  });

  test('getRecords keeps data as base64 and the arrival time as a number', () => {
    const body = {
      Records: [
        { Data: 'aGk=', PartitionKey: `k"'`, SequenceNumber: '1', ApproximateArrivalTimestamp: 1795000000.123 },
      ],
      NextShardIterator: 'NEXT',
      MillisBehindLatest: 0,
    };
    expect(json(renderTemplate(responseTemplate('getRecords'), onStream(body)))).toEqual({
      records: [
        { data: 'aGk=', partitionKey: `k"'`, sequenceNumber: '1', approximateArrivalTimestamp: 1795000000.123 },
      ],
      nextShardIterator: 'NEXT',
      millisBehindLatest: 0,
    });
  });

  test('getRecords at the end of a closed shard has no next iterator', () => {
    expect(
      json(renderTemplate(responseTemplate('getRecords'), onStream({ Records: [], MillisBehindLatest: 0 }))),
    ).toEqual({ records: [], millisBehindLatest: 0 });
  });
});

describe('the Kinesis error template', () => {
  const render = (status: string, body: unknown): RenderResult =>
    renderTemplate(responseTemplate('putRecord', status), onStream(body));

  test('names the error without its Exception suffix and keeps the message', () => {
    const result = render('4\\d{2}', {
      __type: 'ValidationException',
      message: '1 validation error: Value \'x\' at "data"',
    });
    expect(json(result)).toEqual({ error: 'Validation', message: '1 validation error: Value \'x\' at "data"' });
    expect(result.responseOverride.status).toBeUndefined();
  });

  test('throttling is 429 with Retry-After', () => {
    const result = render('4\\d{2}', { __type: 'ProvisionedThroughputExceededException', message: 'Rate exceeded' });
    expect(result.responseOverride).toMatchObject({ status: 429, headers: { 'Retry-After': '1' } });
  });

  test('reads a capitalised Message and a namespaced __type', () => {
    const result = render('4\\d{2}', {
      __type: 'com.amazon.coral.service#ExpiredIteratorException',
      Message: 'Iterator expired',
    });
    expect(json(result)).toEqual({ error: 'ExpiredIterator', message: 'Iterator expired' });
    expect(result.responseOverride.status).toBe(410);
  });

  test('a client error without a type is KinesisFailure', () => {
    expect(json(render('4\\d{2}', {}))).toEqual({ error: 'KinesisFailure', message: 'Kinesis refused the request.' });
  });

  test('ThrottlingException is 429 with Retry-After, like the other throttles', () => {
    const result = render('4\\d{2}', { __type: 'ThrottlingException', message: 'Rate exceeded' });
    expect(result.responseOverride).toMatchObject({ status: 429, headers: { 'Retry-After': '1' } });
    expect(json(result)).toEqual({ error: 'Throttling', message: 'Rate exceeded' });
  });

  test('a SerializationException is 400 BadRequestParameters without Java text', () => {
    const result = render('4\\d{2}', {
      __type: 'SerializationException',
      Message: 'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an Integer',
    });
    const out = json(result) as { error: string; message: string };
    expect(out.error).toBe('BadRequestParameters');
    expect(out.message).not.toMatch(/com\.amazon|TruncatingBigNumber|class /);
  });

  test('account ids and Java type names are masked, and long messages cut', () => {
    const result = render('4\\d{2}', {
      __type: 'ResourceNotFoundException',
      message: 'Stream x under account 111122223333 not found (java.lang.IllegalStateException).',
    });
    expect(json(result)).toEqual({
      error: 'ResourceNotFound',
      message: 'Stream x under account (account) not found ((value)).',
    });
    expect(result.responseOverride.status).toBe(404);
    const arn = json(
      render('4\\d{2}', {
        __type: 'AccessDeniedException',
        message: 'arn:aws:kinesis:us-east-1:111122223333:stream/x, shard shardId-000000000000',
      }),
    ) as { message: string };
    expect(arn.message).toBe('arn:aws:kinesis:us-east-1:(account):stream/x, shard shardId-000000000000');
    const long = json(
      render('4\\d{2}', {
        __type: 'ValidationException',
        message: `Value '[${'{"Data":"AAAA"},'.repeat(3000)}]' at 'records' failed`,
      }),
    ) as { message: string };
    expect(long.message.length).toBeLessThanOrEqual(303);
  });

  test.each([
    ['getRecords', { limit: '010' }, 'limit'],
    ['getRecords', { limit: 'abc' }, 'limit'],
    ['getShardIterator', { 'shard-iterator-type': 'AT_TIMESTAMP', timestamp: 'abc' }, 'timestamp'],
    [
      'getShardIterator',
      { 'shard-iterator-type': 'AFTER_SEQUENCE_NUMBER', 'starting-sequence-number': '01' },
      'starting-sequence-number',
    ],
    ['getShardIterator', { 'shard-iterator-type': 'OLDEST' }, 'shard-iterator-type'],
  ])('%s with %j: the refusal names the parameter', (operationId, querystring, name) => {
    const resourcePath = operationId === 'getRecords' ? '/streams/clicks/records' : '/streams/clicks/sharditerator';
    const result = renderTemplate(
      responseTemplate(operationId, '4\\d{2}'),
      onStream(
        { __type: 'ValidationException', message: "1 validation error detected: Value null at 'shardIterator' failed" },
        { querystring, context: { ...CONTEXT, httpMethod: 'GET', resourcePath } },
      ),
    );
    expect(result.responseOverride.status).toBeUndefined();
    expect(json(result)).toEqual({
      error: 'BadRequestParameters',
      message: expect.stringContaining(`The query parameter ${name} must be`),
    });
  });

  test('messages built in steps read whole', () => {
    const context = { ...CONTEXT, httpMethod: 'GET', resourcePath: '/streams/clicks/sharditerator' };
    const refused = renderTemplate(
      responseTemplate('getShardIterator', '4\\d{2}'),
      onStream({ __type: 'ValidationException' }, { querystring: { 'shard-iterator-type': 'OLDEST' }, context }),
    );
    expect(json(refused)).toEqual({
      error: 'BadRequestParameters',
      message:
        'The query parameter shard-iterator-type must be one of TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, AT_TIMESTAMP.',
    });
    const unreadable = renderTemplate(
      responseTemplate('putRecord', '4\\d{2}'),
      onStream({ __type: 'SerializationException', message: 'x' }),
    );
    expect(json(unreadable)).toEqual({
      error: 'BadRequestParameters',
      message:
        'Kinesis could not read a parameter of the request: check the format of each query parameter and header.',
    });
    expect(json(renderTemplate(responseTemplate('putRecord'), onStream({})))).toEqual({
      error: 'KinesisFailure',
      message: "Kinesis answered without the record's shard and sequence number: retry the request.",
    });
  });

  test('no template line is over 120 characters, and fragments are written in place', () => {
    for (const { operation } of listOperations(bundled)) {
      const integration = operation['x-amazon-apigateway-integration'] as JsonObject;
      const responses = Object.values((integration.responses as Record<string, JsonObject> | undefined) ?? {});
      const templates = [integration.requestTemplates, ...responses.map((r) => r.responseTemplates)].flatMap((t) =>
        Object.values((t as JsonObject | undefined) ?? {}),
      );
      for (const template of templates as string[]) {
        expect(template).not.toContain('#parse(');
        for (const line of template.split('\n'))
          expect([operation.operationId, line.length <= 120 ? 'short' : line]).toEqual([
            operation.operationId,
            'short',
          ]);
      }
    }
  });

  test.each([
    ['a 5xx or unknown status', 'default'],
    ['a 503', '503'],
  ])('%s is answered without reading the body, which may be HTML', (_, pattern) => {
    const result = renderTemplate(responseTemplate('putRecord', pattern), onStream('<html>oops</html>'));
    expect(json(result)).toMatchObject({ error: expect.stringMatching(/^(KinesisFailure|ServiceUnavailable)$/) });
  });
});
