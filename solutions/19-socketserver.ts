// Solution to exercise 19: the course's socketserver homework: one handle() class, served by a
// forking server and by a threading server.
import { name, role, say } from '../lib/lesson/index.js';
import { given } from '../lib/exercises/kit.js';
import { BaseRequestHandler, ForkingTCPServer, ThreadingTCPServer } from '../lessons/19-socketserver/socketserver.js';

const { port, server } = given(() => ({ port: 9090, server: process.argv[2] === 'forking' ? 'forking' : 'threading' }));

/** The course's Myserver: answers every line its client sends until the client hangs up. */
class Myserver extends BaseRequestHandler {
  async handle(): Promise<void> {
    // while True: data = self.request.recv(1024) … self.request.send(data.upper())
    for await (const line of this.lines()) this.request.write(`${line.toUpperCase()} (pid ${process.pid})\n`);
  }
}

// A process the forking server started for one connection: it runs handle() for that one, and ends.
if (role === ForkingTCPServer.role) ForkingTCPServer.handleOne(Myserver);
else await main();

async function main(): Promise<void> {
  name(`${server} server`);
  // Only the server class differs: where each connection's handle() runs.
  const Server = server === 'forking' ? ForkingTCPServer : ThreadingTCPServer;
  await new Server(['127.0.0.1', port], Myserver).serveForever();
  say(`${server} server on 127.0.0.1:${port}; connect with: nc 127.0.0.1 ${port}`);
}
