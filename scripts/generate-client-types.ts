/**
 * `npm run client:types`: regenerates client/api-types.ts from the published spec.
 * `--stdout` prints the generated source instead (the up-to-date test compares it with the file).
 */
import { writeFileSync } from 'node:fs';
import { API_TYPES_FILE, generateApiTypes } from '../client/generate-types';

generateApiTypes().then(
  (source) => {
    if (process.argv.includes('--stdout')) {
      process.stdout.write(source);
      return;
    }
    writeFileSync(API_TYPES_FILE, source);
    process.stdout.write(`Client types written to ${API_TYPES_FILE}\n`);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
