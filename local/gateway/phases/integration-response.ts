/**
 * The integration response: chosen by the backend's status (a full match of its selection
 * pattern, else `default`), its template rendered with $input as the backend's body and
 * $context.requestOverride as the request template left it, its response parameters mapped, and
 * $context.responseOverride applied last.
 */
import { renderTemplate, type CompiledTemplate } from '../../vtl';
import type { IntegrationResponse, Operation } from '../routes';
import type { IntegrationRequest, TemplateInput } from './integration-request';

export interface BackendResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface MappedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export class NoMatchingResponseError extends Error {
  constructor(status: number) {
    super(
      `Execution failed due to configuration error: no integration response matches status ${status} and none is the default`,
    );
  }
}

export function selectIntegrationResponse(
  responses: readonly IntegrationResponse[],
  status: number,
): IntegrationResponse {
  const text = String(status);
  const chosen = responses.find((r) => r.pattern?.test(text)) ?? responses.find((r) => r.pattern === null);
  if (!chosen) throw new NoMatchingResponseError(status);
  return chosen;
}

function chooseTemplate(
  templates: ReadonlyMap<string, CompiledTemplate>,
  accept: string | undefined,
): [string, CompiledTemplate] | undefined {
  const wanted = (accept ?? '').split(',').map((t) => t.split(';')[0].trim().toLowerCase());
  for (const type of [...wanted, 'application/json']) {
    const template = templates.get(type);
    if (template) return [type, template];
  }
  const first = templates.entries().next();
  return first.done ? undefined : first.value;
}

function mapParameter(source: string, backend: BackendResponse, context: Record<string, unknown>): string | undefined {
  const literal = /^'(.*)'$/s.exec(source);
  if (literal) return literal[1];
  const header = /^integration\.response\.header\.(.+)$/.exec(source);
  if (header) return backend.headers[header[1].toLowerCase()];
  if (source === 'integration.response.body') return backend.body;
  const fromContext = /^context\.(.+)$/.exec(source);
  if (fromContext) {
    const value = fromContext[1]
      .split('.')
      .reduce<unknown>(
        (node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined),
        context,
      );
    return value === undefined ? undefined : String(value);
  }
  return undefined;
}

function mapResponse(
  selected: IntegrationResponse,
  backend: BackendResponse,
  request: TemplateInput,
  accept: string | undefined,
): MappedResponse {
  const headers: Record<string, string> = {};
  for (const [target, source] of Object.entries(selected.responseParameters)) {
    const name = /^method\.response\.header\.(.+)$/.exec(target)?.[1];
    const value =
      name === undefined
        ? undefined
        : mapParameter(source, backend, (request.context ?? {}) as Record<string, unknown>);
    if (name !== undefined && value !== undefined) headers[name] = value;
  }
  const template = chooseTemplate(selected.responseTemplates, accept);
  if (!template)
    return {
      status: selected.statusCode,
      headers: { 'content-type': 'application/json', ...headers },
      body: backend.body,
    };

  const rendered = renderTemplate(template[1], { ...request, body: backend.body });
  const override = rendered.responseOverride;
  const status =
    override.status !== undefined && override.status >= 100 && override.status <= 599
      ? override.status
      : selected.statusCode;
  return { status, headers: { 'content-type': template[0], ...headers, ...override.headers }, body: rendered.output };
}

export function integrationResponse(
  operation: Operation,
  backend: BackendResponse,
  request: IntegrationRequest,
  accept: string | undefined,
): MappedResponse {
  const selected = selectIntegrationResponse(operation.integration.responses, backend.status);
  const overrides = request.requestOverride;
  const input = request.templateInput;
  const templateInput: TemplateInput = overrides
    ? {
        ...input,
        context: {
          ...input.context,
          requestOverride: { header: overrides.headers, querystring: overrides.querystring, path: overrides.path },
        },
      }
    : input;
  return mapResponse(selected, backend, templateInput, accept);
}
