/** The $context of one request, built once and shared by every template the request renders. */
import { randomUUID } from 'node:crypto';
import { defaultContext } from '../vtl';

export interface RequestFacts {
  readonly requestId?: string;
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

export const LOCAL_API_ID = 'local';
export const LOCAL_ACCOUNT_ID = '000000000000';

export function buildRequestContext(facts: RequestFacts): Record<string, unknown> {
  const requestId = facts.requestId ?? randomUUID();
  return defaultContext({
    context: {
      requestId,
      extendedRequestId: requestId.replace(/-/g, '').slice(0, 16),
      resourcePath: facts.resourcePath,
      resourceId: facts.resourcePath,
      path: `/${facts.stage}${facts.path}`,
      httpMethod: facts.method,
      stage: facts.stage,
      apiId: LOCAL_API_ID,
      accountId: LOCAL_ACCOUNT_ID,
      protocol: 'HTTP/1.1',
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
