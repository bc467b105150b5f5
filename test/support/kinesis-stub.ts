/**
 * A stand-in for Kinesis that answers as Kinesis does (JSON 1.1 bodies, errors named in __type),
 * for the failures the embedded Kinesis cannot be made to produce: throttling, 5xx, timeouts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubAnswer {
  readonly status: number;
  readonly body: unknown;
  /** Sent as is instead of `body` as JSON (an empty body, an HTML page). */
  readonly raw?: string;
  /** Never answer (for timeouts). */
  readonly hang?: boolean;
  /** Answer only once this settles (a request held in flight). */
  readonly after?: Promise<void>;
  /** Instead of `body`: this many bytes of `a`, written while the client reads them; declared in Content-Length or sent chunked. */
  readonly bytes?: { readonly count: number; readonly declared: boolean };
}

export interface KinesisStub {
  readonly endpoint: string;
  /** Actions called, in order (from X-Amz-Target). */
  readonly calls: string[];
  /** Resolves once `count` calls have reached the stub (their bodies not yet read). */
  called(count: number): Promise<void>;
  answer(action: string, answer: StubAnswer): void;
  close(): Promise<void>;
}

export async function startKinesisStub(): Promise<KinesisStub> {
  const answers = new Map<string, StubAnswer>();
  const calls: string[] = [];
  const waiting: Array<{ count: number; resolve: () => void }> = [];
  const server: Server = createServer((req, res) => {
    const action = String(req.headers['x-amz-target'] ?? '').replace(/^Kinesis_20131202\./, '');
    calls.push(action);
    for (const waiter of waiting.filter((w) => calls.length >= w.count)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve();
    }
    req.resume();
    req.on('end', () => {
      const answer = answers.get(action) ?? { status: 400, body: { __type: 'UnknownOperationException' } };
      if (answer.hang) return;
      void (answer.after ?? Promise.resolve()).then(() => {
        if (answer.bytes === undefined) {
          res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(answer.raw ?? JSON.stringify(answer.body));
          return;
        }
        const { count, declared } = answer.bytes;
        res.writeHead(answer.status, {
          'content-type': 'application/x-amz-json-1.1',
          ...(declared ? { 'content-length': String(count) } : {}),
        });
        res.on('error', () => undefined);
        const chunk = Buffer.alloc(1024 * 1024, 0x61);
        let written = 0;
        const more = (): void => {
          while (written < count && !res.destroyed) {
            const piece = count - written >= chunk.length ? chunk : chunk.subarray(0, count - written);
            written += piece.length;
            if (!res.write(piece)) return void res.once('drain', more);
          }
          if (!res.destroyed) res.end();
        };
        more();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    called: (count) =>
      calls.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ count, resolve })),
    answer: (action, answer) => answers.set(action, answer),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
