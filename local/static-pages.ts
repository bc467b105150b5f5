/**
 * The pages the local gateway serves beside the API, outside any stage: the published spec (for
 * Postman's "Import → Link" and other tools), the docs page and its icon.
 */
import { publishedJson, publishedYaml, type OpenApiDocument } from '../spec-renderer';
import { FAVICON_SVG } from '../docs-site/favicon';
import type { StaticPage } from './gateway/http-server';

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
