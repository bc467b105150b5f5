import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKinesisCaller, IntegrationNetworkError, IntegrationTimeoutError } from '../../../local/integration';

interface Seen {
  headers: IncomingMessage['headers'];
  body: string;
  socket: number;
}

let server: Server;
let endpoint: string;
const seen: Seen[] = [];
let answer: { status: number; body: string; hang?: boolean } = { status: 200, body: '{}' };
const sockets = new WeakMap<object, number>();
let socketCount = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (!sockets.has(req.socket)) sockets.set(req.socket, (socketCount += 1));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString(), socket: sockets.get(req.socket) ?? 0 });
      if (answer.hang) return;
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(answer.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

test('posts the body verbatim with the Kinesis target, content type and a SigV4 signature', async () => {
  const caller = createKinesisCaller();
  await caller.call({ endpoint, region: 'eu-west-1', action: 'PutRecord', body: '{"StreamName":"s"}' });
  caller.close();
  const request = seen[seen.length - 1];
  expect(request.body).toBe('{"StreamName":"s"}');
  expect(request.headers['x-amz-target']).toBe('Kinesis_20131202.PutRecord');
  expect(request.headers['content-type']).toBe('application/x-amz-json-1.1');
  expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/eu-west-1\/kinesis\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/);
});

test('a 4xx is returned, not thrown', async () => {
  answer = { status: 400, body: '{"__type":"ValidationException"}' };
  const caller = createKinesisCaller();
  const result = await caller.call({ endpoint, region: 'us-east-1', action: 'PutRecord', body: '{}' });
  caller.close();
  answer = { status: 200, body: '{}' };
  expect(result).toMatchObject({ status: 400, body: '{"__type":"ValidationException"}', headers: { 'content-type': 'application/x-amz-json-1.1' } });
});

test('sequential calls reuse one connection', async () => {
  const caller = createKinesisCaller();
  const before = seen.length;
  for (let i = 0; i < 3; i += 1) await caller.call({ endpoint, region: 'us-east-1', action: 'ListShards', body: '{}' });
  caller.close();
  expect(new Set(seen.slice(before).map((s) => s.socket)).size).toBe(1);
});

test('no answer in time is an IntegrationTimeoutError', async () => {
  answer = { status: 200, body: '{}', hang: true };
  const caller = createKinesisCaller();
  await expect(caller.call({ endpoint, region: 'us-east-1', action: 'GetRecords', body: '{}', timeoutMs: 100 })).rejects.toBeInstanceOf(IntegrationTimeoutError);
  caller.close();
  answer = { status: 200, body: '{}' };
});

test('a refused connection is an IntegrationNetworkError', async () => {
  const caller = createKinesisCaller();
  await expect(caller.call({ endpoint: 'http://127.0.0.1:1', region: 'us-east-1', action: 'PutRecord', body: '{}' })).rejects.toBeInstanceOf(IntegrationNetworkError);
  caller.close();
});
