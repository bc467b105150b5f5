/**
 * The integration call against a small recording server on 127.0.0.1: what goes on the wire, what
 * comes back, and how failures surface.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  createKinesisCaller,
  IntegrationNetworkError,
  IntegrationResponseTooLargeError,
  IntegrationTimeoutError,
  MAX_INTEGRATION_RESPONSE_BYTES,
  type KinesisCaller,
} from '../../../local/integration';

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly socketId: number;
  readonly requestOnSocket: number;
}

type Responder = (received: Received, res: ServerResponse, socket: Socket) => void;

const ok: Responder = (_, res) => {
  res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1' });
  res.end('{"ok":true}');
};

let server: Server;
let endpoint: string;
let received: Received[] = [];
let respond: Responder = ok;
const socketIds = new WeakMap<Socket, { id: number; requests: number }>();
let nextSocketId = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let info = socketIds.get(req.socket);
    if (info === undefined) {
      info = { id: (nextSocketId += 1), requests: 0 };
      socketIds.set(req.socket, info);
    }
    info.requests += 1;
    const seen = info;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        socketId: seen.id,
        requestOnSocket: seen.requests,
      };
      received.push(entry);
      respond(entry, res, req.socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let caller: KinesisCaller;
beforeEach(() => {
  received = [];
  respond = ok;
  caller = createKinesisCaller();
});
afterEach(() => caller.close());

const put = (body = '{}', extra: Partial<Parameters<KinesisCaller['call']>[0]> = {}) =>
  caller.call({ endpoint, region: 'eu-west-1', action: 'PutRecord', body, ...extra });

test('POSTs to the path /', async () => {
  await put();
  expect(received[0]).toMatchObject({ method: 'POST', url: '/' });
});

test('sends X-Amz-Target Kinesis_20131202.<Action>', async () => {
  await caller.call({ endpoint, region: 'eu-west-1', action: 'GetShardIterator', body: '{}' });
  expect(received[0].headers['x-amz-target']).toBe('Kinesis_20131202.GetShardIterator');
});

test('sends Content-Type application/x-amz-json-1.1', async () => {
  await put();
  expect(received[0].headers['content-type']).toBe('application/x-amz-json-1.1');
});

test('signs with SigV4 for the kinesis service, the region and the local credentials', async () => {
  await put();
  const today = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  expect(received[0].headers.authorization).toMatch(
    new RegExp(
      `^AWS4-HMAC-SHA256 Credential=local/${today}/eu-west-1/kinesis/aws4_request, SignedHeaders=[a-z0-9;-]*content-type[a-z0-9;-]*x-amz-target[a-z0-9;-]*, Signature=[0-9a-f]{64}$`,
    ),
  );
  expect(received[0].headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
});

test('sends the body verbatim (whitespace, unicode, key order)', async () => {
  const body = '{ "StreamName" : "s",\n  "Data":"aGk=", "PartitionKey":"ü€😀" }';
  await put(body);
  expect(received[0].body).toBe(body);
  expect(received[0].headers['content-length']).toBe(String(Buffer.byteLength(body)));
});

test('signs with credentials given for the call', async () => {
  await put('{}', { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token-1' } });
  expect(received[0].headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
  expect(received[0].headers['x-amz-security-token']).toBe('token-1');
});

test('resolves a credentials provider given to the caller', async () => {
  caller.close();
  caller = createKinesisCaller({
    credentials: () => Promise.resolve({ accessKeyId: 'FROMCHAIN', secretAccessKey: 's' }),
  });
  await put();
  expect(received[0].headers.authorization).toMatch(/Credential=FROMCHAIN\//);
});

test('sends and signs extra headers, but cannot replace the target', async () => {
  await put('{}', { overrideHeaders: { 'X-Custom': 'v', 'X-Amz-Target': 'Kinesis_20131202.DeleteStream' } });
  expect(received[0].headers['x-custom']).toBe('v');
  expect(received[0].headers['x-amz-target']).toBe('Kinesis_20131202.PutRecord');
  expect(received[0].headers.authorization).toMatch(/SignedHeaders=[a-z0-9;-]*x-custom/);
});

test('returns status, lower-cased headers and body of a 200', async () => {
  const result = await put();
  expect(result).toEqual({
    status: 200,
    body: '{"ok":true}',
    headers: expect.objectContaining({ 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1' }),
  });
});

test('returns a 4xx instead of throwing', async () => {
  respond = (_, res) => {
    res.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.1' });
    res.end('{"__type":"ResourceNotFoundException","message":"Stream s not found"}');
  };
  await expect(put()).resolves.toEqual({
    status: 400,
    headers: expect.objectContaining({ 'content-type': 'application/x-amz-json-1.1' }),
    body: '{"__type":"ResourceNotFoundException","message":"Stream s not found"}',
  });
});

test('returns a 5xx instead of throwing', async () => {
  respond = (_, res) => {
    res.writeHead(503);
    res.end('{"__type":"ServiceUnavailable"}');
  };
  await expect(put()).resolves.toMatchObject({ status: 503, body: '{"__type":"ServiceUnavailable"}' });
});

test('no answer within timeoutMs is an IntegrationTimeoutError, and the connection is dropped', async () => {
  respond = () => undefined;
  // A fresh caller opens a fresh connection: the server sees it closed once the caller gives up.
  const dropped = new Promise<void>((resolve) =>
    server.once('connection', (socket: Socket) => socket.once('close', () => resolve())),
  );
  const error = await put('{}', { timeoutMs: 150 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(IntegrationTimeoutError);
  expect((error as Error).message).toMatch(/within 150 ms/);
  await dropped;
});

test('a refused connection is an IntegrationNetworkError', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  await expect(
    caller.call({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', action: 'PutRecord', body: '{}' }),
  ).rejects.toBeInstanceOf(IntegrationNetworkError);
});

test('a connection reset before the answer is an IntegrationNetworkError', async () => {
  respond = (_, __, socket) => socket.destroy();
  await expect(put()).rejects.toBeInstanceOf(IntegrationNetworkError);
});

test('sequential calls reuse one keep-alive connection', async () => {
  for (let i = 0; i < 5; i += 1) await put();
  expect(received.map((r) => r.socketId)).toEqual(Array(5).fill(received[0].socketId));
});

test('a pooled connection the server dropped is retried once on a fresh one', async () => {
  // The server drops the first connection when it is reused, as one closing idle connections would.
  const first = nextSocketId + 1;
  respond = (entry, res, socket) =>
    entry.socketId === first && entry.requestOnSocket === 2 ? socket.destroy() : ok(entry, res, socket);
  await put('{"n":1}');
  const second = await put('{"n":2}');
  expect(second.status).toBe(200);
  expect(received.map((r) => r.body)).toEqual(['{"n":1}', '{"n":2}', '{"n":2}']);
  expect(received[2].socketId).not.toBe(first);
});

describe("answers over API Gateway's 10 MB are refused without being read whole", () => {
  /** Writes `total` bytes in 1 MiB chunks while the socket takes them; counts what was written. */
  function streamBytes(res: ServerResponse, total: number, written: { bytes: number }): void {
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const more = (): void => {
      while (written.bytes < total && !res.destroyed) {
        written.bytes += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', more);
      }
      if (!res.destroyed) res.end();
    };
    res.on('error', () => undefined);
    more();
  }

  test('a declared 600 MB answer is an IntegrationResponseTooLargeError at once, its body unread', async () => {
    const written = { bytes: 0 };
    respond = (_, res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': String(600 * 1024 * 1024) });
      streamBytes(res, 600 * 1024 * 1024, written);
    };
    await expect(put()).rejects.toBeInstanceOf(IntegrationResponseTooLargeError);
    // The connection was dropped: the server could write no more than socket buffers hold.
    expect(written.bytes).toBeLessThan(100 * 1024 * 1024);
  });

  test('an undeclared (chunked) answer is cut as soon as it passes the limit', async () => {
    const written = { bytes: 0 };
    respond = (_, res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      streamBytes(res, 300 * 1024 * 1024, written);
    };
    await expect(put()).rejects.toThrow(/more than 10485760 bytes/);
    expect(written.bytes).toBeLessThan(100 * 1024 * 1024);
  });

  test('an answer of exactly the limit is returned whole', async () => {
    respond = (_, res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(Buffer.alloc(MAX_INTEGRATION_RESPONSE_BYTES, 0x61));
    };
    expect((await put()).body).toHaveLength(MAX_INTEGRATION_RESPONSE_BYTES);
  });
});
