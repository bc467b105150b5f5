/** Pure helpers of the stack: the role's grants from the operation inventory, the import definition, -c overrides. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Stream } from 'aws-cdk-lib/aws-kinesis';
import {
  bundleSpec,
  iamActionsByResource,
  kinesisIamTable,
  operationInventory,
  type OpenApiDocument,
} from '../../spec-renderer';
import { contextOverrides } from '../../infra/build-app';
import { importDefinition } from '../../infra/import-definition';
import { IngestRole } from '../../infra/ingest-role';
import { copyWithDocumentedOperation } from '../support/documented-operation';

function docWith(integration: Record<string, unknown>): OpenApiDocument {
  return {
    openapi: '3.0.3',
    paths: { '/x': { post: { operationId: 'x', 'x-amazon-apigateway-integration': integration } } },
    'x-kinesis-iam': {
      PutRecord: { iamAction: 'kinesis:PutRecord', resource: 'stream' },
      DescribeStreamConsumer: { iamAction: 'kinesis:DescribeStreamConsumer', resource: 'consumer' },
    },
  } as unknown as OpenApiDocument;
}

describe('the role grants from the operation inventory', () => {
  test("the project's spec: every Kinesis action of the inventory, on the stream", async () => {
    const inventory = operationInventory(await bundleSpec());
    const expected = [
      ...new Set(inventory.flatMap((e) => (e.kinesis === undefined ? [] : [`kinesis:${e.kinesis.action}`]))),
    ].sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(iamActionsByResource(inventory)).toEqual({ stream: expected, consumer: [] });
  });

  test('mock integrations need nothing', () => {
    expect(iamActionsByResource(operationInventory(docWith({ type: 'mock' })))).toEqual({ stream: [], consumer: [] });
  });

  test('an unknown Kinesis action is an error naming it, the operation and the table to add it to', () => {
    expect(() =>
      operationInventory(docWith({ type: 'aws', uri: 'arn:aws:apigateway:{{AwsRegion}}:kinesis:action/DeleteStream' })),
    ).toThrow(
      /^POST \/x: the Kinesis action DeleteStream has no IAM action in openapi\/kinesis-iam\.yaml \(known: PutRecord, /,
    );
  });

  test('an aws integration that is not Kinesis is an error', () => {
    expect(() =>
      operationInventory(docWith({ type: 'aws', uri: 'arn:aws:apigateway:{{AwsRegion}}:sqs:path/q' })),
    ).toThrow(
      /^POST \/x: the aws integration uri "arn:aws:apigateway:\{\{AwsRegion\}\}:sqs:path\/q" is not a Kinesis action/,
    );
  });

  test("an action authorized on a consumer is granted on the streams' consumers, not on the streams", async () => {
    expect(kinesisIamTable(await bundleSpec()).DescribeStreamConsumer).toEqual({
      iamAction: 'kinesis:DescribeStreamConsumer',
      resource: 'consumer',
    });
    const actions = iamActionsByResource(
      operationInventory(
        docWith({ type: 'aws', uri: 'arn:aws:apigateway:{{AwsRegion}}:kinesis:action/DescribeStreamConsumer' }),
      ),
    );
    expect(actions).toEqual({ stream: [], consumer: ['kinesis:DescribeStreamConsumer'] });
    const stack = new Stack(new App(), 'RoleOnly');
    const stream = Stream.fromStreamArn(stack, 'S', 'arn:aws:kinesis:eu-west-1:111122223333:stream/events');
    new IngestRole(stack, 'R', { actions, streams: [stream] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      Policies: [
        {
          PolicyDocument: {
            Statement: [
              {
                Sid: 'SpecKinesisConsumerActions',
                Effect: 'Allow',
                Action: 'kinesis:DescribeStreamConsumer',
                Resource: 'arn:aws:kinesis:eu-west-1:111122223333:stream/events/consumer/*',
              },
            ],
          },
        },
      ],
    });
  });
});

// openapi/README.md's worked example (test/unit/spec/add-operation.test.ts checks the rest of it).
test("the role grants the operation added by openapi/README.md's steps on the configured streams", async () => {
  const copy = await copyWithDocumentedOperation();
  try {
    const stack = new Stack(new App(), 'AddOperation');
    const stream = Stream.fromStreamArn(stack, 'S', 'arn:aws:kinesis:eu-west-1:111122223333:stream/ingest-events-dev');
    const role = new IngestRole(stack, 'R', {
      actions: iamActionsByResource(operationInventory(copy.bundled)),
      streams: [stream],
    });
    const policy = (
      Template.fromStack(stack).toJSON().Resources as Record<
        string,
        { Properties: { Policies?: Array<{ PolicyDocument: { Statement: Array<Record<string, unknown>> } }> } }
      >
    )[stack.getLogicalId(role.role.node.defaultChild as never)].Properties.Policies?.[0].PolicyDocument.Statement[0];
    expect(policy).toMatchObject({
      Sid: 'SpecKinesisActions',
      Resource: 'arn:aws:kinesis:eu-west-1:111122223333:stream/ingest-events-dev',
    });
    expect(policy?.Action).toContain('kinesis:ListTagsForStream');
  } finally {
    copy.remove();
  }
});

describe('importDefinition', () => {
  const doc = {
    openapi: '3.0.3',
    servers: [{ url: 'https://abc.execute-api.eu-west-1.amazonaws.com/dev' }],
    paths: {
      '/x': {
        get: {
          responses: {
            '200': {
              description: 'ok',
              content: { 'application/json': { example: { a: 1 }, examples: { one: { value: 1 } } } },
            },
          },
          'x-amazon-apigateway-integration': { type: 'mock', example: 'kept' },
        },
      },
    },
    components: {
      schemas: {
        S: { type: 'object', example: { example: 1 }, properties: { example: { type: 'string', example: 'x' } } },
      },
    },
  } as unknown as OpenApiDocument;

  /** The parts of the imported document these tests read. */
  interface Imported {
    servers?: unknown;
    paths: Record<
      string,
      {
        get: {
          responses: Record<string, { content: Record<string, unknown> }>;
          'x-amazon-apigateway-integration': unknown;
        };
      }
    >;
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
