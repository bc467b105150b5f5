/** Pure helpers of the stack: the role's actions from the spec, the import definition, -c overrides. */
import { App } from 'aws-cdk-lib';
import { bundleSpec, type OpenApiDocument } from '../../spec-renderer';
import { contextOverrides } from '../../infra/build-app';
import { importDefinition } from '../../infra/import-definition';
import { kinesisIamActions } from '../../infra/kinesis-actions';

function docWith(integration: Record<string, unknown>): OpenApiDocument {
  return { openapi: '3.0.3', paths: { '/x': { post: { 'x-amazon-apigateway-integration': integration } } } } as unknown as OpenApiDocument;
}

describe('kinesisIamActions', () => {
  test("lists the IAM action of every Kinesis integration in the project's spec", async () => {
    expect(kinesisIamActions(await bundleSpec())).toEqual([
      'kinesis:DescribeStreamSummary',
      'kinesis:GetRecords',
      'kinesis:GetShardIterator',
      'kinesis:ListShards',
      'kinesis:PutRecord',
      'kinesis:PutRecords',
    ]);
  });

  test('skips mock integrations', () => {
    expect(kinesisIamActions(docWith({ type: 'mock' }))).toEqual([]);
  });

  test('an unknown Kinesis action is an error naming it and the operation', () => {
    expect(() => kinesisIamActions(docWith({ type: 'aws', uri: 'arn:aws:apigateway:{{AwsRegion}}:kinesis:action/DeleteStream' }))).toThrow(
      /^POST \/x: the Kinesis action DeleteStream has no IAM action in infra\/kinesis-actions\.ts \(known: PutRecord, /,
    );
  });

  test('an aws integration that is not Kinesis is an error', () => {
    expect(() => kinesisIamActions(docWith({ type: 'aws', uri: 'arn:aws:apigateway:{{AwsRegion}}:sqs:path/q' }))).toThrow(
      /^POST \/x: the aws integration uri "arn:aws:apigateway:\{\{AwsRegion\}\}:sqs:path\/q" is not a Kinesis action/,
    );
  });
});

describe('importDefinition', () => {
  const doc = {
    openapi: '3.0.3',
    servers: [{ url: 'https://abc.execute-api.eu-west-1.amazonaws.com/dev' }],
    paths: {
      '/x': {
        get: {
          responses: { '200': { description: 'ok', content: { 'application/json': { example: { a: 1 }, examples: { one: { value: 1 } } } } } },
          'x-amazon-apigateway-integration': { type: 'mock', example: 'kept' },
        },
      },
    },
    components: { schemas: { S: { type: 'object', example: { example: 1 }, properties: { example: { type: 'string', example: 'x' } } } } },
  } as unknown as OpenApiDocument;

  /** The parts of the imported document these tests read. */
  interface Imported {
    servers?: unknown;
    paths: Record<string, { get: { responses: Record<string, { content: Record<string, unknown> }>; 'x-amazon-apigateway-integration': unknown } }>;
    components: { schemas: { S: { example?: unknown; properties: unknown } } };
  }

  test('drops servers, example and examples', () => {
    const out = importDefinition(doc) as unknown as Imported;
    expect(out.servers).toBeUndefined();
    expect(out.paths['/x'].get.responses['200'].content['application/json']).toEqual({});
    expect(out.components.schemas.S.example).toBeUndefined();
  });

  test('keeps a property named example, and extensions as they are', () => {
    const out = importDefinition(doc) as unknown as Imported;
    expect(out.components.schemas.S.properties).toEqual({ example: { type: 'string' } });
    expect(out.paths['/x'].get['x-amazon-apigateway-integration']).toEqual({ type: 'mock', example: 'kept' });
  });
});

describe('contextOverrides', () => {
  test('reads the top-level fields given with -c, numbers as numbers', () => {
    const app = new App({ context: { stage: 'qa', auth: 'iam', logRetentionDays: '30', unrelated: 'x' } });
    expect(contextOverrides(app)).toEqual({ stage: 'qa', auth: 'iam', logRetentionDays: 30 });
  });
});
