/**
 * The integrations address each stream by its Kinesis name while clients keep calling it, and
 * reading it back, by its API name (pure): a request template that passes the `{stream-name}` path
 * parameter to Kinesis looks it up in a map of API name -> Kinesis name first, and a response
 * template that shows Kinesis's `StreamName` maps it back. Velocity map literals are part of
 * Velocity 1.7, the language of API Gateway's mapping templates (Velocity 1.7 user guide, "#set":
 * https://velocity.apache.org/engine/1.7/user-guide.html).
 *
 * Interim: issue 9's renderer expands `{stream-name}` into one resource per configured stream with
 * the Kinesis name fixed in its integration; once that is in, this step has nothing left to do.
 */
import type { StreamConfig } from '../../infra/config';
import { isJsonObject, listOperations, type JsonObject, type OpenApiDocument } from './document';

const STREAM_NAME_PARAMETER = "$input.params('stream-name')";
/** `$s.StreamName` and the like: a stream name read from Kinesis's answer. */
const KINESIS_STREAM_NAME = /\$([A-Za-z][A-Za-z0-9]*)\.StreamName\b/g;

function mapLiteral(pairs: ReadonlyArray<readonly [string, string]>): string {
  return `{${pairs.map(([from, to]) => `${JSON.stringify(from)}: ${JSON.stringify(to)}`).join(', ')}}`;
}

/** Rewrites each template of `templates` (a requestTemplates or responseTemplates object) with `rewrite`. */
function rewriteTemplates(templates: JsonObject, rewrite: (template: string) => string): void {
  for (const [contentType, template] of Object.entries(templates)) {
    if (typeof template === 'string') templates[contentType] = rewrite(template);
  }
}

export function addressPhysicalStreams(doc: OpenApiDocument, streams: readonly StreamConfig[]): OpenApiDocument {
  if (streams.every((s) => s.name === s.physicalName)) return doc;
  const toKinesis =
    `#set($physicalStreamNames = ${mapLiteral(streams.map((s) => [s.name, s.physicalName]))})\n` +
    `#set($physicalStreamName = $physicalStreamNames.get(${STREAM_NAME_PARAMETER}))\n`;
  const toApi = `#set($apiStreamNames = ${mapLiteral(streams.map((s) => [s.physicalName, s.name]))})\n`;

  const copy = structuredClone(doc);
  for (const { operation } of listOperations(copy)) {
    const integration = operation['x-amazon-apigateway-integration'];
    if (!isJsonObject(integration)) continue;
    if (isJsonObject(integration.requestTemplates)) {
      rewriteTemplates(integration.requestTemplates, (t) => (t.includes(STREAM_NAME_PARAMETER) ? toKinesis + t.split(STREAM_NAME_PARAMETER).join('$physicalStreamName') : t));
    }
    const responses = isJsonObject(integration.responses) ? Object.values(integration.responses) : [];
    for (const response of responses) {
      if (!isJsonObject(response) || !isJsonObject(response.responseTemplates)) continue;
      rewriteTemplates(response.responseTemplates, (t) => (t.search(KINESIS_STREAM_NAME) !== -1 ? toApi + t.replace(KINESIS_STREAM_NAME, '$!apiStreamNames.get($$$1.StreamName)') : t));
    }
  }
  return copy;
}
