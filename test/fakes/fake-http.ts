// The HTTP(S) server under each provider fake: body reading, injected faults, going down and up.
import { createServer as createHttpServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * Makes requests fail with `status` and/or answer after `delayMs`, or (`hang`) never answer at all,
 * for `times` requests (forever if omitted).
 */
export interface HttpFault {
  status?: number;
  delayMs?: number;
  /** Accept the request, read it, and never answer (the client's timeout must end it). */
  hang?: boolean;
  times?: number;
}

/** A request as a fake's handler sees it, body read. */
export interface FakeRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What a handler answers: a status, a JSON-serialisable body (or a string / Buffer sent as is) and headers. */
export interface FakeResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A running fake server. */
export interface FakeHttpServer {
  /** e.g. `http://127.0.0.1:41234` (https with `tls`). */
  baseUrl: string;
  port: number;
  /** Requests received so far, failed and faulted ones included. */
  attempts(): number;
  /** Sets (or clears with null) the fault requests get. */
  fail(fault: HttpFault | null): void;
  /** Stops listening: connections are refused until `up()`. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a fake on 127.0.0.1 with an ephemeral port; `faultResponse` words an injected error the provider's way. */
export async function startFakeHttp(
  handle: (request: FakeRequest) => FakeResponse | Promise<FakeResponse>,
  faultResponse: (status: number) => FakeResponse,
  tls?: { key: string; cert: string },
): Promise<FakeHttpServer> {
  let fault: HttpFault | null = null;
  let attempts = 0;

  const send = (res: ServerResponse, { status, body, headers }: FakeResponse): void => {
    const raw = typeof body === 'string' || Buffer.isBuffer(body);
    res.writeHead(status, {
      ...(raw ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      ...headers,
    });
    res.end(raw ? body : JSON.stringify(body));
  };

  const listener = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    attempts += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const current = fault;
    if (current?.times !== undefined && --current.times <= 0) fault = null;
    if (current?.hang) return; // the response is never written; stop() closes the connection
    if (current?.delayMs) await new Promise((resolve) => setTimeout(resolve, current.delayMs));
    if (current?.status) return send(res, faultResponse(current.status));
    const request = {
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', 'http://fake'),
      headers: req.headers,
    };
    try {
      send(res, await handle({ ...request, body: Buffer.concat(chunks) }));
    } catch (error) {
      send(res, { status: 500, body: String(error) });
    }
  };
  // A client that goes away mid-request must not become an unhandled rejection.
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    listener(req, res).catch(() => res.destroy());
  };
  const server: Server = tls ? createHttpsServer(tls, onRequest) : createHttpServer(onRequest);

  const listen = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });

  await listen(0);
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    attempts: () => attempts,
    fail(next) {
      fault = next && { ...next };
    },
    down: close,
    up: () => listen(port),
    stop: close,
  };
}
