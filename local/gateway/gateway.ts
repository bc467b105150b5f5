/**
 * One request through the API as API Gateway runs it, phase by phase (phases/): the method request
 * (route, auth, policy, API key, throttling, validation), the integration request (template,
 * overrides), the integration (the Kinesis call), the integration response (selection, template)
 * and the method response. Each phase takes the invocation and returns what it decided; every error
 * the gateway itself produces goes through the spec's gateway responses.
 */
import { performance } from 'node:perf_hooks';
import { GatewayResponses, requestTooLargeResponse, type RenderedResponse } from './gateway-responses';
import type { BodyPool } from './offload/body-pool';
import { callIntegration, type KinesisTarget } from './phases/integration';
import {
  buildIntegrationRequest,
  checkMediaType,
  requestMediaType,
  type IntegrationRequestOptions,
} from './phases/integration-request';
import { integrationResponse } from './phases/integration-response';
import {
  GatewayFailure,
  startInvocation,
  type GatewayRequest,
  type IntegrationFacts,
  type Invocation,
} from './phases/invocation';
import { MethodRequest, type MethodRequestOptions } from './phases/method-request';
import { methodResponse, type GatewayResult, type Outcome } from './phases/method-response';

export { MAX_PAYLOAD_BYTES } from './gateway-responses';
export type { KinesisTarget } from './phases/integration';
export type { GatewayRequest, RequestContext } from './phases/invocation';
export type { AccessLogEntry, GatewayResult } from './phases/method-response';

export interface GatewayOptions
  extends Omit<MethodRequestOptions, 'largeBodies'>, Omit<IntegrationRequestOptions, 'largeBodies'> {
  readonly kinesis: KinesisTarget;
  /** Where bodies over its size are checked, validated and rendered, off the main thread; absent: all here. */
  readonly largeBodies?: Pick<BodyPool, 'aboveBytes' | 'inspect' | 'prepare'>;
}

const INTERNAL_ERROR = '{"message": "Internal server error"}';

export class LocalGateway {
  private readonly methodRequest: MethodRequest;
  private readonly gatewayResponses: GatewayResponses;

  constructor(private readonly options: GatewayOptions) {
    this.methodRequest = new MethodRequest(options);
    this.gatewayResponses = new GatewayResponses(options.spec);
  }

  async handle(request: GatewayRequest): Promise<GatewayResult> {
    const startedAt = performance.now();
    const routed = this.methodRequest.route(request);
    const invocation = startInvocation({ stage: this.options.stage, request, startedAt, ...routed });
    return methodResponse(invocation, await this.outcome(invocation));
  }

  private async outcome(invocation: Invocation): Promise<Outcome> {
    const { request } = invocation;
    // The payload quota is enforced before routing or auth: the 413 is API Gateway's own.
    if (request.tooLarge) return { response: requestTooLargeResponse(), error: { type: 'REQUEST_TOO_LARGE' } };
    let integration: IntegrationFacts | undefined;
    try {
      const route = await this.methodRequest.admit(request, invocation);
      checkMediaType(route, requestMediaType(request.headers));
      this.methodRequest.validateParameters(route, request);
      const integrationRequest = await buildIntegrationRequest(invocation, route, this.options);
      const called = await callIntegration(this.options.kinesis, route.operation, integrationRequest);
      integration = called.facts;
      const response: RenderedResponse = integrationResponse(
        route.operation,
        called.response,
        integrationRequest,
        request.headers.accept,
      );
      return { response, integration };
    } catch (error) {
      integration ??= error instanceof GatewayFailure ? error.integration : undefined;
      const facts = integration === undefined ? {} : { integration };
      if (error instanceof GatewayFailure) {
        const response = this.gatewayResponses.render(error.error, invocation.context);
        const message = error.error.validationErrorString ?? error.error.message;
        return { response, ...facts, error: { type: error.error.type, ...(message === undefined ? {} : { message }) } };
      }
      // A template or mapping that fails at run time: API Gateway answers 500 and logs why.
      const response = { status: 500, headers: { 'content-type': 'application/json' }, body: INTERNAL_ERROR };
      return {
        response,
        ...facts,
        error: { type: 'EXECUTION_FAILURE', message: error instanceof Error ? error.message : String(error) },
      };
    }
  }
}
