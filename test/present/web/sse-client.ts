// A page of the projector as a raw HTTP client: it loads the page (and gets the cookie the server
// gives a browser), listens to the event stream, and answers as page.js does (POST /answer). For
// the room's tests: 60 of these are a class.
import { get, request, type IncomingMessage } from 'node:http';

export interface StreamedEvent {
  event: string;
  data: string;
}

export interface RawPage {
  cookie: string | undefined;
  events: StreamedEvent[];
  /** The events of one kind, parsed. */
  of<T>(event: string): T[];
  answer(question: unknown, value: unknown, options?: { headers?: Record<string, string>; body?: string }): Promise<number>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Sends one request, resolves with its status and headers (the body is read and dropped). */
export function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: IncomingMessage['headers'] }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** `base` is the page's link (http://host:port/); `query` is added to the stream's path (?teacher=…). */
export async function openRawPage(base: string, query = ''): Promise<RawPage> {
  const page = await send(base);
  const cookie = /procbook-voter=[^;]+/.exec(String(page.headers['set-cookie'] ?? ''))?.[0];
  const events: StreamedEvent[] = [];
  let stream: IncomingMessage | undefined;
  const ended = new Promise<void>((resolve, reject) => {
    get(`${base}events${query}`, { headers: cookie ? { cookie } : {}, agent: false }, (response) => {
      stream = response;
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) events.push({ event, data });
        }
      });
      response.on('close', () => resolve());
    }).on('error', reject);
  });
  const { host } = new URL(base);
  return {
    cookie,
    events,
    of: <T>(event: string) => events.filter((each) => each.event === event).map((each) => JSON.parse(each.data) as T),
    async answer(question, value, options = {}) {
      const body = options.body ?? JSON.stringify({ question, answer: value });
      const headers: Record<string, string> = { 'content-type': 'application/json', origin: `http://${host}`, ...(cookie ? { cookie } : {}), ...options.headers };
      return (await send(`${base}answer`, { method: 'POST', headers, body })).status;
    },
    ended,
    close: () => stream?.destroy(),
  };
}
