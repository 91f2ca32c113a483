// The projector page's server: a few fixed files and one stream of Server-Sent Events per open
// page. It listens on 127.0.0.1 only (a lesson's process table is nobody else's business) and
// answers only requests addressed to it by that name, so a web site cannot reach it through a
// DNS name rebound to 127.0.0.1.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../../words/user-error.js';
import { pageWords } from '../../words/page.js';

export interface Asset {
  contentType: string;
  body: string;
}

/** One open page, listening for events. */
export interface PageClient {
  send(event: string, data: string): void;
  /** Resolves once the page has gone (it closed the stream, or the server ended it). */
  readonly gone: Promise<void>;
  /** For the view: how many output lines this page already has. */
  linesSent: number;
}

export interface PageServer {
  readonly url: string;
  readonly port: number;
  clients(): readonly PageClient[];
  /**
   * Stops taking pages, gives the open ones up to `waitMs` to leave by themselves (each page
   * closes its stream once it has the final picture), then ends what is left. Resolves when the
   * port is free again.
   */
  close(waitMs: number): Promise<void>;
}

export interface PageServerOptions {
  /** 0: any free port. */
  port: number;
  /** Path → file, e.g. '/' → the page. */
  assets: Record<string, Asset>;
  /** The path of the event stream. */
  eventsPath: string;
  /** A page has just connected: send it the picture so far. */
  onConnect(client: PageClient): void;
}

// The page and its files come from us, its data from the event stream, nothing from elsewhere.
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

export async function startPageServer(options: PageServerOptions): Promise<PageServer> {
  const clients = new Set<PageClient>();
  const streams = new Set<ServerResponse>();
  let port = options.port;

  const addressedToUs = (request: IncomingMessage): boolean => {
    const host = request.headers.host ?? '';
    return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  };

  const openStream = (request: IncomingMessage, response: ServerResponse): void => {
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    response.socket?.setNoDelay(true);
    // If the connection drops the page reconnects after a second, and gets the whole picture again.
    response.write('retry: 1000\n\n');
    let leave: () => void = () => undefined;
    const client: PageClient = {
      send(event, data) {
        if (!response.writableEnded && !response.destroyed) response.write(`event: ${event}\ndata: ${data}\n\n`);
      },
      gone: new Promise<void>((resolve) => (leave = resolve)),
      linesSent: 0,
    };
    const forget = (): void => {
      clients.delete(client);
      streams.delete(response);
      leave();
    };
    request.once('close', forget);
    response.once('close', forget);
    clients.add(client);
    streams.add(response);
    options.onConnect(client);
  };

  // noDelay: each event is small and should leave at once, not wait to be batched (Nagle).
  const server = createServer({ noDelay: true }, (request, response) => {
    if (!addressedToUs(request)) {
      response.writeHead(403, { 'Content-Type': 'text/plain' }).end('procbook answers only to 127.0.0.1 and localhost\n');
      return;
    }
    const path = (request.url ?? '/').split('?')[0]!;
    if (request.method === 'GET' && path === options.eventsPath) {
      openStream(request, response);
      return;
    }
    const asset = options.assets[path];
    if ((request.method === 'GET' || request.method === 'HEAD') && asset) {
      response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': asset.contentType });
      response.end(request.method === 'HEAD' ? undefined : asset.body);
      return;
    }
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.close();
      const said = pageWords().terminal;
      if (error.code === 'EADDRINUSE') reject(new UserError(said.portInUse(options.port)));
      else if (error.code === 'EACCES') reject(new UserError(said.portNotAllowed(options.port)));
      else reject(new UserError(said.cannotListen(options.port, error.code ?? error.message)));
    };
    server.once('error', onError);
    server.listen({ host: '127.0.0.1', port: options.port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    clients: () => [...clients],
    close(waitMs) {
      if (closed) return closed;
      closed = (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const everyPageLeft = Promise.all([...clients].map((client) => client.gone));
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([everyPageLeft, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
        clearTimeout(timer);
        for (const stream of streams) stream.end();
        server.closeAllConnections();
        await serverClosed;
      })();
      return closed;
    },
  };
}
