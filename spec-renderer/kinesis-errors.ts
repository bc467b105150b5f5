/**
 * Adds what every Kinesis operation repeats (pure), as cors.ts adds CORS: the root's
 * `x-kinesis-operation-errors` (openapi/openapi.yaml) says which error method responses every
 * operation with an `aws` integration has (and, with a request body, the body's own), and which
 * integration responses select Kinesis's errors. Each operation keeps what it declares itself
 * (a 410 of its own, a status it describes differently); the extension itself is dropped.
 */
import { isJsonObject, mapOperations, type JsonObject, type OpenApiDocument } from './document';

export const KINESIS_ERRORS_EXTENSION = 'x-kinesis-operation-errors';

/** Status codes ascending (as the path files list them), anything else after them. */
function byStatus(responses: JsonObject): JsonObject {
  const rank = (code: string): number => (/^\d{3}$/.test(code) ? Number(code) : 1000);
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => rank(a) - rank(b)));
}

const objectAt = (node: JsonObject, key: string): JsonObject => (isJsonObject(node[key]) ? node[key] : {});

export function addKinesisErrors(doc: OpenApiDocument): OpenApiDocument {
  const { [KINESIS_ERRORS_EXTENSION]: raw, ...rest } = doc;
  if (!isJsonObject(raw)) return doc;
  const responses = objectAt(raw, 'responses');
  const bodyResponses = objectAt(raw, 'bodyResponses');
  const integrationResponses = objectAt(raw, 'integrationResponses');
  return mapOperations({ ...rest, paths: doc.paths }, (operation) => {
    const integration = operation['x-amazon-apigateway-integration'];
    if (!isJsonObject(integration) || integration.type !== 'aws') return operation;
    const shared = operation.requestBody === undefined ? responses : { ...responses, ...bodyResponses };
    return {
      ...operation,
      responses: byStatus(withShared(objectAt(operation, 'responses'), shared)),
      'x-amazon-apigateway-integration': {
        ...integration,
        responses: withShared(objectAt(integration, 'responses'), integrationResponses),
      },
    };
  });
}

/** `own`, then a copy of each entry of `shared` that `own` does not have: an operation's own choice wins. */
function withShared(own: JsonObject, shared: JsonObject): JsonObject {
  return { ...own, ...structuredClone(Object.fromEntries(Object.entries(shared).filter(([key]) => !(key in own)))) };
}
