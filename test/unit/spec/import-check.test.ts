/**
 * The import-compatibility check refuses each construct API Gateway's import ignores, rejects or
 * changes: a correct Body passes, and each rule fails a Body broken on purpose for it.
 */
import { parseConfig } from '../../../config/ingest-config';
import {
  bundleSpec,
  checkImport,
  IMPORT_RULES,
  LOCAL_FACTS,
  renderDeployedSpec,
  type JsonObject,
  type OpenApiDocument,
} from '../../../spec-renderer';

let good: OpenApiDocument;
beforeAll(async () => {
  good = renderDeployedSpec(
    await bundleSpec(),
    parseConfig({ streams: [{ name: 'clicks' }], corsAllowOrigin: 'https://app.example.com' }),
    LOCAL_FACTS,
  );
});

const copy = (): OpenApiDocument => structuredClone(good);
const put = (doc: OpenApiDocument): JsonObject => (doc.paths['/streams/clicks/record'] as JsonObject).put as JsonObject;
const rulesOf = (doc: OpenApiDocument): string[] => [...new Set(checkImport(doc).map((p) => p.rule))];

test('the rendered Body passes', () => {
  expect(checkImport(good)).toEqual([]);
});

test.each<[keyof typeof IMPORT_RULES, (doc: OpenApiDocument) => void]>([
  ['root-security', (doc) => void (doc.security = [{ api_key: [] }])],
  ['operation-security', (doc) => void delete put(doc).security],
  [
    'response-ref',
    (doc) => void ((put(doc).responses as JsonObject)['400'] = { $ref: '#/components/responses/BadRequest' }),
  ],
  [
    'undeclared-header',
    (doc) => {
      const responses = (put(doc)['x-amazon-apigateway-integration'] as JsonObject).responses as JsonObject;
      ((responses['4\\d{2}'] as JsonObject).responseParameters as JsonObject)['method.response.header.Retry-After'] =
        "'1'";
    },
  ],
  [
    'custom-413',
    (doc) =>
      void ((doc['x-amazon-apigateway-gateway-responses'] as JsonObject).REQUEST_TOO_LARGE = { statusCode: '413' }),
  ],
  [
    'notresource-shorthand',
    (doc) =>
      void (doc['x-amazon-apigateway-policy'] = {
        Statement: [
          { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', NotResource: ['execute-api:/*/GET/streams'] },
        ],
      }),
  ],
  [
    'inline-composed-body',
    (doc) =>
      void (put(doc).requestBody = {
        content: { 'application/json': { schema: { allOf: [{ $ref: '#/components/schemas/RecordEntry' }] } } },
      }),
  ],
  [
    'placeholder',
    (doc) => void ((put(doc)['x-amazon-apigateway-integration'] as JsonObject).credentials = '{{IntegrationRoleArn}}'),
  ],
])('refuses a Body broken for %s, quoting the AWS documentation', (rule, breakIt) => {
  const doc = copy();
  breakIt(doc);
  expect(rulesOf(doc)).toContain(rule);
  expect(rulesOf(good)).not.toContain(rule);
  expect(checkImport(doc)[0].message).toContain(IMPORT_RULES[rule]);
});

test('every rule but our own placeholder rule quotes its AWS source', () => {
  const { placeholder: _ours, ...aws } = IMPORT_RULES;
  for (const reason of Object.values(aws)) expect(reason).toMatch(/developer guide|aws\/aws-cdk#/);
});
