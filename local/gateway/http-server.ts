/**
 * The HTTP face of the local gateway: reads each request (cut off past API Gateway's 10 MB),
 * hands it to the gateway, writes the answer and one access-log line. `close()` stops accepting,
 * lets requests in flight finish, then resolves.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_PAYLOAD_BYTES, type AccessLogEntry, type GatewayRequest, type LocalGateway } from './gateway';

export interface StaticPage {
  readonly contentType: string;
  readonly body: Buffer | string;
}

export interface HttpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly accessLog?: (entry: AccessLogEntry) => void;
  /** Pages served outside the API, by exact path (the docs at /docs). */
  readonly pages?: ReadonlyMap<string, StaticPage>;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = declared > MAX_PAYLOAD_BYTES;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) tooLarge = true;
      // Past the limit the rest is read and dropped, so the client still gets its answer.
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge }));
    req.on('error', reject);
  });
}

export async function startHttpServer(gateway: LocalGateway, options: HttpServerOptions): Promise<RunningServer> {
  let inFlight = 0;
  let drained: (() => void) | undefined;

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    inFlight += 1;
    res.on('close', () => {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    });
    void serve(req, res);
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const page = options.pages?.get(url.pathname);
      if (page && req.method === 'GET') {
        res.writeHead(200, { 'content-type': page.contentType });
        res.end(page.body);
        return;
      }
      const { body, tooLarge } = await readBody(req);
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
      res.writeHead(result.status, { ...result.headers, 'content-length': Buffer.byteLength(result.body) });
      res.end(result.body);
      options.accessLog?.(result.log);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"message": "Internal server error"}');
      process.stderr.write(`local gateway: ${error instanceof Error ? error.stack : String(error)}\n`);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;

  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        const finish = (): void => {
          server.closeAllConnections();
        };
        if (inFlight === 0) finish();
        else drained = finish;
      }),
  };
}
