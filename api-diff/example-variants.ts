/**
 * More of the base's contract from the base's own collection (pure): a request whose body is one
 * of its operation's request examples is run again with each other example in its place. The
 * collection's own tests then judge those bodies too: its read-back test compares the record read
 * with the body sent, so a template that mishandles only strings (stored with their quotes) fails
 * on the string example although the collection's first example is an object.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  isJsonObject,
  listOperations,
  resolveRef,
  type JsonObject,
  type JsonValue,
  type OpenApiDocument,
} from '../spec-renderer';
import { listRequests, type PostmanCollection } from '../postman';

export interface CollectionRun {
  /** "as made", or which request sends which example. */
  readonly label: string;
  readonly collection: PostmanCollection;
}

/** Named request examples of every operation with a JSON body. */
function requestExamples(spec: OpenApiDocument): Array<Array<[string, JsonValue]>> {
  const out: Array<Array<[string, JsonValue]>> = [];
  for (const { operation } of listOperations(spec)) {
    const body = resolveRef(spec, operation.requestBody);
    const content = isJsonObject(body) && isJsonObject(body.content) ? body.content['application/json'] : undefined;
    if (!isJsonObject(content) || !isJsonObject(content.examples)) continue;
    const named: Array<[string, JsonValue]> = [];
    for (const [name, raw] of Object.entries(content.examples as JsonObject)) {
      const example = resolveRef(spec, raw);
      if (isJsonObject(example) && example.value !== undefined) named.push([name, example.value]);
    }
    if (named.length > 1) out.push(named);
  }
  return out;
}

function parseBody(raw: string | undefined): JsonValue | undefined {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as JsonValue;
  } catch {
    return undefined;
  }
}

export function exampleVariants(collection: PostmanCollection, spec: OpenApiDocument): CollectionRun[] {
  const runs: CollectionRun[] = [{ label: 'as made', collection }];
  const examples = requestExamples(spec);
  listRequests(collection).forEach((item, index) => {
    const sent = item.request.body?.mode === 'raw' ? parseBody(item.request.body.raw) : undefined;
    if (sent === undefined) return;
    const named = examples.find((list) => list.some(([, value]) => isDeepStrictEqual(value, sent)));
    for (const [name, value] of named ?? []) {
      if (isDeepStrictEqual(value, sent)) continue;
      const variant = structuredClone(collection);
      const request = listRequests(variant)[index].request;
      request.body = { ...request.body, raw: JSON.stringify(value, null, 2) };
      runs.push({ label: `"${item.name}" sending example \`${name}\``, collection: variant });
    }
  });
  return runs;
}
