/**
 * The stage's access log line: one JSON object per request, API Gateway's standard fields plus
 * what explains an integration failure (the status, latency and error Kinesis caused) and the
 * gateway's own error. Every value is a string, so a "-" for a missing value keeps the line valid
 * JSON.
 */
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';

export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  ip: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  user: '$context.identity.user',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  apiKeyId: '$context.identity.apiKeyId',
  xrayTraceId: '$context.xrayTraceId',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  integrationError: '$context.integration.error',
  errorMessage: '$context.error.message',
  errorResponseType: '$context.error.responseType',
};

export function accessLogFormat(): AccessLogFormat {
  return AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS));
}
