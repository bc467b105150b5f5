/**
 * The HTTP face of the local gateway: reads each request (cut off past API Gateway's 10 MB),
 * hands it to the gateway, writes the answer and one access-log line. Every answer is JSON, Node's
 * own protocol errors included. `close()` stops taking requests, lets the ones in flight finish
 * (closing keep-alive connections after their current answer), and gives up waiting after a bound.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { MAX_PAYLOAD_BYTES, type AccessLogEntry, type GatewayRequest, type LocalGateway } from './gateway';

export interface StaticPage {
  readonly contentType: string;
  readonly body: Buffer | string;
}

/**
 * API Gateway documents no timeout for receiving a request; its one bound on a request's time is
 * the integration timeout (50 ms to 29 s, API Gateway quotas). A client gets as long to send its
 * whole request (30 s), and a third of that for its headers: a client trickling bytes cannot hold a
 * connection, or shutdown, longer.
 */
export const REQUEST_TIMEOUT_MS = 30_000;
export const HEADERS_TIMEOUT_MS = 10_000;
/** How long close() waits for requests in flight before it cuts their connections. */
export const SHUTDOWN_GRACE_MS = 25_000;

export interface HttpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly accessLog?: (entry: AccessLogEntry) => void;
  /** Pages served outside the API, by exact path (the docs at /docs). */
  readonly pages?: ReadonlyMap<string, StaticPage>;
  /** Default REQUEST_TIMEOUT_MS. */
  readonly requestTimeoutMs?: number;
  /** Default HEADERS_TIMEOUT_MS. */
  readonly headersTimeoutMs?: number;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Resolves when every connection is closed: requests in flight finish, within `graceMs` (default SHUTDOWN_GRACE_MS). */
  close(graceMs?: number): Promise<void>;
}

/** A JSON error in the API's shape, for answers the gateway itself never sees. */
function errorBody(error: string, message: string): string {
  return JSON.stringify({ error, message });
}

/**
 * Node answers protocol errors itself, with an empty body: each gets its status and a JSON body
 * here: 414 for a request line over Node's 16 KiB, 431 for headers over it (API Gateway: "Total
 * combined size of all header values 10240 Bytes"), 408 for a client too slow to send its request.
 */
function clientErrorAnswer(error: NodeJS.ErrnoException & { rawPacket?: Buffer }): string {
  let status = 400;
  let body = errorBody('BadRequest', `The request is not valid HTTP/1.1 (${error.code ?? 'parse error'}).`);
  // The request line alone did not end within the limit: the URL is what is too long.
  if (error.code === 'HPE_HEADER_OVERFLOW' && error.rawPacket !== undefined && !error.rawPacket.includes('\r\n')) {
    status = 414;
    body = errorBody('UriTooLong', 'The URL is over 16 KiB: send a shorter one.');
  } else if (error.code === 'HPE_HEADER_OVERFLOW') {
    status = 431;
    body = errorBody(
      'RequestHeaderFieldsTooLarge',
      'The request line and headers are over 16 KiB: send a shorter URL and fewer or smaller headers.',
    );
  } else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'ERR_HTTP_HEADERS_TIMEOUT') {
    status = 408;
    body = errorBody('RequestTimeout', 'The request was not received in time: send it whole, without pauses.');
  } else if (error.code === 'HPE_INVALID_METHOD') {
    body = errorBody('BadRequest', 'The request method is not one HTTP/1.1 knows.');
  }
  const reason = {
    400: 'Bad Request',
    408: 'Request Timeout',
    414: 'URI Too Long',
    431: 'Request Header Fields Too Large',
  }[status];
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

class ClientAborted extends Error {}

/** Bodies declared larger than this are read into shared memory (see readBody). */
const SHARED_ABOVE_BYTES = 64 * 1024;

/**
 * Reads the body, at most MAX_PAYLOAD_BYTES of it. With a declared length the bytes are copied
 * into one buffer as they arrive: joining 10 MB of chunks at the end would hold the thread for tens
 * of milliseconds in one go. A large one is in a SharedArrayBuffer, so that handing it to a worker
 * thread (offload/) shares it instead of copying it on this thread.
 */
function readBody(
  req: IncomingMessage,
  declaredLength: number | undefined,
): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const whole =
      declaredLength === undefined || declaredLength === 0
        ? undefined
        : declaredLength > SHARED_ABOVE_BYTES
          ? Buffer.from(new SharedArrayBuffer(declaredLength))
          : Buffer.allocUnsafe(declaredLength);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      const at = size;
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) tooLarge = true;
      // Past the limit the rest is read and dropped, so the client still gets its answer.
      if (tooLarge) return;
      if (whole !== undefined && size <= whole.length) chunk.copy(whole, at);
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) resolve({ body: Buffer.alloc(0), tooLarge });
      // Node ends a request with a declared length only when that many bytes came.
      else resolve({ body: whole ?? Buffer.concat(chunks), tooLarge });
    });
    req.on('error', () => reject(new ClientAborted()));
    req.on('aborted', () => reject(new ClientAborted()));
  });
}

export async function startHttpServer(gateway: LocalGateway, options: HttpServerOptions): Promise<RunningServer> {
  let inFlight = 0;
  let closing = false;
  let drained: (() => void) | undefined;

  const server: Server = createServer(
    {
      requestTimeout: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
      headersTimeout: options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS,
      // How often Node looks for requests over those timeouts (its default, 30 s, would blur them).
      connectionsCheckingInterval: 500,
    },
    (req: IncomingMessage, res: ServerResponse) => {
      inFlight += 1;
      res.on('close', () => {
        inFlight -= 1;
        if (inFlight === 0) drained?.();
      });
      void serve(req, res);
    },
  );

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // A client that went away needs no answer, and no stack trace.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorAnswer(error));
  });

  function send(
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: string,
    close: boolean,
  ): void {
    // During shutdown every answer closes its connection: keep-alive clients send nothing more.
    const connection = close || closing ? { connection: 'close' } : {};
    res.writeHead(status, { ...headers, ...connection, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (closing) {
        send(
          res,
          503,
          { 'content-type': 'application/json', 'retry-after': '1' },
          errorBody('ServiceUnavailable', 'The local gateway is shutting down.'),
          true,
        );
        return;
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      const page = options.pages?.get(url.pathname);
      if (page && req.method === 'GET') {
        res.writeHead(200, { 'content-type': page.contentType });
        res.end(page.body);
        return;
      }
      // A declared length over the limit is refused at once, without waiting for the body; the
      // connection is closed after the answer since its body is never read.
      const declaredLength =
        req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
      const declaredTooLarge = (declaredLength ?? 0) > MAX_PAYLOAD_BYTES;
      const { body, tooLarge } = declaredTooLarge
        ? { body: Buffer.alloc(0), tooLarge: true }
        : await readBody(req, declaredLength);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
      }
      const request: GatewayRequest = {
        method: req.method ?? 'GET',
        rawPath: url.pathname,
        query: url.searchParams,
        headers,
        body,
        tooLarge,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      };
      const result = await gateway.handle(request);
      if (res.destroyed) return;
      send(res, result.status, result.headers, result.body, declaredTooLarge);
      options.accessLog?.(result.log);
    } catch (error) {
      if (error instanceof ClientAborted || res.destroyed) return;
      process.stderr.write(`local gateway: ${error instanceof Error ? error.stack : String(error)}\n`);
      if (res.headersSent) res.end();
      else send(res, 500, { 'content-type': 'application/json' }, '{"message": "Internal server error"}', false);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    close: (graceMs = SHUTDOWN_GRACE_MS) =>
      (closed ??= new Promise<void>((resolve) => {
        closing = true;
        server.close(() => resolve());
        server.closeIdleConnections();
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        cut.unref();
        const finish = (): void => {
          clearTimeout(cut);
          // Connections whose last answer went out close themselves; any left idle go now.
          server.closeAllConnections();
        };
        if (inFlight === 0) finish();
        else drained = finish;
      })),
  };
}
