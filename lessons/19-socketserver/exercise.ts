// Exercise 19 — socketserver: one handle() class, served forking and threading.
//
// The course's homework: socketserver. In Python you write a handler class, Myserver, whose
// handle() talks to one client through self.request; the server class decides where each
// connection's handle() runs. ./socketserver.ts is that split in Node (lesson 19):
//   ForkingTCPServer     a new process per connection, which runs handle() and ends;
//   ThreadingTCPServer   every handle() in the server's own process (Node: on its event loop).
//
// Make:
//   - Myserver.handle() answer every line its client sends, until the client hangs up: the line
//     in upper case, then " (pid <the pid that answers>)", then "\n";
//   - the server be a ForkingTCPServer when `server` is 'forking', a ThreadingTCPServer when it is
//     'threading', on 127.0.0.1:`port`, with Myserver;
//   - a process the forking server starts for a connection (its role is ForkingTCPServer.role)
//     run ForkingTCPServer.handleOne(Myserver), not a server of its own.
//
// What the check looks at: it starts your file twice, once forking and once threading, and
// connects several clients at once to each; every line is answered, by the same pid for the
// whole conversation. Forking: the table shows a child of the server per connected client, each
// client answered by a pid of its own, and the children gone once their clients hang up.
// Threading: one pid answers every client, and the server has no child.
//
//   try it:   npx tsx lessons/19-socketserver/exercise.ts forking     (or threading; then: nc 127.0.0.1 9090)
//   check it: npm run check -- 19         a hint: npm run hint -- 19
import { name, role, say } from '../../lib/lesson/index.js';
import { given } from '../../lib/exercises/kit.js';
import { BaseRequestHandler, ForkingTCPServer, ThreadingTCPServer } from './socketserver.js';

const { port, server } = given(() => ({ port: 9090, server: process.argv[2] === 'forking' ? 'forking' : 'threading' }));

class Myserver extends BaseRequestHandler {
  async handle(): Promise<void> {
    // TODO 1: answer each line the client sends (this.lines() gives them, one at a time, until it
    //         hangs up) on this.request. handle() returning ends the conversation.
  }
}

// TODO 3: in a process the forking server started (role === ForkingTCPServer.role), do not run
//         main(): that process is there to run handle() for one connection.
await main();

async function main(): Promise<void> {
  name(`${server} server`);
  // TODO 2: the server class that `server` names (ForkingTCPServer for 'forking').
  await new ThreadingTCPServer(['127.0.0.1', port], Myserver).serveForever();
  say(`${server} server on 127.0.0.1:${port}; connect with: nc 127.0.0.1 ${port}`);
}
