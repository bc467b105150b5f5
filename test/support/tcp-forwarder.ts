/**
 * A TCP forwarder on 127.0.0.1 (port 0) in front of a backend that a test stops and starts again:
 * the gateway keeps one address while the backend comes back on a port of its own, so no test binds
 * a port another process may have taken since it was released.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface TcpForwarder {
  readonly endpoint: string;
  /** Sends new connections to this endpoint, and drops those open to the previous one. */
  forwardTo(endpoint: string): void;
  /** Resets every connection, open or new, as a host with nothing listening does. */
  cut(): void;
  close(): Promise<void>;
}

/**
 * Resets a connection (RST), or destroys it (FIN) once end() has been called on it: libuv does not
 * allow a reset after a shutdown (uv_tcp_close_reset, https://docs.libuv.org/en/v1.x/tcp.html).
 * On Node 20, resetAndDestroy() while the shutdown is pending fails with EINVAL and never closes
 * the socket's handle: no 'close', the descriptor stays open, and the process cannot exit.
 * pipe() ends one side when the other ends, so a forwarded connection can be in that state.
 */
function reset(socket: Socket): void {
  if (socket.writableEnded || socket.connecting) socket.destroy();
  else socket.resetAndDestroy();
}

export async function startTcpForwarder(target: string): Promise<TcpForwarder> {
  let current: URL | undefined = new URL(target);
  const open = new Set<Socket>();
  const track = (socket: Socket): void => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };
  const dropAll = (): void => {
    for (const socket of open) reset(socket);
  };
  const server = createServer((client) => {
    track(client);
    client.on('error', () => undefined);
    if (current === undefined) return void reset(client);
    const upstream = connect(Number(current.port), current.hostname);
    track(upstream);
    upstream.on('error', () => reset(client));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    forwardTo: (endpoint) => {
      current = new URL(endpoint);
      dropAll();
    },
    cut: () => {
      current = undefined;
      dropAll();
    },
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}
