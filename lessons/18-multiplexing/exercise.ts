// Exercise 18 — a chat server in one process: every client served at once, no child process.
//
// Lesson 16's server gave each client a process of its own. Lesson 18's serves them all from ONE
// process: its event loop sleeps in epoll_wait() on every connection at once and wakes up for
// whichever has something to read (the course's IO多路复用). Write the course's chat that way,
// over TCP:
//   - listen on 127.0.0.1:`port`;
//   - every line a client sends goes to every OTHER client connected at that moment, as a line
//     (not back to the one who sent it);
//   - a client that hangs up is forgotten, and the others go on chatting;
//   - all in this one process: no child process, however many clients connect.
//
// What the check looks at: it connects several clients and keeps them all connected; each sends
// a line in turn, and every other client must get it; one client hangs up, and the rest go on;
// and all the while the table shows one process, the server, with no child.
//
//   try it:   npx tsx lessons/18-multiplexing/exercise.ts     (then, in two other terminals: nc 127.0.0.1 9090)
//   check it: npm run check -- 18         a hint: npm run hint -- 18
import { createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { name, say } from '../../lib/lesson/index.js';
import { given } from '../../lib/exercises/kit.js';

const { port } = given(() => ({ port: 9090 }));
name('chat server');

// TODO 1: keep the clients connected now.

const server = createServer((client: Socket) => {
  client.on('error', () => client.destroy()); // a client that vanishes is not our crash
  // TODO 2: remember this client, and forget it once its connection has closed.
  createInterface({ input: client, crlfDelay: Infinity }).on('line', (line) => {
    // TODO 3: send the line to every other client connected now.
  });
});
server.listen(port, '127.0.0.1', () => say(`chat server on 127.0.0.1:${port}; connect with: nc 127.0.0.1 ${port}`));
