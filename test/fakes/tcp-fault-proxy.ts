// A TCP proxy in front of a fake that can make the provider look down or hung, whatever its protocol.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** How the proxy treats connections: pass them on, refuse them (nothing listens), or accept and never answer. */
export type ProxyMode = 'pass' | 'refuse' | 'hang';

/** A running proxy: point the client at `port` instead of the fake's. */
export interface FaultProxy {
  port: number;
  /** Connections accepted so far (refused ones are not). */
  connections(): number;
  /** Switches the mode; connections already open keep theirs until they close. */
  set(mode: ProxyMode): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 (ephemeral port) to `targetPort`, in `pass` mode. */
export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  let mode: ProxyMode = 'pass';
  let connections = 0;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server: Server = createServer((client) => {
    connections += 1;
    track(client);
    // A hung provider: the connection is accepted, whatever is sent is read, nothing ever comes back.
    if (mode === 'hang') return void client.resume();
    const upstream = connect(targetPort, '127.0.0.1');
    track(upstream);
    client.pipe(upstream).pipe(client);
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  await listen(0);
  const { port } = server.address() as AddressInfo;
  return {
    port,
    connections: () => connections,
    async set(next) {
      if (next === 'refuse') await close();
      else if (!server.listening) await listen(port);
      mode = next;
    },
    stop: close,
  };
}
