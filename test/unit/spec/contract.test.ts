/**
 * The spec against the HTTP contract of the README: the README's table is the operation inventory
 * (spec-renderer/operation-inventory.ts), every operation has its integration, and the document is
 * valid OpenAPI 3.0 that passes the project's lint rules.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../config/ingest-config';
import {
  bundleSpec,
  isJsonObject,
  LOCAL_FACTS,
  listOperations,
  operationInventory,
  renderDeployedSpec,
  type InventoryEntry,
  type JsonObject,
  type OpenApiDocument,
} from '../../../spec-renderer';
import { redoclyLint } from '../../support/redocly-lint';

const ROOT = join(__dirname, '..', '..', '..');
let rendered: OpenApiDocument;
let inventory: InventoryEntry[];

beforeAll(async () => {
  const bundled = await bundleSpec();
  inventory = operationInventory(bundled);
  rendered = renderDeployedSpec(bundled, parseConfig({}), LOCAL_FACTS);
});

/** A row of the README's contract table as the inventory writes it: operation, Kinesis action, IAM grant. */
function readmeRow(entry: InventoryEntry): [string, string, string] {
  const grant =
    entry.kinesis === undefined ? 'none' : `\`${entry.kinesis.iamAction}\` on the ${entry.kinesis.resource}`;
  return [`${entry.method} ${entry.route}`, entry.kinesis?.action ?? 'none (the configured streams)', grant];
}

/** The first three cells of each row of the README's table under "## The contract". */
function readmeContractRows(): Array<[string, string, string]> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The contract'));
  const table = section.slice(section.indexOf('| operation |')).split('\n\n')[0].split('\n').slice(2);
  return table.map((line) => {
    const [operation, action, grant] = line.split(' | ').map((cell) => cell.replace(/^\| /, '').trim());
    // `GET /streams/{stream-name}/records?limit=…` + header `Shard-Iterator`: the route only.
    return [/^`([A-Z]+ [^`?]+)/.exec(operation)?.[1] ?? operation, action, grant];
  });
}

describe('the spec', () => {
  test("the README's contract table is the operation inventory: route, Kinesis action, IAM grant", () => {
    // The README lists them in the order a reader uses them (an iterator before a read).
    expect(readmeContractRows().sort()).toEqual(inventory.map(readmeRow).sort());
  });

  test('the deployed spec has one operation per inventory entry and configured stream, each calling its Kinesis action', () => {
    const deployed = listOperations(rendered).map(({ path, method, operation }) => {
      const uri = (operation['x-amazon-apigateway-integration'] as JsonObject).uri;
      return `${method.toUpperCase()} ${path.replace('/ingest-events', '/{stream-name}')} ${typeof uri === 'string' ? uri.split('/').pop() : 'mock'}`;
    });
    expect(deployed.sort()).toEqual(
      inventory.map((e) => `${e.method} ${e.route} ${e.kinesis?.action ?? 'mock'}`).sort(),
    );
  });

  test('every aws integration is a POST with credentials, never passing bodies through', () => {
    for (const { path, method, operation } of listOperations(rendered)) {
      const integration = operation['x-amazon-apigateway-integration'] as JsonObject;
      expect([path, method, integration.passthroughBehavior]).toEqual([path, method, 'never']);
      if (integration.type === 'mock') continue;
      expect([path, method, integration.type, integration.httpMethod]).toEqual([path, method, 'aws', 'POST']);
      expect(integration.credentials).toBe(LOCAL_FACTS.integrationRoleArn);
      expect(integration.uri).toMatch(/^arn:aws:apigateway:us-east-1:kinesis:action\/[A-Za-z]+$/);
      expect(Object.keys(integration.responses as JsonObject).sort()).toEqual(
        ['200', '4\\d{2}', '503', 'default'].sort(),
      );
      expect(((integration.responses as JsonObject).default as JsonObject).statusCode).toBe('502');
    }
  });

  test('every operation has an id, summary, description, tag and a 200 response schema', () => {
    for (const { operation } of listOperations(rendered)) {
      expect(operation).toEqual(
        expect.objectContaining({
          operationId: expect.any(String),
          summary: expect.any(String),
          description: expect.any(String),
          tags: [expect.any(String)],
        }),
      );
      const ok = (operation.responses as JsonObject)['200'] as JsonObject;
      expect(JSON.stringify(ok.content)).toContain('#/components/schemas/');
    }
  });

  test('the selection patterns do not overlap, and only 200 is a success: the rest falls to default (502)', () => {
    const patterns = ['200', '4\\d{2}', '503'].map((p) => new RegExp(`^(?:${p})$`));
    for (let status = 100; status < 600; status += 1) {
      const selected = status === 200 || (status >= 400 && status < 500) || status === 503 ? 1 : 0;
      expect([status, patterns.filter((p) => p.test(String(status))).length]).toEqual([status, selected]);
    }
  });

  test('gateway response templates hold no Velocity directives (API Gateway only substitutes variables there)', () => {
    for (const [type, response] of Object.entries(rendered['x-amazon-apigateway-gateway-responses'] as JsonObject)) {
      const template = ((response as JsonObject).responseTemplates as JsonObject)['application/json'] as string;
      expect([type, /#(set|if|foreach|else|end)\b|\$util/.test(template)]).toEqual([type, false]);
    }
  });

  test('is valid OpenAPI 3.0 (swagger-parser)', async () => {
    const copy = JSON.parse(JSON.stringify(rendered)) as OpenApiDocument;
    await expect(SwaggerParser.validate(copy as never)).resolves.toBeDefined();
    expect(rendered.openapi).toMatch(/^3\.0\.\d$/);
  });

  test('passes the lint rules', () => {
    const { status, output } = redoclyLint(ROOT);
    expect(output).toContain('Your API description is valid');
    expect(output).not.toMatch(/You have \d+ warning/);
    expect(status).toBe(0);
  });

  // One copy breaks every rule at once, each in a place of its own, and is linted once: each rule
  // must be reported in the file its breach was written to.
  describe('the project lint rules fail a spec that breaks them', () => {
    let dir: string;
    let status: number | null;
    let findings: Map<string, string[]>;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'spec-lint-'));
      cpSync(join(ROOT, 'openapi'), join(dir, 'openapi'), { recursive: true });
      cpSync(join(ROOT, 'redocly.yaml'), join(dir, 'redocly.yaml'));
      edit('paths/streams_{stream-name}_shards.yaml', /  x-amazon-apigateway-integration:/, '  x-no-integration:');
      edit('paths/streams_{stream-name}_shards.yaml', /  x-amazon-apigateway-request-validator: params-only\n/, '');
      edit('paths/streams_{stream-name}_shards.yaml', /  security:\n    - api_key: \[\]\n/, '');
      edit('openapi.yaml', /^paths:\n/m, 'security:\n  - api_key: []\npaths:\n');
      edit('openapi.yaml', /^openapi: 3\.0\.3/, 'openapi: 3.1.0');
      edit(
        'components/schemas/ShardIterator.yaml',
        /^type: object\n/,
        'type: object\noneOf:\n  - required: [shardIterator]\n  - required: [other]\n',
      );
      const result = redoclyLint(dir);
      status = result.status;
      findings = findingsByFile(result.output);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    function edit(file: string, from: RegExp, to: string): void {
      const path = join(dir, 'openapi', file);
      const text = readFileSync(path, 'utf8');
      expect(text).toMatch(from);
      writeFileSync(path, text.replace(from, to));
    }

    /** The rules the stylish format reports under each file heading. */
    function findingsByFile(output: string): Map<string, string[]> {
      const byFile = new Map<string, string[]>();
      let file = '';
      for (const line of output.split('\n')) {
        const heading = /^(\S.*\.yaml):$/.exec(line);
        const finding = /^\s+\d+:\d+\s+error\s+(\S+)/.exec(line);
        if (heading) file = heading[1];
        else if (finding) byFile.set(file, [...(byFile.get(file) ?? []), finding[1]]);
      }
      return byFile;
    }

    test('lint fails', () => {
      expect(status).not.toBe(0);
    });

    test('an operation without an integration', () => {
      expect(findings.get('openapi/paths/streams_{stream-name}_shards.yaml')).toContain(
        'rule/operation-has-integration',
      );
    });

    test('an operation without a validator', () => {
      expect(findings.get('openapi/paths/streams_{stream-name}_shards.yaml')).toContain('rule/operation-has-validator');
    });

    test('an operation without its own security (API Gateway ignores the root one)', () => {
      expect(findings.get('openapi/paths/streams_{stream-name}_shards.yaml')).toContain('rule/operation-has-security');
    });

    test('a root security requirement', () => {
      expect(findings.get('openapi/openapi.yaml')).toContain('rule/no-root-security');
    });

    test('OpenAPI 3.1', () => {
      expect(findings.get('openapi/openapi.yaml')).toContain('rule/openapi-3-0');
    });

    test('a schema with oneOf', () => {
      expect(findings.get('openapi/components/schemas/ShardIterator.yaml')).toContain('rule/no-oneof');
    });
  });
});

test('operations reach the components by reference, so API Gateway imports them as models', () => {
  const models = Object.keys((rendered.components as JsonObject).schemas as JsonObject);
  expect(models).toEqual(expect.arrayContaining(['RecordEntry', 'PutRecordsRequest', 'Error']));
  for (const name of models) expect(name).toMatch(/^[A-Za-z0-9]+$/);
  expect(isJsonObject(rendered['x-amazon-apigateway-gateway-responses'])).toBe(true);
});
