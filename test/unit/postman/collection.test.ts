/**
 * The post-processed Postman collection, built from the real spec for each auth mode: variables,
 * auth, parameters bound to the flow, the spec's examples as bodies, tests on every request, the
 * flow's order and the negative requests.
 */
import { parseConfig, type AuthMode } from '../../../config/ingest-config';
import { bundleSpec, publishSpec, type OpenApiDocument } from '../../../spec-renderer';
import { flowOrder } from '../../../postman/flow';
import {
  buildCollection,
  exampleBody,
  listRequests,
  operationKey,
  UNKNOWN_STREAM,
  type PostmanCollection,
} from '../../../postman';

const collections = new Map<AuthMode, PostmanCollection>();
let spec: OpenApiDocument;

beforeAll(async () => {
  spec = publishSpec(await bundleSpec(), parseConfig({ stage: 'qa', streams: [{ name: 'clicks' }] }));
  for (const auth of ['apiKey', 'iam', 'none'] as const) {
    collections.set(
      auth,
      await buildCollection(parseConfig({ stage: 'qa', auth, streams: [{ name: 'clicks' }, { name: 'other' }] })),
    );
  }
}, 60_000);

const get = (auth: AuthMode): PostmanCollection => collections.get(auth)!;
const testScript = (item: { event?: Array<{ listen: string; script: { exec: string[] } }> }): string =>
  (item.event ?? [])
    .filter((e) => e.listen === 'test')
    .map((e) => e.script.exec.join('\n'))
    .join('\n');

describe('variables', () => {
  test('baseUrl is the local gateway of the stage, and the deployed server variables are gone', () => {
    const variables = Object.fromEntries((get('apiKey').variable ?? []).map((v) => [v.key, v.value]));
    expect(variables.baseUrl).toBe('http://127.0.0.1:4010/qa');
    expect(variables).not.toHaveProperty('apiId');
    expect(variables).not.toHaveProperty('region');
    expect(variables).not.toHaveProperty('stage');
  });

  test('streamName defaults to the first configured stream', () => {
    expect(get('apiKey').variable?.find((v) => v.key === 'streamName')?.value).toBe('clicks');
  });

  test('every request goes to {{baseUrl}}', () => {
    for (const item of listRequests(get('apiKey'))) expect(item.request.url.host).toEqual(['{{baseUrl}}']);
  });
});

describe('auth per mode', () => {
  test('apiKey: an x-api-key header with {{apiKey}} on the collection', () => {
    expect(get('apiKey').auth).toEqual({
      type: 'apikey',
      apikey: expect.arrayContaining([
        { key: 'key', value: 'x-api-key', type: 'string' },
        { key: 'value', value: '{{apiKey}}', type: 'string' },
        { key: 'in', value: 'header', type: 'string' },
      ]),
    });
  });

  test('iam: AWS Signature v4 for execute-api with the credential variables, not an apikey auth', () => {
    const collection = get('iam');
    expect(collection.auth).toEqual({
      type: 'awsv4',
      awsv4: expect.arrayContaining([
        { key: 'accessKey', value: '{{awsAccessKeyId}}', type: 'string' },
        { key: 'secretKey', value: '{{awsSecretAccessKey}}', type: 'string' },
        { key: 'region', value: '{{awsRegion}}', type: 'string' },
        { key: 'service', value: 'execute-api', type: 'string' },
      ]),
    });
    expect(JSON.stringify(collection)).not.toMatch(/"type":\s*"apikey"/);
  });

  test('none: noauth, and no request without credentials', () => {
    expect(get('none').auth).toEqual({ type: 'noauth' });
    expect(listRequests(get('none')).filter((i) => i.request.auth?.type === 'noauth')).toEqual([]);
  });

  test('requests inherit the collection auth, except the one sent without credentials', () => {
    const own = listRequests(get('apiKey')).filter((i) => i.request.auth != null);
    expect(own.map((i) => [i.name, i.request.auth])).toEqual([
      ['Without an API key: 403 InvalidApiKey', { type: 'noauth' }],
    ]);
  });
});

describe('parameters and bodies', () => {
  test('{stream-name} is {{streamName}} everywhere but the unknown-stream request', () => {
    for (const item of listRequests(get('apiKey'))) {
      for (const v of item.request.url.variable ?? []) {
        if (v.key === 'stream-name')
          expect([item.name, v.value]).toEqual([
            item.name,
            item.name.startsWith('Unknown stream') ? UNKNOWN_STREAM : '{{streamName}}',
          ]);
      }
    }
  });

  test('GET records sends Shard-Iterator {{shardIterator}}, GET sharditerator shard-id={{shardId}} from TRIM_HORIZON', () => {
    const requests = listRequests(get('apiKey'));
    const records = requests.find((i) => i.name === 'Read records from a shard')!;
    expect(records.request.header).toContainEqual(
      expect.objectContaining({ key: 'Shard-Iterator', value: '{{shardIterator}}' }),
    );
    const iterator = requests.find((i) => i.name === 'Get a shard iterator')!;
    const enabled = (iterator.request.url.query ?? []).filter((q) => !q.disabled).map((q) => [q.key, q.value]);
    expect(enabled).toEqual([
      ['shard-id', '{{shardId}}'],
      ['shard-iterator-type', 'TRIM_HORIZON'],
    ]);
  });

  test('PUT record and PUT records send the spec examples as JSON', () => {
    const requests = listRequests(get('apiKey'));
    for (const [name, key] of [
      ['Put one record', 'PUT /streams/{stream-name}/record'],
      ['Put up to 500 records', 'PUT /streams/{stream-name}/records'],
    ] as const) {
      const item = requests.find((i) => i.name === name)!;
      expect(operationKey(item.request)).toBe(key);
      const operation = (spec.paths[key.split(' ')[1]] as Record<string, unknown>).put as Parameters<
        typeof exampleBody
      >[1];
      expect(JSON.parse(item.request.body?.raw ?? 'null')).toEqual(exampleBody(spec, operation));
      expect(item.request.header).toContainEqual(
        expect.objectContaining({ key: 'Content-Type', value: 'application/json' }),
      );
    }
  });
});

describe('flow and tests', () => {
  test('runs the flow in order, the read back after the reads, the negative requests last', () => {
    expect(listRequests(get('apiKey')).map((i) => i.name)).toEqual([
      'List the streams this API serves',
      'Describe a stream',
      "List a stream's shards",
      'Put one record',
      'Put up to 500 records',
      'Get a shard iterator',
      'Read records from a shard',
      'Get an iterator at the record put',
      'Read back the record put',
      'Unknown stream: 404 NotFound',
      'Without an API key: 403 InvalidApiKey',
    ]);
    expect(get('apiKey').item.map((f) => f.name)).toEqual(['Streams', 'Write', 'Read', 'Errors']);
  });

  test('every request tests its status and, on success, the required keys of the 200 schema', () => {
    for (const item of listRequests(get('apiKey'))) {
      const script = testScript(item);
      expect(script).toMatch(/pm\.response\.to\.have\.status\((200|403|404)\)/);
    }
    const put = listRequests(get('apiKey')).find((i) => i.name === 'Put one record')!;
    expect(testScript(put)).toContain('to.include.all.keys("shardId", "sequenceNumber")');
  });

  test('the flow saves shardId, shardIterator and the record put in collection variables', () => {
    const all = listRequests(get('apiKey')).map(testScript).join('\n');
    for (const name of ['shardId', 'shardIterator', 'putShardId', 'putSequenceNumber', 'putData', 'readBackIterator']) {
      expect(all).toContain(`pm.collectionVariables.set('${name}'`);
    }
  });

  test('the read back reads at the sequence number put and decodes the data', () => {
    const requests = listRequests(get('apiKey'));
    const iterator = requests.find((i) => i.name === 'Get an iterator at the record put')!;
    expect((iterator.request.url.query ?? []).filter((q) => !q.disabled).map((q) => [q.key, q.value])).toEqual([
      ['shard-id', '{{putShardId}}'],
      ['shard-iterator-type', 'AT_SEQUENCE_NUMBER'],
      ['starting-sequence-number', '{{putSequenceNumber}}'],
    ]);
    const readBack = requests.find((i) => i.name === 'Read back the record put')!;
    expect(readBack.request.header).toContainEqual(
      expect.objectContaining({ key: 'Shard-Iterator', value: '{{readBackIterator}}' }),
    );
    expect(testScript(readBack)).toContain('CryptoJS.enc.Base64.parse(record.data)');
  });

  test('the negative requests check the error shape and code', () => {
    const requests = listRequests(get('apiKey'));
    const unknown = testScript(requests.find((i) => i.name === 'Unknown stream: 404 NotFound')!);
    expect(unknown).toContain('pm.response.to.have.status(404)');
    expect(unknown).toContain('to.include.all.keys("error", "message")');
    expect(unknown).toContain('.to.equal("NotFound")');
    const iamMissing = listRequests(get('iam')).find((i) => i.request.auth?.type === 'noauth')!;
    expect(testScript(iamMissing)).toContain('.to.equal("NotFound")');
  });

  test('every test script is valid JavaScript', () => {
    for (const auth of ['apiKey', 'iam', 'none'] as const) {
      for (const item of listRequests(get(auth)))
        expect(() => new Function('pm', 'require', testScript(item))).not.toThrow();
    }
  });
});

test('nothing of the gateway implementation leaks into the collection', () => {
  const text = JSON.stringify(get('iam'));
  expect(text).not.toContain('x-amazon-apigateway');
  expect(text).not.toContain('arn:aws:iam');
});

test("the flow's order comes from the published spec: by tag, an iterator before a read", () => {
  expect(flowOrder(spec)).toEqual([
    'listStreams',
    'describeStream',
    'listShards',
    'putRecord',
    'putRecords',
    'getShardIterator',
    'getRecords',
  ]);
});
