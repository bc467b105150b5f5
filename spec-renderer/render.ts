/**
 * Renders the bundled spec for one deployment (pure): what API Gateway imports and the local
 * gateway serves. The auth mode's security requirement on every operation, the standard error
 * responses on every Kinesis operation, method responses inline, one resource per configured
 * stream (expand-streams.ts), CORS when an origin is configured, the API's name as `info.title`,
 * then the placeholders. Readers (docs, Postman) get the published form instead (publish.ts).
 */
import type { IngestConfig } from '../config/ingest-config';
import { apiName } from './api-name';
import { applyAuthMode } from './auth-mode';
import { applyCors } from './cors';
import { isJsonObject, type OpenApiDocument } from './document';
import { expandStreams } from './expand-streams';
import { inlineResponses } from './inline-responses';
import { withoutKinesisIamTable } from './operation-inventory';
import { placeholderValues, type DeploymentFacts } from './placeholder-values';
import { substitutePlaceholders } from './placeholders';
import { applyRecordSizeLimit } from './record-size';

export function renderDeployedSpec(
  bundled: OpenApiDocument,
  config: IngestConfig,
  facts: DeploymentFacts,
): OpenApiDocument {
  let doc = expandStreams(inlineResponses(applyAuthMode(withoutKinesisIamTable(bundled), config.auth)), config.streams);
  if (config.corsAllowOrigin !== undefined) doc = applyCors(doc, config.corsAllowOrigin);
  doc = { ...doc, info: { ...(isJsonObject(doc.info) ? doc.info : {}), title: apiName(config) } };
  doc = applyRecordSizeLimit(doc, Math.max(...config.streams.map((s) => s.maxRecordSizeKiB)));
  return substitutePlaceholders(doc, placeholderValues(config, facts));
}

/** Facts for a spec that runs nowhere in AWS: the local gateway, the docs, Postman. */
export const LOCAL_FACTS: DeploymentFacts = {
  region: 'us-east-1',
  integrationRoleArn: 'arn:aws:iam::000000000000:role/local-integration',
  accountId: '000000000000',
};
