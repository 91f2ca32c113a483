// Exercise 16 — a TCP server with a process per connection.
//
// The course: a server that accept()s and starts Process(target=talk, args=(conn,)) for each
// client, so that one slow client never holds up the others. Node cannot fork with the connection
// in hand; it starts a worker and HANDS it the connection: the socket's descriptor travels over
// the IPC channel (SCM_RIGHTS), as in lesson 16.
//
// Make:
//   - the server listen on 127.0.0.1:`port`, and give each connection it accepts to a new worker
//     process, which talks to that client with talk() (written for you) and to no other;
//   - each worker end by itself once its client has hung up, and the server collect it;
//   - on SIGTERM, the server stop listening and exit with code 0.
//
// What the check looks at: it connects several clients at once; each is answered by its own
// process, a child of the server (the pid in the answer, against the table), and keeps that
// process for its whole conversation; after the clients hang up, every worker is gone, collected
// by the server; then SIGTERM, and the server exits with code 0.
//
//   try it:   npx tsx lessons/16-tcp-server/exercise.ts     (then: nc 127.0.0.1 9090)
//   check it: npm run check -- 16         a hint: npm run hint -- 16
import type { ChildProcess } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { exited, forkSelf, name, role, say } from '../../lib/lesson/index.js';
import { given } from '../../lib/exercises/kit.js';

const { port } = given(() => ({ port: 9090 }));

if (role === 'worker') worker();
else server();

function server(): void {
  name('tcp server');
  const listener = createServer((connection) => {
    // TODO 1: give the connection to a new worker (forkSelf('worker', { ipc: true }), then
    //         child.send('conn', connection)) instead of talking to it here. (Which server
    //         option keeps the server from reading what is meant for the worker?)
    talk(connection);
  });
  listener.listen(port, '127.0.0.1', () => say(`listening on 127.0.0.1:${port}; stop me with: kill ${process.pid}`));
  // TODO 3: on SIGTERM, stop listening, and let the process end with code 0.
}

function worker(): void {
  name('tcp worker');
  // TODO 2: take the connection the server sends (process.once('message', (message, connection) => …)),
  //         talk(connection), and end once the client has hung up.
}

// ---- written for you ----
/** The course's talk(conn): answer each line in upper case, with the pid that answered. */
function talk(connection: Socket): void {
  connection.on('error', () => connection.destroy());
  createInterface({ input: connection, crlfDelay: Infinity }).on('line', (line) => connection.write(`${line.toUpperCase()} ${process.pid}\n`));
  connection.resume();
}
