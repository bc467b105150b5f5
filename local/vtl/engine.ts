/**
 * The mapping-template engine: a template compiled once renders many requests, as API Gateway
 * renders them (Velocity 1.7 with JSONPath and Java values). No built-in prototype is touched, and
 * the caller's data is never written to: a template writes only into values made for its render.
 */
import { buildContext } from './context-variable';
import { InputVariable } from './input-variable';
import { javaString } from './java-values';
import type { JsonDocument } from './json-document';
import { overrideMap } from './override-maps';
import { compileTemplate, type CompiledTemplate } from './template-parser';
import { UtilVariable } from './util-variable';

export interface TemplateRequest {
  /** The raw request body (in a response template, the backend's); '' or absent reads as {}. */
  readonly body?: string;
  readonly path?: Readonly<Record<string, string>>;
  readonly querystring?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly stageVariables?: Readonly<Record<string, string>>;
  /** Deep-merged over the generated $context values. */
  readonly context?: Readonly<Record<string, unknown>>;
  /** The body already parsed by parseJsonDocument, so it is parsed once per request. */
  readonly document?: JsonDocument;
}

export interface RenderResult {
  readonly output: string;
  /** What the template set with #set($context.responseOverride.status = 429) / .header.X = "v". */
  readonly responseOverride: { readonly status?: number; readonly headers: Record<string, string> };
  /** What the template set with #set($context.requestOverride.header.X / .querystring.X / .path.X = "v"). */
  readonly requestOverride: {
    readonly headers: Record<string, string>;
    readonly querystring: Record<string, string>;
    readonly path: Record<string, string>;
  };
}

const UTIL = new UtilVariable();

/** The $context a template sees before it runs: generated values, the request's merged over them. */
export function defaultContext(request: TemplateRequest = {}): Record<string, unknown> {
  return buildContext((request.context ?? {}) as Record<string, unknown>);
}

/** Override maps as text, as API Gateway sends them. */
function textMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [key, item] of Object.entries(value)) if (item !== null && item !== undefined) out[key] = javaString(item);
  return out;
}

/** A status override counts only as a whole number from 100 to 599 (a numeric string too). */
function overrideStatus(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = javaString(value).trim();
  if (!/^\d+$/.test(text)) return undefined;
  const status = Number(text);
  return status >= 100 && status <= 599 ? status : undefined;
}

export function renderTemplate(template: string | CompiledTemplate, request: TemplateRequest): RenderResult {
  const compiled = typeof template === 'string' ? compileTemplate(template) : template;
  const context = defaultContext(request);
  // A caller may preset them (a response template reads what the request template set).
  const given = (name: string): Record<string, unknown> => {
    const value = context[name];
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  };
  const presetResponse = given('responseOverride');
  const presetRequest = given('requestOverride');
  const responseOverride = overrideMap({ ...presetResponse, header: overrideMap(presetResponse.header) });
  const requestOverride = overrideMap({
    header: overrideMap(presetRequest.header),
    querystring: overrideMap(presetRequest.querystring),
    path: overrideMap(presetRequest.path),
  });
  context.responseOverride = responseOverride;
  context.requestOverride = requestOverride;
  const input = new InputVariable(
    request.body ?? '',
    { path: request.path ?? {}, querystring: request.querystring ?? {}, header: request.headers ?? {} },
    request.document,
  );
  const output = compiled.program.render({
    input,
    util: UTIL,
    context,
    stageVariables: { ...(request.stageVariables ?? {}) },
  });
  const status = overrideStatus(responseOverride.status);
  return {
    output,
    responseOverride: { ...(status === undefined ? {} : { status }), headers: textMap(responseOverride.header) },
    requestOverride: {
      headers: textMap(requestOverride.header),
      querystring: textMap(requestOverride.querystring),
      path: textMap(requestOverride.path),
    },
  };
}
