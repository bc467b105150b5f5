/**
 * Postman environments (pure): the local gateway's, and a deployed stage's from the outputs file
 * `cdk deploy --outputs-file` writes. Secrets are never written: the API key and AWS credentials
 * are left empty, with a description saying where to get them.
 */
import { createHash } from 'node:crypto';
import type { AuthMode, IngestConfig } from '../config/ingest-config';
import { localBaseUrl } from './collection';
import type { PostmanEnvironment } from './types';

type Value = PostmanEnvironment['values'][number];

const value = (key: string, v: string, description?: string, secret = false): Value => ({
  key,
  value: v,
  type: secret ? 'secret' : 'default',
  enabled: true,
  ...(description === undefined ? {} : { description }),
});

/** A stable id from the name, in the UUID form Postman expects. */
function idFor(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function environment(name: string, values: Value[]): PostmanEnvironment {
  return { id: idFor(name), name, values, _postman_variable_scope: 'environment' };
}

function credentialValues(auth: AuthMode, apiKeyDescription: string, iamDescription: string): Value[] {
  if (auth === 'apiKey') return [value('apiKey', '', apiKeyDescription, true)];
  if (auth === 'iam') {
    return [
      value('awsAccessKeyId', '', iamDescription, true),
      value('awsSecretAccessKey', '', iamDescription, true),
      value('awsSessionToken', '', 'Only for temporary credentials; leave empty otherwise.', true),
    ];
  }
  return [];
}

export function localEnvironment(config: IngestConfig): PostmanEnvironment {
  return environment('Kinesis Ingest API: local (npm start)', [
    value('baseUrl', localBaseUrl(config.stage), 'The local gateway started by npm start.'),
    ...credentialValues(
      config.auth,
      'Paste the API key that `npm start` prints (or start it with `npm start -- --api-key <value>`).',
      'Paste the IAM signing key that `npm start -- --auth iam` prints (access key id / secret).',
    ),
    value('streamName', config.streams[0].name, 'A configured stream.'),
    value('awsRegion', 'us-east-1', 'The region the local gateway signs for.'),
  ]);
}

export interface StackOutputs {
  readonly stackName: string;
  readonly apiUrl: string;
  readonly streamNames: readonly string[];
  readonly region?: string;
  readonly apiKeyId?: string;
}

/**
 * The outputs of the stack in a `cdk deploy --outputs-file` file: `{ "<StackName>": { "ApiUrl": …,
 * "StreamNames": "a,b", "Region": …, "ApiKeyId": … } }`. With several stacks, name one.
 */
export function readStackOutputs(file: unknown, stackName?: string): StackOutputs {
  if (typeof file !== 'object' || file === null || Array.isArray(file))
    throw new Error('The outputs file is not a JSON object of stacks (write it with cdk deploy --outputs-file <file>)');
  const stacks = Object.entries(file as Record<string, unknown>).filter(
    ([name, outputs]) =>
      (stackName === undefined || name === stackName) &&
      typeof outputs === 'object' &&
      outputs !== null &&
      typeof (outputs as Record<string, unknown>).ApiUrl === 'string',
  );
  if (stacks.length === 0) {
    throw new Error(
      `No stack${stackName === undefined ? '' : ` named ${stackName}`} with an ApiUrl output in the outputs file (stacks: ${Object.keys(file).join(', ') || 'none'})`,
    );
  }
  if (stacks.length > 1)
    throw new Error(
      `Several stacks have an ApiUrl output (${stacks.map(([n]) => n).join(', ')}): pick one with --stack <name>`,
    );
  const [name, raw] = stacks[0] as [string, Record<string, unknown>];
  const text = (key: string): string | undefined =>
    typeof raw[key] === 'string' && raw[key] !== '' ? (raw[key] as string) : undefined;
  const streamNames = (text('StreamNames') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (streamNames.length === 0)
    throw new Error(`Stack ${name} has no StreamNames output: the environment needs a stream`);
  const region = text('Region') ?? /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(text('ApiUrl') ?? '')?.[1];
  const apiKeyId = text('ApiKeyId');
  return {
    stackName: name,
    apiUrl: (text('ApiUrl') as string).replace(/\/+$/, ''),
    streamNames,
    ...(region === undefined ? {} : { region }),
    ...(apiKeyId === undefined ? {} : { apiKeyId }),
  };
}

export function deployedEnvironment(outputs: StackOutputs, auth: AuthMode): PostmanEnvironment {
  const fetchKey =
    outputs.apiKeyId === undefined
      ? 'Paste the API key of the stage: aws apigateway get-api-key --api-key <ApiKeyId output> --include-value --query value --output text'
      : `Paste the API key of the stage: aws apigateway get-api-key --api-key ${outputs.apiKeyId} --include-value --query value --output text`;
  return environment(`Kinesis Ingest API: ${outputs.stackName}`, [
    value('baseUrl', outputs.apiUrl, `The ApiUrl output of ${outputs.stackName}.`),
    ...credentialValues(
      auth,
      fetchKey,
      'Credentials of an IAM principal allowed execute-api:Invoke on this API (aws configure export-credentials prints them).',
    ),
    value('streamName', outputs.streamNames[0], `One of the StreamNames output: ${outputs.streamNames.join(', ')}.`),
    value('awsRegion', outputs.region ?? 'us-east-1', 'The region of the stack.'),
  ]);
}
