/**
 * IngestClient's node:http sender against a small node:http server on 127.0.0.1: what goes over the
 * wire (API key, SigV4 that verifies, body), and how answers and broken answers are read.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { createPutRecordsSender } from '../../client/put-records-sender';

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

type Handler = (received: Received, res: ServerResponse) => void;

let server: Server;
let base: string;
let handler: Handler;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const one = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      received.push(one);
      handler(one, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/dev`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received.length = 0;
});

const answer =
  (status: number, body: string, headers: Record<string, string> = {}): Handler =>
  (_, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  };

const BODY = '{"records":[{"data":"héllo","partitionKey":"k"}]}';
const STORED = '{"failedRecordCount":0,"records":[{"shardId":"shardId-000000000000","sequenceNumber":"1"}]}';

describe('the node:http PutRecords sender', () => {
  it('sends the body as is with the API key, and reads a 200', async () => {
    handler = answer(200, STORED);
    const sender = createPutRecordsSender({ url: `${base}/`, auth: { apiKey: 'key-1' } }, 'ingest-events');
    try {
      const reply = await sender.send(BODY);
      expect(reply).toMatchObject({ status: 200, retryAfter: null, data: JSON.parse(STORED) as unknown });
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ method: 'PUT', url: '/dev/streams/ingest-events/records', body: BODY });
      expect(received[0].headers).toMatchObject({
        'x-api-key': 'key-1',
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(BODY)),
      });
    } finally {
      sender.close();
    }
  });

  it('keeps a plain-text answer as the error, and Retry-After', async () => {
    handler = answer(413, 'Request Too Long', { 'content-type': 'text/plain' });
    const sender = createPutRecordsSender({ url: base, auth: { none: true } }, 'ingest-events');
    try {
      await expect(sender.send(BODY)).resolves.toEqual({ status: 413, retryAfter: null, error: 'Request Too Long' });
      handler = answer(429, '{"error":"Throttling","message":"Rate exceeded"}', { 'retry-after': '2' });
      await expect(sender.send(BODY)).resolves.toEqual({
        status: 429,
        retryAfter: '2',
        error: { error: 'Throttling', message: 'Rate exceeded' },
      });
      // A 200 whose body is not JSON is no PutRecords answer.
      handler = answer(200, '<html>proxy</html>', { 'content-type': 'text/html' });
      const reply = await sender.send(BODY);
      expect(reply.data).toBeUndefined();
      expect(reply.error).toBe('<html>proxy</html>');
    } finally {
      sender.close();
    }
  });

  it('rejects when the answer breaks off mid-body', async () => {
    handler = (_, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"failedRecordCount":0,');
      setImmediate(() => res.socket?.destroy());
    };
    const sender = createPutRecordsSender({ url: base, auth: { none: true } }, 'ingest-events');
    try {
      await expect(sender.send(BODY)).rejects.toThrow();
    } finally {
      sender.close();
    }
  });

  it('signs with SigV4 (execute-api) over the request as sent, as the typed client does', async () => {
    handler = answer(200, STORED);
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' };
    const region = 'eu-west-1';
    const viaHttp = createPutRecordsSender({ url: base, auth: { iam: { region, credentials } } }, 'ingest-events');
    const viaFetch = createPutRecordsSender(
      { url: base, auth: { iam: { region, credentials } }, fetch },
      'ingest-events',
    );
    try {
      await viaHttp.send(BODY);
      await viaFetch.send(BODY);
    } finally {
      viaHttp.close();
      viaFetch.close();
    }
    expect(received).toHaveLength(2);
    // The server's side of SigV4: sign the request as received, with its signed headers and date.
    const verifier = new SignatureV4({
      service: 'execute-api',
      region,
      credentials,
      sha256: Hash.bind(null, 'sha256'),
    });
    for (const request of received) {
      const authorization = String(request.headers.authorization);
      const signedNames = /SignedHeaders=([^,]+)/.exec(authorization)?.[1].split(';') ?? [];
      expect(signedNames).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-security-token']));
      // The payload hash signed must be the body's as received.
      expect(request.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(request.body).digest('hex'));
      const headers = Object.fromEntries(signedNames.map((name) => [name, String(request.headers[name])]));
      const amzDate = headers['x-amz-date'];
      const signingDate = new Date(
        `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
      );
      const url = new URL(request.url, base);
      const expected = await verifier.sign(
        {
          method: request.method,
          protocol: url.protocol,
          hostname: url.hostname,
          port: Number(url.port),
          path: url.pathname,
          query: {},
          headers,
          body: request.body,
        },
        { signingDate },
      );
      expect(authorization).toBe(expected.headers.authorization);
    }
  });
});
