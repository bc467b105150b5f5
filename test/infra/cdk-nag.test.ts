/**
 * cdk-nag 3 (AwsSolutions and Serverless packs) and CDK's CloudFormation Validate run at synth as
 * validation plugins: with a finding, synth throws ValidationFailed and validation-report.json in
 * the output folder lists it. A clean stack leaves only the acknowledged findings, with reasons.
 */
import { CfnResource } from 'aws-cdk-lib';
import { CfnStream } from 'aws-cdk-lib/aws-kinesis';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUTH_MODES } from '../../config/ingest-config';
import { buildApp } from '../../infra/build-app';
import { NAG_ACKNOWLEDGEMENTS } from '../../infra/nag-acknowledgements';
import {
  EXISTING_STREAM_STAGE,
  IAM_PRODUCTION_STAGE,
  readValidationReport,
  synthesize,
  type ValidationReport,
} from './synth';

const ACKNOWLEDGED = Object.values(NAG_ACKNOWLEDGEMENTS)
  .map((a) => a.id.replace(/^AwsSolutions::/, ''))
  .sort();

describe.each(AUTH_MODES)('validation of the %s stack', (auth) => {
  let report: ValidationReport;

  beforeAll(async () => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const synth = await synthesize({ auth }, { cloudFormationValidate: true });
    report = synth.report;
    synth.cleanup();
  });
  afterAll(() => jest.restoreAllMocks());

  test('no plugin reports an unacknowledged finding, error or warning', () => {
    expect(
      report.pluginReports.flatMap((r) => r.violations.map((v) => `${r.pluginName}: ${v.ruleName} (${v.severity})`)),
    ).toEqual([]);
    expect(report.pluginReports.every((r) => r.conclusion === 'success')).toBe(true);
  });

  test('CloudFormation Validate finds nothing', () => {
    expect(report.pluginReports.filter((r) => r.pluginName === 'CloudFormation Validate')).toEqual([]);
  });

  test('only the listed AwsSolutions findings are acknowledged, each with its reason', () => {
    const suppressed = report.pluginReports.flatMap((r) => r.suppressedViolations ?? []);
    expect(suppressed.map((v) => v.ruleName).sort()).toEqual(ACKNOWLEDGED);
    for (const v of suppressed)
      expect(v.reason).toEqual(Object.values(NAG_ACKNOWLEDGEMENTS).find((a) => a.id === v.acknowledgedId)?.reason);
  });
});

// The other test files synthesize these without CloudFormation Validate (see synth.ts).
describe.each([
  ['the prod stage', { stage: 'prod' }],
  ['an IAM-authorized production stage with two streams and an alarm topic', IAM_PRODUCTION_STAGE],
  ['a stage in front of an existing stream', EXISTING_STREAM_STAGE],
])('validation of %s', (_, overrides) => {
  test('no plugin reports a finding, CloudFormation Validate included', async () => {
    const synth = await synthesize(overrides, { cloudFormationValidate: true });
    synth.cleanup();
    expect(
      synth.report.pluginReports.flatMap((r) =>
        r.violations.map((v) => `${r.pluginName}: ${v.ruleName} (${v.severity})`),
      ),
    ).toEqual([]);
  });
});

describe('the validation plugins are live', () => {
  test('an unencrypted stream, a log group kept forever and an invalid property fail synth, naming the rules', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'kinesis-ingest-cdk-'));
    try {
      const { app, stack } = await buildApp({}, outdir);
      new CfnStream(stack, 'Unencrypted', { shardCount: 1 });
      new CfnLogGroup(stack, 'KeptForever', {});
      new CfnResource(stack, 'Invalid', { type: 'AWS::Kinesis::Stream', properties: { ShardCount: 1, Bogus: true } });
      expect(() => app.synth()).toThrow(/AwsSolutions-KDS1[\s\S]*A copy of this report can be found in/);
      const violations = readValidationReport(outdir).pluginReports.flatMap((r) =>
        r.violations.map((v) => `${r.pluginName}: ${v.ruleName}`),
      );
      expect(violations).toEqual([
        'AwsSolutions: AwsSolutions-KDS1',
        'Serverless: Serverless-CloudWatchLogGroupRetentionPeriod',
        'CloudFormation Validate: F3002',
      ]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
