import { ConfigError, loadConfig, parseConfig } from '../../infra/config';

describe('parseConfig', () => {
  test('fills defaults for an empty configuration', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ stage: 'dev', stageKind: 'development', auth: 'apiKey', logRetentionDays: 14 });
    expect(config.streams).toEqual([{ name: 'ingest-events', mode: 'PROVISIONED', shardCount: 1, retentionHours: 24 }]);
    expect(config.corsAllowOrigin).toBeUndefined();
  });

  test('reads a full configuration', () => {
    const config = parseConfig({
      stage: 'prod',
      stageKind: 'production',
      auth: 'iam',
      streams: [{ name: 'clicks', mode: 'ON_DEMAND', retentionHours: 168 }],
      corsAllowOrigin: 'https://app.example.com',
      alarmTopicArn: 'arn:aws:sns:eu-west-1:111122223333:alarms',
    });
    expect(config).toMatchObject({ stage: 'prod', stageKind: 'production', auth: 'iam', logRetentionDays: 365, corsAllowOrigin: 'https://app.example.com' });
    expect(config.streams).toEqual([{ name: 'clicks', mode: 'ON_DEMAND', retentionHours: 168 }]);
  });

  test('command-line overrides win over the file', () => {
    expect(parseConfig({ stage: 'dev', auth: 'apiKey' }, { stage: 'qa', auth: 'none', stageKind: undefined }).stage).toBe('qa');
  });

  test('lists every problem at once, each naming its field', () => {
    let thrown: unknown;
    try {
      parseConfig({ stage: 'no spaces', auth: 'oauth', streams: [{ name: 'bad/name' }, { name: 'x', mode: 'ON_DEMAND', shardCount: 2 }] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const problems = (thrown as ConfigError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^stage is "no spaces"/),
        expect.stringMatching(/^auth is "oauth": use one of apiKey, iam, none/),
        expect.stringMatching(/^streams\[0\]\.name is "bad\/name"/),
        expect.stringMatching(/^streams\[1\]\.shardCount must be left out for an ON_DEMAND stream/),
      ]),
    );
  });

  test('rejects repeated stream names', () => {
    expect(() => parseConfig({ streams: [{ name: 'a' }, { name: 'a' }] })).toThrow(/streams names must be unique: a repeated/);
  });

  test('rejects an empty stream list', () => {
    expect(() => parseConfig({ streams: [] })).toThrow(/streams must be a non-empty list/);
  });

  test('rejects more than one CORS origin, saying why', () => {
    expect(() => parseConfig({ corsAllowOrigin: 'https://a.example, https://b.example' })).toThrow(/use one origin/);
  });

  test('rejects a log retention CloudWatch does not offer', () => {
    expect(() => parseConfig({ logRetentionDays: 10 })).toThrow(/logRetentionDays is 10: CloudWatch Logs accepts 1, 3, 5/);
  });

  test('rejects a usage plan rate above the stage rate', () => {
    expect(() => parseConfig({ throttle: { rateLimit: 10, burstLimit: 10 }, usagePlan: { throttle: { rateLimit: 50, burstLimit: 50 } } })).toThrow(
      /usagePlan\.throttle\.rateLimit \(50\) is above the stage's throttle\.rateLimit \(10\)/,
    );
  });

  test("the project's cdk.json is valid", () => {
    expect(() => loadConfig()).not.toThrow();
  });
});
