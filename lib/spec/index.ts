export { bundleSpec, SPEC_ROOT } from './bundle';
export { listOperations, isJsonObject, type JsonObject, type JsonValue, type OpenApiDocument, type OperationRef } from './document';
export { renderSpec, LOCAL_FACTS } from './render';
export { placeholderValues, type DeploymentFacts } from './placeholder-values';
export { substitutePlaceholders, findPlaceholders, PlaceholderError } from './placeholders';
export { stripGatewayExtensions } from './strip-extensions';
export { publishSpec, publishedJson, publishedYaml, decimalRangePattern, DEFAULT_LOCAL_ORIGIN, type PublishOptions } from './publish';
