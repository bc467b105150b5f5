/**
 * `npm run --silent vtl -- --template <file> --request <file>`: prints exactly what the template
 * renders for the request, nothing else. The request file is JSON:
 * {"body": "<raw body>", "path": {}, "querystring": {}, "headers": {}, "stageVariables": {}, "context": {}},
 * every key optional; `context` entries override the generated $context values, and may preset
 * `requestOverride` / `responseOverride` (what a request template set, for a response template).
 * Any error goes to stderr, with exit code 2.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderTemplate, type TemplateRequest } from '../local/vtl';
import { expandIncludes } from '../spec-renderer';

const USAGE = 'Usage: npm run --silent vtl -- --template <file.vtl> --request <request.json>';

function read(file: string): string {
  try {
    return readFileSync(resolve(process.cwd(), file), 'utf8');
  } catch (error) {
    throw new Error(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function readRequest(file: string): TemplateRequest {
  let raw: unknown;
  try {
    raw = JSON.parse(read(file));
  } catch (error) {
    throw new Error(error instanceof SyntaxError ? `${file} is not valid JSON: ${error.message}` : (error as Error).message, { cause: error });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${file} must hold a JSON object like {"body": "...", "path": {}}`);
  const request = raw as TemplateRequest;
  if (request.body !== undefined && typeof request.body !== 'string') throw new Error(`"body" in ${file} must be the raw body as a string (JSON.stringify it)`);
  return request;
}

function main(): void {
  const { values } = parseArgs({ options: { template: { type: 'string' }, request: { type: 'string' } }, strict: true });
  if (values.template === undefined || values.request === undefined) throw new Error(`--template and --request are both needed\n${USAGE}`);
  // A shared fragment (`#parse("record-fields.vtl")`) is written in place, as the renderer does.
  const template = expandIncludes(read(values.template), (name) => read(join(dirname(values.template as string), name)));
  const request = readRequest(values.request);
  process.stdout.write(renderTemplate(template, request).output);
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
