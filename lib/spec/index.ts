export { bundleSpec, SPEC_ROOT } from './bundle';
export { listOperations, isJsonObject, type JsonObject, type JsonValue, type OpenApiDocument, type OperationRef } from './document';
export { renderSpec, renderDeployedSpec, LOCAL_FACTS } from './render';
export { apiName } from './api-name';
export { maxRecordsPerRead } from './read-limit';
export { countResources, RESOURCES_PER_API_QUOTA } from './expand-streams';
export { placeholderValues, type DeploymentFacts } from './placeholder-values';
export { substitutePlaceholders, findPlaceholders, PlaceholderError } from './placeholders';
export { stripGatewayExtensions } from './strip-extensions';
