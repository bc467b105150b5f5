export { bundleSpec, SPEC_ROOT } from './bundle';
export {
  listOperations,
  isJsonObject,
  resolvePointer,
  resolveRef,
  type JsonObject,
  type JsonValue,
  type OpenApiDocument,
  type OperationRef,
} from './document';
export { SECURITY_SCHEME } from './auth-mode';
export {
  iamActionsByResource,
  KINESIS_ACTION_URI,
  KINESIS_IAM_EXTENSION,
  kinesisIamTable,
  kinesisActionOf,
  operationInventory,
  withoutKinesisIamTable,
  type InventoryEntry,
  type KinesisGrant,
  type ResourceKind,
} from './operation-inventory';
export { renderDeployedSpec, LOCAL_FACTS } from './render';
export { apiName } from './api-name';
export { maxRecordsPerRead } from './read-limit';
export { countResources, RESOURCES_PER_API_QUOTA } from './expand-streams';
export { placeholderValues, type DeploymentFacts } from './placeholder-values';
export { substitutePlaceholders, findPlaceholders, PlaceholderError } from './placeholders';
export { stripGatewayExtensions } from './strip-extensions';
export { expandIncludes } from './template-includes';
export {
  publishSpec,
  publishedJson,
  publishedYaml,
  decimalRangePattern,
  DEFAULT_LOCAL_ORIGIN,
  type PublishOptions,
} from './publish';
export { checkImport, IMPORT_RULES, type ImportProblem, type ImportRule } from './import-check';
