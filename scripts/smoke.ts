/**
 * The first-deploy check, after `cdk deploy --outputs-file build/cdk-outputs.json`:
 *
 *   npm run smoke -- --stack-outputs build/cdk-outputs.json [--stack <name>] [--api-key <value>]
 *   npm run smoke -- --url http://127.0.0.1:4010/dev --api-key <value>      (against npm start)
 *
 * The API key may also come from API_KEY; with IAM auth, credentials come from the default AWS
 * chain (or --access-key-id/--secret-access-key for the local gateway). The auth mode and CORS
 * origin are the configuration's (cdk.json, -c style overrides with --auth). Exits 1 if a check fails.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { loadConfig } from '../config/ingest-config';
import { readStackOutputs } from '../postman';
import { runSmoke, type AwsCredentials, type SmokeTarget } from '../smoke/checks';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'stack-outputs': { type: 'string' },
      stack: { type: 'string' },
      url: { type: 'string' },
      'api-key': { type: 'string' },
      auth: { type: 'string' },
      stage: { type: 'string' },
      region: { type: 'string' },
      'access-key-id': { type: 'string' },
      'secret-access-key': { type: 'string' },
    },
    strict: true,
  });
  const config = loadConfig({ auth: values.auth, stage: values.stage });
  let baseUrl: string;
  let region = values.region ?? 'us-east-1';
  let apiKeyId: string | undefined;
  if (values['stack-outputs'] !== undefined) {
    const outputs = readStackOutputs(JSON.parse(readFileSync(values['stack-outputs'], 'utf8')), values.stack);
    baseUrl = outputs.apiUrl;
    region = values.region ?? outputs.region ?? region;
    apiKeyId = outputs.apiKeyId;
  } else if (values.url !== undefined) {
    baseUrl = values.url.replace(/\/+$/, '');
  } else {
    throw new Error('Give --stack-outputs <file> (from cdk deploy --outputs-file) or --url <stage URL>');
  }
  const apiKey = values['api-key'] ?? process.env.API_KEY;
  if (config.auth === 'apiKey' && apiKey === undefined) {
    throw new Error(
      `apiKey auth: give the key with --api-key or API_KEY (aws apigateway get-api-key --api-key ${apiKeyId ?? '<ApiKeyId output>'} --include-value --query value --output text)`,
    );
  }
  let credentials: AwsCredentials | undefined;
  if (config.auth === 'iam') {
    credentials =
      values['access-key-id'] !== undefined && values['secret-access-key'] !== undefined
        ? { accessKeyId: values['access-key-id'], secretAccessKey: values['secret-access-key'] }
        : await defaultProvider()();
  }
  const target: SmokeTarget = {
    baseUrl,
    region,
    ...(config.auth === 'apiKey' ? { apiKey } : {}),
    ...(credentials === undefined ? {} : { credentials }),
  };
  const results = await runSmoke(target, config);
  for (const r of results) process.stdout.write(`${r.ok ? 'PASS' : 'FAIL'}  ${r.check}: ${r.detail}\n`);
  if (results.some((r) => !r.ok)) process.exit(1);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
