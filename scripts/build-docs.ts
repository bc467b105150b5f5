/**
 * `npm run docs`: a self-contained HTML reference of the API at build/docs/index.html (no CDN, no
 * telemetry), made from the rendered spec without its x-amazon-apigateway-* extensions. The local
 * gateway serves it at /docs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
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
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js'), 'build-docs', specFile, '--output', page, '--inlineBundle', '--title', String((spec.info as { title?: string }).title ?? 'API'), '--config', join(root, 'redocly.yaml')],
    { cwd: root, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
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
