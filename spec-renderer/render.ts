/**
 * Renders the bundled spec for one deployment (pure): the auth mode's security requirement on
 * every operation, method responses inline, CORS when an origin is configured, then the
 * placeholders.
 *
 * - `renderDeployedSpec`: what API Gateway imports and the local gateway serves, with one resource
 *   per configured stream (expand-streams.ts) and the API's name as `info.title`.
 * - `renderSpec`: with `{stream-name}` kept as a path parameter and the security requirement shown
 *   at the root: what the docs and Postman show. Never imported.
 */
import type { IngestConfig } from '../config/ingest-config';
import { apiName } from './api-name';
import { applyAuthMode, hoistSecurity } from './auth-mode';
import { applyCors } from './cors';
import { isJsonObject, type OpenApiDocument } from './document';
import { expandStreams, fillStreamTemplate } from './expand-streams';
import { inlineResponses } from './inline-responses';
import { placeholderValues, type DeploymentFacts } from './placeholder-values';
import { substitutePlaceholders } from './placeholders';
import { applyRecordSizeLimit } from './record-size';

function render(bundled: OpenApiDocument, config: IngestConfig, facts: DeploymentFacts, expand: boolean): OpenApiDocument {
  let doc = inlineResponses(applyAuthMode(bundled, config.auth));
  doc = expand ? expandStreams(doc, config.streams) : fillStreamTemplate(doc, config.streams);
  if (config.corsAllowOrigin !== undefined) doc = applyCors(doc, config.corsAllowOrigin);
  // The title names the imported API; the docs keep the source's title for readers, and show
  // the one security requirement at the root.
  doc = expand ? { ...doc, info: { ...(isJsonObject(doc.info) ? doc.info : {}), title: apiName(config) } } : hoistSecurity(doc, config.auth);
  doc = applyRecordSizeLimit(doc, Math.max(...config.streams.map((s) => s.maxRecordSizeKiB)));
  return substitutePlaceholders(doc, placeholderValues(config, facts));
}

export function renderDeployedSpec(bundled: OpenApiDocument, config: IngestConfig, facts: DeploymentFacts): OpenApiDocument {
  return render(bundled, config, facts, true);
}

export function renderSpec(bundled: OpenApiDocument, config: IngestConfig, facts: DeploymentFacts): OpenApiDocument {
  return render(bundled, config, facts, false);
}

/** Facts for a spec that runs nowhere in AWS: the local gateway, the docs, Postman. */
export const LOCAL_FACTS: DeploymentFacts = {
  region: 'us-east-1',
  integrationRoleArn: 'arn:aws:iam::000000000000:role/local-integration',
  accountId: '000000000000',
};
