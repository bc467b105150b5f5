/**
 * `npm run docs`: the published spec (build/openapi.json and .yaml, see docs-site/published-files.ts)
 * and a self-contained HTML reference made from it at build/docs/index.html (Redoc inlined: no
 * CDN, no telemetry, no request for a favicon). The local gateway serves it at /docs and /docs/.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAVICON_SVG } from './favicon';
import { BUILD_DIR, writePublishedSpec } from './published-files';

export const DOCS_DIR = join(BUILD_DIR, 'docs');

/** The page's icon, inline, so the browser asks the server for no /favicon.ico. */
const FAVICON_LINK = `<link rel="icon" type="image/svg+xml" href="data:image/svg+xml,${encodeURIComponent(FAVICON_SVG)}">`;

/** Redoc's sidebar attribution loads its logo from cdn.redoc.ly: an inline SVG keeps the page offline. */
const REDOCLY_LOGO = /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g;
const INLINE_LOGO =
  'data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/2000/svg%22%20width=%2246%22%20height=%2214%22%3E%3Ctext%20x=%220%22%20y=%2211%22%20font-size=%2211%22%20font-family=%22sans-serif%22%3ERedocly%3C/text%3E%3C/svg%3E';

/** Builds the page into `outDir` (the published spec goes to its parent folder) and returns its path. */
export async function buildDocs(outDir: string = DOCS_DIR): Promise<string> {
  const { json, spec } = await writePublishedSpec(join(outDir, '..'));
  mkdirSync(outDir, { recursive: true });
  const page = join(outDir, 'index.html');
  const root = join(__dirname, '..');
  await promisify(execFile)(
    process.execPath,
    [
      join(root, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js'),
      'build-docs',
      json,
      '--output',
      page,
      '--inlineBundle',
      '--title',
      String((spec.info as { title?: string }).title ?? 'API'),
      '--config',
      join(root, 'redocly.yaml'),
    ],
    { cwd: root, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
  );
  const html = readFileSync(page, 'utf8')
    .replace(REDOCLY_LOGO, INLINE_LOGO)
    .replace(/<head>/i, `<head>\n  ${FAVICON_LINK}`);
  writeFileSync(page, html);
  return page;
}
