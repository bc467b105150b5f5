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
   * backends address: `<name>-<stage>` unless set, or the name in `streamArn`. Stream names are
   * unique per account and Region (Kinesis CreateStream, ResourceInUseException), so two stages
   * in one account need two.
   */
  readonly physicalName: string;
  /**
   * An existing stream to put the API in front of, instead of creating one: the stack creates no
   * stream and scopes the role to this ARN. It must be in the account and Region the stack deploys to.
   */
  readonly streamArn?: string;
  /** The customer managed KMS key of an existing stream (server-side encryption), which the role may then use. */
  readonly kmsKeyArn?: string;
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
  /**
   * The most records one read (GetRecords) through the API returns, 1 to 10000. Absent: as many as
   * surely fit API Gateway's 10 MB response with records of `maxRecordSizeKiB` (7 for 1 MiB).
   * Set it when the stream's records are known to be smaller (spec-renderer/read-limit.ts).
   */
  readonly maxRecordsPerRead?: number;
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
  /**
   * Whether this stage's stack sets API Gateway's account-wide CloudWatch Logs role
   * (AWS::ApiGateway::Account, one per account and Region). At most one stage per account should:
   * the others rely on it being set.
   */
  readonly manageAccountCloudWatchRole: boolean;
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
/** arn:<partition>:kinesis:<region>:<account>:stream/<name> (Kinesis's resource ARN format). */
const STREAM_ARN = /^arn:(aws[a-z-]*):kinesis:([a-z0-9-]+):(\d{12}):stream\/([a-zA-Z0-9_.-]{1,128})$/;
/** A key ARN, not an alias: IAM policies match a KMS key by its key ARN. */
const KMS_KEY_ARN = /^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):key\/[a-zA-Z0-9-]{1,128}$/;
/** Retention days that CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** The settings a stage may set; `stage` and `stages` only at the top. */
const SETTINGS = [
  'stageKind',
  'auth',
  'streams',
  'throttle',
  'usagePlan',
  'corsAllowOrigin',
  'alarmTopicArn',
  'logRetentionDays',
  'manageAccountCloudWatchRole',
] as const;
const STREAM_SETTINGS = [
  'name',
  'physicalName',
  'streamArn',
  'kmsKeyArn',
  'mode',
  'shardCount',
  'retentionHours',
  'maxRecordSizeKiB',
  'maxRecordsPerRead',
] as const;

type Raw = Record<string, unknown>;

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Where each field of the merged configuration was written (`streams[0].shardCount` may come from
 * `stages.prod.streams[0].shardCount`), so that a problem names the place to fix.
 */
type Origins = Map<string, string>;

const child = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

/** Records that `path` and everything under it were written at `written`. */
function markOrigin(origins: Origins, path: string, written: string, value: unknown): void {
  for (const known of [...origins.keys()]) {
    if (known === path || known.startsWith(`${path}.`) || known.startsWith(`${path}[`)) origins.delete(known);
  }
  if (written !== path) origins.set(path, written);
  if (Array.isArray(value)) value.forEach((v, i) => markOrigin(origins, child(path, i), child(written, i), v));
  else if (isRecord(value))
    for (const [k, v] of Object.entries(value)) markOrigin(origins, child(path, k), child(written, k), v);
}

/**
 * Lays a stage's settings over the shared ones: objects merge field by field, a stream entry
 * merges into the shared entry of the same name (or is added), `null` removes a shared field, and
 * anything else replaces.
 */
function overlay(base: unknown, layer: unknown, path: string, written: string, origins: Origins): unknown {
  if (isRecord(base) && isRecord(layer)) {
    const merged: Raw = { ...base };
    for (const [key, value] of Object.entries(layer)) {
      if (value === null) {
        delete merged[key];
        markOrigin(origins, child(path, key), child(written, key), undefined);
      } else {
        merged[key] = overlay(base[key], value, child(path, key), child(written, key), origins);
      }
    }
    return merged;
  }
  if (path === 'streams' && Array.isArray(base) && Array.isArray(layer)) {
    const merged: unknown[] = [...base];
    layer.forEach((entry, j) => {
      const i = isRecord(entry) ? merged.findIndex((b) => isRecord(b) && b.name === entry.name) : -1;
      const at = i === -1 ? merged.length : i;
      merged[at] = overlay(i === -1 ? undefined : merged[i], entry, child(path, at), child(written, j), origins);
    });
    return merged;
  }
  markOrigin(origins, path, written, layer);
  return layer;
}

/** Reads fields off a raw object and records a problem for each one that is wrong. */
class FieldReader {
  constructor(
    private readonly raw: Raw,
    private readonly prefix: string,
    private readonly problems: string[],
    private readonly origins: Origins = new Map(),
  ) {}

  /** The field's name where the user wrote it. */
  private name(key: string): string {
    const path = child(this.prefix, key);
    return this.origins.get(path) ?? path;
  }

  problem(key: string, text: string): void {
    this.problems.push(`${this.name(key)} ${text}`);
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw[key] ?? fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.problem(key, `is ${JSON.stringify(value)}: use one of ${allowed.join(', ')}`);
    return fallback;
  }

  integer(key: string, min: number, max: number, fallback: number): number {
    const value = this.raw[key] ?? fallback;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    this.problem(key, `is ${JSON.stringify(value)}: use a whole number from ${min} to ${max}`);
    return fallback;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.raw[key] ?? fallback;
    if (typeof value === 'boolean') return value;
    this.problem(key, `is ${JSON.stringify(value)}: use true or false`);
    return fallback;
  }

  matching(key: string, pattern: RegExp, hint: string, fallback?: string): string | undefined {
    const value = this.raw[key] ?? fallback;
    if (value === undefined) return undefined;
    if (typeof value === 'string' && pattern.test(value)) return value;
    this.problem(key, `is ${JSON.stringify(value)}: ${hint}`);
    return undefined;
  }

  record(key: string): FieldReader {
    const value = this.raw[key] ?? {};
    if (!isRecord(value)) this.problem(key, 'must be an object');
    return new FieldReader(isRecord(value) ? value : {}, child(this.prefix, key), this.problems, this.origins);
  }
}

/** A typo in a setting's name would otherwise be ignored in silence. */
function unknownSettings(
  raw: Raw,
  known: readonly string[],
  where: string,
  problems: string[],
  origins: Origins = new Map(),
): void {
  for (const key of Object.keys(raw)) {
    if (!known.includes(key))
      problems.push(`${origins.get(child(where, key)) ?? child(where, key)} is not a setting: use ${known.join(', ')}`);
  }
}

function parseStream(
  raw: unknown,
  index: number,
  stage: string,
  problems: string[],
  origins: Origins,
): StreamConfig | undefined {
  const where = child('streams', index);
  if (!isRecord(raw)) {
    problems.push(
      `${origins.get(where) ?? where} must be an object like {"name": "events", "mode": "PROVISIONED", "shardCount": 1}`,
    );
    return undefined;
  }
  const fields = new FieldReader(raw, where, problems, origins);
  const name = fields.matching('name', STREAM_NAME, 'a stream name has 1 to 128 of a-z, A-Z, 0-9, _ . -');
  const mode = fields.oneOf('mode', STREAM_MODES, 'PROVISIONED');
  const retentionHours = fields.integer('retentionHours', 24, 8760, 24);
  const maxRecordSizeKiB = fields.integer('maxRecordSizeKiB', 1024, 10240, 1024);
  const maxRecordsPerRead =
    raw.maxRecordsPerRead === undefined || raw.maxRecordsPerRead === null
      ? undefined
      : fields.integer('maxRecordsPerRead', 1, 10_000, 1);
  let shardCount: number | undefined;
  if (mode === 'PROVISIONED') {
    shardCount = fields.integer('shardCount', 1, 10_000, 1);
  } else if (raw.shardCount !== undefined) {
    fields.problem(
      'shardCount',
      'must be left out for an ON_DEMAND stream: Kinesis scales it (a stage removes a shared value with null)',
    );
  }

  const streamArn = fields.matching(
    'streamArn',
    STREAM_ARN,
    'use a Kinesis stream ARN, arn:aws:kinesis:<region>:<account>:stream/<name>',
  );
  const kmsKeyArn = fields.matching(
    'kmsKeyArn',
    KMS_KEY_ARN,
    'use a KMS key ARN, arn:aws:kms:<region>:<account>:key/<key-id> (not an alias)',
  );
  const arnName = streamArn === undefined ? undefined : STREAM_ARN.exec(streamArn)?.[4];
  if (kmsKeyArn !== undefined && raw.streamArn === undefined) {
    fields.problem(
      'kmsKeyArn',
      'is only for an existing stream (streamArn): a stream this stack creates uses the AWS managed key',
    );
  }
  if (
    streamArn !== undefined &&
    kmsKeyArn !== undefined &&
    STREAM_ARN.exec(streamArn)?.[2] !== KMS_KEY_ARN.exec(kmsKeyArn)?.[2]
  ) {
    fields.problem(
      'kmsKeyArn',
      `is in another Region than the stream ${streamArn}: a stream's key is in its own Region`,
    );
  }
  const explicit = fields.matching('physicalName', STREAM_NAME, 'a stream name has 1 to 128 of a-z, A-Z, 0-9, _ . -');
  if (explicit !== undefined && arnName !== undefined && explicit !== arnName) {
    fields.problem('physicalName', `is "${explicit}" but streamArn names "${arnName}": leave physicalName out`);
  }
  if (name === undefined) return undefined;
  const physicalName = arnName ?? explicit ?? `${name}-${stage}`;
  if (!STREAM_NAME.test(physicalName)) {
    fields.problem(
      'name',
      `with the stage makes the stream name "${physicalName}", over 128 characters: set physicalName`,
    );
  }
  return {
    name,
    physicalName,
    mode,
    retentionHours,
    maxRecordSizeKiB,
    ...(maxRecordsPerRead === undefined ? {} : { maxRecordsPerRead }),
    ...(shardCount === undefined ? {} : { shardCount }),
    ...(streamArn === undefined ? {} : { streamArn }),
    ...(kmsKeyArn === undefined ? {} : { kmsKeyArn }),
  };
}

function parseStreams(rawStreams: unknown, stage: string, problems: string[], origins: Origins): StreamConfig[] {
  const streams: StreamConfig[] = [];
  if (!Array.isArray(rawStreams) || rawStreams.length === 0) {
    problems.push('streams must be a non-empty list of streams like [{"name": "events"}]');
    return streams;
  }
  rawStreams.forEach((s, i) => {
    if (isRecord(s)) unknownSettings(s, STREAM_SETTINGS, child('streams', i), problems, origins);
    const stream = parseStream(s, i, stage, problems, origins);
    if (stream) streams.push(stream);
  });
  const repeated = (names: string[]): string[] => [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  // Each stream is 5 API Gateway resources (/streams/<name> and 4 below it), beside / and
  // /streams: "Resources per API: 300" (API Gateway quotas). spec-renderer checks the rendered count.
  const maxStreams = Math.floor((300 - 2) / 5);
  if (rawStreams.length > maxStreams) {
    problems.push(
      `streams has ${rawStreams.length} streams: at most ${maxStreams} fit API Gateway's quota of 300 resources per API (each stream is its own 5 resources)`,
    );
  }
  const names = repeated(streams.map((s) => s.name));
  if (names.length > 0) problems.push(`streams names must be unique: ${names.join(', ')} repeated`);
  const physical = repeated(streams.map((s) => s.physicalName));
  if (physical.length > 0)
    problems.push(`streams physical names must be unique: ${physical.join(', ')} repeated (physicalName or streamArn)`);
  // The integrations call Kinesis in the API's own account and Region, by stream name.
  const places = new Set(
    streams.flatMap((s) => (s.streamArn === undefined ? [] : [STREAM_ARN.exec(s.streamArn)?.slice(1, 4).join(':')])),
  );
  if (places.size > 1)
    problems.push(
      `streams' streamArn values are in ${places.size} accounts or Regions: the API reaches streams of its own account and Region only`,
    );
  return streams;
}

function parseThrottle(fields: FieldReader, defaults: ThrottleConfig): ThrottleConfig {
  return {
    rateLimit: fields.integer('rateLimit', 1, 10_000, defaults.rateLimit),
    burstLimit: fields.integer('burstLimit', 1, 5_000, defaults.burstLimit),
  };
}

/**
 * The settings of the selected stage: the shared ones, the stage's own (`stages.<stage>`) laid
 * over them, then the command-line overrides.
 */
function selectStage(raw: Raw, overrides: Raw, problems: string[], origins: Origins): { stage: string; merged: Raw } {
  const { stages, ...shared } = raw;
  unknownSettings(shared, ['stage', 'stages', ...SETTINGS], '', problems);
  const named = overrides.stage ?? shared.stage ?? 'dev';
  const stage = typeof named === 'string' && STAGE_NAME.test(named) ? named : 'dev';
  if (stage !== named)
    problems.push(`stage is ${JSON.stringify(named)}: a stage name has 1 to 128 of A-Z, a-z, 0-9, - _`);

  let merged: Raw = shared;
  if (stages !== undefined && !isRecord(stages)) {
    problems.push('stages must be an object of per-stage settings, like {"prod": {"stageKind": "production"}}');
  } else if (stages !== undefined) {
    for (const name of Object.keys(stages))
      if (!STAGE_NAME.test(name)) problems.push(`stages.${name}: a stage name has 1 to 128 of A-Z, a-z, 0-9, - _`);
    const own = stages[stage];
    if (own === undefined) {
      problems.push(
        `stage "${stage}" has no entry in stages (${Object.keys(stages).join(', ')}): add stages.${stage} (it may be {}) or pick one of them`,
      );
    } else if (!isRecord(own)) {
      problems.push(`stages.${stage} must be an object of settings`);
    } else {
      unknownSettings(own, SETTINGS, `stages.${stage}`, problems);
      merged = overlay(shared, own, '', `stages.${stage}`, origins) as Raw;
    }
  }
  const given = definedOnly(overrides);
  for (const key of Object.keys(given)) markOrigin(origins, key, key, given[key]);
  return { stage, merged: { ...merged, ...given } };
}

/**
 * Validates a raw `ingest` context value (plus command-line overrides) into the IngestConfig of
 * one stage: `overrides.stage`, else the context's `stage`, else `dev`.
 */
export function parseConfig(raw: unknown, overrides: Readonly<Record<string, unknown>> = {}): IngestConfig {
  const problems: string[] = [];
  if (raw !== undefined && !isRecord(raw)) throw new ConfigError(['the "ingest" context must be an object']);
  const origins: Origins = new Map();
  const { stage, merged } = selectStage(raw ?? {}, overrides, problems, origins);
  const fields = new FieldReader(merged, '', problems, origins);

  const stageKind = fields.oneOf('stageKind', STAGE_KINDS, 'development');
  const auth = fields.oneOf('auth', AUTH_MODES, 'apiKey');
  const streams = parseStreams(merged.streams ?? [{ name: 'ingest-events' }], stage, problems, origins);

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
  const alarmTopicArn = fields.matching(
    'alarmTopicArn',
    SNS_ARN,
    'use an SNS topic ARN, arn:aws:sns:<region>:<account>:<name>',
  );
  const logRetentionDays = fields.integer('logRetentionDays', 1, 3653, stageKind === 'production' ? 365 : 14);
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    fields.problem(
      'logRetentionDays',
      `is ${logRetentionDays}: CloudWatch Logs accepts ${LOG_RETENTION_DAYS.join(', ')}`,
    );
  }
  const manageAccountCloudWatchRole = fields.boolean('manageAccountCloudWatchRole', true);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    stage,
    stageKind,
    auth,
    streams,
    throttle,
    usagePlan: { throttle: usagePlanThrottle, quota },
    logRetentionDays,
    manageAccountCloudWatchRole,
    ...(corsAllowOrigin === undefined ? {} : { corsAllowOrigin }),
    ...(alarmTopicArn === undefined ? {} : { alarmTopicArn }),
  };
}

function definedOnly(values: Readonly<Record<string, unknown>>): Raw {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** The project's root folder, found from this file rather than the working directory. */
export const PROJECT_ROOT = join(__dirname, '..');

/** cdk.json's `ingest` context, as written. */
export function readIngestContext(cdkJsonPath = join(PROJECT_ROOT, 'cdk.json')): unknown {
  const cdkJson: unknown = JSON.parse(readFileSync(cdkJsonPath, 'utf8'));
  return isRecord(cdkJson) && isRecord(cdkJson.context) ? cdkJson.context.ingest : undefined;
}

/** Reads `cdk.json`'s `ingest` context and validates the selected stage's configuration. */
export function loadConfig(
  overrides: Readonly<Record<string, unknown>> = {},
  cdkJsonPath = join(PROJECT_ROOT, 'cdk.json'),
): IngestConfig {
  return parseConfig(readIngestContext(cdkJsonPath), overrides);
}

/** The stages cdk.json defines (`stages`' keys), or just its one stage. */
export function configuredStages(cdkJsonPath = join(PROJECT_ROOT, 'cdk.json')): string[] {
  const ingest = readIngestContext(cdkJsonPath);
  if (!isRecord(ingest)) return ['dev'];
  if (isRecord(ingest.stages)) return Object.keys(ingest.stages);
  return [typeof ingest.stage === 'string' ? ingest.stage : 'dev'];
}
