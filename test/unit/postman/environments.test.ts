import { parseConfig } from '../../../config/ingest-config';
import { deployedEnvironment, localEnvironment, readStackOutputs } from '../../../postman';

const valuesOf = (env: { values: Array<{ key: string; value: string }> }): Record<string, string> =>
  Object.fromEntries(env.values.map((v) => [v.key, v.value]));

const OUTPUTS = {
  'KinesisIngest-dev': {
    ApiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/dev/',
    ApiId: 'abc123',
    StageName: 'dev',
    StreamNames: 'clicks,logs',
    Region: 'eu-west-1',
    ApiKeyId: 'k3y1d',
  },
};

describe('local environment', () => {
  test('points at the local gateway of the stage with the first stream and us-east-1', () => {
    const env = localEnvironment(parseConfig({ stage: 'qa', streams: [{ name: 'clicks' }, { name: 'logs' }] }));
    expect(valuesOf(env)).toEqual({
      baseUrl: 'http://127.0.0.1:4010/qa',
      apiKey: '',
      streamName: 'clicks',
      awsRegion: 'us-east-1',
    });
    expect(env._postman_variable_scope).toBe('environment');
  });

  test('says where the API key comes from', () => {
    const env = localEnvironment(parseConfig({}));
    expect(env.values.find((v) => v.key === 'apiKey')?.description).toMatch(/npm start/);
  });

  test('has AWS credential variables, empty, in iam mode', () => {
    const values = valuesOf(localEnvironment(parseConfig({ auth: 'iam' })));
    expect(values).toMatchObject({ awsAccessKeyId: '', awsSecretAccessKey: '', awsRegion: 'us-east-1' });
    expect(values).not.toHaveProperty('apiKey');
  });
});

describe('stack outputs', () => {
  test('reads ApiUrl (without its trailing slash), streams, region and key id', () => {
    expect(readStackOutputs(OUTPUTS)).toEqual({
      stackName: 'KinesisIngest-dev',
      apiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/dev',
      streamNames: ['clicks', 'logs'],
      region: 'eu-west-1',
      apiKeyId: 'k3y1d',
    });
  });

  test('fails when no stack has an ApiUrl output', () => {
    expect(() => readStackOutputs({ Other: { Foo: 'bar' } })).toThrow(
      /No stack with an ApiUrl output in the outputs file \(stacks: Other\)/,
    );
  });

  test('asks to pick a stack when several have an ApiUrl', () => {
    const two = { ...OUTPUTS, 'KinesisIngest-prod': { ...OUTPUTS['KinesisIngest-dev'] } };
    expect(() => readStackOutputs(two)).toThrow(/pick one with --stack/);
    expect(readStackOutputs(two, 'KinesisIngest-prod').stackName).toBe('KinesisIngest-prod');
  });

  test('fails without StreamNames', () => {
    expect(() => readStackOutputs({ S: { ApiUrl: 'https://x.execute-api.eu-west-1.amazonaws.com/dev/' } })).toThrow(
      /no StreamNames output/,
    );
  });
});

describe('deployed environment', () => {
  test('points at the ApiUrl with the first stream and the stack region', () => {
    expect(valuesOf(deployedEnvironment(readStackOutputs(OUTPUTS), 'apiKey'))).toEqual({
      baseUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/dev',
      apiKey: '',
      streamName: 'clicks',
      awsRegion: 'eu-west-1',
    });
  });

  test('never writes the API key, and gives the command that fetches it', () => {
    const env = deployedEnvironment(readStackOutputs(OUTPUTS), 'apiKey');
    const apiKey = env.values.find((v) => v.key === 'apiKey')!;
    expect(apiKey.value).toBe('');
    expect(apiKey.description).toContain(
      'aws apigateway get-api-key --api-key k3y1d --include-value --query value --output text',
    );
  });
});
