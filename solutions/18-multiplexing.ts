// Solution to exercise 18: a chat server in one process, every client served at once.
import { createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { name, say } from '../lib/lesson/index.js';
import { given } from '../lib/exercises/kit.js';

const { port } = given(() => ({ port: 9090 }));
name('chat server');

/** The clients connected now: each is a descriptor in the event loop's epoll list, not a process. */
const clients = new Set<Socket>();

const server = createServer((client) => {
  client.on('error', () => client.destroy()); // a client that vanishes is not our crash
  clients.add(client);
  client.on('close', () => clients.delete(client)); // gone: the others go on without it
  // This callback runs whenever the kernel says this client's socket is readable; in between,
  // the process sleeps in epoll_wait() with every other connection.
  createInterface({ input: client, crlfDelay: Infinity }).on('line', (line) => {
    for (const other of clients) if (other !== client) other.write(`${line}\n`);
  });
});
server.listen(port, '127.0.0.1', () => say(`chat server on 127.0.0.1:${port}; connect with: nc 127.0.0.1 ${port}`));
