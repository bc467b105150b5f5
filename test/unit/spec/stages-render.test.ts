/** What the renderer does with a stage's configuration: Kinesis names behind API names, and the record size limit. */
import { parseConfig } from '../../../config/ingest-config';
import { compileTemplate, renderTemplate } from '../../../local/vtl';
import {
  bundleSpec,
  LOCAL_FACTS,
  operationInventory,
  renderDeployedSpec,
  type JsonObject,
  type OpenApiDocument,
} from '../../../spec-renderer';
import { API_GATEWAY_MAX_PAYLOAD_BYTES, base64Length, recordSizeLimit } from '../../../spec-renderer/record-size';

let bundled: OpenApiDocument;
beforeAll(async () => {
  bundled = await bundleSpec();
});

type Json = Record<string, any>;
const integration = (doc: OpenApiDocument, path: string, method: string): Json =>
  (doc.paths as Json)[path][method]['x-amazon-apigateway-integration'];
const dataBase64 = (doc: OpenApiDocument): Json =>
  ((doc.components as Json).schemas.RecordEntry as Json).properties.dataBase64;

describe('Kinesis names behind API names', () => {
  const config = parseConfig({
    stage: 'prod',
    streams: [
      { name: 'clicks' },
      { name: 'orders', streamArn: 'arn:aws:kinesis:eu-west-1:111122223333:stream/orders-main' },
    ],
  });
  let doc: OpenApiDocument;
  beforeAll(() => {
    doc = renderDeployedSpec(bundled, config, LOCAL_FACTS);
  });

  test.each([
    ['clicks', 'clicks-prod'],
    ['orders', 'orders-main'],
  ])('a record put to /streams/%s goes to the Kinesis stream %s', (name, physical) => {
    const template = integration(doc, `/streams/${name}/record`, 'put').requestTemplates['application/json'] as string;
    const out = renderTemplate(compileTemplate(template), {
      body: JSON.stringify({ data: 'x', partitionKey: 'p' }),
    }).output;
    expect(JSON.parse(out)).toMatchObject({ StreamName: physical });
  });

  test('every request template that names the stream names the Kinesis one', () => {
    let checked = 0;
    for (const path of Object.keys(doc.paths).filter((p) => p.startsWith('/streams/orders'))) {
      for (const [method, operation] of Object.entries(doc.paths[path] as Json)) {
        if (method === 'parameters' || !operation['x-amazon-apigateway-integration']) continue;
        const template = operation['x-amazon-apigateway-integration'].requestTemplates?.['application/json'] as
          string | undefined;
        if (template === undefined || !template.includes('StreamName')) continue;
        const out = renderTemplate(compileTemplate(template), {
          body: JSON.stringify({ records: [{ data: 'x' }], data: 'x' }),
          querystring: { 'shard-id': 'shardId-000000000000' },
          headers: { 'Shard-Iterator': 'it' },
        }).output;
        expect(out).toContain('"StreamName": "orders-main"');
        checked += 1;
      }
    }
    // Every Kinesis operation of the inventory but GetRecords, which reads by shard iterator.
    expect(checked).toBe(
      operationInventory(bundled).filter((e) => e.kinesis !== undefined && e.kinesis.action !== 'GetRecords').length,
    );
  });

  test("a stream's description shows its API name", () => {
    const responses = integration(doc, '/streams/orders', 'get').responses as Json;
    const template = (Object.values(responses) as Json[]).find((r) => r.statusCode === '200')?.responseTemplates[
      'application/json'
    ] as string;
    const answer = {
      StreamDescriptionSummary: {
        StreamName: 'orders-main',
        StreamARN: 'arn:aws:kinesis:eu-west-1:111122223333:stream/orders-main',
        StreamStatus: 'ACTIVE',
        OpenShardCount: 1,
        RetentionPeriodHours: 24,
      },
    };
    const out = JSON.parse(renderTemplate(compileTemplate(template), { body: JSON.stringify(answer) }).output) as Json;
    expect(out).toMatchObject({ name: 'orders', arn: answer.StreamDescriptionSummary.StreamARN });
  });
});

describe('the record schema follows the maximum record size', () => {
  test('by default, a 1 MiB record: 1398104 base64 characters', () => {
    const field = dataBase64(renderDeployedSpec(bundled, parseConfig({}), LOCAL_FACTS));
    expect(field.maxLength).toBe(1398104);
    expect(field.description).toMatch(
      /At most 1398104 characters: 1048576 bytes, the stream's maximum record size of 1024 KiB/,
    );
  });

  test('the largest configured stream sets it', () => {
    const doc = renderDeployedSpec(
      bundled,
      parseConfig({ streams: [{ name: 'a' }, { name: 'b', maxRecordSizeKiB: 4096 }] }),
      LOCAL_FACTS,
    );
    expect(dataBase64(doc).maxLength).toBe(base64Length(4096 * 1024));
    // Only the string property: the `not` branches that forbid data and dataBase64 together stay as written.
    expect(((doc.components as Json).schemas.RecordEntry as JsonObject).allOf).toEqual(
      ((bundled.components as Json).schemas.RecordEntry as JsonObject).allOf,
    );
  });

  test("past about 7.5 MiB, API Gateway's 10 MB request limit is the bound", () => {
    const limit = recordSizeLimit(10240);
    expect(limit.boundByPayload).toBe(true);
    expect(limit.maxBase64Length % 4).toBe(0);
    expect(JSON.stringify({ dataBase64: 'A'.repeat(limit.maxBase64Length) }).length).toBeLessThanOrEqual(
      API_GATEWAY_MAX_PAYLOAD_BYTES,
    );
    expect(limit.maxRecordBytes).toBe((limit.maxBase64Length / 4) * 3);
    const field = dataBase64(
      renderDeployedSpec(bundled, parseConfig({ streams: [{ name: 'big', maxRecordSizeKiB: 10240 }] }), LOCAL_FACTS),
    );
    expect(field.maxLength).toBe(limit.maxBase64Length);
    expect(field.description).toMatch(
      /API Gateway's 10 MB request limit allows \d+ bytes of data, below the stream's maximum record size of 10240 KiB/,
    );
  });

  test('base64 length rounds up to whole groups of four', () => {
    expect([0, 1, 2, 3, 4].map(base64Length)).toEqual([0, 4, 4, 4, 8]);
  });
});
