/**
 * `npm run --silent vtl -- --template <file> --request <file>` (scripts/vtl.ts): prints exactly
 * what the template renders for the request, nothing else. The request file is JSON:
 * {"body": "<raw body>", "path": {}, "querystring": {}, "headers": {}, "stageVariables": {}, "context": {}},
 * every key optional; `context` entries override the generated $context values, and may preset
 * `requestOverride` / `responseOverride` (what a request template set, for a response template).
 * Any error goes to stderr, with exit code 2. The run is a function of its arguments and files, so
 * it is tested in-process; scripts/vtl.ts only writes its result out.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { expandIncludes } from '../spec-renderer';
import { renderTemplate, type TemplateRequest } from './vtl';

const USAGE = 'Usage: npm run --silent vtl -- --template <file.vtl> --request <request.json>';

export interface TemplateCliResult {
  readonly status: 0 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

function read(cwd: string, file: string): string {
  try {
    return readFileSync(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new Error(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function readRequest(cwd: string, file: string): TemplateRequest {
  let raw: unknown;
  try {
    raw = JSON.parse(read(cwd, file));
  } catch (error) {
    throw new Error(
      error instanceof SyntaxError ? `${file} is not valid JSON: ${error.message}` : (error as Error).message,
      { cause: error },
    );
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new Error(`${file} must hold a JSON object like {"body": "...", "path": {}}`);
  const request = raw as TemplateRequest;
  if (request.body !== undefined && typeof request.body !== 'string')
    throw new Error(`"body" in ${file} must be the raw body as a string (JSON.stringify it)`);
  return request;
}

function render(args: readonly string[], cwd: string): string {
  const { values } = parseArgs({
    args: [...args],
    options: { template: { type: 'string' }, request: { type: 'string' } },
    strict: true,
  });
  if (values.template === undefined || values.request === undefined)
    throw new Error(`--template and --request are both needed\n${USAGE}`);
  const templateFile = values.template;
  // A shared fragment (`#parse("record-fields.vtl")`) is written in place, as the renderer does.
  const template = expandIncludes(read(cwd, templateFile), (name) => read(cwd, join(dirname(templateFile), name)));
  return renderTemplate(template, readRequest(cwd, values.request)).output;
}

/** The command's output and exit status for `args` (file names relative to `cwd`). */
export function runTemplateCli(args: readonly string[], cwd: string): TemplateCliResult {
  try {
    return { status: 0, stdout: render(args, cwd), stderr: '' };
  } catch (error) {
    return { status: 2, stdout: '', stderr: `${error instanceof Error ? error.message : String(error)}\n` };
  }
}
