/**
 * The Postman export: the published spec (spec-renderer/publish.ts) converted, post-processed, and
 * written with its environments.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IngestConfig } from '../config/ingest-config';
import { bundleSpec, publishSpec } from '../spec-renderer';
import { postProcess } from './collection';
import { convertSpec } from './convert';
import { deployedEnvironment, localEnvironment, type StackOutputs } from './environments';
import type { PostmanCollection } from './types';

export { postProcess, listRequests, operationKey, bindParameters, exampleBody, UNKNOWN_STREAM } from './collection';
export { collectionAuth } from './auth';
export { localEnvironment, deployedEnvironment, readStackOutputs, type StackOutputs } from './environments';
export type { PostmanCollection, PostmanEnvironment } from './types';

export const POSTMAN_DIR = join(__dirname, '..', 'build', 'postman');
export const COLLECTION_FILE = 'kinesis-ingest.postman_collection.json';
export const LOCAL_ENVIRONMENT_FILE = 'local.postman_environment.json';
export const DEPLOYED_ENVIRONMENT_FILE = 'deployed.postman_environment.json';

/** `specRoot`: another spec's root file (default: this project's openapi/openapi.yaml). */
export async function buildCollection(config: IngestConfig, specRoot?: string): Promise<PostmanCollection> {
  const spec = publishSpec(await bundleSpec(specRoot), config);
  return postProcess(await convertSpec(spec), spec, {
    auth: config.auth,
    stage: config.stage,
    streamName: config.streams[0].name,
  });
}

export interface ExportOptions {
  readonly outDir?: string;
  readonly config: IngestConfig;
  readonly stackOutputs?: StackOutputs;
}

export interface ExportedFiles {
  readonly collection: string;
  readonly localEnvironment: string;
  readonly deployedEnvironment?: string;
}

const writeJson = (file: string, value: unknown): void => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

export async function exportPostman(options: ExportOptions): Promise<ExportedFiles> {
  const outDir = options.outDir ?? POSTMAN_DIR;
  mkdirSync(outDir, { recursive: true });
  const collection = join(outDir, COLLECTION_FILE);
  const local = join(outDir, LOCAL_ENVIRONMENT_FILE);
  writeJson(collection, await buildCollection(options.config));
  writeJson(local, localEnvironment(options.config));
  if (options.stackOutputs === undefined) return { collection, localEnvironment: local };
  const deployed = join(outDir, DEPLOYED_ENVIRONMENT_FILE);
  writeJson(deployed, deployedEnvironment(options.stackOutputs, options.config.auth));
  return { collection, localEnvironment: local, deployedEnvironment: deployed };
}
