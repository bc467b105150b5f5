/**
 * The integrations address each stream by its Kinesis name, while clients keep calling it by its
 * API name (pure): every request template that passes the `{stream-name}` path parameter to
 * Kinesis looks it up in a map of API name -> Kinesis name first. Velocity map literals are part
 * of Velocity 1.7, the language API Gateway's mapping templates use
 * (Velocity 1.7 user guide, "set": https://velocity.apache.org/engine/1.7/user-guide.html).
 *
 * Interim: issue 9's renderer expands `{stream-name}` into one resource per configured stream with
 * the Kinesis name fixed in its integration; once that is in, this step has nothing left to do.
 */
import type { StreamConfig } from '../../infra/config';
import { isJsonObject, listOperations, type JsonObject, type OpenApiDocument } from './document';

const STREAM_NAME_PARAMETER = "$input.params('stream-name')";

function mapLiteral(streams: readonly StreamConfig[]): string {
  return `{${streams.map((s) => `${JSON.stringify(s.name)}: ${JSON.stringify(s.physicalName)}`).join(', ')}}`;
}

export function addressPhysicalStreams(doc: OpenApiDocument, streams: readonly StreamConfig[]): OpenApiDocument {
  if (streams.every((s) => s.name === s.physicalName)) return doc;
  const lookup =
    `#set($physicalStreamNames = ${mapLiteral(streams)})\n` +
    `#set($physicalStreamName = $physicalStreamNames.get(${STREAM_NAME_PARAMETER}))\n`;
  const copy = structuredClone(doc);
  for (const { operation } of listOperations(copy)) {
    const integration = operation['x-amazon-apigateway-integration'];
    if (!isJsonObject(integration) || !isJsonObject(integration.requestTemplates)) continue;
    const templates: JsonObject = integration.requestTemplates;
    for (const [contentType, template] of Object.entries(templates)) {
      if (typeof template === 'string' && template.includes(STREAM_NAME_PARAMETER)) {
        templates[contentType] = lookup + template.split(STREAM_NAME_PARAMETER).join('$physicalStreamName');
      }
    }
  }
  return copy;
}
