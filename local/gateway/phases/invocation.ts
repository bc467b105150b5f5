/**
 * One request through the gateway, as every phase sees it: what arrived, its $context (typed, built
 * once, shared by every template the request renders), and the route it matched. Phases read it and
 * return what they decided; none changes it. A phase that answers the request itself throws a
 * GatewayFailure, which becomes one of the spec's gateway responses.
 */
import { defaultContext } from '../../vtl';
import type { GatewayError } from '../gateway-responses';
import type { RouteMatch } from '../routes';

export interface GatewayRequest {
  readonly method: string;
  /** The URL path as sent, with the stage, without the query string. */
  readonly rawPath: string;
  readonly query: URLSearchParams;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** The body was cut off at MAX_PAYLOAD_BYTES. */
  readonly tooLarge?: boolean;
  readonly sourceIp: string;
}

/**
 * $context as the local gateway fills it (API Gateway developer guide, "$context Variables for
 * data models, authorizers, mapping templates, and access logging"). A type alias, so that it is
 * also the plain record the template engine takes.
 */
export type RequestContext = Readonly<{
  requestId: string;
  extendedRequestId: string;
  requestTime: string;
  requestTimeEpoch: number;
  resourcePath: string;
  resourceId: string;
  path: string;
  httpMethod: string;
  stage: string;
  apiId: string;
  accountId: string;
  protocol: string;
  domainName: string;
  domainPrefix: string;
  identity: Readonly<{
    sourceIp: string;
    userAgent: string;
    apiKey: string;
    apiKeyId: string;
    caller: string;
    user: string;
    accountId: string;
  }>;
  error: Readonly<{ message: string; messageString: string; responseType: string; validationErrorString: string }>;
}>;

export interface Invocation {
  readonly request: GatewayRequest;
  /** performance.now() when the request was handed to the gateway. */
  readonly startedAt: number;
  readonly context: RequestContext;
  /** The path below the stage, with its leading slash; absent when the path is outside the stage. */
  readonly path?: string;
  /** Absent when no operation serves the method and path. */
  readonly route?: RouteMatch;
}

/** What the integration phase saw, for the access log. */
export interface IntegrationFacts {
  readonly status?: number;
  readonly latencyMs: number;
}

/** The gateway answers the request itself, with the gateway response of this type. */
export class GatewayFailure extends Error {
  constructor(
    readonly error: GatewayError,
    /** Set when the integration was called before the failure. */
    readonly integration?: IntegrationFacts,
  ) {
    super(error.message ?? error.type);
    this.name = 'GatewayFailure';
  }
}

export interface InvocationFacts {
  readonly stage: string;
  readonly request: GatewayRequest;
  readonly startedAt: number;
  readonly path?: string;
  readonly route?: RouteMatch;
}

/** The invocation of a request: its $context built from what the gateway knows of it over the engine's generated values. */
export function startInvocation(facts: InvocationFacts): Invocation {
  const { stage, request, route } = facts;
  const host = request.headers.host ?? '127.0.0.1';
  const apiKey = request.headers['x-api-key'];
  const resourcePath = route?.operation.resourcePath ?? '';
  const context = defaultContext({
    context: {
      resourcePath,
      resourceId: resourcePath,
      path: `/${stage}${facts.path ?? request.rawPath}`,
      httpMethod: request.method,
      stage,
      domainName: host,
      domainPrefix: host.split('.')[0],
      identity: {
        sourceIp: request.sourceIp,
        userAgent: request.headers['user-agent'] ?? '',
        apiKey: apiKey ?? '',
        apiKeyId: apiKey === undefined ? '' : 'local-key',
      },
    },
  }) as RequestContext;
  return {
    request,
    startedAt: facts.startedAt,
    context,
    ...(facts.path === undefined ? {} : { path: facts.path }),
    ...(route === undefined ? {} : { route }),
  };
}
