export { IntegrationNetworkError, IntegrationTimeoutError } from './integration-errors';
export { LOCAL_CREDENTIALS, type AwsCredentials, type CredentialsSource } from './request-signer';
export {
  createKinesisCaller,
  DEFAULT_INTEGRATION_TIMEOUT_MS,
  type KinesisCallInput,
  type KinesisCallResult,
  type KinesisCaller,
  type KinesisCallerOptions,
} from './kinesis-caller';
