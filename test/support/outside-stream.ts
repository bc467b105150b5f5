/** A stream outside the API's configuration, made behind the gateway's back on its backend. */
import { createKinesisCaller } from '../../local/integration';
import type { KinesisBackend } from '../../local/kinesis';

/**
 * Creates stream `outside` holding one record with `secret`, and returns a TRIM_HORIZON shard
 * iterator of it, as anyone with access to the backend could get one.
 */
export async function outsideStreamIterator(
  backend: Pick<KinesisBackend, 'endpoint' | 'region'>,
  secret: string,
): Promise<string> {
  const direct = createKinesisCaller();
  const call = async (action: string, body: object): Promise<Record<string, unknown>> => {
    const answer = await direct.call({
      endpoint: backend.endpoint,
      region: backend.region,
      action,
      body: JSON.stringify(body),
    });
    return (answer.body === '' ? {} : JSON.parse(answer.body)) as Record<string, unknown>;
  };
  try {
    await call('CreateStream', { StreamName: 'outside', ShardCount: 1 });
    // Bounded wait for ACTIVE: a backend may take a moment to create a stream.
    for (let i = 0; i < 50; i += 1) {
      const { StreamDescriptionSummary } = await call('DescribeStreamSummary', { StreamName: 'outside' });
      if ((StreamDescriptionSummary as { StreamStatus?: string } | undefined)?.StreamStatus === 'ACTIVE') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await call('PutRecord', { StreamName: 'outside', Data: Buffer.from(secret).toString('base64'), PartitionKey: 'k' });
    const { ShardIterator } = await call('GetShardIterator', {
      StreamName: 'outside',
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'TRIM_HORIZON',
    });
    if (typeof ShardIterator !== 'string') throw new Error('The backend gave no shard iterator for stream outside');
    return ShardIterator;
  } finally {
    direct.close();
  }
}
