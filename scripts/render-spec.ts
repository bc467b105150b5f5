/**
 * Writes the rendered spec for given deployment values, for export and import elsewhere (for
 * example the spec of a deployed stage, or a file to import into API Gateway by hand).
 *
 *   npm run render -- --region eu-west-1 --role-arn arn:aws:iam::<account>:role/<name> [--account-id <id>] [--out file.yaml|json]
 *   npm run render -- --local [--out file]        (values of the local gateway)
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { loadConfig } from '../config/ingest-config';
import { bundleSpec, LOCAL_FACTS, renderDeployedSpec, type DeploymentFacts } from '../spec-renderer';

const USAGE =
  'Usage: npm run render -- (--local | --region <region> --role-arn <arn> [--account-id <id>]) [--stage <name>] [--auth apiKey|iam|none] [--out <file.yaml|file.json>]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      local: { type: 'boolean' },
      region: { type: 'string' },
      'role-arn': { type: 'string' },
      'account-id': { type: 'string' },
      partition: { type: 'string' },
      stage: { type: 'string' },
      auth: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  });
  let facts: DeploymentFacts;
  if (values.local) {
    facts = LOCAL_FACTS;
  } else {
    if (values.region === undefined || values['role-arn'] === undefined)
      throw new Error(`--region and --role-arn are needed (or --local)\n${USAGE}`);
    const account = values['account-id'] ?? /^arn:[^:]+:iam::(\d{12}):/.exec(values['role-arn'])?.[1];
    if (account === undefined) throw new Error('--account-id is needed when --role-arn does not name the account');
    facts = {
      region: values.region,
      integrationRoleArn: values['role-arn'],
      accountId: account,
      ...(values.partition === undefined ? {} : { partition: values.partition }),
    };
  }
  const config = loadConfig({ stage: values.stage, auth: values.auth });
  const rendered = renderDeployedSpec(await bundleSpec(), config, facts);
  const text = values.out?.endsWith('.json')
    ? `${JSON.stringify(rendered, null, 2)}\n`
    : stringify(rendered, { lineWidth: 0 });
  if (values.out === undefined) process.stdout.write(text);
  else writeFileSync(values.out, text);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
