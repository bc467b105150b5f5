/**
 * A Kinesis endpoint that forwards to a real one (the embedded Kinesis) but throttles as Kinesis does
 * under load: some PutRecords requests are refused whole (ProvisionedThroughputExceededException, or
 * an InternalFailure 500), and of the others some entries come back with a per-entry ErrorCode and
 * are not stored. Which ones is decided by the request's number and the entry's index (no
 * randomness), and nothing refused is written, as in Kinesis.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ThrottlePlan {
  /** Refuse the whole n-th PutRecords request (1-based) with Kinesis's throttling error. */
  readonly throttleRequest: (n: number) => boolean;
  /** Answer the whole n-th request with a 500 InternalFailure. */
  readonly failRequest: (n: number) => boolean;
  /** Refuse entry `index` of the n-th request. */
  readonly throttleEntry: (n: number, index: number) => boolean;
}

export interface ThrottlingKinesis {
  readonly endpoint: string;
  readonly counts: {
    putRecordsRequests: number;
    throttledRequests: number;
    failedRequests: number;
    throttledEntries: number;
    storedEntries: number;
  };
  /** Holds PutRecords answers until the returned function is called. */
  hold(): () => void;
  close(): Promise<void>;
}

interface KinesisEntry {
  readonly Data: string;
  readonly PartitionKey: string;
}

const read = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

export async function startThrottlingKinesis(target: string, plan: ThrottlePlan): Promise<ThrottlingKinesis> {
  const counts = {
    putRecordsRequests: 0,
    throttledRequests: 0,
    failedRequests: 0,
    throttledEntries: 0,
    storedEntries: 0,
  };
  let held: Promise<void> = Promise.resolve();
  const forward = async (req: IncomingMessage, body: Buffer): Promise<{ status: number; text: string }> => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === 'string' && name !== 'host' && name !== 'content-length' && name !== 'connection')
        headers[name] = value;
    const response = await fetch(`${target}${req.url ?? '/'}`, { method: req.method ?? 'POST', headers, body });
    return { status: response.status, text: await response.text() };
  };
  const server: Server = createServer((req, res) => {
    const reply = (status: number, text: string): void => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(text);
    };
    void (async () => {
      const body = await read(req);
      const action = String(req.headers['x-amz-target'] ?? '').replace(/^Kinesis_20131202\./, '');
      if (action !== 'PutRecords') {
        const answer = await forward(req, body);
        return reply(answer.status, answer.text);
      }
      counts.putRecordsRequests += 1;
      const n = counts.putRecordsRequests;
      await held;
      if (plan.throttleRequest(n)) {
        counts.throttledRequests += 1;
        return reply(
          400,
          JSON.stringify({
            __type: 'ProvisionedThroughputExceededException',
            message: 'Rate exceeded for stream ingest-events under account 111122223333.',
          }),
        );
      }
      if (plan.failRequest(n)) {
        counts.failedRequests += 1;
        return reply(500, JSON.stringify({ __type: 'InternalFailure' }));
      }
      const request = JSON.parse(body.toString('utf8')) as { Records: KinesisEntry[] } & Record<string, unknown>;
      const refused = request.Records.map((_, i) => plan.throttleEntry(n, i));
      const kept = request.Records.filter((_, i) => !refused[i]);
      let stored: Array<Record<string, unknown>> = [];
      if (kept.length > 0) {
        const answer = await forward(req, Buffer.from(JSON.stringify({ ...request, Records: kept })));
        if (answer.status !== 200) return reply(answer.status, answer.text);
        stored = (JSON.parse(answer.text) as { Records: Array<Record<string, unknown>> }).Records;
      }
      counts.storedEntries += stored.filter((r) => r.ErrorCode === undefined).length;
      let next = 0;
      const records = refused.map((no) => {
        if (!no) return stored[(next += 1) - 1];
        counts.throttledEntries += 1;
        return {
          ErrorCode: 'ProvisionedThroughputExceededException',
          ErrorMessage:
            'Rate exceeded for shard shardId-000000000000 in stream ingest-events under account 111122223333.',
        };
      });
      reply(
        200,
        JSON.stringify({
          FailedRecordCount: records.filter((r) => r.ErrorCode !== undefined).length,
          Records: records,
        }),
      );
    })().catch((error: unknown) => reply(500, JSON.stringify({ __type: 'InternalFailure', message: String(error) })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    hold: () => {
      let release = (): void => undefined;
      held = new Promise((resolve) => {
        release = resolve;
      });
      return () => release();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
