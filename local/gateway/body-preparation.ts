/**
 * What a request's body goes through, as one pure step: the method request's body validation
 * (the body parsed once, losslessly, then checked against the schema) and the integration
 * request's template, which reads that same parse. It runs on the main thread for small bodies and
 * in a worker thread for large ones (offload/), with the same answers.
 */
import {
  JsonBodyError,
  parseJsonDocument,
  renderTemplate,
  validationView,
  type CompiledTemplate,
  type JsonDocument,
  type RenderResult,
  type TemplateRequest,
} from '../vtl';
import type { Operation } from './routes';

/** A body the validator refuses: API Gateway's BAD_REQUEST_BODY, with this reason. */
export class BodyRefusedError extends Error {
  constructor(readonly validationErrorString: string) {
    super(validationErrorString);
    this.name = 'BodyRefusedError';
  }
}

export interface BodyInput {
  /** The request body as UTF-8 text. */
  readonly body: string;
  /** Lower-case media type without parameters. */
  readonly contentType: string;
  /** The chosen request template; absent for a passthrough. */
  readonly template?: CompiledTemplate;
  /** What the template reads besides the body. */
  readonly templateRequest: Omit<TemplateRequest, 'body' | 'document'>;
}

export interface PreparedBody {
  /** The integration request's body. */
  readonly output: string;
  /** Set when a template ran: what it wrote to $context.requestOverride. */
  readonly requestOverride?: RenderResult['requestOverride'];
}

/** A body that cannot be read as JSON (bad syntax, too deep, a number beyond a double) is a 400, as a validator answers. */
function readingBody<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof JsonBodyError) throw new BodyRefusedError(error.message);
    throw error;
  }
}

/** Returns the body parsed (losslessly, once) when it was validated, for the template to reuse. */
function validateBody(operation: Operation, input: BodyInput): JsonDocument | undefined {
  if (!operation.validateBody || !operation.bodyValidator || input.contentType !== 'application/json') return undefined;
  const document = readingBody(() => parseJsonDocument(input.body.length === 0 ? '{}' : input.body));
  // ajv sees the same parse: numbers beyond a double's precision as their nearest double.
  const problem = operation.bodyValidator(validationView(document));
  if (problem !== undefined) throw new BodyRefusedError(problem);
  return document;
}

/** Throws BodyRefusedError for a body the validator or the template cannot read; any other error is the template's failure. */
export function prepareBody(operation: Operation, input: BodyInput): PreparedBody {
  const document = validateBody(operation, input);
  const { template } = input;
  if (template === undefined) return { output: input.body };
  const rendered = readingBody(() =>
    renderTemplate(template, {
      ...input.templateRequest,
      body: input.body,
      ...(document === undefined ? {} : { document }),
    }),
  );
  return { output: rendered.output, requestOverride: rendered.requestOverride };
}
