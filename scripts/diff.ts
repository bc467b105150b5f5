/**
 * `npm run diff -- --base <git ref>`: what this working tree changes in the API against a base
 * ref, by contract and by behaviour, as a Markdown report on stdout (and in --report <file>).
 * Exit 0 when nothing breaks, 1 on a breaking change (unless --allow-breaking), 2 when the diff
 * itself could not run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compareApi, exitStatus } from '../api-diff/compare-api';
import { renderReport } from '../api-diff/report';

const USAGE = 'Usage: npm run diff -- --base <git ref> [--allow-breaking] [--report <file>]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      'allow-breaking': { type: 'boolean' },
      report: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.base === undefined || values.base === '')
    throw new Error('--base <git ref> is required (a branch, tag or commit to compare with, e.g. origin/main)');
  const allowBreaking = values['allow-breaking'] === true;
  const result = await compareApi({ workingDir: join(__dirname, '..'), baseRef: values.base });
  const report = renderReport(result, { allowBreaking });
  process.stdout.write(report);
  if (values.report !== undefined) {
    const file = resolve(values.report);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, report);
  }
  return exitStatus(result, allowBreaking);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
  },
);
