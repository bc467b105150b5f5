export {
  createKinesisCaller,
  IntegrationNetworkError,
  IntegrationTimeoutError,
  LOCAL_CREDENTIALS,
  type KinesisCallInput,
  type KinesisCallResult,
  type KinesisCaller,
  type KinesisCallerOptions,
} from './kinesis-caller';
