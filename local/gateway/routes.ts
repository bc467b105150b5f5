/**
 * The route table, built once from the rendered spec: each path template becomes a matcher, and
 * each operation keeps what a request needs (integration, validators, schemas, security), with its
 * mapping templates compiled up front so that no request does spec work.
 */
import { compileTemplate, type CompiledTemplate } from '../vtl';
import {
  isJsonObject,
  KINESIS_ACTION_URI,
  listOperations,
  resolveRef,
  SECURITY_SCHEME,
  type JsonObject,
  type JsonValue,
  type OpenApiDocument,
} from '../../spec-renderer';
import { compileBodyValidator, type BodyValidator } from './body-validation';

export interface ParameterSpec {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
}

export interface IntegrationResponse {
  /** null for `default`. */
  readonly pattern: RegExp | null;
  readonly statusCode: number;
  readonly responseParameters: Readonly<Record<string, string>>;
  readonly responseTemplates: ReadonlyMap<string, CompiledTemplate>;
}

export interface Integration {
  readonly type: 'aws' | 'mock';
  /** The Kinesis action for an aws integration (from `uri`). */
  readonly action?: string;
  readonly passthroughBehavior: 'when_no_match' | 'when_no_templates' | 'never';
  readonly timeoutMs: number;
  readonly requestTemplates: ReadonlyMap<string, CompiledTemplate>;
  readonly responses: readonly IntegrationResponse[];
}

export interface Operation {
  readonly operationId: string;
  readonly method: string;
  readonly resourcePath: string;
  readonly parameters: readonly ParameterSpec[];
  readonly validateBody: boolean;
  readonly validateParameters: boolean;
  readonly bodyValidator?: BodyValidator;
  readonly requiresApiKey: boolean;
  readonly requiresIam: boolean;
  readonly integration: Integration;
}

interface Route {
  readonly resourcePath: string;
  readonly matcher: RegExp;
  readonly paramNames: readonly string[];
  readonly operations: ReadonlyMap<string, Operation>;
}

export interface RouteMatch {
  readonly operation: Operation;
  readonly pathParams: Record<string, string>;
}

export class SpecError extends Error {
  constructor(where: string, problem: string) {
    super(`The spec cannot be served at ${where}: ${problem}`);
    this.name = 'SpecError';
  }
}

function asString(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function compileTemplates(map: JsonValue | undefined): Map<string, CompiledTemplate> {
  const templates = new Map<string, CompiledTemplate>();
  if (isJsonObject(map)) {
    for (const [contentType, source] of Object.entries(map)) {
      if (typeof source === 'string') templates.set(contentType.toLowerCase(), compileTemplate(source));
    }
  }
  return templates;
}

function compileIntegration(where: string, raw: JsonValue | undefined): Integration {
  if (!isJsonObject(raw)) throw new SpecError(where, 'no x-amazon-apigateway-integration');
  const type = asString(raw.type)?.toLowerCase();
  if (type !== 'aws' && type !== 'mock')
    throw new SpecError(where, `integration type ${String(raw.type)} is not served locally (aws, mock)`);
  let action: string | undefined;
  if (type === 'aws') {
    if (asString(raw.httpMethod)?.toUpperCase() !== 'POST')
      throw new SpecError(where, 'an aws integration must use httpMethod POST');
    const match = KINESIS_ACTION_URI.exec(asString(raw.uri) ?? '');
    if (!match)
      throw new SpecError(
        where,
        `the uri ${String(raw.uri)} is not a Kinesis action (arn:aws:apigateway:<region>:kinesis:action/<Action>)`,
      );
    action = match[1];
  }
  const passthrough = (asString(raw.passthroughBehavior) ?? 'when_no_match').toLowerCase();
  if (passthrough !== 'when_no_match' && passthrough !== 'when_no_templates' && passthrough !== 'never') {
    throw new SpecError(where, `passthroughBehavior ${passthrough} is unknown`);
  }
  const responses: IntegrationResponse[] = [];
  const rawResponses = isJsonObject(raw.responses) ? raw.responses : {};
  for (const [pattern, response] of Object.entries(rawResponses)) {
    if (!isJsonObject(response)) continue;
    const params = isJsonObject(response.responseParameters) ? response.responseParameters : {};
    responses.push({
      // API Gateway matches a selection pattern against the whole status (a Java full match).
      pattern: pattern === 'default' ? null : new RegExp(`^(?:${pattern})$`),
      statusCode: Number(response.statusCode ?? 200),
      responseParameters: Object.fromEntries(
        Object.entries(params).filter((e): e is [string, string] => typeof e[1] === 'string'),
      ),
      responseTemplates: compileTemplates(response.responseTemplates),
    });
  }
  return {
    type,
    ...(action === undefined ? {} : { action }),
    passthroughBehavior: passthrough,
    timeoutMs: typeof raw.timeoutInMillis === 'number' ? raw.timeoutInMillis : 29_000,
    requestTemplates: compileTemplates(raw.requestTemplates),
    responses,
  };
}

export class RouteTable {
  private readonly routes: Route[] = [];

  constructor(doc: OpenApiDocument) {
    const validators = isJsonObject(doc['x-amazon-apigateway-request-validators'])
      ? doc['x-amazon-apigateway-request-validators']
      : {};
    const defaultValidator = asString(doc['x-amazon-apigateway-request-validator']);
    const byPath = new Map<string, Map<string, Operation>>();

    for (const { path, method, operation } of listOperations(doc)) {
      const where = `${method.toUpperCase()} ${path}`;
      const item = doc.paths[path] as JsonObject;
      const parameters: ParameterSpec[] = [];
      for (const raw of [
        ...(Array.isArray(item.parameters) ? item.parameters : []),
        ...(Array.isArray(operation.parameters) ? operation.parameters : []),
      ]) {
        const p = resolveRef(doc, raw);
        if (
          isJsonObject(p) &&
          typeof p.name === 'string' &&
          (p.in === 'path' || p.in === 'query' || p.in === 'header')
        ) {
          parameters.push({ name: p.name, in: p.in, required: p.required === true });
        }
      }
      const validatorName = asString(operation['x-amazon-apigateway-request-validator']) ?? defaultValidator;
      const validator = validatorName === undefined ? {} : validators[validatorName];
      if (validatorName !== undefined && !isJsonObject(validator))
        throw new SpecError(where, `request validator ${validatorName} is not declared`);
      // Operation-level security only, as API Gateway reads it: "API Gateway doesn't use root
      // level security defined in the OpenAPI specification" (developer guide,
      // api-gateway-known-issues). A root requirement protects nothing here either.
      const security = Array.isArray(operation.security) ? operation.security : [];
      const schemes = security.flatMap((s) => (isJsonObject(s) ? Object.keys(s) : []));
      const body = resolveRef(doc, operation.requestBody ?? null);
      const bodySchema =
        isJsonObject(body) && isJsonObject(body.content) && isJsonObject(body.content['application/json'])
          ? body.content['application/json'].schema
          : undefined;
      const validateBody = isJsonObject(validator) && validator.validateRequestBody === true;

      const compiled: Operation = {
        operationId: asString(operation.operationId) ?? where,
        method: method.toUpperCase(),
        resourcePath: path,
        parameters,
        validateBody,
        validateParameters: isJsonObject(validator) && validator.validateRequestParameters === true,
        ...(validateBody && bodySchema !== undefined ? { bodyValidator: compileBodyValidator(doc, bodySchema) } : {}),
        requiresApiKey: schemes.includes(SECURITY_SCHEME.apiKey),
        requiresIam: schemes.includes(SECURITY_SCHEME.iam),
        integration: compileIntegration(where, operation['x-amazon-apigateway-integration']),
      };
      if (!byPath.has(path)) byPath.set(path, new Map());
      byPath.get(path)?.set(compiled.method, compiled);
    }

    for (const [path, operations] of byPath) {
      const paramNames: string[] = [];
      const source = path
        .split('/')
        .map((segment) => {
          const param = /^\{([^}]+)\}$/.exec(segment);
          if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          paramNames.push(param[1]);
          return '([^/]+)';
        })
        .join('/');
      this.routes.push({ resourcePath: path, matcher: new RegExp(`^${source}$`), paramNames, operations });
    }
    // Literal segments win over parameters, as in API Gateway: fewer parameters first.
    this.routes.sort((a, b) => a.paramNames.length - b.paramNames.length);
  }

  /** The operation for a method and a path below the stage, or undefined (an unknown route). */
  match(method: string, path: string): RouteMatch | undefined {
    for (const route of this.routes) {
      const found = route.matcher.exec(path);
      if (!found) continue;
      const operation = route.operations.get(method);
      if (!operation) return undefined;
      const pathParams: Record<string, string> = {};
      route.paramNames.forEach((name, i) => {
        pathParams[name] = safeDecode(found[i + 1]);
      });
      return { operation, pathParams };
    }
    return undefined;
  }

  get operations(): Operation[] {
    return this.routes.flatMap((r) => [...r.operations.values()]);
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
