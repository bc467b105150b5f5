/**
 * Checks a rendered spec (the Body API Gateway imports) for constructs that API Gateway's import
 * ignores, rejects or changes, each rule quoting the AWS documentation it rests on (pure). Run by
 * `npm run lint` (scripts/check-import.ts) over the spec rendered for every auth mode, with CORS on
 * and off.
 */
import { findPlaceholders } from './placeholders';
import { isJsonObject, listOperations, type JsonObject, type JsonValue, type OpenApiDocument } from './document';

export interface ImportProblem {
  readonly rule: string;
  /** Where in the document, as a JSON pointer or METHOD path. */
  readonly at: string;
  readonly message: string;
}

/** Each rule's documented reason, quoted. */
export const IMPORT_RULES = {
  'root-security':
    '"API Gateway doesn\'t use root level security defined in the OpenAPI specification. Hence security needs to be defined at an operation level to be appropriately applied." (developer guide, api-gateway-known-issues)',
  'operation-security':
    '"API Gateway doesn\'t use root level security defined in the OpenAPI specification. Hence security needs to be defined at an operation level to be appropriately applied." (developer guide, api-gateway-known-issues)',
  'response-ref':
    '"Response definitions of the "500": {"$ref": "#/responses/UnexpectedError"} form is not supported ... replace the reference by the inline schema." (developer guide, api-gateway-known-issues); headers and models of such responses are not imported',
  'undeclared-header':
    '"Method response header parameters can be mapped from any integration response header or integration response body, $context variables, or static values" (developer guide, request-response-data-mappings): the target must be a header declared on that method response, else the import fails ("Invalid mapping expression parameter specified")',
  'custom-413':
    '"Customizing the default gateway response for 413 REQUEST_TOO_LARGE isn\'t currently supported." (developer guide, api-gateway-known-issues)',
  'notresource-shorthand':
    'On import "execute-api:/*" is converted to the API\'s ARN in Resource (developer guide, openapi-extensions-policy); nothing documents that conversion inside NotResource: use Resource, or full ARNs',
  'inline-composed-body':
    'Models are imported from components.schemas; an inline allOf/anyOf/oneOf in a request body is "Unsupported model type \'ComposedSchema\'" and ignored (a warning, a failure with failOnWarnings; reported against API Gateway in aws/aws-cdk#24844): reference a component schema',
  placeholder:
    'A {{Name}} placeholder left in the Body is imported as literal text: every placeholder must be filled by the renderer',
} as const;
export type ImportRule = keyof typeof IMPORT_RULES;

function problem(rule: ImportRule, at: string, what: string): ImportProblem {
  return { rule, at, message: `${what}: ${IMPORT_RULES[rule]}` };
}

function operations(doc: OpenApiDocument): Array<{ where: string; operation: JsonObject }> {
  return listOperations(doc).map(({ path, method, operation }) => ({
    where: `${method.toUpperCase()} ${path}`,
    operation,
  }));
}

function checkSecurity(doc: OpenApiDocument): ImportProblem[] {
  const found: ImportProblem[] = [];
  if (doc.security !== undefined)
    found.push(problem('root-security', '#/security', 'The document has a root security requirement'));
  for (const { where, operation } of operations(doc)) {
    if (!Array.isArray(operation.security))
      found.push(problem('operation-security', where, `${where} declares no security`));
  }
  return found;
}

function declaredHeaders(response: JsonValue | undefined): Set<string> {
  const headers = isJsonObject(response) && isJsonObject(response.headers) ? response.headers : {};
  return new Set(Object.keys(headers).map((h) => h.toLowerCase()));
}

function checkResponses(doc: OpenApiDocument): ImportProblem[] {
  const found: ImportProblem[] = [];
  for (const { where, operation } of operations(doc)) {
    const responses = isJsonObject(operation.responses) ? operation.responses : {};
    for (const [status, response] of Object.entries(responses)) {
      if (isJsonObject(response) && '$ref' in response)
        found.push(problem('response-ref', `${where} ${status}`, `${where} response ${status} is a $ref`));
    }
    const integration = operation['x-amazon-apigateway-integration'];
    const integrationResponses =
      isJsonObject(integration) && isJsonObject(integration.responses) ? integration.responses : {};
    for (const [pattern, raw] of Object.entries(integrationResponses)) {
      if (!isJsonObject(raw) || !isJsonObject(raw.responseParameters)) continue;
      const status = String(raw.statusCode ?? '');
      const declared = declaredHeaders(responses[status]);
      for (const target of Object.keys(raw.responseParameters)) {
        const header = /^method\.response\.header\.(.+)$/.exec(target)?.[1];
        if (header !== undefined && !declared.has(header.toLowerCase())) {
          found.push(
            problem(
              'undeclared-header',
              `${where} ${pattern}`,
              `${where}: the integration response "${pattern}" maps the header ${header}, which method response ${status} does not declare`,
            ),
          );
        }
      }
    }
    const body = operation.requestBody;
    const content = isJsonObject(body) && isJsonObject(body.content) ? body.content : {};
    for (const [type, media] of Object.entries(content)) {
      const schema = isJsonObject(media) ? media.schema : undefined;
      if (isJsonObject(schema) && !('$ref' in schema) && ['allOf', 'anyOf', 'oneOf'].some((k) => k in schema)) {
        found.push(
          problem(
            'inline-composed-body',
            `${where} ${type}`,
            `${where}: the ${type} request body has an inline composed schema`,
          ),
        );
      }
    }
  }
  return found;
}

function checkGatewayExtensions(doc: OpenApiDocument): ImportProblem[] {
  const found: ImportProblem[] = [];
  const gatewayResponses = doc['x-amazon-apigateway-gateway-responses'];
  if (isJsonObject(gatewayResponses) && 'REQUEST_TOO_LARGE' in gatewayResponses) {
    found.push(
      problem(
        'custom-413',
        '#/x-amazon-apigateway-gateway-responses/REQUEST_TOO_LARGE',
        'The gateway responses customize REQUEST_TOO_LARGE',
      ),
    );
  }
  const policy = doc['x-amazon-apigateway-policy'];
  const statements = isJsonObject(policy) && Array.isArray(policy.Statement) ? policy.Statement : [];
  statements.forEach((statement, i) => {
    if (!isJsonObject(statement) || statement.NotResource === undefined) return;
    const values = Array.isArray(statement.NotResource) ? statement.NotResource : [statement.NotResource];
    if (values.some((v) => typeof v === 'string' && v.startsWith('execute-api:/'))) {
      found.push(
        problem(
          'notresource-shorthand',
          `#/x-amazon-apigateway-policy/Statement/${i}`,
          'A policy statement has NotResource with the execute-api:/ shorthand',
        ),
      );
    }
  });
  return found;
}

export function checkImport(doc: OpenApiDocument): ImportProblem[] {
  const placeholders = [...findPlaceholders(doc)].map(([name, at]) =>
    problem('placeholder', at, `{{${name}}} is left in the document`),
  );
  return [...checkSecurity(doc), ...checkResponses(doc), ...checkGatewayExtensions(doc), ...placeholders];
}
