/**
 * The embedded Kinesis in a process of its own, for the benchmark: so that the gateway, the
 * clients and Kinesis do not share one event loop. Prints its endpoint, stops on SIGTERM.
 *   node --import tsx scripts/bench/embedded-kinesis-process.ts <stream> <shards>
 */
import { startEmbeddedKinesis } from '../../local/kinesis';

async function main(): Promise<void> {
  const [name = 'ingest-events', shards = '4'] = process.argv.slice(2);
  const backend = await startEmbeddedKinesis({
    streams: [
      {
        name,
        physicalName: name,
        mode: 'PROVISIONED',
        shardCount: Number(shards),
        retentionHours: 24,
        maxRecordSizeKiB: 1024,
      },
    ],
  });
  process.stdout.write(`${JSON.stringify({ endpoint: backend.endpoint, region: backend.region })}\n`);
  process.on('SIGTERM', () => {
    void backend.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
