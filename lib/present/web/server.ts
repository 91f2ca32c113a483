// The projector page's server: a few fixed files, one stream of Server-Sent Events per open page,
// and (in predict mode) one small POST for a student's answer.
//
// It listens on 127.0.0.1 unless the teacher chose another address (`--web-host`) so the room can
// open the page on their laptops. It answers only requests addressed to it by an IP address or
// `localhost`, so a web site cannot reach it through a DNS name rebound to this machine.
//
// Who is who: the teacher's page is the one whose link carries the run's teacher token (printed
// in the terminal, never sent to a page); every other page is a student's, read-only but for its
// answer. A student's browser is told apart by a cookie the server issued (one answer per browser
// per question). Everything a page can send is bounded: a body of at most 512 bytes, a few answers
// a second per browser, a limit on open pages and on issued cookies.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
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
  /** The teacher's page (its link carried the teacher token). */
  readonly teacher: boolean;
  /** A student's browser, by the cookie the server issued it; undefined without one. */
  readonly voter: string | undefined;
}

export interface PageServer {
  /** The link on the address it listens on (127.0.0.1 for 0.0.0.0), without the teacher token. */
  readonly url: string;
  /** The same, with the teacher token: the teacher's page. */
  readonly teacherUrl: string;
  readonly host: string;
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
  /** The address to listen on (an IP address; 0.0.0.0 or :: for every address). Default 127.0.0.1. */
  host?: string;
  /** Path → file, e.g. '/' → the page. */
  assets: Record<string, Asset>;
  /** The path of the event stream. */
  eventsPath: string;
  /** A page has just connected: send it the picture so far. */
  onConnect(client: PageClient): void;
  /**
   * A student's answer (POST /answer, JSON, from a browser the server issued a cookie to). Returns
   * whether it was taken; absent: the server takes no answers.
   */
  onAnswer?(voter: string, body: unknown): boolean;
}

/** The limits on what a room can send (see the top of this file). */
export const LIMITS = {
  bodyBytes: 512,
  /** Answers per browser: a burst of this many … */
  answerBurst: 5,
  /** … then one per this many milliseconds. */
  answerEveryMs: 500,
  pages: 300,
  voters: 1000,
};

const VOTER_COOKIE = 'procbook-voter';
const ANSWER_PATH = '/answer';

// The page and its files come from us, its data from the event stream, nothing from elsewhere.
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

/** The host part of a Host header ("[::1]:8080" → "::1"), and its port. */
function splitHost(header: string): { name: string; port: string } {
  const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(header) ?? /^([^:]+)(?::(\d+))?$/.exec(header);
  return { name: match?.[1] ?? '', port: match?.[2] ?? '80' };
}

/** A link to this server on `host`. */
export function linkTo(host: string, port: number): string {
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}/`;
}

/** The address a page on this machine uses to reach a server listening on `host`. */
export function localAddressFor(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}

function cookieOf(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startPageServer(options: PageServerOptions): Promise<PageServer> {
  const clients = new Set<PageClient>();
  const streams = new Set<ServerResponse>();
  const host = options.host ?? '127.0.0.1';
  const teacherToken = randomBytes(18).toString('base64url');
  /** Issued cookies → their answer budget (a token bucket). */
  const voters = new Map<string, { tokens: number; at: number }>();
  let port = options.port;

  // Only a name that cannot be rebound: an IP address, or localhost; and only our port.
  const addressedToUs = (request: IncomingMessage): boolean => {
    const { name, port: asked } = splitHost(request.headers.host ?? '');
    return asked === String(port) && (name === 'localhost' || isIP(name) !== 0);
  };

  const voterOf = (request: IncomingMessage): string | undefined => {
    const id = cookieOf(request, VOTER_COOKIE);
    return id !== undefined && voters.has(id) ? id : undefined;
  };

  const isTeacher = (request: IncomingMessage): boolean => {
    const given = new URL(request.url ?? '/', 'http://x').searchParams.get('teacher');
    return given !== null && sameText(given, teacherToken);
  };

  /** A browser new to this run gets a cookie (as long as there are cookies left to give). */
  const cookieFor = (request: IncomingMessage): Record<string, string> => {
    if (voterOf(request) !== undefined || voters.size >= LIMITS.voters) return {};
    const id = randomBytes(12).toString('base64url');
    voters.set(id, { tokens: LIMITS.answerBurst, at: Date.now() });
    return { 'Set-Cookie': `${VOTER_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict` };
  };

  const mayAnswer = (voter: string): boolean => {
    const budget = voters.get(voter)!;
    const now = Date.now();
    budget.tokens = Math.min(LIMITS.answerBurst, budget.tokens + (now - budget.at) / LIMITS.answerEveryMs);
    budget.at = now;
    if (budget.tokens < 1) return false;
    budget.tokens -= 1;
    return true;
  };

  const refuse = (response: ServerResponse, status: number, why: string): void => {
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end(`${why}\n`);
  };

  const takeAnswer = (request: IncomingMessage, response: ServerResponse): void => {
    const voter = voterOf(request);
    const origin = request.headers.origin;
    if (!options.onAnswer) return refuse(response, 404, 'not found');
    // A form on another site cannot answer for a student: JSON only, from a page of ours.
    if (!/^application\/json\b/.test(request.headers['content-type'] ?? '')) return refuse(response, 415, 'JSON only');
    if (origin !== undefined && origin !== `http://${request.headers.host}`) return refuse(response, 403, 'not from this page');
    if (voter === undefined) return refuse(response, 403, 'open the page first');
    if (Number(request.headers['content-length'] ?? 0) > LIMITS.bodyBytes) return refuse(response, 413, 'too long');
    let size = 0;
    const chunks: Buffer[] = [];
    let tooLong = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > LIMITS.bodyBytes) {
        tooLong = true;
        request.removeAllListeners('data');
        refuse(response, 413, 'too long');
        request.socket.destroySoon();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (tooLong) return;
      if (!mayAnswer(voter)) return refuse(response, 429, 'too many answers: wait a second');
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return refuse(response, 400, 'not JSON');
      }
      if (options.onAnswer!(voter, body)) response.writeHead(204, SECURITY_HEADERS).end();
      else refuse(response, 409, 'not a choice of the question open now');
    });
  };

  const openStream = (request: IncomingMessage, response: ServerResponse): void => {
    if (clients.size >= LIMITS.pages) return refuse(response, 503, 'too many pages open');
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
      teacher: isTeacher(request),
      voter: voterOf(request),
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
  // Bounded waits: a client that sends its request slowly is cut off.
  const server = createServer({ noDelay: true, headersTimeout: 5000, requestTimeout: 10_000 }, (request, response) => {
    if (!addressedToUs(request)) {
      response.writeHead(403, { 'Content-Type': 'text/plain' }).end('procbook answers only to an IP address or localhost\n');
      return;
    }
    const path = (request.url ?? '/').split('?')[0]!;
    if (request.method === 'GET' && path === options.eventsPath) {
      openStream(request, response);
      return;
    }
    if (request.method === 'POST' && path === ANSWER_PATH) {
      takeAnswer(request, response);
      return;
    }
    const asset = options.assets[path];
    if ((request.method === 'GET' || request.method === 'HEAD') && asset) {
      response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': asset.contentType, ...(path === '/' ? cookieFor(request) : {}) });
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
      else if (error.code === 'EADDRNOTAVAIL') reject(new UserError(said.webHostNotHere(host)));
      else reject(new UserError(said.cannotListen(`${host}:${options.port}`, error.code ?? error.message)));
    };
    server.once('error', onError);
    server.listen({ host, port: options.port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  const url = linkTo(localAddressFor(host), port);
  return {
    url,
    teacherUrl: `${url}?teacher=${teacherToken}`,
    host,
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
