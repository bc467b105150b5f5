/**
 * The method request: which operation serves the request (route), who may call it (SigV4 in iam
 * mode, the resource policy, the API key), whether it is within its limits (stage and usage plan
 * throttling, the quota), and whether the request is one the method accepts (bytes that can be
 * stored as sent, required parameters). The body's schema is checked with the integration
 * request's template (body-preparation.ts), since both read the body parsed once.
 */
import type { AuthMode, QuotaConfig, ThrottleConfig } from '../../../config/ingest-config';
import type { OpenApiDocument } from '../../../spec-renderer';
import { unstorableBodyReason } from '../body-encoding';
import { verifySignature, type LocalCredentials } from '../iam-signature';
import type { BodyPool } from '../offload/body-pool';
import { ResourcePolicy, type Caller } from '../resource-policy';
import { RouteTable, type RouteMatch } from '../routes';
import { Quota, TokenBucket } from '../token-bucket';
import { GatewayFailure, type GatewayRequest } from './invocation';

export interface Limits {
  readonly stage: ThrottleConfig;
  readonly perKey: ThrottleConfig;
  readonly quota: QuotaConfig;
}

export interface MethodRequestOptions {
  readonly spec: OpenApiDocument;
  readonly stage: string;
  readonly auth: AuthMode;
  readonly apiKeys?: readonly string[];
  readonly iamCredentials?: LocalCredentials;
  /** Absent means no throttling and no quota. */
  readonly limits?: Limits;
  /** Milliseconds since the epoch, for throttling, quotas and signature times; default Date.now. */
  readonly clock?: () => number;
  /** Where a large body's bytes are checked, off the main thread. */
  readonly largeBodies?: Pick<BodyPool, 'aboveBytes' | 'inspect'>;
}

/** The request matched to its operation, or where it missed. */
export interface Routed {
  /** Below the stage, with its leading slash; absent when the path is outside the stage. */
  readonly path?: string;
  readonly route?: RouteMatch;
}

export class MethodRequest {
  private readonly routes: RouteTable;
  private readonly policy: ResourcePolicy;
  private readonly apiKeys: ReadonlySet<string>;
  private readonly clock: () => number;
  private readonly stageBucket?: TokenBucket;
  private readonly keyPlans = new Map<string, { bucket: TokenBucket; quota: Quota }>();

  constructor(private readonly options: MethodRequestOptions) {
    this.routes = new RouteTable(options.spec);
    this.policy = new ResourcePolicy(options.spec['x-amazon-apigateway-policy']);
    this.apiKeys = new Set(options.apiKeys ?? []);
    this.clock = options.clock ?? Date.now;
    if (options.limits)
      this.stageBucket = new TokenBucket(options.limits.stage.rateLimit, options.limits.stage.burstLimit, this.clock);
    if (options.auth === 'apiKey' && this.apiKeys.size === 0) throw new Error('apiKey auth needs at least one API key');
    if (options.auth === 'iam' && !options.iamCredentials)
      throw new Error('iam auth needs the local signing credentials');
  }

  route(request: GatewayRequest): Routed {
    const stagePrefix = `/${this.options.stage}`;
    const path =
      request.rawPath === stagePrefix
        ? '/'
        : request.rawPath.startsWith(`${stagePrefix}/`)
          ? request.rawPath.slice(stagePrefix.length)
          : undefined;
    const route = path === undefined ? undefined : this.routes.match(request.method, path);
    return { ...(path === undefined ? {} : { path }), ...(route === undefined ? {} : { route }) };
  }

  /** Throws GatewayFailure for a request the method does not accept. */
  async admit(request: GatewayRequest, routed: Routed): Promise<RouteMatch> {
    const { path, route } = routed;
    if (route === undefined || path === undefined) throw new GatewayFailure({ type: 'MISSING_AUTHENTICATION_TOKEN' });
    await this.authorize(route, path, request);
    const unstorable = await this.unstorableBody(request);
    if (unstorable !== undefined)
      throw new GatewayFailure({ type: 'BAD_REQUEST_BODY', validationErrorString: unstorable });
    return route;
  }

  /** Required parameters, when the operation's validator checks them. */
  validateParameters({ operation, pathParams }: RouteMatch, request: GatewayRequest): void {
    if (!operation.validateParameters) return;
    const missing = operation.parameters
      .filter((p) => p.required)
      .filter((p) => {
        const value =
          p.in === 'path'
            ? pathParams[p.name]
            : p.in === 'query'
              ? (request.query.get(p.name) ?? undefined)
              : request.headers[p.name.toLowerCase()];
        return value === undefined || value === '';
      })
      .map((p) => p.name);
    if (missing.length > 0) {
      const message = `Missing required request parameters: [${missing.join(', ')}]`;
      throw new GatewayFailure({ type: 'BAD_REQUEST_PARAMETERS', message, validationErrorString: message });
    }
  }

  private async authorize({ operation }: RouteMatch, path: string, request: GatewayRequest): Promise<void> {
    let caller: Caller = 'anonymous';
    if (operation.requiresIam) {
      const check = await verifySignature(
        {
          method: request.method,
          path: request.rawPath,
          query: request.query,
          headers: request.headers,
          body: request.body,
        },
        this.options.iamCredentials as LocalCredentials,
        this.clock(),
      );
      if (!check.ok) {
        const type =
          check.reason === 'missing'
            ? 'MISSING_AUTHENTICATION_TOKEN'
            : check.reason === 'expired'
              ? 'EXPIRED_TOKEN'
              : 'INVALID_SIGNATURE';
        throw new GatewayFailure({ type, message: check.message });
      }
      caller = 'account';
    }
    if (!this.policy.allows(this.options.stage, request.method, path, caller))
      throw new GatewayFailure({ type: 'ACCESS_DENIED' });

    const key = request.headers['x-api-key'];
    if (operation.requiresApiKey && (key === undefined || !this.apiKeys.has(key)))
      throw new GatewayFailure({ type: 'INVALID_API_KEY' });
    const limits = this.options.limits;
    if (!limits) return;
    if (operation.requiresApiKey && key !== undefined) {
      let plan = this.keyPlans.get(key);
      if (!plan) {
        plan = {
          bucket: new TokenBucket(limits.perKey.rateLimit, limits.perKey.burstLimit, this.clock),
          quota: new Quota(limits.quota.limit, limits.quota.period, this.clock),
        };
        this.keyPlans.set(key, plan);
      }
      if (!plan.bucket.take()) throw new GatewayFailure({ type: 'THROTTLED' });
      if (!plan.quota.take()) throw new GatewayFailure({ type: 'QUOTA_EXCEEDED' });
    }
    if (this.stageBucket && !this.stageBucket.take()) throw new GatewayFailure({ type: 'THROTTLED' });
  }

  /** Why the body's bytes cannot be stored as sent (not UTF-8, another charset, a lone surrogate); off the main thread for a large body. */
  private unstorableBody(request: GatewayRequest): Promise<string | undefined> | string | undefined {
    const large = this.options.largeBodies;
    if (large !== undefined && request.body.length > large.aboveBytes)
      return large.inspect(request.body, request.headers['content-type']);
    return unstorableBodyReason(request.body, request.headers['content-type']);
  }
}
