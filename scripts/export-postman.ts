/**
 * `npm run postman`: a Postman collection of the API and its environments, in build/postman/.
 *
 *   npm run postman                                          collection + local environment
 *   npm run postman -- --stack-outputs build/cdk-outputs.json   + the deployed stage's environment
 *   options: --stack <name> (with several stacks in the outputs file), --auth apiKey|iam|none,
 *            --stage <name>, --out <dir>
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/ingest-config';
import { exportPostman, readStackOutputs, type StackOutputs } from '../postman';

const USAGE =
  'Usage: npm run postman -- [--stack-outputs <cdk-outputs.json> [--stack <name>]] [--auth apiKey|iam|none] [--stage <name>] [--out <dir>]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'stack-outputs': { type: 'string' },
      stack: { type: 'string' },
      auth: { type: 'string' },
      stage: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = loadConfig({ auth: values.auth, stage: values.stage });
  let stackOutputs: StackOutputs | undefined;
  if (values['stack-outputs'] !== undefined) {
    const file = resolve(values['stack-outputs']);
    stackOutputs = readStackOutputs(JSON.parse(readFileSync(file, 'utf8')), values.stack);
  }
  const files = await exportPostman({
    config,
    ...(values.out === undefined ? {} : { outDir: resolve(values.out) }),
    ...(stackOutputs === undefined ? {} : { stackOutputs }),
  });
  const lines = [`Postman collection: ${files.collection}`, `Local environment:  ${files.localEnvironment}`];
  if (files.deployedEnvironment !== undefined)
    lines.push(
      `Deployed environment: ${files.deployedEnvironment} (paste the API key or credentials into it; they are not written)`,
    );
  lines.push(
    '',
    `Run it: npx newman run ${files.collection} -e ${files.deployedEnvironment ?? files.localEnvironment} --env-var apiKey=<key>`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(2);
});
