/** The one JSON-pointer resolver every folder uses (spec-renderer/document.ts). */
import { resolvePointer, resolveRef, type OpenApiDocument } from '../../../spec-renderer';

const DOC: OpenApiDocument = {
  openapi: '3.0.3',
  paths: { '/a/{b}': { get: { responses: {} } } },
  components: {
    schemas: {
      Error: { type: 'object', properties: { 'x~y': { type: 'string' } } },
      Alias: { $ref: '#/components/schemas/Error' },
      Loop: { $ref: '#/components/schemas/Loop' },
    },
    list: ['zero', 'one'],
  },
};

test('resolvePointer reads RFC 6901 escapes and array indexes', () => {
  expect(resolvePointer(DOC, '#/paths/~1a~1%7Bb%7D/get')).toEqual({ responses: {} });
  expect(resolvePointer(DOC, '#/components/schemas/Error/properties/x~0y')).toEqual({ type: 'string' });
  expect(resolvePointer(DOC, '#/components/list/1')).toBe('one');
});

test('resolvePointer names a pointer that points at nothing, or is not local', () => {
  expect(() => resolvePointer(DOC, '#/components/schemas/Nope')).toThrow(
    /#\/components\/schemas\/Nope points at nothing/,
  );
  expect(() => resolvePointer(DOC, 'other.yaml#/x')).toThrow(/only local references/);
});

test('resolveRef follows chains of local references, and stops at a loop', () => {
  expect(resolveRef(DOC, { $ref: '#/components/schemas/Alias' })).toEqual(
    (DOC.components as { schemas: { Error: unknown } }).schemas.Error,
  );
  expect(resolveRef(DOC, 'plain')).toBe('plain');
  expect(() => resolveRef(DOC, { $ref: '#/components/schemas/Loop' })).toThrow(/Reference loop/);
});
