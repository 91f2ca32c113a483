// The course's TCP client, as functions the lesson calls: connect, send a line, read the answer,
// close. Each visit is timed from before connect() to the answer, as a client sees the server.
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export const HOST = '127.0.0.1';

/** Connects to the server (socket(AF_INET, SOCK_STREAM) + connect()). */
export function connectTo(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, HOST);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Sends one line and resolves with the answer line (TCP is a stream: read up to the newline). */
export function ask(socket: Socket, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const onData = (chunk: Buffer): void => {
      received += chunk.toString();
      const newline = received.indexOf('\n');
      if (newline < 0) return;
      socket.off('data', onData);
      socket.off('error', reject);
      resolve(received.slice(0, newline));
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(`${line}\n`);
  });
}

/** Closes our end and waits until the connection is closed on both sides. */
export function hangUp(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.closed) return resolve();
    socket.once('close', () => resolve());
    socket.end();
  });
}

export interface Visit {
  /** Our side's port: how the server tells its clients apart. */
  port: number;
  reply: string;
  /** From before connect() to the answer. */
  ms: number;
}

/** One short visit: connect, one question, one answer, close. */
export async function visit(port: number, line: string): Promise<Visit> {
  const start = performance.now();
  const socket = await connectTo(port);
  const reply = await ask(socket, line);
  const ms = performance.now() - start;
  const visit = { port: socket.localPort ?? 0, reply, ms };
  await hangUp(socket);
  return visit;
}

/** `count` visits, at most `atOnce` at the same time. */
export async function visitMany(port: number, count: number, atOnce: number): Promise<{ visits: Visit[]; wallMs: number }> {
  const start = performance.now();
  const visits: Visit[] = [];
  let next = 0;
  const client = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      visits.push(await visit(port, `client ${index + 1} says hello`));
    }
  };
  await Promise.all(Array.from({ length: atOnce }, client));
  return { visits, wallMs: performance.now() - start };
}
