export { LOCAL_REGION, type KinesisBackend } from './backend';
export { startEmbeddedKinesis, type EmbeddedKinesisOptions } from './embedded-kinesalite';
export { startKinesisMock, type KinesisMockOptions } from './kinesis-mock-process';
export { useKinesisEndpoint, type EndpointOptions } from './external-endpoint';
export { ensureStreams, type EnsureStreamsOptions } from './stream-setup';
