/**
 * Adds CORS for one allowed origin (pure): a preflight (mock integration) on every path, and the
 * Access-Control-Allow-Origin header on every response, the gateway's own errors and Kinesis
 * errors included, so a browser can read why a request failed.
 */
import { HTTP_METHODS, isJsonObject, type JsonObject, type OpenApiDocument } from './document';

const EXPOSED_HEADERS = 'x-amzn-RequestId,X-Failed-Record-Count,Retry-After';
const ALLOWED_HEADERS = 'Content-Type,X-Api-Key,Authorization,X-Amz-Date,X-Amz-Security-Token,Shard-Iterator';

const quoted = (value: string): string => `'${value}'`;

function responseHeaders(response: JsonObject): JsonObject {
  const headers = isJsonObject(response.headers) ? response.headers : {};
  return {
    ...response,
    headers: {
      ...headers,
      'Access-Control-Allow-Origin': { schema: { type: 'string' } },
      'Access-Control-Expose-Headers': { schema: { type: 'string' } },
    },
  };
}

function withCorsParameters(integrationResponse: JsonObject, origin: string): JsonObject {
  const params = isJsonObject(integrationResponse.responseParameters) ? integrationResponse.responseParameters : {};
  return {
    ...integrationResponse,
    responseParameters: {
      ...params,
      'method.response.header.Access-Control-Allow-Origin': quoted(origin),
      'method.response.header.Access-Control-Expose-Headers': quoted(EXPOSED_HEADERS),
    },
  };
}

function preflight(methods: string[], origin: string): JsonObject {
  const allowed = [...methods, 'OPTIONS'].map((m) => m.toUpperCase()).join(',');
  const header = { schema: { type: 'string' } };
  return {
    summary: 'CORS preflight',
    description: 'Answered by API Gateway itself for browsers; needs no API key.',
    tags: ['Streams'],
    security: [],
    responses: {
      '204': {
        description: 'The methods and headers a browser may use.',
        headers: {
          'Access-Control-Allow-Origin': header,
          'Access-Control-Allow-Methods': header,
          'Access-Control-Allow-Headers': header,
          'Access-Control-Max-Age': header,
        },
      },
    },
    'x-amazon-apigateway-integration': {
      type: 'mock',
      passthroughBehavior: 'when_no_match',
      requestTemplates: { 'application/json': '{"statusCode": 204}' },
      responses: {
        default: {
          statusCode: '204',
          responseParameters: {
            'method.response.header.Access-Control-Allow-Origin': quoted(origin),
            'method.response.header.Access-Control-Allow-Methods': quoted(allowed),
            'method.response.header.Access-Control-Allow-Headers': quoted(ALLOWED_HEADERS),
            'method.response.header.Access-Control-Max-Age': quoted('600'),
          },
        },
      },
    },
  };
}

export function applyCors(doc: OpenApiDocument, origin: string): OpenApiDocument {
  const paths: JsonObject = {};
  for (const [path, rawItem] of Object.entries(doc.paths)) {
    if (!isJsonObject(rawItem)) continue;
    const item: JsonObject = { ...rawItem };
    const methods = HTTP_METHODS.filter((m) => m !== 'options' && isJsonObject(item[m]));
    for (const method of methods) {
      const operation = item[method] as JsonObject;
      const integration = operation['x-amazon-apigateway-integration'];
      const responses = isJsonObject(operation.responses) ? operation.responses : {};
      item[method] = {
        ...operation,
        // Every header an integration response maps must be declared on the method response
        // (else the import fails): responses are inline by now (inline-responses.ts).
        responses: Object.fromEntries(
          Object.entries(responses).map(([status, r]) => [status, isJsonObject(r) ? responseHeaders(r) : r]),
        ),
        ...(isJsonObject(integration) && isJsonObject(integration.responses)
          ? {
              'x-amazon-apigateway-integration': {
                ...integration,
                responses: Object.fromEntries(
                  Object.entries(integration.responses).map(([pattern, r]) => [
                    pattern,
                    isJsonObject(r) ? withCorsParameters(r, origin) : r,
                  ]),
                ),
              },
            }
          : {}),
      };
    }
    item.options = preflight(methods, origin);
    paths[path] = item;
  }

  const gatewayResponses = isJsonObject(doc['x-amazon-apigateway-gateway-responses'])
    ? doc['x-amazon-apigateway-gateway-responses']
    : {};
  return {
    ...doc,
    paths,
    'x-amazon-apigateway-gateway-responses': Object.fromEntries(
      Object.entries(gatewayResponses).map(([type, r]) => {
        const response = isJsonObject(r) ? r : {};
        const params = isJsonObject(response.responseParameters) ? response.responseParameters : {};
        return [
          type,
          {
            ...response,
            responseParameters: {
              ...params,
              'gatewayresponse.header.Access-Control-Allow-Origin': quoted(origin),
              'gatewayresponse.header.Access-Control-Expose-Headers': quoted(EXPOSED_HEADERS),
            },
          },
        ];
      }),
    ),
  };
}
