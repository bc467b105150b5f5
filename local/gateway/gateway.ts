/**
 * One request through the API as API Gateway runs it: route, auth, resource policy, API key and
 * throttling, validation, the integration request template, the call, and the integration
 * response. Every error the gateway itself produces goes through the spec's gateway responses.
 */
import { performance } from 'node:perf_hooks';
import { IntegrationNetworkError, IntegrationResponseTooLargeError, IntegrationTimeoutError, type KinesisCaller } from '../integration';
import type { AuthMode, QuotaConfig, ThrottleConfig } from '../../config/ingest-config';
import type { OpenApiDocument } from '../../spec-renderer';
import { GatewayResponses, requestTooLargeResponse, type GatewayError, type RenderedResponse } from './gateway-responses';
import { verifySignature, type LocalCredentials } from './iam-signature';
import { unstorableBodyReason } from './body-encoding';
import { BodyRefusedError, prepareBody, type PreparedBody } from './body-preparation';
import type { BodyPool } from './offload/body-pool';
import { buildRequestContext } from './request-context';
import { ResourcePolicy, type Caller } from './resource-policy';
import { mapResponse, selectIntegrationResponse, type BackendResponse } from './response-mapping';
import { RouteTable, type Operation } from './routes';
import { Quota, TokenBucket } from './token-bucket';

export { MAX_PAYLOAD_BYTES } from './gateway-responses';

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

export interface AccessLogEntry {
  requestId: string;
  ip: string;
  requestTime: string;
  httpMethod: string;
  path: string;
  resourcePath: string;
  status: number;
  responseLength: number;
  latencyMs: number;
  integrationStatus?: number;
  integrationLatencyMs?: number;
  errorType?: string;
  errorMessage?: string;
}

export interface GatewayResult extends RenderedResponse {
  readonly log: AccessLogEntry;
}

export interface KinesisTarget {
  readonly endpoint: string;
  readonly region: string;
  readonly caller: KinesisCaller;
}

export interface GatewayOptions {
  /** The rendered spec. */
  readonly spec: OpenApiDocument;
  readonly stage: string;
  readonly auth: AuthMode;
  readonly kinesis: KinesisTarget;
  /** Keys accepted in apiKey mode. */
  readonly apiKeys?: readonly string[];
  /** The signing key pair accepted in iam mode. */
  readonly iamCredentials?: LocalCredentials;
  /** Throttling and quota; absent means none (for benchmarks). */
  readonly limits?: { readonly stage: ThrottleConfig; readonly perKey: ThrottleConfig; readonly quota: QuotaConfig };
  readonly stageVariables?: Readonly<Record<string, string>>;
  /** Where bodies over its size are validated and rendered, off the main thread; absent: all here. */
  readonly largeBodies?: Pick<BodyPool, 'aboveBytes' | 'inspect' | 'prepare'>;
}

type PreparedInput = Parameters<typeof prepareBody>[1];

class GatewayErrorResult extends Error {
  constructor(readonly error: GatewayError) {
    super(error.message ?? error.type);
  }
}

const INTERNAL_ERROR = '{"message": "Internal server error"}';

export class LocalGateway {
  private readonly routes: RouteTable;
  private readonly gatewayResponses: GatewayResponses;
  private readonly policy: ResourcePolicy;
  private readonly apiKeys: ReadonlySet<string>;
  private readonly stageBucket?: TokenBucket;
  private readonly keyBuckets = new Map<string, { bucket: TokenBucket; quota: Quota }>();

  constructor(private readonly options: GatewayOptions) {
    this.routes = new RouteTable(options.spec);
    this.gatewayResponses = new GatewayResponses(options.spec);
    this.policy = new ResourcePolicy(options.spec['x-amazon-apigateway-policy']);
    this.apiKeys = new Set(options.apiKeys ?? []);
    if (options.limits) this.stageBucket = new TokenBucket(options.limits.stage.rateLimit, options.limits.stage.burstLimit);
    if (options.auth === 'apiKey' && this.apiKeys.size === 0) throw new Error('apiKey auth needs at least one API key');
    if (options.auth === 'iam' && !options.iamCredentials) throw new Error('iam auth needs the local signing credentials');
  }

  async handle(request: GatewayRequest): Promise<GatewayResult> {
    const started = performance.now();
    const { stage } = this.options;
    const stagePrefix = `/${stage}`;
    const belowStage = request.rawPath === stagePrefix ? '/' : request.rawPath.startsWith(`${stagePrefix}/`) ? request.rawPath.slice(stagePrefix.length) : undefined;
    const match = belowStage === undefined ? undefined : this.routes.match(request.method, belowStage);
    const context = buildRequestContext({
      stage,
      method: request.method,
      path: belowStage ?? request.rawPath,
      resourcePath: match?.operation.resourcePath ?? '',
      sourceIp: request.sourceIp,
      userAgent: request.headers['user-agent'] ?? '',
      host: request.headers.host ?? '127.0.0.1',
      ...(request.headers['x-api-key'] === undefined ? {} : { apiKey: request.headers['x-api-key'] }),
    });
    const log: AccessLogEntry = {
      requestId: String(context.requestId),
      ip: request.sourceIp,
      requestTime: String(context.requestTime),
      httpMethod: request.method,
      path: request.rawPath,
      resourcePath: match?.operation.resourcePath ?? '',
      status: 0,
      responseLength: 0,
      latencyMs: 0,
    };

    let response: RenderedResponse;
    try {
      // The payload quota is enforced before routing or auth: the 413 is API Gateway's own.
      if (request.tooLarge) {
        response = requestTooLargeResponse();
        log.errorType = 'REQUEST_TOO_LARGE';
      } else {
        if (!match || belowStage === undefined) throw new GatewayErrorResult({ type: 'MISSING_AUTHENTICATION_TOKEN' });
        response = await this.run(match.operation, match.pathParams, belowStage, request, context, log);
      }
    } catch (error) {
      if (error instanceof GatewayErrorResult) {
        response = this.gatewayResponses.render(error.error, context);
        log.errorType = error.error.type;
        log.errorMessage = error.error.validationErrorString ?? error.error.message;
      } else {
        // A template or mapping that fails at run time: API Gateway answers 500 and logs why.
        response = { status: 500, headers: { 'content-type': 'application/json' }, body: INTERNAL_ERROR };
        log.errorType = 'EXECUTION_FAILURE';
        log.errorMessage = error instanceof Error ? error.message : String(error);
      }
    }
    const headers = { ...response.headers, 'x-amzn-requestid': log.requestId, 'x-amz-apigw-id': String(context.extendedRequestId) };
    log.status = response.status;
    log.responseLength = Buffer.byteLength(response.body);
    log.latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return { status: response.status, headers, body: response.body, log };
  }

  private async authorize(operation: Operation, path: string, request: GatewayRequest): Promise<void> {
    let caller: Caller = 'anonymous';
    if (operation.requiresIam) {
      const check = await verifySignature(
        { method: request.method, path: request.rawPath, query: request.query, headers: request.headers, body: request.body },
        this.options.iamCredentials as LocalCredentials,
      );
      if (!check.ok) {
        const type = check.reason === 'missing' ? 'MISSING_AUTHENTICATION_TOKEN' : check.reason === 'expired' ? 'EXPIRED_TOKEN' : 'INVALID_SIGNATURE';
        throw new GatewayErrorResult({ type, message: check.message });
      }
      caller = 'account';
    }
    if (!this.policy.allows(this.options.stage, request.method, path, caller)) throw new GatewayErrorResult({ type: 'ACCESS_DENIED' });

    const key = request.headers['x-api-key'];
    if (operation.requiresApiKey && (key === undefined || !this.apiKeys.has(key))) throw new GatewayErrorResult({ type: 'INVALID_API_KEY' });
    const limits = this.options.limits;
    if (!limits) return;
    if (operation.requiresApiKey && key !== undefined) {
      let plan = this.keyBuckets.get(key);
      if (!plan) {
        plan = { bucket: new TokenBucket(limits.perKey.rateLimit, limits.perKey.burstLimit), quota: new Quota(limits.quota.limit, limits.quota.period) };
        this.keyBuckets.set(key, plan);
      }
      if (!plan.bucket.take()) throw new GatewayErrorResult({ type: 'THROTTLED' });
      if (!plan.quota.take()) throw new GatewayErrorResult({ type: 'QUOTA_EXCEEDED' });
    }
    if (this.stageBucket && !this.stageBucket.take()) throw new GatewayErrorResult({ type: 'THROTTLED' });
  }

  private validateParameters(operation: Operation, pathParams: Record<string, string>, request: GatewayRequest): void {
    if (!operation.validateParameters) return;
    const missing = operation.parameters
      .filter((p) => p.required)
      .filter((p) => {
        const value = p.in === 'path' ? pathParams[p.name] : p.in === 'query' ? request.query.get(p.name) ?? undefined : request.headers[p.name.toLowerCase()];
        return value === undefined || value === '';
      })
      .map((p) => p.name);
    if (missing.length > 0) {
      const message = `Missing required request parameters: [${missing.join(', ')}]`;
      throw new GatewayErrorResult({ type: 'BAD_REQUEST_PARAMETERS', message, validationErrorString: message });
    }
  }

  /** Why the body's bytes cannot be stored as sent (not UTF-8, another charset, a lone surrogate), off the main thread for a large body. */
  private unstorableBody(request: GatewayRequest): Promise<string | undefined> | string | undefined {
    const large = this.options.largeBodies;
    if (large !== undefined && request.body.length > large.aboveBytes) return large.inspect(request.body, request.headers['content-type']);
    return unstorableBodyReason(request.body, request.headers['content-type']);
  }

  /** Body validation and the request template, off the main thread for a large body. */
  private async prepareBody(operation: Operation, request: GatewayRequest, contentType: string, templateRequest: PreparedInput['templateRequest']): Promise<PreparedBody> {
    const template = operation.integration.requestTemplates.get(contentType);
    const large = this.options.largeBodies;
    try {
      if (large !== undefined && request.body.length > large.aboveBytes) {
        return await large.prepare(operation, { body: request.body, contentType, templateRequest, ...(template === undefined ? {} : { templateFor: contentType }) });
      }
      return prepareBody(operation, { body: request.body.toString('utf8'), contentType, templateRequest, ...(template === undefined ? {} : { template }) });
    } catch (error) {
      if (error instanceof BodyRefusedError) throw new GatewayErrorResult({ type: 'BAD_REQUEST_BODY', validationErrorString: error.validationErrorString });
      throw error;
    }
  }

  private async run(
    operation: Operation,
    pathParams: Record<string, string>,
    path: string,
    request: GatewayRequest,
    context: Record<string, unknown>,
    log: AccessLogEntry,
  ): Promise<RenderedResponse> {
    await this.authorize(operation, path, request);
    const unstorable = await this.unstorableBody(request);
    if (unstorable !== undefined) throw new GatewayErrorResult({ type: 'BAD_REQUEST_BODY', validationErrorString: unstorable });

    // Template choice by Content-Type, application/json when none is given. A `; charset=…`
    // suffix is ignored (unverified against API Gateway; documented reading).
    const contentType = (request.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
    const { integration } = operation;
    const template = integration.requestTemplates.get(contentType);
    const passThrough =
      template === undefined &&
      (integration.passthroughBehavior === 'when_no_match' || (integration.passthroughBehavior === 'when_no_templates' && integration.requestTemplates.size === 0));
    if (template === undefined && !passThrough) throw new GatewayErrorResult({ type: 'UNSUPPORTED_MEDIA_TYPE' });
    this.validateParameters(operation, pathParams, request);

    const query: Record<string, string> = {};
    for (const [name, value] of request.query) query[name] = value;
    const templateRequest = { path: pathParams, querystring: query, headers: request.headers, stageVariables: { ...(this.options.stageVariables ?? {}) }, context };
    const rendered = await this.prepareBody(operation, request, contentType, templateRequest);
    const integrationBody = rendered.output;

    // $context.requestOverride.header.X replaces the integration request's header X, as API
    // Gateway applies it (developer guide, apigateway-override-request-response-parameters). The
    // Kinesis action URI has no path or query string for .path/.querystring overrides to reach.
    const backend = await this.callIntegration(operation, integrationBody, log, rendered.requestOverride?.headers);
    const selected = selectIntegrationResponse(integration.responses, backend.status);
    // The response template reads back what the request template overrode.
    const overrides = rendered.requestOverride;
    const responseRequest = overrides ? { ...templateRequest, context: { ...context, requestOverride: { header: overrides.headers, querystring: overrides.querystring, path: overrides.path } } } : templateRequest;
    return mapResponse(selected, backend, responseRequest, request.headers.accept);
  }

  private async callIntegration(operation: Operation, body: string, log: AccessLogEntry, extraHeaders?: Readonly<Record<string, string>>): Promise<BackendResponse> {
    const { integration } = operation;
    if (integration.type === 'mock') {
      const status = Number((JSON.parse(body || '{}') as { statusCode?: unknown }).statusCode ?? 200);
      log.integrationStatus = status;
      return { status, headers: {}, body: '' };
    }
    const started = performance.now();
    try {
      const { endpoint, region, caller } = this.options.kinesis;
      const result = await caller.call({ endpoint, region, action: integration.action as string, body, timeoutMs: integration.timeoutMs, ...(extraHeaders && Object.keys(extraHeaders).length > 0 ? { extraHeaders } : {}) });
      log.integrationStatus = result.status;
      return result;
    } catch (error) {
      if (error instanceof IntegrationTimeoutError) throw new GatewayErrorResult({ type: 'INTEGRATION_TIMEOUT' });
      if (error instanceof IntegrationNetworkError) throw new GatewayErrorResult({ type: 'INTEGRATION_FAILURE', message: error.message });
      // An answer over the 10 MB limit is one the templates cannot use: it goes through the
      // integration responses as a 502 without an error type (KinesisFailure).
      if (error instanceof IntegrationResponseTooLargeError) {
        log.integrationStatus = 502;
        return { status: 502, headers: {}, body: JSON.stringify({ message: "Kinesis's answer is over API Gateway's 10 MB payload limit" }) };
      }
      throw error;
    } finally {
      log.integrationLatencyMs = Math.round((performance.now() - started) * 10) / 10;
    }
  }
}
