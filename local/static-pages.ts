/**
 * The pages the local gateway serves beside the API, outside any stage: the published spec (for
 * Postman's "Import → Link" and other tools), the docs page and its icon.
 */
import { publishedJson, publishedYaml, type OpenApiDocument } from '../lib/spec';
import type { StaticPage } from './gateway/http-server';

/** The docs page's icon: served at /favicon.ico, and inlined in the page by `npm run docs`. */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#232f3e"/><path d="M8 10h16M8 16h16M8 22h10" stroke="#ff9900" stroke-width="3" stroke-linecap="round"/></svg>';

export function publishedSpecPages(spec: OpenApiDocument): Map<string, StaticPage> {
  return new Map([
    ['/openapi.json', { contentType: 'application/json; charset=utf-8', body: publishedJson(spec) }],
    ['/openapi.yaml', { contentType: 'application/yaml; charset=utf-8', body: publishedYaml(spec) }],
  ]);
}

/** The docs page at /docs and /docs/ (a browser or a reader adds the slash), and a favicon. */
export function docsPages(html: Buffer | string): Map<string, StaticPage> {
  const page: StaticPage = { contentType: 'text/html; charset=utf-8', body: html };
  return new Map([
    ['/docs', page],
    ['/docs/', page],
    ['/favicon.ico', { contentType: 'image/svg+xml', body: FAVICON_SVG }],
  ]);
}
