/**
 * Renders the bundled spec for one deployment (pure): the auth mode's security requirement,
 * CORS when an origin is configured, then the placeholders. What comes out is what API Gateway
 * imports, what the local gateway serves, and what the docs and Postman are made from.
 */
import type { IngestConfig } from '../../infra/config';
import { applyAuthMode } from './auth-mode';
import { applyCors } from './cors';
import type { OpenApiDocument } from './document';
import { addressPhysicalStreams } from './physical-stream-names';
import { placeholderValues, type DeploymentFacts } from './placeholder-values';
import { substitutePlaceholders } from './placeholders';
import { applyRecordSizeLimit } from './record-size';

export function renderSpec(bundled: OpenApiDocument, config: IngestConfig, facts: DeploymentFacts): OpenApiDocument {
  let doc = applyAuthMode(bundled, config.auth);
  if (config.corsAllowOrigin !== undefined) doc = applyCors(doc, config.corsAllowOrigin);
  doc = applyRecordSizeLimit(doc, Math.max(...config.streams.map((s) => s.maxRecordSizeKiB)));
  doc = addressPhysicalStreams(doc, config.streams);
  return substitutePlaceholders(doc, placeholderValues(config, facts));
}

/** Facts for a spec that runs nowhere in AWS: the local gateway, the docs, Postman. */
export const LOCAL_FACTS: DeploymentFacts = {
  region: 'us-east-1',
  integrationRoleArn: 'arn:aws:iam::000000000000:role/local-integration',
  accountId: '000000000000',
};
