/**
 * Synthesizes the app the way `cdk synth` does (infra/build-app.ts, cdk-nag included) into a
 * temporary folder, never the repository's cdk.out, and reads the validation report CDK writes.
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

export async function synthesize(overrides: Record<string, unknown> = {}): Promise<Synthesized> {
  const outdir = mkdtempSync(join(tmpdir(), 'kinesis-ingest-cdk-'));
  const built = await buildApp(overrides, outdir);
  // Runs the validation plugins (cdk-nag, CloudFormation Validate): throws ValidationFailed on findings.
  built.app.synth();
  return {
    ...built,
    template: Template.fromStack(built.stack),
    outdir,
    report: readValidationReport(outdir),
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
