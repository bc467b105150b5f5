/**
 * `npm run --silent vtl -- --template <file> --request <file>`: prints exactly what the template
 * renders for the request (local/template-cli.ts describes the request file); errors go to stderr,
 * with exit code 2.
 */
import { runTemplateCli } from '../local/template-cli';

const result = runTemplateCli(process.argv.slice(2), process.cwd());
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.status;
