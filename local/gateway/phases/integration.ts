/**
 * The integration: the Kinesis action called with the integration request (or a mock integration
 * answering the status its template names). A timeout or a network failure is the gateway's own
 * answer (504); an answer over API Gateway's 10 MB payload limit goes on to the integration
 * responses as a 502 without an error type (KinesisFailure).
 */
import { performance } from 'node:perf_hooks';
import {
  IntegrationNetworkError,
  IntegrationResponseTooLargeError,
  IntegrationTimeoutError,
  type KinesisCaller,
} from '../../integration';
import type { Operation } from '../routes';
import type { BackendResponse } from './integration-response';
import type { IntegrationRequest } from './integration-request';
import { GatewayFailure, type IntegrationFacts } from './invocation';

export interface KinesisTarget {
  readonly endpoint: string;
  readonly region: string;
  readonly caller: KinesisCaller;
}

export interface IntegrationResult {
  readonly response: BackendResponse;
  readonly facts: IntegrationFacts;
}

const sinceMs = (started: number): number => Math.round((performance.now() - started) * 10) / 10;

export async function callIntegration(
  kinesis: KinesisTarget,
  operation: Operation,
  request: IntegrationRequest,
): Promise<IntegrationResult> {
  const { integration } = operation;
  const started = performance.now();
  if (integration.type === 'mock') {
    const status = Number((JSON.parse(request.body || '{}') as { statusCode?: unknown }).statusCode ?? 200);
    return { response: { status, headers: {}, body: '' }, facts: { status, latencyMs: sinceMs(started) } };
  }
  // $context.requestOverride.header.X replaces the integration request's header X, as API Gateway
  // applies it (developer guide, apigateway-override-request-response-parameters). The Kinesis
  // action URI has no path or query string for .path/.querystring overrides to reach.
  const headers = request.requestOverride?.headers;
  try {
    const response = await kinesis.caller.call({
      endpoint: kinesis.endpoint,
      region: kinesis.region,
      action: integration.action as string,
      body: request.body,
      timeoutMs: integration.timeoutMs,
      ...(headers !== undefined && Object.keys(headers).length > 0 ? { overrideHeaders: headers } : {}),
    });
    return { response, facts: { status: response.status, latencyMs: sinceMs(started) } };
  } catch (error) {
    if (error instanceof IntegrationTimeoutError)
      throw new GatewayFailure({ type: 'INTEGRATION_TIMEOUT' }, { latencyMs: sinceMs(started) });
    if (error instanceof IntegrationNetworkError)
      throw new GatewayFailure(
        { type: 'INTEGRATION_FAILURE', message: error.message },
        { latencyMs: sinceMs(started) },
      );
    if (error instanceof IntegrationResponseTooLargeError) {
      const response = {
        status: 502,
        headers: {},
        body: JSON.stringify({ message: "Kinesis's answer is over API Gateway's 10 MB payload limit" }),
      };
      return { response, facts: { status: 502, latencyMs: sinceMs(started) } };
    }
    throw error;
  }
}
