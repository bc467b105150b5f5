export {
  IntegrationNetworkError,
  IntegrationResponseTooLargeError,
  IntegrationTimeoutError,
} from './integration-errors';
export { LOCAL_CREDENTIALS, type AwsCredentials, type CredentialsSource } from './request-signer';
export {
  createKinesisCaller,
  DEFAULT_INTEGRATION_TIMEOUT_MS,
  MAX_INTEGRATION_RESPONSE_BYTES,
  type KinesisCallInput,
  type KinesisCallResult,
  type KinesisCaller,
  type KinesisCallerOptions,
} from './kinesis-caller';
export {
  guardKinesisCalls,
  refuseKinesisRequest,
  type KinesisRefusal,
  type OffThreadJudge,
  type StreamScope,
} from './kinesis-request-guard';
export { IteratorLedger, ITERATOR_LIFETIME_MS, type IteratorLedgerOptions } from './iterator-ledger';
