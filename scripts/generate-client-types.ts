/** `npm run client:types`: regenerates client/api-types.ts from the published spec. */
import { writeFileSync } from 'node:fs';
import { API_TYPES_FILE, generateApiTypes } from '../client/generate-types';

generateApiTypes().then(
  (source) => {
    writeFileSync(API_TYPES_FILE, source);
    process.stdout.write(`Client types written to ${API_TYPES_FILE}\n`);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
