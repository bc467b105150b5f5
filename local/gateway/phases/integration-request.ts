/**
 * The integration request: the request template chosen by Content-Type (or the body passed
 * through, as the operation's passthroughBehavior allows), rendered over the request's body,
 * parameters, stage variables and $context, and what the template set in
 * $context.requestOverride. A large body is validated and rendered in a worker thread.
 */
import type { RenderResult, TemplateRequest } from '../../vtl';
import { BodyRefusedError, prepareBody } from '../body-preparation';
import type { BodyPool } from '../offload/body-pool';
import type { RouteMatch } from '../routes';
import { GatewayFailure, type Invocation } from './invocation';

/** What every template of the request reads besides the body. */
export type TemplateInput = Omit<TemplateRequest, 'body' | 'document'>;

export interface IntegrationRequest {
  /** The body sent to the integration. */
  readonly body: string;
  /** What the request template wrote to $context.requestOverride; absent for a passthrough. */
  readonly requestOverride?: RenderResult['requestOverride'];
  readonly templateInput: TemplateInput;
}

export interface IntegrationRequestOptions {
  readonly stageVariables?: Readonly<Record<string, string>>;
  readonly largeBodies?: Pick<BodyPool, 'aboveBytes' | 'prepare'>;
}

/**
 * The request's media type, as it selects a template: application/json when none is given. A
 * `; charset=…` suffix is ignored (unverified against API Gateway; documented reading).
 */
export function requestMediaType(headers: Readonly<Record<string, string>>): string {
  return (headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
}

/** Refuses a media type with no template when the operation does not pass bodies through: 415. */
export function checkMediaType({ operation }: RouteMatch, mediaType: string): void {
  const { integration } = operation;
  if (integration.requestTemplates.has(mediaType)) return;
  const passThrough =
    integration.passthroughBehavior === 'when_no_match' ||
    (integration.passthroughBehavior === 'when_no_templates' && integration.requestTemplates.size === 0);
  if (!passThrough) throw new GatewayFailure({ type: 'UNSUPPORTED_MEDIA_TYPE' });
}

export async function buildIntegrationRequest(
  invocation: Invocation,
  { operation, pathParams }: RouteMatch,
  options: IntegrationRequestOptions,
): Promise<IntegrationRequest> {
  const { request, context } = invocation;
  const mediaType = requestMediaType(request.headers);
  const template = operation.integration.requestTemplates.get(mediaType);
  const querystring: Record<string, string> = {};
  for (const [name, value] of request.query) querystring[name] = value;
  const templateInput: TemplateInput = {
    path: pathParams,
    querystring,
    headers: request.headers,
    stageVariables: { ...(options.stageVariables ?? {}) },
    context,
  };
  const large = options.largeBodies;
  try {
    const prepared =
      large !== undefined && request.body.length > large.aboveBytes
        ? await large.prepare(operation, {
            body: request.body,
            contentType: mediaType,
            templateRequest: templateInput,
            ...(template === undefined ? {} : { templateFor: mediaType }),
          })
        : prepareBody(operation, {
            body: request.body.toString('utf8'),
            contentType: mediaType,
            templateRequest: templateInput,
            ...(template === undefined ? {} : { template }),
          });
    return {
      body: prepared.output,
      ...(prepared.requestOverride === undefined ? {} : { requestOverride: prepared.requestOverride }),
      templateInput,
    };
  } catch (error) {
    if (error instanceof BodyRefusedError)
      throw new GatewayFailure({ type: 'BAD_REQUEST_BODY', validationErrorString: error.validationErrorString });
    throw error;
  }
}
