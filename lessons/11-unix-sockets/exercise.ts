// Exercise 11 — an echo server on a Unix socket that survives a stale socket file.
//
// A Unix stream server lives at a path: listen() makes a socket file there, close() removes it.
// A server killed by SIGKILL cannot remove it: the stale file stays, and the next listen() there
// fails with EADDRINUSE. Deleting the file blindly is wrong too: if a server is alive there, you
// would steal its address. The safe test is to CONNECT: ECONNREFUSED means nobody listens, the
// file is stale and may go; a connection means a live server: leave it alone.
//
// Write the server:
//   - listen on `socket`. If that fails with EADDRINUSE, connect to find out: stale (ECONNREFUSED)
//     -> remove the file and listen again; alive -> say so and exit with code 1, touching nothing;
//   - echo: send back to each client every byte it sends, for several clients at once;
//   - on SIGTERM or SIGINT: close the server (that removes the socket file) and exit with code 0.
//
// What the check looks at: with a stale socket file (left by a server it killed) at `socket`,
// yours starts, echoes what two clients at once send, and after SIGTERM exits with code 0 and the
// file is gone. With a live server already at the path, yours exits with a non-zero code, and
// that server keeps its file and still answers.
//
//   try it:   npx tsx lessons/11-unix-sockets/exercise.ts     (then: nc -U <the socket path>)
//   check it: npm run check -- 11         a hint: npm run hint -- 11
import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { name, say, tempDir } from '../../lib/lesson/index.js';
import { given } from '../../lib/exercises/kit.js';

const { socket } = given(() => ({ socket: join(tempDir('echo'), 'echo.sock') }));
name('echo server');

const server = createServer((client) => {
  // TODO 1: echo: send back everything this client sends.
  client.on('error', () => client.destroy());
});

// TODO 2: listen on `socket` with listenSafely (below), then say where.
// TODO 3: on SIGTERM and SIGINT: close the server and let the process end with code 0.

/** Listens at `path`; a stale socket file there is removed first, a live server is left alone. */
async function listenSafely(server: Server, path: string): Promise<void> {
  // TODO 4: listenOnce; on EADDRINUSE ask isAlive(path): stale -> unlinkSync(path) and
  //         listenOnce again; alive -> say so and set process.exitCode = 1 (then stop).
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
  // TODO 5: createConnection(path): 'connect' -> true (close it again); 'error' with
  //         code ECONNREFUSED -> false.
  return Promise.resolve(false);
}
