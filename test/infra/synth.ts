/**
 * Synthesizes the app the way `cdk synth` does (infra/build-app.ts, cdk-nag included) into a
 * temporary folder, never the repository's cdk.out, and reads the validation report CDK writes.
 *
 * CDK's built-in CloudFormation Validate plugin runs only when asked: its engine, a 9 MB
 * WebAssembly module, takes seconds to start in each test file, and one file (cdk-nag.test.ts)
 * runs it over every configuration the others synthesize.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type BuiltApp } from '../../infra/build-app';

export interface ValidationViolation {
  ruleName: string;
  severity: string;
  description: string;
  violatingConstructs?: Array<{ constructPath?: string }>;
  acknowledgedId?: string;
  reason?: string;
}
export interface PluginReport {
  pluginName: string;
  conclusion: 'success' | 'failure';
  violations: ValidationViolation[];
  suppressedViolations?: ValidationViolation[];
}
export interface ValidationReport {
  pluginReports: PluginReport[];
}

export interface Synthesized extends BuiltApp {
  readonly template: Template;
  readonly outdir: string;
  readonly report: ValidationReport;
  /** Removes the temporary output folder. */
  cleanup(): void;
}

export function readValidationReport(outdir: string): ValidationReport {
  const file = join(outdir, 'validation-report.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ValidationReport) : { pluginReports: [] };
}

/** IAM authorization, a production stage, two streams and an alarm topic. */
export const IAM_PRODUCTION_STAGE = {
  stage: 'prod',
  stageKind: 'production',
  auth: 'iam',
  alarmTopicArn: 'arn:aws:sns:eu-west-1:111122223333:ingest-alarms',
  logRetentionDays: 400,
  streams: [
    { name: 'clicks', mode: 'PROVISIONED', shardCount: 4, retentionHours: 168 },
    { name: 'audit.log', mode: 'ON_DEMAND', retentionHours: 24 },
  ],
};

/** A stage in front of an existing, KMS-encrypted stream, next to a stream of its own. */
export const EXISTING_STREAM_STAGE = {
  stage: 'dev',
  streams: [
    {
      name: 'orders',
      streamArn: 'arn:aws:kinesis:eu-west-1:111122223333:stream/orders-main',
      kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      retentionHours: 48,
    },
    { name: 'clicks', maxRecordSizeKiB: 10240 },
  ],
};

export async function synthesize(
  overrides: Record<string, unknown> = {},
  options: { cloudFormationValidate?: boolean } = {},
): Promise<Synthesized> {
  const outdir = mkdtempSync(join(tmpdir(), 'kinesis-ingest-cdk-'));
  const built = await buildApp(overrides, outdir);
  // Runs the validation plugins (cdk-nag, and CloudFormation Validate if asked): throws
  // ValidationFailed on findings. CDK_VALIDATION=false is CDK's documented switch for the latter.
  const validation = process.env.CDK_VALIDATION;
  if (options.cloudFormationValidate !== true) process.env.CDK_VALIDATION = 'false';
  try {
    built.app.synth();
  } finally {
    if (validation === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = validation;
  }
  return {
    ...built,
    template: Template.fromStack(built.stack),
    outdir,
    report: readValidationReport(outdir),
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
