/**
 * The local gateway as an attacker tries it: every fault gets its status and a JSON body
 * (`JSON.parse` succeeds), a refused request writes nothing, and the process never crashes.
 * Loopback only, bounded in count and time.
 */
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { parseConfig } from '../../config/ingest-config';
import type { AccessLogEntry } from '../../local/gateway/gateway';
import { startLocalApi, type LocalApi } from '../../local/start-local-api';
import { ApiClient, readShard } from '../support/api-client';
import { outsideStreamIterator } from '../support/outside-stream';
import { startKinesisStub, type KinesisStub } from '../support/kinesis-stub';

interface RawAnswer {
  readonly status: number;
  readonly headers: string;
  readonly body: string;
}

/** Sends bytes as they are on a fresh connection and reads until the server closes it. */
function raw(url: string, ...parts: Array<string | Buffer>): Promise<RawAnswer> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0),
        headers: head,
        body: rest.join('\r\n\r\n'),
      });
    });
    for (const part of parts) socket.write(part);
  });
}

const STREAM = 'attacks';
let api: LocalApi;
let client: ApiClient;
let stagePath: string;

const accessLog: AccessLogEntry[] = [];

beforeAll(async () => {
  api = await startLocalApi({
    config: parseConfig({ stage: 'rel', streams: [{ name: STREAM }] }),
    port: 0,
    throttle: false,
    requestTimeoutMs: 1_500,
    headersTimeoutMs: 1_000,
    accessLog: (entry) => accessLog.push(entry),
  });
  client = new ApiClient(api.url, api.apiKey);
  stagePath = new URL(api.url).pathname;
}, 60_000);
afterAll(() => api.close());

const key = (): string => `x-api-key: ${api.apiKey}\r\n`;
const stored = async (): Promise<string[]> =>
  (await readShard(client, STREAM)).map((r) => Buffer.from(r.data, 'base64').toString('latin1'));

describe("Node's own protocol errors are JSON with their status", () => {
  test.each([
    [
      'a 20 KB header',
      () => `GET ${stagePath}/streams HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'RequestHeaderFieldsTooLarge',
    ],
    [
      'a 70 KB URL',
      () => `GET ${stagePath}/streams?${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      414,
      'UriTooLong',
    ],
    ['method FOO', () => `FOO ${stagePath}/streams HTTP/1.1\r\nHost: x\r\n\r\n`, 400, 'BadRequest'],
    ['a request that is not HTTP', () => 'hello\r\n\r\n', 400, 'BadRequest'],
  ])('%s', async (_, request, status, error) => {
    const answer = await raw(api.url, request());
    expect(answer.status).toBe(status);
    expect(answer.headers).toMatch(/content-type: application\/json/i);
    expect(JSON.parse(answer.body)).toEqual({ error, message: expect.any(String) });
  });

  test('Content-Length: 99999999999 is refused with 413 before any body is sent', async () => {
    // No byte of the body goes out: the answer comes, and the connection closes, all the same.
    const answer = await raw(
      api.url,
      `PUT ${stagePath}/streams/${STREAM}/records HTTP/1.1\r\nHost: x\r\n${key()}Content-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n`,
    );
    expect(answer.status).toBe(413);
    // API Gateway's own 413 body (it cannot be customized), whatever its form.
    expect(answer.body.length).toBeGreaterThan(0);
  });

  test('a client too slow to send its body gets a 408 and its connection is closed', async () => {
    const { port } = new URL(api.url);
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1');
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('close', () => {
        clearInterval(trickle);
        resolve(text);
      });
      socket.write(
        `PUT ${stagePath}/streams/${STREAM}/record HTTP/1.1\r\nHost: x\r\n${key()}Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n`,
      );
      // One byte at a time, for at most 100 bytes: the request timeout (1.5 s here) cuts it first.
      let sent = 0;
      const trickle = setInterval(() => {
        if (sent++ < 100 && !socket.destroyed) socket.write('{');
      }, 100);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(JSON.parse(answer.split('\r\n\r\n')[1])).toEqual({ error: 'RequestTimeout', message: expect.any(String) });
  });

  test('client aborts print no stack trace', async () => {
    const written = jest.spyOn(process.stderr, 'write');
    try {
      for (let i = 0; i < 5; i += 1) {
        await new Promise<void>((resolve) => {
          const socket = connect(Number(new URL(api.url).port), '127.0.0.1', () => {
            socket.write(
              `PUT ${stagePath}/streams/${STREAM}/record HTTP/1.1\r\nHost: x\r\n${key()}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"data":`,
            );
            setImmediate(() => socket.destroy());
          });
          socket.on('close', () => resolve());
        });
      }
      // The gateway still answers, and has written nothing to stderr meanwhile.
      expect((await client.get('/streams')).status).toBe(200);
      expect(written.mock.calls.map((c) => String(c[0]))).toEqual([]);
    } finally {
      written.mockRestore();
    }
  });
});

describe('bytes that cannot be stored as sent are refused with a 400, and nothing is written', () => {
  let before: string[];
  beforeAll(async () => {
    await client.put(`/streams/${STREAM}/record`, { data: 'seed' });
    before = await stored();
  });
  afterAll(async () => {
    expect(await stored()).toEqual(before);
  });

  test.each([
    [
      'invalid UTF-8',
      Buffer.concat([Buffer.from('{"data": "a'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
      'application/json',
      /not valid UTF-8/,
    ],
    [
      'an ISO-8859-1 body',
      Buffer.from('{"data": "caf\xe9"}', 'latin1'),
      'application/json; charset=iso-8859-1',
      /charset=iso-8859-1/,
    ],
    ['a lone surrogate', Buffer.from('{"data": "a\\ud800b"}'), 'application/json', /U\+D800/],
    [
      'a lone surrogate in a batch',
      Buffer.from('{"records": [{"data": "ok"}, {"data": "\\udc00"}]}'),
      'application/json',
      /U\+DC00/,
    ],
  ])('%s', async (name, body, type, reason) => {
    const path = name.includes('batch') ? `/streams/${STREAM}/records` : `/streams/${STREAM}/record`;
    const res = await client.request<{ error: string; message: string }>('PUT', path, {
      rawBody: body,
      headers: { 'content-type': type },
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ error: 'BadRequestBody', message: expect.any(String) });
    // The reason, for whoever reads the access log (API Gateway's $context.error.validationErrorString).
    expect(accessLog.find((e) => e.requestId === res.headers.get('x-amzn-requestid'))?.errorMessage).toMatch(reason);
  });
});

describe("Kinesis's request limits hold before the backend sees the call", () => {
  let before: string[];
  beforeAll(async () => {
    before = await stored();
  });
  afterAll(async () => {
    expect(await stored()).toEqual(before);
  });

  test('501 records: 400 Validation', async () => {
    const res = await client.put(`/streams/${STREAM}/records`, {
      records: Array.from({ length: 501 }, (_, i) => ({ data: i })),
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({
      error: 'Validation',
      message: expect.stringContaining('less than or equal to 500'),
    });
  });

  test('a 5.05 MiB batch: 400 InvalidArgument', async () => {
    const each = Math.ceil((5.05 * 1024 * 1024) / 6);
    const res = await client.put(`/streams/${STREAM}/records`, {
      records: Array.from({ length: 6 }, () => ({
        dataBase64: Buffer.alloc(each, 1).toString('base64'),
        partitionKey: 'k',
      })),
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ error: 'InvalidArgument', message: 'Records size exceeds 5 MB limit' });
  });

  test('a record whose data and key pass 1 MiB: 400 Validation', async () => {
    const res = await client.put(`/streams/${STREAM}/record`, {
      dataBase64: Buffer.alloc(1024 * 1024 - 2, 1).toString('base64'),
      partitionKey: 'key',
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ error: 'Validation', message: expect.stringContaining("'data'") });
  });
});

test('a made-up next-token for the shard list is a 400, and the gateway goes on serving', async () => {
  const res = await client.get(`/streams/${STREAM}/shards?next-token=%3Cstring%3E`);
  expect(res.status).toBe(400);
  expect(JSON.parse(res.text)).toEqual({ error: 'InvalidArgument', message: expect.stringContaining('nextToken') });
  expect((await client.get(`/streams/${STREAM}/shards`)).status).toBe(200);
});

test("another stream's shard iterator is denied, as the role denies it in the cloud", async () => {
  const iterator = await outsideStreamIterator(api.backend, 'secret');
  const res = await client.get(`/streams/${STREAM}/records`, { headers: { 'Shard-Iterator': iterator } });
  expect(res.status).toBe(403);
  expect(JSON.parse(res.text)).toEqual({ error: 'AccessDenied', message: expect.stringContaining('stream/outside') });
  expect(res.text).not.toContain(Buffer.from('secret').toString('base64'));
  // The configured stream's own iterators, and the ones each read hands on, still read.
  expect((await readShard(client, STREAM)).length).toBeGreaterThan(0);
});

const SHARDS = {
  Shards: [
    {
      ShardId: 'shardId-000000000000',
      HashKeyRange: { StartingHashKey: '0', EndingHashKey: '1' },
      SequenceNumberRange: { StartingSequenceNumber: '1' },
    },
  ],
};

describe('integration answers are bounded', () => {
  let stub: KinesisStub;
  let endpointApi: LocalApi;
  let endpointClient: ApiClient;
  beforeAll(async () => {
    stub = await startKinesisStub();
    stub.answer('DescribeStreamSummary', {
      status: 200,
      body: { StreamDescriptionSummary: { StreamName: STREAM, StreamStatus: 'ACTIVE', RetentionPeriodHours: 24 } },
    });
    endpointApi = await startLocalApi({
      config: parseConfig({ stage: 'rel', streams: [{ name: STREAM }] }),
      port: 0,
      throttle: false,
      backend: { kind: 'endpoint', endpoint: stub.endpoint, region: 'us-east-1' },
    });
    endpointClient = new ApiClient(endpointApi.url, endpointApi.apiKey);
  });
  afterAll(async () => {
    await endpointApi.close();
    await stub.close();
  });

  test.each([
    ['a declared 600 MB answer', { count: 600 * 1024 * 1024, declared: true }],
    ['an undeclared 300 MB answer', { count: 300 * 1024 * 1024, declared: false }],
  ])('%s is a 502 KinesisFailure, and the gateway answers on', async (_, bytes) => {
    stub.answer('ListShards', { status: 200, body: {}, bytes });
    const res = await endpointClient.get(`/streams/${STREAM}/shards`);
    expect(res.status).toBe(502);
    expect(JSON.parse(res.text)).toEqual({ error: 'KinesisFailure', message: expect.any(String) });
    stub.answer('ListShards', { status: 200, body: SHARDS });
    expect((await endpointClient.get(`/streams/${STREAM}/shards`)).status).toBe(200);
  });
});

describe('shutdown', () => {
  let stub: KinesisStub;
  beforeAll(async () => {
    stub = await startKinesisStub();
    stub.answer('DescribeStreamSummary', {
      status: 200,
      body: { StreamDescriptionSummary: { StreamName: STREAM, StreamStatus: 'ACTIVE', RetentionPeriodHours: 24 } },
    });
  });
  afterAll(() => stub.close());

  /** Once the stub has seen more calls than `seen`: the request is in flight at the backend. */
  const reached = (seen: number): Promise<void> => stub.called(seen + 1);

  const start = (): Promise<LocalApi> =>
    startLocalApi({
      config: parseConfig({ stage: 'rel', streams: [{ name: STREAM }] }),
      port: 0,
      throttle: false,
      backend: { kind: 'endpoint', endpoint: stub.endpoint, region: 'us-east-1' },
    });

  function get(
    agent: Agent,
    url: string,
    apiKey?: string,
  ): Promise<{ status: number; connection: string | undefined; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, { agent, headers: apiKey === undefined ? {} : { 'x-api-key': apiKey } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  test('a request in flight finishes and closes its keep-alive connection; the server takes no new connection', async () => {
    const local = await start();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      stub.answer('ListShards', { status: 200, body: SHARDS });
      const first = await get(agent, `${local.url}/streams/${STREAM}/shards`, local.apiKey);
      expect(first).toMatchObject({ status: 200, connection: 'keep-alive' });

      let release!: () => void;
      stub.answer('ListShards', { status: 200, body: SHARDS, after: new Promise<void>((r) => (release = r)) });
      const seen = stub.calls.length;
      const inFlight = get(agent, `${local.url}/streams/${STREAM}/shards`, local.apiKey);
      await reached(seen);
      const closed = local.close();
      release();
      expect(await inFlight).toMatchObject({ status: 200, connection: 'close' });
      await closed;
      await expect(get(new Agent(), `${local.url}/streams/${STREAM}/shards`, local.apiKey)).rejects.toThrow(
        /ECONNREFUSED/,
      );
    } finally {
      agent.destroy();
    }
  });

  test('a request still running after the grace is cut, and close() resolves', async () => {
    const local = await start();
    stub.answer('ListShards', { status: 200, body: {}, hang: true });
    const seen = stub.calls.length;
    const hung = get(new Agent(), `${local.url}/streams/${STREAM}/shards`, local.apiKey).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    await reached(seen);
    await local.close(200);
    expect(await hung).toMatch(/socket hang up|ECONNRESET/);
  });
});
