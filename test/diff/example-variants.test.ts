/**
 * The base collection's example variants, on this project's own collection and spec: the PutRecord
 * request is run again with each other example of the operation, and nothing else changes.
 */
import { loadConfig } from '../../config/ingest-config';
import { exampleVariants } from '../../api-diff/example-variants';
import { publishedSpecOf } from '../../api-diff/published-spec';
import { buildCollection, listRequests } from '../../postman';
import { PROJECT_DIR } from './project-repo';

test('one run as made, then one per other example of a request body the collection sends', async () => {
  const spec = await publishedSpecOf(PROJECT_DIR);
  const collection = await buildCollection(loadConfig());
  const runs = exampleVariants(collection, spec);
  expect(runs.map((r) => r.label)).toEqual([
    'as made',
    '"Put one record" sending example `text`',
    '"Put one record" sending example `bytes`',
  ]);
  expect(runs[0].collection).toBe(collection);

  const bodies = runs.map((r) => listRequests(r.collection).map((item) => item.request.body?.raw));
  const put = listRequests(collection).findIndex((item) => item.name === 'Put one record');
  expect(JSON.parse(bodies[1][put] as string)).toEqual({ data: 'GET /pricing 200 12ms', partitionKey: 'web-01' });
  expect(JSON.parse(bodies[2][put] as string)).toEqual({ dataBase64: 'aGVsbG8gd29ybGQ=' });
  // Every other request is sent as made, and the original collection is untouched.
  for (const variant of bodies.slice(1))
    expect(variant.filter((_, i) => i !== put)).toEqual(bodies[0].filter((_, i) => i !== put));
  expect(JSON.parse(listRequests(collection)[put].request.body?.raw as string).data).toEqual(
    expect.objectContaining({ event: 'page_view' }),
  );
});
