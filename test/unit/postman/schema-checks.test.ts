import type { OpenApiDocument } from '../../../spec-renderer';
import { collectionAuth } from '../../../postman';
import { bindParameters } from '../../../postman/collection';
import { errorTests, shapeAssertions, successResponse } from '../../../postman/schema-checks';

const DOC: OpenApiDocument = {
  openapi: '3.0.3',
  paths: {},
  components: {
    schemas: {
      Error: {
        type: 'object',
        required: ['error', 'message'],
        properties: { error: { type: 'string' }, message: { type: 'string' } },
      },
      Alias: { $ref: '#/components/schemas/Error' },
      List: {
        type: 'object',
        required: ['items', 'count'],
        properties: {
          items: {
            type: 'array',
            items: { type: 'object', required: ['id'], properties: { id: { type: 'string', enum: ['a', 'b'] } } },
          },
          count: { type: 'integer' },
          optional: { type: 'string' },
        },
      },
    },
    responses: {
      Ok: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/List' } } } },
    },
  },
};

/** Runs generated assertion lines against a value with a tiny chai-like expect. */
function runShape(lines: string[], body: unknown): void {
  const expectFn = (actual: unknown, label?: string) => {
    const fail = (what: string): never => {
      throw new Error(`${label ?? 'value'}: ${what}`);
    };
    const chain = {
      to: {
        be: {
          a: (type: string) => {
            const actualType = Array.isArray(actual) ? 'array' : actual === null ? 'null' : typeof actual;
            if (actualType !== type) fail(`expected ${type}, got ${actualType}`);
          },
          oneOf: (values: unknown[]) => {
            if (!values.includes(actual)) fail(`expected one of ${values.join(', ')}`);
          },
        },
        include: {
          all: {
            keys: (...keys: string[]) =>
              keys.forEach(
                (k) => (typeof actual === 'object' && actual !== null && k in actual) || fail(`missing ${k}`),
              ),
          },
        },
        equal: (value: unknown) => {
          if (actual !== value) fail(`expected ${String(value)}`);
        },
      },
    };
    return chain;
  };
  new Function('pm', 'body', lines.join('\n'))({ expect: expectFn }, body);
}

test('successResponse finds the documented 2xx status and its schema through $refs', () => {
  const result = successResponse(DOC, {
    operationId: 'x',
    responses: { '404': { description: 'no' }, '200': { $ref: '#/components/responses/Ok' } },
  });
  expect(result.status).toBe(200);
  expect(result.schema).toMatchObject({ required: ['items', 'count'] });
});

test('successResponse fails for an operation without a 2xx response', () => {
  expect(() => successResponse(DOC, { operationId: 'x', responses: { '400': { description: 'no' } } })).toThrow(
    /x documents no 2xx response/,
  );
});

describe('shapeAssertions', () => {
  const lines = shapeAssertions(DOC, { $ref: '#/components/schemas/List' }, 'body', 'body');

  test('accepts a body with the required keys, types and enums', () => {
    expect(() => runShape(lines, { items: [{ id: 'a' }, { id: 'b', extra: 1 }], count: 2 })).not.toThrow();
  });

  test('rejects a body missing a required key', () => {
    expect(() => runShape(lines, { items: [] })).toThrow(/body: missing count/);
  });

  test('rejects an array item missing a required key', () => {
    expect(() => runShape(lines, { items: [{ other: 1 }], count: 1 })).toThrow(/body\.items\[\]: missing id/);
  });

  test('rejects a value outside an enum', () => {
    expect(() => runShape(lines, { items: [{ id: 'z' }], count: 1 })).toThrow(
      /body\.items\[\]\.id: expected one of a, b/,
    );
  });

  test('rejects a non-integer where the schema says integer', () => {
    expect(() => runShape(lines, { items: [], count: 1.5 })).toThrow(/body\.count is an integer/);
  });

  test('leaves optional properties alone', () => {
    expect(lines.join('\n')).not.toContain('optional');
  });
});

test('errorTests check the status, the {error, message} shape and the code', () => {
  const script = errorTests(DOC, 404, 'StreamNotFound').join('\n');
  expect(script).toContain('pm.response.to.have.status(404)');
  expect(script).toContain('to.include.all.keys("error", "message")');
  expect(script).toContain('to.equal("StreamNotFound")');
});

test('collectionAuth: noauth for none', () => {
  expect(collectionAuth('none')).toEqual({ type: 'noauth' });
});

test('bindParameters binds stream-name, Shard-Iterator and shard-id without touching its input', () => {
  const input = {
    method: 'GET',
    url: {
      path: ['streams', ':stream-name', 'records'],
      variable: [{ key: 'stream-name', value: 'ingest-events' }],
      query: [
        { key: 'shard-id', value: 'shardId-000000000000' },
        { key: 'limit', value: '100', disabled: true },
      ],
    },
    header: [{ key: 'Shard-Iterator', value: 'string' }],
  };
  const copy = structuredClone(input);
  const out = bindParameters(input);
  expect(out.url.variable).toEqual([{ key: 'stream-name', value: '{{streamName}}' }]);
  expect(out.header).toEqual([{ key: 'Shard-Iterator', value: '{{shardIterator}}' }]);
  expect(out.url.query).toEqual([
    { key: 'shard-id', value: '{{shardId}}' },
    { key: 'limit', value: '100', disabled: false },
  ]);
  expect(input).toEqual(copy);
});
