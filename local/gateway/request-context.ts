/**
 * The $context of one request, built once and shared by every template the request renders: the
 * engine's generated values (request id, times, local api and account ids) with what the gateway
 * knows of the request merged over them.
 */
import { defaultContext } from '../vtl';

export interface RequestFacts {
  readonly stage: string;
  readonly method: string;
  /** Below the stage, with its leading slash. */
  readonly path: string;
  readonly resourcePath: string;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly host: string;
  readonly apiKey?: string;
}

export function buildRequestContext(facts: RequestFacts): Record<string, unknown> {
  return defaultContext({
    context: {
      resourcePath: facts.resourcePath,
      resourceId: facts.resourcePath,
      path: `/${facts.stage}${facts.path}`,
      httpMethod: facts.method,
      stage: facts.stage,
      domainName: facts.host,
      domainPrefix: facts.host.split('.')[0],
      identity: {
        sourceIp: facts.sourceIp,
        userAgent: facts.userAgent,
        apiKey: facts.apiKey ?? '',
        apiKeyId: facts.apiKey === undefined ? '' : 'local-key',
      },
    },
  });
}
