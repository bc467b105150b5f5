/**
 * `npm run docs`: a self-contained HTML reference of the API at build/docs/index.html (no CDN, no
 * telemetry), made from the rendered spec without its x-amazon-apigateway-* extensions. The local
 * gateway serves it at /docs.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../infra/config';
import { bundleSpec, LOCAL_FACTS, renderSpec, stripGatewayExtensions } from '../lib/spec';

export const DOCS_DIR = join(__dirname, '..', 'build', 'docs');

export async function buildDocs(outDir: string = DOCS_DIR): Promise<string> {
  const spec = stripGatewayExtensions(renderSpec(await bundleSpec(), loadConfig(), LOCAL_FACTS));
  mkdirSync(outDir, { recursive: true });
  const specFile = join(outDir, 'openapi.json');
  const page = join(outDir, 'index.html');
  writeFileSync(specFile, JSON.stringify(spec, null, 2));
  const root = join(__dirname, '..');
  await promisify(execFile)(
    process.execPath,
    [join(root, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js'), 'build-docs', specFile, '--output', page, '--inlineBundle', '--title', String((spec.info as { title?: string }).title ?? 'API'), '--config', join(root, 'redocly.yaml')],
    { cwd: root, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
  );
  // Redoc's sidebar attribution loads its logo from cdn.redoc.ly: an inline SVG keeps the page offline.
  writeFileSync(page, readFileSync(page, 'utf8').replace(/https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g, 'data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/2000/svg%22%20width=%2246%22%20height=%2214%22%3E%3Ctext%20x=%220%22%20y=%2211%22%20font-size=%2211%22%20font-family=%22sans-serif%22%3ERedocly%3C/text%3E%3C/svg%3E'));
  return page;
}

if (require.main === module) {
  buildDocs().then(
    (page) => process.stdout.write(`Docs written to ${page}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
