/**
 * 20 clients at once writing a known set of records, one at a time and in batches: every record
 * acknowledged is read back exactly once, in order per partition key. Bounded in count: 1,120
 * records over 2 shards make every client's writes interleave with the others' (each client
 * awaits its previous answer, so 20 requests are in flight at a time).
 */
import { parseConfig } from '../../config/ingest-config';
import { startLocalApi, type LocalApi } from '../../local/start-local-api';
import { ApiClient, readShard, type ReadRecord } from '../support/api-client';

const STREAM = 'load';
const CLIENTS = 20;
const SINGLES_PER_CLIENT = 6;
const BATCHES_PER_CLIENT = 2;
const BATCH_SIZE = 25;
let api: LocalApi;
let client: ApiClient;

beforeAll(async () => {
  api = await startLocalApi({
    config: parseConfig({ stage: 'rel', streams: [{ name: STREAM, shardCount: 2 }] }),
    port: 0,
    throttle: false,
  });
  client = new ApiClient(api.url, api.apiKey);
});
afterAll(() => api.close());

interface Written {
  client: number;
  seq: number;
}

test('every acknowledged record is read back exactly once, in order per partition key', async () => {
  const acknowledged: string[] = [];
  const failures: string[] = [];

  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      let seq = 0;
      // Each client has its own partition key and writes in sequence: its order is the order to find.
      for (let i = 0; i < SINGLES_PER_CLIENT; i += 1) {
        const value: Written = { client: c, seq: seq++ };
        const res = await client.put(`/streams/${STREAM}/record`, { data: value, partitionKey: `client-${c}` });
        if (res.status === 200) acknowledged.push(JSON.stringify(value));
        else failures.push(`${res.status} ${res.text}`);
      }
      for (let b = 0; b < BATCHES_PER_CLIENT; b += 1) {
        const batch = Array.from({ length: BATCH_SIZE }, () => ({ client: c, seq: seq++ }));
        const res = await client.put<{ records: Array<{ errorCode?: string }> }>(`/streams/${STREAM}/records`, {
          records: batch.map((value) => ({ data: value, partitionKey: `client-${c}` })),
        });
        if (res.status !== 200) {
          failures.push(`${res.status} ${res.text}`);
          continue;
        }
        res.body.records.forEach((entry, i) => {
          if (entry.errorCode === undefined) acknowledged.push(JSON.stringify(batch[i]));
        });
      }
    }),
  );

  expect(failures).toEqual([]);
  expect(acknowledged).toHaveLength(CLIENTS * (SINGLES_PER_CLIENT + BATCHES_PER_CLIENT * BATCH_SIZE));

  // Each shard read once, in its order: the order per partition key is checked on these reads.
  const shards: ReadRecord[][] = [
    await readShard(client, STREAM, 'shardId-000000000000'),
    await readShard(client, STREAM, 'shardId-000000000001'),
  ];
  const values = shards.flat().map((r) => Buffer.from(r.data, 'base64').toString('utf8'));
  expect(values.length).toBe(new Set(values).size);
  expect(new Set(values)).toEqual(new Set(acknowledged));

  const seqsByClient = new Map<number, number[]>();
  for (const shard of shards) {
    for (const r of shard) {
      const value = JSON.parse(Buffer.from(r.data, 'base64').toString('utf8')) as Written;
      expect(r.partitionKey).toBe(`client-${value.client}`);
      seqsByClient.set(value.client, [...(seqsByClient.get(value.client) ?? []), value.seq]);
    }
  }
  for (const [c, seqs] of seqsByClient)
    expect([c, seqs]).toEqual([c, Array.from({ length: seqs.length }, (_, i) => i)]);
}, 120_000);
