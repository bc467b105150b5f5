/** `npm run docs`: the published spec and the HTML reference made from it, under build/. */
import { join } from 'node:path';
import { buildDocs, DOCS_DIR } from '../docs-site/build-docs';

buildDocs().then(
  (page) =>
    process.stdout.write(
      `Published spec written to ${join(DOCS_DIR, '..', 'openapi.json')} (and .yaml)\nDocs written to ${page}\n`,
    ),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
