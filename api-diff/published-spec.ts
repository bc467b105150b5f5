/**
 * The published contract of a checkout: its split spec under openapi/ and its own configuration
 * (cdk.json), made into the published spec by this working tree's publisher (spec-renderer/publish.ts),
 * the document producers and consumers see, without the x-amazon-apigateway-* extensions.
 */
import { join } from 'node:path';
import { loadConfig } from '../config/ingest-config';
import { bundleSpec, publishSpec, type OpenApiDocument } from '../spec-renderer';

export async function publishedSpecOf(checkoutDir: string): Promise<OpenApiDocument> {
  const config = loadConfig({}, join(checkoutDir, 'cdk.json'));
  return publishSpec(await bundleSpec(join(checkoutDir, 'openapi', 'openapi.yaml')), config);
}
