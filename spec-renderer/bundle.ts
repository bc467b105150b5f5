/**
 * Reads the split spec under openapi/ into one document that API Gateway can import.
 *
 * Schemas, parameters and responses end up under #/components (the root lists each file there, and
 * the bundler keeps the shallowest location of a repeated reference). API Gateway follows no $ref
 * inside its x-amazon-apigateway-* extensions, so every reference there (mapping templates read
 * as text from .vtl files, shared integration responses, gateway responses, the resource policy)
 * is then replaced by a copy of what it points to. The error responses every Kinesis operation
 * shares are added to each (kinesis-errors.ts) in between, so every form of the spec has them, and
 * template fragments are written in place of their `#parse` lines (template-includes.ts).
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { addKinesisErrors } from './kinesis-errors';
import { expandIncludesIn } from './template-includes';
import { isJsonObject, resolvePointer, type JsonObject, type JsonValue, type OpenApiDocument } from './document';

export const SPEC_ROOT = join(__dirname, '..', 'openapi', 'openapi.yaml');

const EXTENSION_PREFIX = 'x-amazon-apigateway-';

export async function bundleSpec(rootFile: string = SPEC_ROOT): Promise<OpenApiDocument> {
  const bundled = await SwaggerParser.bundle(rootFile, {
    resolve: { http: false },
    // Mapping templates are Velocity, not YAML: read them as text.
    parse: { text: { canParse: ['.vtl'] }, yaml: { canParse: ['.yaml', '.yml'] }, json: { canParse: ['.json'] } },
  });
  const source = bundled as unknown as OpenApiDocument;
  // References resolve in the source: the bundler may have put a shared file's one copy inside the
  // extension that addKinesisErrors drops.
  const inlined = inlineExtensionRefs(addKinesisErrors(source), source);
  const templates = join(dirname(rootFile), 'templates');
  return expandIncludesIn(inlined, (name) => readFileSync(join(templates, name), 'utf8')) as OpenApiDocument;
}

/** Copies `node`, replacing $refs found inside x-amazon-apigateway-* extensions by their targets. */
function inlineExtensionRefs(node: JsonValue, doc: JsonObject, inExtension = false): JsonValue {
  if (Array.isArray(node)) return node.map((item) => inlineExtensionRefs(item, doc, inExtension));
  if (!isJsonObject(node)) return node;
  if (inExtension && typeof node.$ref === 'string') {
    return inlineExtensionRefs(resolvePointer(doc, node.$ref), doc, true);
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = inlineExtensionRefs(value, doc, inExtension || key.startsWith(EXTENSION_PREFIX));
  }
  return out;
}
