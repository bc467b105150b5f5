/**
 * `npm run bench [-- --json]`: the local gateway against direct Kinesis SDK calls, side by side, on
 * one embedded Kinesis instance; and the time to render the PutRecords template for 500 records.
 * Bounded: a fixed number of requests per case, loopback only.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { KinesisClient, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { loadConfig } from '../config/ingest-config';
import { bundleSpec, LOCAL_FACTS, listOperations, renderDeployedSpec, type JsonObject } from '../spec-renderer';
import { compileTemplate, renderTemplate } from '../local/vtl';
import { startChild } from '../bench/child-process';
import { measure, median, round, type Measurement } from '../bench/measure';
import { IngestClient } from '../client';

// The configuration's first stream, so the gateway runs exactly as `npm start` does.
const CONFIG = loadConfig();
const STREAM = CONFIG.streams[0].name;
/** The Kinesis stream behind it, which the direct SDK calls address. */
const KINESIS_STREAM = CONFIG.streams[0].physicalName;
const API_KEY = 'bench-key';
const SHARDS = 4;
const CONCURRENCY = 16;
const PUT_RECORD_COUNT = 1500;
const BATCH_COUNT = 24;
const BATCH_SIZE = 500;
const SEQUENTIAL_BATCHES = 16;

const record = (i: number): Record<string, unknown> => ({
  event: 'page_view',
  page: `/p/${i % 50}`,
  userId: `u-${i % 997}`,
  ts: 1795000000 + i,
});

function httpPut(agent: Agent, url: URL, apiKey: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'PUT',
        agent,
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`gateway answered ${res.statusCode}: ${text.slice(0, 200)}`));
          else if (text.includes('"failedRecordCount": ') && !text.includes('"failedRecordCount": 0'))
            reject(new Error(`records failed: ${text.slice(0, 200)}`));
          else resolve();
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface Side {
  putRecord: { sequential: Measurement; concurrent: Measurement; requestsPerSec: number };
  putRecords: { sequential: Measurement; concurrent: Measurement; recordsPerSec: number };
}

/**
 * The least any implementation of the PutRecords template must do for a 500-record body: parse it,
 * then per record base64 its compact data and append it to the output.
 */
function floorRender(body: string): string {
  const parsed = JSON.parse(body) as { records: Array<{ data: unknown }> };
  let out = '';
  for (const entry of parsed.records) out += `${Buffer.from(JSON.stringify(entry.data), 'utf8').toString('base64')},`;
  return out;
}

/**
 * The template's render against the floor, in alternating blocks so both meet the same load on a
 * shared machine; each block timed in process CPU time, the median block reported.
 */
async function benchVtl(): Promise<{ msPerRender: number; floorMsPerRender: number; ratio: number; renders: number }> {
  // The template as the local gateway and API Gateway run it: the stream's own resource.
  const spec = renderDeployedSpec(await bundleSpec(), CONFIG, LOCAL_FACTS);
  const op = listOperations(spec).find((o) => o.operation.operationId === `putRecords-${STREAM}`);
  const source = ((op?.operation['x-amazon-apigateway-integration'] as JsonObject).requestTemplates as JsonObject)[
    'application/json'
  ] as string;
  const template = compileTemplate(source);
  const body = JSON.stringify({
    records: Array.from({ length: 500 }, (_, i) => ({ data: record(i), partitionKey: `u-${i % 997}` })),
  });
  const request = { body, path: { 'stream-name': STREAM }, context: { requestId: 'bench' } };
  const blocks = 40;
  const perBlock = 10;
  const cpuMs = (task: () => unknown): number => {
    const start = process.cpuUsage();
    for (let i = 0; i < perBlock; i += 1) task();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000 / perBlock;
  };
  const render = (): unknown => renderTemplate(template, request);
  const floor = (): unknown => floorRender(body);
  for (let i = 0; i < 5; i += 1) {
    cpuMs(render);
    cpuMs(floor);
  }
  const renders: number[] = [];
  const floors: number[] = [];
  for (let i = 0; i < blocks; i += 1) {
    renders.push(cpuMs(render));
    floors.push(cpuMs(floor));
  }
  const msPerRender = round(median(renders), 3);
  const floorMsPerRender = round(median(floors), 3);
  return { msPerRender, floorMsPerRender, ratio: round(msPerRender / floorMsPerRender, 2), renders: blocks * perBlock };
}

/**
 * Producers feeding one IngestClient against raw PutRecords batches of the same records (4 at a
 * time, as the client's `maxInFlightRequests`), rounds alternating so both meet the same load. The
 * client keeps one record per partition key in flight, so the key space bounds it: with K keys at
 * most K records are in flight. Measured with 10,007 keys (users of a clickstream) and 997.
 */
const CLIENT_PRODUCERS = 16;
const CLIENT_ROUNDS = 9;

interface ClientCase {
  keys: number;
  rawRecordsPerSecond: number;
  clientRecordsPerSecond: number;
  recordsPerSecondRatio: number;
  clientRequests: number;
}

async function benchClientCase(
  url: string,
  apiKey: string,
  keys: number,
  putRaw: (records: Array<{ data: unknown; partitionKey: string }>) => Promise<void>,
  log: (line: string) => void,
): Promise<ClientCase> {
  const total = BATCH_COUNT * BATCH_SIZE;
  const entry = (i: number): { data: Record<string, unknown>; partitionKey: string } => ({
    data: record(i),
    partitionKey: `u-${i % keys}`,
  });
  let requests = 0;
  const rawRound = async (): Promise<number> =>
    (
      await measure(BATCH_COUNT, 4, (b) =>
        putRaw(Array.from({ length: BATCH_SIZE }, (_, i) => entry(b * BATCH_SIZE + i))),
      )
    ).requestsPerSec * BATCH_SIZE;
  const clientRound = async (): Promise<number> => {
    const client = new IngestClient({ url, auth: { apiKey }, stream: STREAM, maxInFlightRequests: 4, lingerMs: 20 });
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENT_PRODUCERS }, async () => {
        while (next < total) {
          const i = next;
          next += 1;
          await client.put(entry(i));
        }
      }),
    );
    await client.close();
    const recordsPerSecond = total / ((performance.now() - started) / 1000);
    const stats = client.stats();
    if (stats.sent !== total)
      throw new Error(`the client stored ${stats.sent} of ${total} records (${stats.failed} failed)`);
    requests = stats.requests;
    return recordsPerSecond;
  };
  // One round of each unmeasured, so the client's code is compiled as the raw path's already is.
  log(`client, ${keys} keys: warming up…`);
  await rawRound();
  await clientRound();
  const raws: number[] = [];
  const clients: number[] = [];
  for (let round = 0; round < CLIENT_ROUNDS; round += 1) {
    // Which side goes first alternates, so a machine getting busier or quieter favours neither.
    log(
      `client, ${keys} keys, round ${round + 1}: raw PutRecords x4 and ${CLIENT_PRODUCERS} producers through IngestClient…`,
    );
    if (round % 2 === 0) {
      raws.push(await rawRound());
      clients.push(await clientRound());
    } else {
      clients.push(await clientRound());
      raws.push(await rawRound());
    }
  }
  return {
    keys,
    rawRecordsPerSecond: Math.round(median(raws)),
    clientRecordsPerSecond: Math.round(median(clients)),
    // Each round's two sides ran back to back, under the same load: their ratio is the figure.
    recordsPerSecondRatio: round(median(clients.map((c, i) => c / raws[i])), 2),
    clientRequests: requests,
  };
}

interface ClientBench extends ClientCase {
  producers: number;
  records: number;
  rounds: number;
  hotKeys: ClientCase;
}

async function benchClient(
  url: string,
  apiKey: string,
  putRaw: (records: Array<{ data: unknown; partitionKey: string }>) => Promise<void>,
  log: (line: string) => void,
): Promise<ClientBench> {
  const wide = await benchClientCase(url, apiKey, 10_007, putRaw, log);
  const hotKeys = await benchClientCase(url, apiKey, 997, putRaw, log);
  return { producers: CLIENT_PRODUCERS, records: BATCH_COUNT * BATCH_SIZE, rounds: CLIENT_ROUNDS, ...wide, hotKeys };
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const log = (line: string): void => {
    if (!json) process.stderr.write(`${line}\n`);
  };
  // Kinesis and the gateway each in a process of their own, as in the cloud; the clients here.
  const kinesisProcess = await startChild(
    'scripts/bench/embedded-kinesis-process.ts',
    [KINESIS_STREAM, String(SHARDS)],
    /\{"endpoint":"([^"]+)","region":"([^"]+)"\}/,
  );
  const kinesis = { endpoint: kinesisProcess.match[1], region: kinesisProcess.match[2] };
  const gatewayProcess = await startChild(
    'local/cli.ts',
    [
      '--port',
      '0',
      '--quiet',
      '--no-throttle',
      '--api-key',
      API_KEY,
      '--kinesis-endpoint',
      kinesis.endpoint,
      '--region',
      kinesis.region,
    ],
    /on (http:\/\/127\.0\.0\.1:\d+\/\S+)/,
  );
  const api = { url: gatewayProcess.match[1], apiKey: API_KEY };
  const sdk = new KinesisClient({
    endpoint: kinesis.endpoint,
    region: kinesis.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) }),
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const results: { direct?: Side; gateway?: Side; client?: ClientBench } = {};
  try {
    const batch = (b: number): Array<{ data: Record<string, unknown>; partitionKey: string }> =>
      Array.from({ length: BATCH_SIZE }, (_, i) => ({
        data: record(b * BATCH_SIZE + i),
        partitionKey: `u-${(b * BATCH_SIZE + i) % 997}`,
      }));

    const direct = {
      putRecord: (i: number) =>
        sdk
          .send(
            new PutRecordCommand({
              StreamName: KINESIS_STREAM,
              Data: Buffer.from(JSON.stringify(record(i))),
              PartitionKey: `u-${i % 997}`,
            }),
          )
          .then(() => undefined),
      putRecords: (b: number) =>
        sdk
          .send(
            new PutRecordsCommand({
              StreamName: KINESIS_STREAM,
              Records: batch(b).map((r) => ({
                Data: Buffer.from(JSON.stringify(r.data)),
                PartitionKey: r.partitionKey,
              })),
            }),
          )
          .then((out) => {
            if ((out.FailedRecordCount ?? 0) > 0) throw new Error(`${out.FailedRecordCount} records failed`);
          }),
    };
    const gateway = {
      putRecord: (i: number) =>
        httpPut(
          agent,
          new URL(`${api.url}/streams/${STREAM}/record`),
          api.apiKey,
          JSON.stringify({ data: record(i), partitionKey: `u-${i % 997}` }),
        ),
      putRecords: (b: number) =>
        httpPut(
          agent,
          new URL(`${api.url}/streams/${STREAM}/records`),
          api.apiKey,
          JSON.stringify({ records: batch(b) }),
        ),
    };

    // Warm both paths (connections, JIT) before measuring.
    await measure(100, 4, direct.putRecord);
    await measure(100, 4, gateway.putRecord);
    for (const [name, side] of [
      ['direct', direct],
      ['gateway', gateway],
    ] as const) {
      log(`${name}: PutRecord sequential…`);
      const prSeq = await measure(PUT_RECORD_COUNT / 3, 1, side.putRecord);
      log(`${name}: PutRecord x${CONCURRENCY}…`);
      const prCon = await measure(PUT_RECORD_COUNT, CONCURRENCY, side.putRecord);
      log(`${name}: PutRecords sequential…`);
      const prsSeq = await measure(SEQUENTIAL_BATCHES, 1, side.putRecords);
      log(`${name}: PutRecords x4…`);
      const prsCon = await measure(BATCH_COUNT, 4, side.putRecords);
      results[name] = {
        putRecord: { sequential: prSeq, concurrent: prCon, requestsPerSec: prCon.requestsPerSec },
        putRecords: {
          sequential: prsSeq,
          concurrent: prsCon,
          recordsPerSec: Math.round(prsCon.requestsPerSec * BATCH_SIZE),
        },
      };
    }
    results.client = await benchClient(
      api.url,
      api.apiKey,
      (records) =>
        httpPut(agent, new URL(`${api.url}/streams/${STREAM}/records`), api.apiKey, JSON.stringify({ records })),
      log,
    );
  } finally {
    agent.destroy();
    sdk.destroy();
    await gatewayProcess.stop();
    await kinesisProcess.stop();
  }
  const vtl = await benchVtl();
  const d = results.direct as Side;
  const g = results.gateway as Side;
  // What the gateway adds to one request: sequential p50 through it minus direct p50.
  const addedMs = {
    putRecord: round(g.putRecord.sequential.latencyMs.p50 - d.putRecord.sequential.latencyMs.p50),
    putRecords500: round(g.putRecords.sequential.latencyMs.p50 - d.putRecords.sequential.latencyMs.p50),
  };
  const report = {
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
    setup: {
      backend: 'embedded kinesalite (own process)',
      gateway: 'local gateway (own process)',
      shards: SHARDS,
      concurrency: CONCURRENCY,
      putRecordRequests: PUT_RECORD_COUNT,
      batches: BATCH_COUNT,
      batchSize: BATCH_SIZE,
    },
    direct: d,
    gateway: { ...g, addedMs, addedPutRecords500PerFloor: round(addedMs.putRecords500 / vtl.floorMsPerRender) },
    ratios: {
      putRecord: Math.round((g.putRecord.requestsPerSec / d.putRecord.requestsPerSec) * 100) / 100,
      putRecords: Math.round((g.putRecords.recordsPerSec / d.putRecords.recordsPerSec) * 100) / 100,
    },
    vtl: { putRecords500: vtl },
    client: results.client as ClientBench,
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  const row = (name: string, m: Measurement): string =>
    `${name.padEnd(34)} ${String(m.requestsPerSec).padStart(9)} req/s   p50 ${String(m.latencyMs.p50).padStart(7)} ms   p99 ${String(m.latencyMs.p99).padStart(7)} ms`;
  const lines = [
    `Machine: ${report.machine.cpus} × ${report.machine.cpu}, Node ${report.machine.node}; embedded Kinesis, ${SHARDS} shards`,
    '',
    row('direct  PutRecord  sequential', d.putRecord.sequential),
    row(`direct  PutRecord  ×${CONCURRENCY}`, d.putRecord.concurrent),
    row('gateway PutRecord  sequential', g.putRecord.sequential),
    row(`gateway PutRecord  ×${CONCURRENCY}`, g.putRecord.concurrent),
    row('direct  PutRecords sequential', d.putRecords.sequential),
    row('direct  PutRecords ×4', d.putRecords.concurrent),
    row('gateway PutRecords sequential', g.putRecords.sequential),
    row('gateway PutRecords ×4', g.putRecords.concurrent),
    '',
    `PutRecord:  gateway ${g.putRecord.requestsPerSec} req/s vs direct ${d.putRecord.requestsPerSec} req/s: ratio ${report.ratios.putRecord}`,
    `PutRecords: gateway ${g.putRecords.recordsPerSec} records/s vs direct ${d.putRecords.recordsPerSec} records/s: ratio ${report.ratios.putRecords}`,
    `Gateway's added time (sequential p50, gateway minus direct): PutRecord ${addedMs.putRecord} ms, PutRecords ×500 ${addedMs.putRecords500} ms (${report.gateway.addedPutRecords500PerFloor} × the floor)`,
    `IngestClient, ${report.client.producers} producers, ${report.client.records} records over ${report.client.keys} keys: ${report.client.clientRecordsPerSecond} records/s vs raw PutRecords ×4 ${report.client.rawRecordsPerSecond} records/s: ratio ${report.client.recordsPerSecondRatio} (${report.client.clientRequests} requests; medians of ${report.client.rounds} alternating rounds, ratio of each round's pair)`,
    `IngestClient over ${report.client.hotKeys.keys} keys (one record per key in flight): ${report.client.hotKeys.clientRecordsPerSecond} records/s vs raw ${report.client.hotKeys.rawRecordsPerSecond}: ratio ${report.client.hotKeys.recordsPerSecondRatio}`,
    `Rendering the PutRecords template for 500 records: ${vtl.msPerRender} ms CPU; the floor (parse, base64 of each record's data): ${vtl.floorMsPerRender} ms; ratio ${vtl.ratio} (medians of ${vtl.renders / 10} alternating blocks of 10)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
