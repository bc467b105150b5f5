/**
 * The error responses every Kinesis operation shares are written once (openapi.yaml's
 * x-kinesis-operation-errors) and added by the renderer (spec-renderer/kinesis-errors.ts).
 */
import { parseConfig } from '../../../config/ingest-config';
import {
  bundleSpec,
  LOCAL_FACTS,
  listOperations,
  publishSpec,
  renderDeployedSpec,
  resolveRef,
  type JsonObject,
  type OpenApiDocument,
} from '../../../spec-renderer';
import { addKinesisErrors, KINESIS_ERRORS_EXTENSION } from '../../../spec-renderer/kinesis-errors';

const SHARED = {
  responses: { '400': { description: 'bad' }, '429': { description: 'slow' } },
  bodyResponses: { '415': { description: 'type' } },
  integrationResponses: { '4\\d{2}': { statusCode: '400' }, default: { statusCode: '502' } },
};

function doc(paths: JsonObject): OpenApiDocument {
  return { openapi: '3.0.3', paths, [KINESIS_ERRORS_EXTENSION]: SHARED } as OpenApiDocument;
}

const aws = (responses: JsonObject = { '200': { statusCode: '200' } }): JsonObject => ({
  type: 'aws',
  uri: 'arn:aws:apigateway:r:kinesis:action/PutRecord',
  responses,
});

describe('addKinesisErrors', () => {
  test('adds the shared method and integration responses to an aws operation, statuses in order, and drops the extension', () => {
    const out = addKinesisErrors(
      doc({
        '/a': {
          get: {
            responses: { '200': { description: 'ok' }, '410': { description: 'gone' } },
            'x-amazon-apigateway-integration': aws(),
          },
        },
      }),
    );
    const get = (out.paths['/a'] as JsonObject).get as JsonObject;
    expect(Object.keys(get.responses as JsonObject)).toEqual(['200', '400', '410', '429']);
    expect(Object.keys((get['x-amazon-apigateway-integration'] as JsonObject).responses as JsonObject)).toEqual([
      '200',
      '4\\d{2}',
      'default',
    ]);
    expect(out[KINESIS_ERRORS_EXTENSION]).toBeUndefined();
  });

  test('an operation with a request body also gets the body responses', () => {
    const out = addKinesisErrors(
      doc({ '/a': { put: { requestBody: {}, responses: {}, 'x-amazon-apigateway-integration': aws() } } }),
    );
    expect(Object.keys(((out.paths['/a'] as JsonObject).put as JsonObject).responses as JsonObject)).toEqual([
      '400',
      '415',
      '429',
    ]);
  });

  test("an operation's own response or integration response wins; mock operations are left alone", () => {
    const own = { '429': { description: 'mine' } };
    const out = addKinesisErrors(
      doc({
        '/a': { get: { responses: own, 'x-amazon-apigateway-integration': aws({ default: { statusCode: '500' } }) } },
        '/b': { get: { responses: {}, 'x-amazon-apigateway-integration': { type: 'mock' } } },
      }),
    );
    const a = (out.paths['/a'] as JsonObject).get as JsonObject;
    expect((a.responses as JsonObject)['429']).toEqual({ description: 'mine' });
    expect(((a['x-amazon-apigateway-integration'] as JsonObject).responses as JsonObject).default).toEqual({
      statusCode: '500',
    });
    expect(((out.paths['/b'] as JsonObject).get as JsonObject).responses).toEqual({});
  });

  test('copies: operations do not share objects', () => {
    const out = addKinesisErrors(
      doc({
        '/a': { get: { 'x-amazon-apigateway-integration': aws() } },
        '/b': { get: { 'x-amazon-apigateway-integration': aws() } },
      }),
    );
    const responses = (p: string): JsonObject =>
      ((out.paths[p] as JsonObject).get as JsonObject).responses as JsonObject;
    expect(responses('/a')['400']).toEqual(responses('/b')['400']);
    expect(responses('/a')['400']).not.toBe(responses('/b')['400']);
  });
});

describe("the project's spec", () => {
  let bundled: OpenApiDocument;
  beforeAll(async () => {
    bundled = await bundleSpec();
  });

  // What each operation answered when every path file listed these itself (the rendered deployed and
  // published specs of every configured stage were compared byte for byte once, before and after).
  const STATUSES: Record<string, string[]> = {
    listStreams: ['200', '403', '429'],
    describeStream: ['200', '400', '403', '404', '429', '502', '503', '504'],
    listShards: ['200', '400', '403', '404', '410', '429', '502', '503', '504'],
    putRecord: ['200', '400', '403', '404', '413', '415', '429', '502', '503', '504'],
    putRecords: ['200', '400', '403', '404', '413', '415', '429', '502', '503', '504'],
    getRecords: ['200', '400', '403', '404', '410', '429', '502', '503', '504'],
    getShardIterator: ['200', '400', '403', '404', '429', '502', '503', '504'],
  };

  test.each(['dev', 'prod'])(
    "stage %s: every operation, deployed and published, answers its statuses, every error but 413 (API Gateway's own text) as { error, message }",
    (stage) => {
      const config = parseConfig({ stage, stages: { [stage]: {} } });
      for (const spec of [renderDeployedSpec(bundled, config, LOCAL_FACTS), publishSpec(bundled, config)]) {
        for (const { operation } of listOperations(spec)) {
          const id = String(operation.operationId).replace(/-ingest-events$/, '');
          const responses = operation.responses as JsonObject;
          expect([id, Object.keys(responses)]).toEqual([id, STATUSES[id]]);
          for (const status of Object.keys(responses).filter((s) => s >= '400' && s !== '413')) {
            expect([id, status, JSON.stringify(resolveRef(spec, responses[status]))]).toEqual([
              id,
              status,
              expect.stringContaining('Error'),
            ]);
          }
        }
      }
    },
  );

  test('every Kinesis operation selects Kinesis errors: 4xx by the error type, 503 unavailable, the rest a 502', () => {
    for (const { operation } of listOperations(bundled)) {
      const integration = operation['x-amazon-apigateway-integration'] as JsonObject;
      if (integration.type !== 'aws') continue;
      const responses = integration.responses as Record<string, JsonObject>;
      expect(Object.fromEntries(Object.entries(responses).map(([pattern, r]) => [pattern, r.statusCode]))).toEqual({
        '200': '200',
        '4\\d{2}': '400',
        '503': '503',
        default: '502',
      });
      expect(responses['4\\d{2}'].responseTemplates).toEqual({ 'application/json': expect.stringContaining('__type') });
    }
    expect(bundled[KINESIS_ERRORS_EXTENSION]).toBeUndefined();
  });
});
