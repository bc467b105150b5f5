/**
 * The spec's resource policy (x-amazon-apigateway-policy), evaluated as API Gateway does before
 * any integration runs: an explicit Deny wins, else an Allow is needed. Resources use the
 * `execute-api:/<stage>/<METHOD>/<path>` form with `*` and `?` wildcards.
 */
import { isJsonObject, type JsonValue } from '../../spec-renderer';

export type Caller = 'anonymous' | 'account';

interface Statement {
  readonly effect: 'Allow' | 'Deny';
  readonly anyone: boolean;
  readonly resources?: readonly RegExp[];
  readonly notResources?: readonly RegExp[];
}

function wildcard(pattern: string): RegExp {
  if (!pattern.startsWith('execute-api:/')) {
    throw new Error(
      `Resource ${pattern}: the local gateway understands the execute-api:/<stage>/<METHOD>/<path> form only`,
    );
  }
  const body = pattern
    .slice('execute-api:/'.length)
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

function list(value: JsonValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export class ResourcePolicy {
  private readonly statements: Statement[] = [];

  constructor(policy: JsonValue | undefined) {
    if (!isJsonObject(policy)) return;
    for (const raw of Array.isArray(policy.Statement) ? policy.Statement : []) {
      if (!isJsonObject(raw)) continue;
      if (raw.Condition !== undefined)
        throw new Error('Resource policy conditions are not evaluated by the local gateway');
      // On import, "execute-api:/*" in Resource is converted to the API's ARN (developer guide,
      // openapi-extensions-policy); nothing documents that for NotResource, so the cloud might not
      // evaluate such a statement as written here.
      if (raw.NotResource !== undefined && list(raw.NotResource).some((r) => r.startsWith('execute-api:/'))) {
        throw new Error(
          'NotResource with the execute-api:/ shorthand is not documented to be expanded on import: use Resource, or full ARNs',
        );
      }
      if (!list(raw.Action).some((a) => a === 'execute-api:Invoke' || a === 'execute-api:*' || a === '*')) continue;
      this.statements.push({
        effect: raw.Effect === 'Deny' ? 'Deny' : 'Allow',
        anyone: raw.Principal === '*',
        ...(raw.Resource === undefined ? {} : { resources: list(raw.Resource).map(wildcard) }),
        ...(raw.NotResource === undefined ? {} : { notResources: list(raw.NotResource).map(wildcard) }),
      });
    }
  }

  get isEmpty(): boolean {
    return this.statements.length === 0;
  }

  /** Whether `caller` may invoke METHOD on a path (below the stage, with its leading slash). */
  allows(stage: string, method: string, path: string, caller: Caller): boolean {
    if (this.isEmpty) return true;
    const resource = `${stage}/${method}${path}`;
    const applies = (s: Statement): boolean => {
      // A principal other than "*" names AWS accounts: locally, a signed (IAM) caller is the account.
      if (!s.anyone && caller !== 'account') return false;
      if (s.resources) return s.resources.some((r) => r.test(resource));
      return !(s.notResources ?? []).some((r) => r.test(resource));
    };
    const matching = this.statements.filter(applies);
    if (matching.some((s) => s.effect === 'Deny')) return false;
    return matching.some((s) => s.effect === 'Allow');
  }
}
