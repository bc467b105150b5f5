/**
 * The method response: the answer as the client gets it (with API Gateway's request id headers),
 * and the access-log entry of the whole invocation, built once at the end from what the phases
 * returned.
 */
import { performance } from 'node:perf_hooks';
import type { RenderedResponse } from '../gateway-responses';
import type { IntegrationFacts, Invocation } from './invocation';

export interface AccessLogEntry {
  readonly requestId: string;
  readonly ip: string;
  readonly requestTime: string;
  readonly httpMethod: string;
  readonly path: string;
  readonly resourcePath: string;
  readonly status: number;
  readonly responseLength: number;
  readonly latencyMs: number;
  readonly integrationStatus?: number;
  readonly integrationLatencyMs?: number;
  readonly errorType?: string;
  readonly errorMessage?: string;
}

export interface GatewayResult extends RenderedResponse {
  readonly log: AccessLogEntry;
}

/** How the invocation ended: its response, and what the log says of it. */
export interface Outcome {
  readonly response: RenderedResponse;
  readonly integration?: IntegrationFacts;
  readonly error?: { readonly type: string; readonly message?: string };
}

export function methodResponse(invocation: Invocation, outcome: Outcome): GatewayResult {
  const { context, request } = invocation;
  const { response, integration, error } = outcome;
  const headers = {
    ...response.headers,
    'x-amzn-requestid': context.requestId,
    'x-amz-apigw-id': context.extendedRequestId,
  };
  const log: AccessLogEntry = {
    requestId: context.requestId,
    ip: request.sourceIp,
    requestTime: context.requestTime,
    httpMethod: request.method,
    path: request.rawPath,
    resourcePath: context.resourcePath,
    status: response.status,
    responseLength: Buffer.byteLength(response.body),
    latencyMs: Math.round((performance.now() - invocation.startedAt) * 10) / 10,
    ...(integration?.status === undefined ? {} : { integrationStatus: integration.status }),
    ...(integration === undefined ? {} : { integrationLatencyMs: integration.latencyMs }),
    ...(error === undefined ? {} : { errorType: error.type }),
    ...(error?.message === undefined ? {} : { errorMessage: error.message }),
  };
  return { status: response.status, headers, body: response.body, log };
}
