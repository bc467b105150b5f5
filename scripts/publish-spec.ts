/** `npm run spec`: writes the published spec to build/openapi.json and build/openapi.yaml. */
import { writePublishedSpec } from '../docs-site/published-files';

writePublishedSpec().then(
  (files) => process.stdout.write(`Published spec written to ${files.json} and ${files.yaml}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
