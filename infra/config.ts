/**
 * The project's configuration: one typed, validated object that drives both the CDK stack and the
 * local gateway, so that what runs locally is what deploys. It lives in `cdk.json` under the
 * context key `ingest`; `-c stage=…`, `-c auth=…` on the CDK command line override single fields.
 *
 * `parseConfig` is pure: it takes the raw value and returns the config or throws a ConfigError that
 * lists every problem found, each naming the field and what would fix it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const AUTH_MODES = ['apiKey', 'iam', 'none'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export const STREAM_MODES = ['PROVISIONED', 'ON_DEMAND'] as const;
export type StreamMode = (typeof STREAM_MODES)[number];

export const STAGE_KINDS = ['development', 'production'] as const;
/** A production stage keeps its stream and logs on `cdk destroy`; a development stage removes them. */
export type StageKind = (typeof STAGE_KINDS)[number];

export const QUOTA_PERIODS = ['DAY', 'WEEK', 'MONTH'] as const;
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];

export interface StreamConfig {
  /** The name clients use in the API's paths (`/streams/{name}/…`): `^[a-zA-Z0-9_.-]+$`, 1 to 128 characters. */
  readonly name: string;
  /**
   * The Kinesis stream's own name, which the integrations, the role, the alarms and the local
   * backends address. Today the same as `name`.
   */
  readonly physicalName: string;
  readonly mode: StreamMode;
  /** Open shards of a PROVISIONED stream; absent for ON_DEMAND. */
  readonly shardCount?: number;
  /** 24 to 8760 hours. */
  readonly retentionHours: number;
  /**
   * The largest record (data and partition key) the stream takes, in KiB: Kinesis's default is
   * 1024 and a stream can be raised to 10240 (Kinesis Data Streams quotas and limits).
   */
  readonly maxRecordSizeKiB: number;
}

export interface ThrottleConfig {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Bucket size: requests accepted at once above the rate. */
  readonly burstLimit: number;
}

export interface QuotaConfig {
  readonly limit: number;
  readonly period: QuotaPeriod;
}

export interface IngestConfig {
  readonly stage: string;
  readonly stageKind: StageKind;
  readonly auth: AuthMode;
  readonly streams: readonly StreamConfig[];
  /** Stage-wide default method throttling. */
  readonly throttle: ThrottleConfig;
  /** Usage plan of the API key (apiKey mode): its own rate, burst and quota. */
  readonly usagePlan: { readonly throttle: ThrottleConfig; readonly quota: QuotaConfig };
  /**
   * The one origin (or `*`) allowed to call the API from a browser; absent means CORS is off. One,
   * because API Gateway's gateway responses can only carry static headers, and errors need the
   * header too for a browser to read them.
   */
  readonly corsAllowOrigin?: string;
  /** An SNS topic ARN that receives the alarms, if any. */
  readonly alarmTopicArn?: string;
  /** Days to keep access logs. */
  readonly logRetentionDays: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration (cdk.json context "ingest"):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
const SNS_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
/** Retention days that CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

type Raw = Record<string, unknown>;

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads fields off a raw object and records a problem for each one that is wrong. */
class FieldReader {
  constructor(
    private readonly raw: Raw,
    private readonly prefix: string,
    private readonly problems: string[],
  ) {}

  private name(key: string): string {
    return this.prefix ? `${this.prefix}.${key}` : key;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw[key] ?? fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${this.name(key)} is ${JSON.stringify(value)}: use one of ${allowed.join(', ')}`);
    return fallback;
  }

  integer(key: string, min: number, max: number, fallback: number): number {
    const value = this.raw[key] ?? fallback;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    this.problems.push(`${this.name(key)} is ${JSON.stringify(value)}: use a whole number from ${min} to ${max}`);
    return fallback;
  }

  matching(key: string, pattern: RegExp, hint: string, fallback?: string): string | undefined {
    const value = this.raw[key] ?? fallback;
    if (value === undefined) return undefined;
    if (typeof value === 'string' && pattern.test(value)) return value;
    this.problems.push(`${this.name(key)} is ${JSON.stringify(value)}: ${hint}`);
    return undefined;
  }

  record(key: string): FieldReader {
    const value = this.raw[key] ?? {};
    if (!isRecord(value)) this.problems.push(`${this.name(key)} must be an object`);
    return new FieldReader(isRecord(value) ? value : {}, this.name(key), this.problems);
  }
}

function parseStream(raw: unknown, index: number, problems: string[]): StreamConfig | undefined {
  const where = `streams[${index}]`;
  if (!isRecord(raw)) {
    problems.push(`${where} must be an object like {"name": "events", "mode": "PROVISIONED", "shardCount": 1}`);
    return undefined;
  }
  const fields = new FieldReader(raw, where, problems);
  const name = fields.matching('name', STREAM_NAME, 'a stream name has 1 to 128 of a-z, A-Z, 0-9, _ . -');
  const mode = fields.oneOf('mode', STREAM_MODES, 'PROVISIONED');
  const retentionHours = fields.integer('retentionHours', 24, 8760, 24);
  const maxRecordSizeKiB = fields.integer('maxRecordSizeKiB', 1024, 10240, 1024);
  let shardCount: number | undefined;
  if (mode === 'PROVISIONED') {
    shardCount = fields.integer('shardCount', 1, 10_000, 1);
  } else if (raw.shardCount !== undefined) {
    problems.push(`${where}.shardCount must be left out for an ON_DEMAND stream: Kinesis scales it`);
  }
  if (name === undefined) return undefined;
  return { name, physicalName: name, mode, retentionHours, maxRecordSizeKiB, ...(shardCount === undefined ? {} : { shardCount }) };
}

function parseThrottle(fields: FieldReader, defaults: ThrottleConfig): ThrottleConfig {
  return {
    rateLimit: fields.integer('rateLimit', 1, 10_000, defaults.rateLimit),
    burstLimit: fields.integer('burstLimit', 1, 5_000, defaults.burstLimit),
  };
}

/** Validates a raw `ingest` context value (plus command-line overrides) into an IngestConfig. */
export function parseConfig(raw: unknown, overrides: Readonly<Record<string, unknown>> = {}): IngestConfig {
  const problems: string[] = [];
  if (raw !== undefined && !isRecord(raw)) throw new ConfigError(['the "ingest" context must be an object']);
  const merged: Raw = { ...(raw ?? {}), ...definedOnly(overrides) };
  const fields = new FieldReader(merged, '', problems);

  const stage = fields.matching('stage', STAGE_NAME, 'a stage name has 1 to 128 of A-Z, a-z, 0-9, - _', 'dev') ?? 'dev';
  const stageKind = fields.oneOf('stageKind', STAGE_KINDS, 'development');
  const auth = fields.oneOf('auth', AUTH_MODES, 'apiKey');

  const rawStreams = merged.streams ?? [{ name: 'ingest-events' }];
  const streams: StreamConfig[] = [];
  if (!Array.isArray(rawStreams) || rawStreams.length === 0) {
    problems.push('streams must be a non-empty list of streams like [{"name": "events"}]');
  } else {
    rawStreams.forEach((s, i) => {
      const stream = parseStream(s, i, problems);
      if (stream) streams.push(stream);
    });
    // Each stream is 5 API Gateway resources (/streams/<name> and 4 below it), beside / and
    // /streams: "Resources per API: 300" (API Gateway quotas). lib/spec checks the rendered count.
    const maxStreams = Math.floor((300 - 2) / 5);
    if (rawStreams.length > maxStreams) {
      problems.push(`streams has ${rawStreams.length} streams: at most ${maxStreams} fit API Gateway's quota of 300 resources per API (each stream is its own 5 resources)`);
    }
    const names = streams.map((s) => s.name);
    const repeated = names.filter((n, i) => names.indexOf(n) !== i);
    if (repeated.length > 0) problems.push(`streams names must be unique: ${[...new Set(repeated)].join(', ')} repeated`);
  }

  const throttle = parseThrottle(fields.record('throttle'), { rateLimit: 500, burstLimit: 1000 });
  const plan = fields.record('usagePlan');
  const usagePlanThrottle = parseThrottle(plan.record('throttle'), { rateLimit: 100, burstLimit: 200 });
  const quotaFields = plan.record('quota');
  const quota: QuotaConfig = {
    limit: quotaFields.integer('limit', 1, 2_000_000_000, 10_000_000),
    period: quotaFields.oneOf('period', QUOTA_PERIODS, 'DAY'),
  };
  if (usagePlanThrottle.rateLimit > throttle.rateLimit) {
    problems.push(
      `usagePlan.throttle.rateLimit (${usagePlanThrottle.rateLimit}) is above the stage's throttle.rateLimit (${throttle.rateLimit}): the stage limit would win`,
    );
  }

  const corsAllowOrigin = fields.matching(
    'corsAllowOrigin',
    /^(\*|https?:\/\/[^/\s,]+)$/,
    'use one origin like "https://app.example.com", or "*" (API Gateway error responses carry static CORS headers only)',
  );
  const alarmTopicArn = fields.matching('alarmTopicArn', SNS_ARN, 'use an SNS topic ARN, arn:aws:sns:<region>:<account>:<name>');
  const logRetentionDays = fields.integer('logRetentionDays', 1, 3653, stageKind === 'production' ? 365 : 14);
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    problems.push(`logRetentionDays is ${logRetentionDays}: CloudWatch Logs accepts ${LOG_RETENTION_DAYS.join(', ')}`);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    stage,
    stageKind,
    auth,
    streams,
    throttle,
    usagePlan: { throttle: usagePlanThrottle, quota },
    logRetentionDays,
    ...(corsAllowOrigin === undefined ? {} : { corsAllowOrigin }),
    ...(alarmTopicArn === undefined ? {} : { alarmTopicArn }),
  };
}

function definedOnly(values: Readonly<Record<string, unknown>>): Raw {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** The project's root folder, found from this file rather than the working directory. */
export const PROJECT_ROOT = join(__dirname, '..');

/** Reads `cdk.json`'s `ingest` context and validates it. */
export function loadConfig(overrides: Readonly<Record<string, unknown>> = {}, cdkJsonPath = join(PROJECT_ROOT, 'cdk.json')): IngestConfig {
  const cdkJson: unknown = JSON.parse(readFileSync(cdkJsonPath, 'utf8'));
  const context = isRecord(cdkJson) && isRecord(cdkJson.context) ? cdkJson.context : {};
  return parseConfig(context.ingest, overrides);
}
