/**
 * The published spec written to build/openapi.json and build/openapi.yaml: the API as everyone
 * outside the stack reads it (docs, Postman's importer, client generators), for the configuration
 * in cdk.json. `npm start` serves the same at /openapi.json and /openapi.yaml.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type IngestConfig } from '../config/ingest-config';
import {
  bundleSpec,
  publishedJson,
  publishedYaml,
  publishSpec,
  type OpenApiDocument,
  type PublishOptions,
} from '../spec-renderer';

export const BUILD_DIR = join(__dirname, '..', 'build');

export interface PublishedFiles {
  readonly json: string;
  readonly yaml: string;
  readonly spec: OpenApiDocument;
}

export async function writePublishedSpec(
  outDir: string = BUILD_DIR,
  config: IngestConfig = loadConfig(),
  options: PublishOptions = {},
): Promise<PublishedFiles> {
  const spec = publishSpec(await bundleSpec(), config, options);
  mkdirSync(outDir, { recursive: true });
  const json = join(outDir, 'openapi.json');
  const yaml = join(outDir, 'openapi.yaml');
  writeFileSync(json, publishedJson(spec));
  writeFileSync(yaml, publishedYaml(spec));
  return { json, yaml, spec };
}
