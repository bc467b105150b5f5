/**
 * The values of the spec's document-wide placeholders for one deployment, from the configuration
 * and the facts of where it runs (pure). The stack passes CDK tokens for the region and role; the
 * local gateway, the docs and Postman pass plain strings. Per-stream placeholders
 * (`{{StreamName}}`, `{{MaxRecordsPerRead}}`) are filled by expand-streams.ts.
 */
import type { IngestConfig } from '../config/ingest-config';
import type { PlaceholderValue } from './placeholders';

export interface DeploymentFacts {
  readonly region: string;
  readonly integrationRoleArn: string;
  readonly accountId: string;
  readonly partition?: string;
}

export function placeholderValues(config: IngestConfig, facts: DeploymentFacts): Record<string, PlaceholderValue> {
  return {
    AwsRegion: facts.region,
    IntegrationRoleArn: facts.integrationRoleArn,
    StreamNames: config.streams.map((s) => s.name),
  };
}
