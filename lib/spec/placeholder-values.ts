/**
 * The values of the spec's placeholders for one deployment, from the configuration and the facts
 * of where it runs (pure). The stack passes CDK tokens for the region, role and account; the local
 * gateway, the docs and Postman pass plain strings.
 */
import type { IngestConfig } from '../../infra/config';
import type { PlaceholderValue } from './placeholders';

export interface DeploymentFacts {
  readonly region: string;
  readonly integrationRoleArn: string;
  /** Only used with IAM auth, to allow the account's own principals in the resource policy. */
  readonly accountId: string;
  readonly partition?: string;
}

export function placeholderValues(config: IngestConfig, facts: DeploymentFacts): Record<string, PlaceholderValue> {
  const names = config.streams.map((s) => s.name);
  return {
    AwsRegion: facts.region,
    IntegrationRoleArn: facts.integrationRoleArn,
    StreamNames: names,
    // With IAM auth, only principals of this account may invoke (their own IAM policy must allow
    // it too); with API keys or no auth the key or nothing is the check, so anyone may.
    InvokePrincipal: config.auth === 'iam' ? { AWS: `arn:${facts.partition ?? 'aws'}:iam::${facts.accountId}:root` } : '*',
    // Resources the Deny statement leaves alone: the stream list, the configured streams, and CORS
    // preflights. Any other {stream-name} is denied before the integration runs.
    ConfiguredStreamResources: [
      'execute-api:/*/GET/streams',
      ...names.flatMap((n) => [`execute-api:/*/*/streams/${n}`, `execute-api:/*/*/streams/${n}/*`]),
      'execute-api:/*/OPTIONS/*',
    ],
  };
}
