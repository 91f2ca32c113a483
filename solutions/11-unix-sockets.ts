// Solution to exercise 11: an echo server on a Unix socket that survives a stale socket file.
import { unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { name, say, tempDir } from '../lib/lesson/index.js';
import { given } from '../lib/exercises/kit.js';

const { socket } = given(() => ({ socket: join(tempDir('echo'), 'echo.sock') }));
name('echo server');

const clients = new Set<Socket>();
const server = createServer((client) => {
  clients.add(client);
  client.on('close', () => clients.delete(client));
  client.pipe(client); // every byte it sends goes back to it
  client.on('error', () => client.destroy());
});

await listenSafely(server, socket);
if (server.listening) {
  say(`echoing on ${socket}`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      say(`${signal}: closing (this removes ${socket})`);
      // close() stops accepting and removes the socket file; the process ends once the clients
      // still connected have gone: cut them off so that it does not wait.
      server.close();
      for (const client of clients) client.destroy();
    });
  }
}

/** Listens at `path`; a stale socket file there is removed first, a live server is left alone. */
async function listenSafely(server: Server, path: string): Promise<void> {
  try {
    await listenOnce(server, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    if (await isAlive(path)) {
      say(`a server is already listening at ${path}: leaving it alone`);
      process.exitCode = 1;
      return;
    }
    say(`${path} is a stale socket file (nobody answers): removing it`);
    unlinkSync(path);
    await listenOnce(server, path);
  }
}

/** Starts listening at `path`, or rejects with the error (err.code is e.g. 'EADDRINUSE'). */
function listenOnce(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error): void => reject(error);
    server.once('error', failed);
    server.listen(path, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

/** Is a server listening at `path`? Connect and see: ECONNREFUSED means no. */
function isAlive(path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') resolve(false);
      else reject(error);
    });
  });
}
