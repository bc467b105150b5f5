/**
 * Builds the CDK app as `cdk synth` runs it: the configuration (cdk.json's `ingest` context, with
 * single fields overridden by `-c field=value`), the bundled spec, the stack, and the cdk-nag rule
 * packs. Shared by app.ts and the tests so both check the same thing.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleSpec } from '../spec-renderer';
import { PROJECT_ROOT, loadConfig, type IngestConfig } from '../config/ingest-config';
import { KinesisIngestStack, OPEN_API_WARNING } from './kinesis-ingest-stack';

/**
 * Top-level scalar fields of IngestConfig that `-c name=value` may set. `-c stage=prod` selects
 * the stage, and with it cdk.json's `stages.prod` settings.
 */
export const CONTEXT_OVERRIDES = [
  'stage',
  'stageKind',
  'auth',
  'corsAllowOrigin',
  'alarmTopicArn',
  'logRetentionDays',
  'manageAccountCloudWatchRole',
] as const;
const NUMERIC_OVERRIDES: ReadonlySet<string> = new Set(['logRetentionDays']);
const BOOLEAN_OVERRIDES: ReadonlySet<string> = new Set(['manageAccountCloudWatchRole']);

/** `-c` values arrive as strings; numbers and booleans are turned back into what the config expects. */
function typedOverride(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (NUMERIC_OVERRIDES.has(key) && /^\d+$/.test(value)) return Number(value);
  if (BOOLEAN_OVERRIDES.has(key) && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

const CDK_JSON = join(PROJECT_ROOT, 'cdk.json');

/** Reads the overrides given on the command line (`-c stage=prod`), which arrive as strings. */
export function contextOverrides(app: App): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  for (const key of CONTEXT_OVERRIDES) {
    const value: unknown = app.node.tryGetContext(key);
    if (value === undefined) continue;
    overrides[key] = typedOverride(key, value);
  }
  return overrides;
}

/** cdk.json's context (feature flags), for an app not started by the CLI, such as in tests. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(CDK_JSON, 'utf8')) as { context?: Record<string, unknown> };
  const { ingest: _ingest, ...flags } = cdkJson.context ?? {};
  return flags;
}

export interface BuiltApp {
  readonly app: App;
  readonly stack: KinesisIngestStack;
  readonly config: IngestConfig;
}

/**
 * @param overrides config fields that win over both cdk.json and `-c` (tests use these)
 * @param outdir where to synthesize; default the CLI's (cdk.out)
 */
export async function buildApp(overrides: Readonly<Record<string, unknown>> = {}, outdir?: string): Promise<BuiltApp> {
  // Context from the CLI (cdk.json and -c) wins over these props, so the flags apply in both cases.
  const app = new App({ context: cdkJsonContext(), ...(outdir === undefined ? {} : { outdir }) });
  const config = loadConfig({ ...contextOverrides(app), ...overrides }, CDK_JSON);
  const bundledSpec = await bundleSpec();

  const stack = new KinesisIngestStack(app, `KinesisIngest-${config.stage}`, {
    config,
    bundledSpec,
    description: `Kinesis ingest API (${config.stage}, ${config.stageKind}, auth ${config.auth}): API Gateway REST API from openapi/ proxying to Kinesis Data Streams`,
  });
  if (config.auth === 'none') console.warn(`[Warning] ${stack.stackName}: ${OPEN_API_WARNING}`);

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, stack, config };
}
