import { ConfigError, configuredStages, loadConfig, parseConfig } from '../../config/ingest-config';

/** The problems parseConfig lists for a configuration, or none. */
function problemsOf(raw: unknown, overrides: Record<string, unknown> = {}): readonly string[] {
  try {
    parseConfig(raw, overrides);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
}

const EXISTING_ARN = 'arn:aws:kinesis:eu-west-1:111122223333:stream/orders-prod';
const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('parseConfig', () => {
  test('fills defaults for an empty configuration', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      stage: 'dev',
      stageKind: 'development',
      auth: 'apiKey',
      logRetentionDays: 14,
      manageAccountCloudWatchRole: true,
    });
    expect(config.streams).toEqual([
      {
        name: 'ingest-events',
        physicalName: 'ingest-events-dev',
        mode: 'PROVISIONED',
        shardCount: 1,
        retentionHours: 24,
        maxRecordSizeKiB: 1024,
      },
    ]);
    expect(config.corsAllowOrigin).toBeUndefined();
  });

  test('reads a full configuration', () => {
    const config = parseConfig({
      stage: 'prod',
      stageKind: 'production',
      auth: 'iam',
      streams: [{ name: 'clicks', mode: 'ON_DEMAND', retentionHours: 168, maxRecordSizeKiB: 10240 }],
      corsAllowOrigin: 'https://app.example.com',
      alarmTopicArn: 'arn:aws:sns:eu-west-1:111122223333:alarms',
      manageAccountCloudWatchRole: false,
    });
    expect(config).toMatchObject({
      stage: 'prod',
      stageKind: 'production',
      auth: 'iam',
      logRetentionDays: 365,
      corsAllowOrigin: 'https://app.example.com',
      manageAccountCloudWatchRole: false,
    });
    expect(config.streams).toEqual([
      { name: 'clicks', physicalName: 'clicks-prod', mode: 'ON_DEMAND', retentionHours: 168, maxRecordSizeKiB: 10240 },
    ]);
  });

  test('command-line overrides win over the file', () => {
    expect(
      parseConfig({ stage: 'dev', auth: 'apiKey' }, { stage: 'qa', auth: 'none', stageKind: undefined }),
    ).toMatchObject({ stage: 'qa', auth: 'none' });
  });

  test('lists every problem at once, each naming its field', () => {
    expect(
      problemsOf({
        stage: 'no spaces',
        auth: 'oauth',
        streams: [{ name: 'bad/name' }, { name: 'x', mode: 'ON_DEMAND', shardCount: 2 }],
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^stage is "no spaces"/),
        expect.stringMatching(/^auth is "oauth": use one of apiKey, iam, none/),
        expect.stringMatching(/^streams\[0\]\.name is "bad\/name"/),
        expect.stringMatching(/^streams\[1\]\.shardCount must be left out for an ON_DEMAND stream/),
      ]),
    );
  });

  test('names a misspelt setting instead of ignoring it', () => {
    expect(problemsOf({ retention: 7, streams: [{ name: 'a', shards: 2 }], stages: { dev: { throtle: {} } } })).toEqual(
      [
        expect.stringMatching(/^retention is not a setting: use stage, stages, stageKind, auth, streams/),
        expect.stringMatching(/^stages\.dev\.throtle is not a setting/),
        expect.stringMatching(/^streams\[0\]\.shards is not a setting: use name, physicalName, streamArn/),
      ],
    );
  });

  test('rejects repeated stream names', () => {
    expect(() => parseConfig({ streams: [{ name: 'a' }, { name: 'a' }] })).toThrow(
      /streams names must be unique: a repeated/,
    );
  });

  test('rejects an empty stream list', () => {
    expect(() => parseConfig({ streams: [] })).toThrow(/streams must be a non-empty list/);
  });

  test('rejects more than one CORS origin, saying why', () => {
    expect(() => parseConfig({ corsAllowOrigin: 'https://a.example, https://b.example' })).toThrow(/use one origin/);
  });

  test('rejects a log retention CloudWatch does not offer', () => {
    expect(() => parseConfig({ logRetentionDays: 10 })).toThrow(
      /logRetentionDays is 10: CloudWatch Logs accepts 1, 3, 5/,
    );
  });

  test('rejects a usage plan rate above the stage rate', () => {
    expect(() =>
      parseConfig({
        throttle: { rateLimit: 10, burstLimit: 10 },
        usagePlan: { throttle: { rateLimit: 50, burstLimit: 50 } },
      }),
    ).toThrow(/usagePlan\.throttle\.rateLimit \(50\) is above the stage's throttle\.rateLimit \(10\)/);
  });

  test('takes a maximum record size from Kinesis default to its largest', () => {
    expect(parseConfig({ streams: [{ name: 'big', maxRecordSizeKiB: 10240 }] }).streams[0].maxRecordSizeKiB).toBe(
      10240,
    );
    expect(
      problemsOf({
        streams: [
          { name: 'a', maxRecordSizeKiB: 512 },
          { name: 'b', maxRecordSizeKiB: 10241 },
        ],
      }),
    ).toEqual([
      'streams[0].maxRecordSizeKiB is 512: use a whole number from 1024 to 10240',
      'streams[1].maxRecordSizeKiB is 10241: use a whole number from 1024 to 10240',
    ]);
  });

  test('takes a read bound of 1 to 10000 records, absent unless given', () => {
    expect(parseConfig({ streams: [{ name: 'small', maxRecordsPerRead: 1000 }] }).streams[0].maxRecordsPerRead).toBe(
      1000,
    );
    expect(parseConfig({}).streams[0]).not.toHaveProperty('maxRecordsPerRead');
    expect(
      problemsOf({
        streams: [
          { name: 'a', maxRecordsPerRead: 0 },
          { name: 'b', maxRecordsPerRead: 10001 },
        ],
      }),
    ).toEqual([
      'streams[0].maxRecordsPerRead is 0: use a whole number from 1 to 10000',
      'streams[1].maxRecordsPerRead is 10001: use a whole number from 1 to 10000',
    ]);
  });
});

describe('stages', () => {
  const shared = {
    stage: 'dev',
    auth: 'apiKey',
    streams: [
      { name: 'events', shardCount: 1, retentionHours: 24 },
      { name: 'audit', mode: 'ON_DEMAND' },
    ],
    throttle: { rateLimit: 500, burstLimit: 1000 },
    usagePlan: { throttle: { rateLimit: 100, burstLimit: 200 }, quota: { limit: 1000, period: 'DAY' } },
    manageAccountCloudWatchRole: false,
    stages: {
      dev: { manageAccountCloudWatchRole: true },
      prod: {
        stageKind: 'production',
        auth: 'iam',
        streams: [{ name: 'events', shardCount: 4, retentionHours: 168 }, { name: 'extra' }],
        throttle: { rateLimit: 2000 },
        usagePlan: { quota: { period: 'MONTH' } },
        corsAllowOrigin: 'https://app.example.com',
      },
    },
  };

  test('the stage named in the file gets the shared settings and its own', () => {
    const dev = parseConfig(shared);
    expect(dev).toMatchObject({
      stage: 'dev',
      stageKind: 'development',
      auth: 'apiKey',
      throttle: { rateLimit: 500, burstLimit: 1000 },
      manageAccountCloudWatchRole: true,
    });
    expect(dev.streams.map((s) => [s.name, s.physicalName, s.shardCount])).toEqual([
      ['events', 'events-dev', 1],
      ['audit', 'audit-dev', undefined],
    ]);
  });

  test('another stage, selected with -c stage=prod or --stage prod, lays its settings over the shared ones', () => {
    const prod = parseConfig(shared, { stage: 'prod' });
    expect(prod).toMatchObject({
      stage: 'prod',
      stageKind: 'production',
      auth: 'iam',
      corsAllowOrigin: 'https://app.example.com',
      manageAccountCloudWatchRole: false,
      // Objects merge field by field.
      throttle: { rateLimit: 2000, burstLimit: 1000 },
      usagePlan: { throttle: { rateLimit: 100, burstLimit: 200 }, quota: { limit: 1000, period: 'MONTH' } },
      logRetentionDays: 365,
    });
    // A stream merges into the shared one of the same name; a new name is added.
    expect(prod.streams.map((s) => [s.name, s.physicalName, s.shardCount, s.retentionHours])).toEqual([
      ['events', 'events-prod', 4, 168],
      ['audit', 'audit-prod', undefined, 24],
      ['extra', 'extra-prod', 1, 24],
    ]);
  });

  test('null removes a shared value, so a stage can turn a stream ON_DEMAND', () => {
    const prod = parseConfig(
      {
        streams: [{ name: 'events', shardCount: 2 }],
        stages: { prod: { streams: [{ name: 'events', mode: 'ON_DEMAND', shardCount: null }] } },
      },
      { stage: 'prod' },
    );
    expect(prod.streams[0]).toMatchObject({ mode: 'ON_DEMAND' });
    expect(prod.streams[0].shardCount).toBeUndefined();
  });

  test("a problem in a stage's settings is named where it was written", () => {
    expect(problemsOf(shared, { stage: 'prod' })).toEqual([]);
    const broken = {
      ...shared,
      stages: {
        ...shared.stages,
        prod: {
          auth: 'oauth',
          streams: [{ name: 'audit', retentionHours: 1, shards: 2 }],
          usagePlan: { quota: { limit: -1 } },
        },
      },
    };
    expect(problemsOf(broken, { stage: 'prod' })).toEqual([
      'stages.prod.auth is "oauth": use one of apiKey, iam, none',
      expect.stringMatching(/^stages\.prod\.streams\[0\]\.shards is not a setting/),
      'stages.prod.streams[0].retentionHours is 1: use a whole number from 24 to 8760',
      'stages.prod.usagePlan.quota.limit is -1: use a whole number from 1 to 2000000000',
    ]);
    // The same settings are fine for dev, which does not use them.
    expect(problemsOf(broken)).toEqual([]);
  });

  test('a stage missing from stages is refused, so a typo does not deploy the shared settings', () => {
    expect(problemsOf(shared, { stage: 'prd' })).toEqual([
      expect.stringMatching(/^stage "prd" has no entry in stages \(dev, prod\): add stages\.prd/),
    ]);
  });

  test('stage and stages cannot be set per stage', () => {
    expect(problemsOf({ stages: { dev: { stage: 'x', stages: {} } } })).toEqual([
      expect.stringMatching(/^stages\.dev\.stage is not a setting/),
      expect.stringMatching(/^stages\.dev\.stages is not a setting/),
    ]);
  });
});

describe('physical stream names', () => {
  test('an explicit physicalName wins over <name>-<stage>', () => {
    expect(parseConfig({ streams: [{ name: 'events', physicalName: 'legacy-events' }] }).streams[0]).toMatchObject({
      name: 'events',
      physicalName: 'legacy-events',
    });
  });

  test('two entries may not address one Kinesis stream', () => {
    expect(
      problemsOf({
        streams: [
          { name: 'a', physicalName: 'x' },
          { name: 'b', physicalName: 'x' },
        ],
      }),
    ).toEqual(['streams physical names must be unique: x repeated (physicalName or streamArn)']);
  });

  test('a name too long to take the stage asks for a physicalName', () => {
    expect(problemsOf({ streams: [{ name: 'n'.repeat(126) }] })).toEqual([
      expect.stringMatching(
        /^streams\[0\]\.name with the stage makes the stream name "n+-dev", over 128 characters: set physicalName$/,
      ),
    ]);
  });
});

describe('an existing stream', () => {
  test('takes its physical name from its ARN', () => {
    const [stream] = parseConfig({
      streams: [{ name: 'orders', streamArn: EXISTING_ARN, kmsKeyArn: KEY_ARN }],
    }).streams;
    expect(stream).toMatchObject({
      name: 'orders',
      physicalName: 'orders-prod',
      streamArn: EXISTING_ARN,
      kmsKeyArn: KEY_ARN,
    });
  });

  test('refuses what cannot work, naming each field', () => {
    expect(
      problemsOf({
        streams: [
          { name: 'a', streamArn: 'arn:aws:kinesis:eu-west-1:111122223333:orders' },
          { name: 'b', kmsKeyArn: KEY_ARN },
          { name: 'c', streamArn: EXISTING_ARN, physicalName: 'other' },
          {
            name: 'd',
            streamArn: 'arn:aws:kinesis:us-east-1:111122223333:stream/d',
            kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:alias/mine',
          },
          { name: 'e', streamArn: 'arn:aws:kinesis:us-east-1:111122223333:stream/e', kmsKeyArn: KEY_ARN },
        ],
      }),
    ).toEqual([
      expect.stringMatching(
        /^streams\[0\]\.streamArn is "arn:aws:kinesis:eu-west-1:111122223333:orders": use a Kinesis stream ARN/,
      ),
      expect.stringMatching(/^streams\[1\]\.kmsKeyArn is only for an existing stream \(streamArn\)/),
      expect.stringMatching(
        /^streams\[2\]\.physicalName is "other" but streamArn names "orders-prod": leave physicalName out/,
      ),
      expect.stringMatching(/^streams\[3\]\.kmsKeyArn is ".*alias\/mine": use a KMS key ARN, .* \(not an alias\)/),
      expect.stringMatching(/^streams\[4\]\.kmsKeyArn is in another Region than the stream/),
      expect.stringMatching(
        /^streams' streamArn values are in 2 accounts or Regions: the API reaches streams of its own account and Region only/,
      ),
    ]);
  });
});

describe("the project's cdk.json", () => {
  test('every stage is valid', () => {
    for (const stage of configuredStages()) expect(() => loadConfig({ stage })).not.toThrow();
  });

  test('defines dev and prod, and at most one of them manages the account-wide CloudWatch role', () => {
    expect(configuredStages()).toEqual(expect.arrayContaining(['dev', 'prod']));
    expect(configuredStages().filter((stage) => loadConfig({ stage }).manageAccountCloudWatchRole)).toHaveLength(1);
  });

  test('each stage addresses streams of its own', () => {
    const names = configuredStages().flatMap((stage) => loadConfig({ stage }).streams.map((s) => s.physicalName));
    expect(new Set(names).size).toBe(names.length);
  });
});
