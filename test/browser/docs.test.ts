/**
 * The API reference page in a real browser: built with `buildDocs`, served from 127.0.0.1 by the
 * local gateway's page map (at /docs/, with the slash a reader types), opened in headless Chromium
 * (Debian's, never a downloaded one). Redoc must render every operation, with no console or page
 * error (a missing favicon is one), no request leaving 127.0.0.1 (no CDN, no telemetry), the Read
 * tag in reading order, and none of the API Gateway implementation in the visible text.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { bundleSpec, listOperations } from '../../spec-renderer';
import { docsPages } from '../../local/static-pages';
import { buildDocs } from '../../docs-site/build-docs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = join(__dirname, '..', '..', 'build', 'screenshots', 'docs.png');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

let workDir: string;
let server: Server;
let context: BrowserContext | undefined;
let page: Page;
let pageUrl: string;
let operations: Array<{ tag: string; summary: string }>;
/** Visible text of the landing page and of every operation's page. */
let visibleText = '';
/** The menu's text once every tag is open, in display order. */
let menuText = '';
const notFound: string[] = [];
/** Summaries shown as a heading once their menu entry was clicked. */
const rendered: string[] = [];
const requested: string[] = [];
const consoleErrors: string[] = [];
const pageErrors: string[] = [];

/** Requests a self-contained page may make: to its own server, or inline data. */
function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (['data:', 'blob:', 'about:', 'file:'].includes(protocol)) return true;
  return hostname === '127.0.0.1';
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: run \`apt-get install -y chromium\` (Debian), or set CHROMIUM_PATH to a Chromium binary. .ci/run installs it.`,
    );
  }
  workDir = mkdtempSync(join(tmpdir(), 'docs-browser-'));
  const html = readFileSync(await buildDocs(join(workDir, 'docs')));
  operations = listOperations(await bundleSpec()).map(({ operation }) => ({
    tag: String((operation.tags as string[] | undefined)?.[0] ?? ''),
    summary: String(operation.summary),
  }));

  const pages = docsPages(html);
  server = createServer((req, res) => {
    const served = pages.get(req.url ?? '');
    if (served) {
      res.writeHead(200, { 'content-type': served.contentType });
      res.end(served.body);
    } else {
      notFound.push(req.url ?? '');
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/docs/`;

  context = await chromium.launchPersistentContext(join(workDir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    timeout: 30_000,
  });
  // Anything not local is recorded and refused, so the test never waits on the network.
  await context.route('**/*', (route) => (isLocal(route.request().url()) ? route.continue() : route.abort()));
  page = context.pages()[0] ?? (await context.newPage());
  page.on('request', (request) => requested.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));

  await page.goto(pageUrl, { waitUntil: 'load', timeout: 30_000 });
  // Redoc renders on the client, one tag's page at a time: wait for the menu, then open every
  // operation from it, as a reader would, and wait for its heading.
  const menu = page.locator('[data-component-name="Menu/Menu"]').first();
  await menu.waitFor({ timeout: 30_000 });
  visibleText += String(await page.evaluate('document.body.innerText'));
  mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
  await page.screenshot({ path: SCREENSHOT });
  for (const { tag, summary } of operations) {
    const entry = menu.getByText(summary, { exact: true }).first();
    // A tag's entry toggles: open it only when its operations are hidden.
    if (!(await entry.isVisible())) await menu.getByText(tag, { exact: true }).first().click({ timeout: 5_000 });
    await entry.click({ timeout: 5_000 });
    const heading = page
      .locator('h1, h2')
      .filter({ hasText: new RegExp(`^\\s*${summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) })
      .first();
    const shown = await heading.waitFor({ timeout: 5_000 }).then(
      () => true,
      () => false,
    );
    if (shown) rendered.push(summary);
    visibleText += String(await page.evaluate('document.body.innerText'));
    if (summary === 'Put one record') await page.screenshot({ path: join(SCREENSHOT, '..', 'docs-put-record.png') });
  }
  menuText = String(await menu.evaluate((element) => (element as { innerText: string }).innerText));
}, 120_000);

afterAll(async () => {
  await context?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('Redoc renders every operation of the spec, with its summary as heading', () => {
  expect(operations.length).toBeGreaterThanOrEqual(7);
  expect(rendered).toEqual(operations.map((o) => o.summary));
});

test('the page shows the API title', () => {
  expect(visibleText).toContain('Kinesis Ingest API');
});

test('no console error and no page error', () => {
  expect({ consoleErrors, pageErrors }).toEqual({ consoleErrors: [], pageErrors: [] });
});

test('no request went unanswered (the page has its icon inline; the gateway serves /favicon.ico too)', () => {
  expect(notFound).toEqual([]);
  expect(docsPages('x').get('/favicon.ico')?.contentType).toBe('image/svg+xml');
});

test('/docs and /docs/ serve the same page', () => {
  const pages = docsPages('page');
  expect(pages.get('/docs')).toEqual(pages.get('/docs/'));
});

test('the Read tag lists "Get a shard iterator" before "Read records"', () => {
  const iterator = menuText.indexOf('Get a shard iterator');
  expect(iterator).toBeGreaterThan(-1);
  expect(menuText.indexOf('Read records')).toBeGreaterThan(iterator);
});

test('no request leaves 127.0.0.1 (no CDN, no telemetry)', () => {
  expect(requested).toContain(pageUrl);
  expect(requested.filter((url) => !isLocal(url))).toEqual([]);
});

test('the visible text shows none of the API Gateway implementation', () => {
  expect(visibleText).not.toContain('x-amazon-apigateway');
  expect(visibleText).not.toContain('arn:aws:iam');
});

test('a screenshot is saved to build/screenshots/docs.png', () => {
  expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
});
