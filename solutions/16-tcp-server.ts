// Solution to exercise 16: a TCP server that hands each connection to a process of its own.
import type { ChildProcess } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { exited, forkSelf, name, role, say } from '../lib/lesson/index.js';
import { given } from '../lib/exercises/kit.js';

const { port } = given(() => ({ port: 9090 }));

if (role === 'worker') worker();
else server();

function server(): void {
  name('tcp server');
  const workers = new Set<ChildProcess>();
  // pauseOnConnect: the server reads nothing from a connection; the worker it goes to will.
  const listener = createServer({ pauseOnConnect: true }, (connection) => {
    const child = forkSelf('worker', { ipc: true });
    // The connection's descriptor travels to the worker on the IPC channel; Node closes ours.
    child.send('conn', connection);
    workers.add(child);
    // libuv reaps the worker when it exits: no zombie is left.
    void exited(child).then(() => workers.delete(child));
  });
  listener.listen(port, '127.0.0.1', () => say(`listening on 127.0.0.1:${port}; stop me with: kill ${process.pid}`));
  process.once('SIGTERM', () => {
    listener.close(); // no new connections; we end once the workers have
    for (const child of workers) child.kill('SIGTERM');
  });
}

function worker(): void {
  name('tcp worker');
  process.once('message', (message: string, connection?: Socket) => {
    if (message !== 'conn' || !connection) return process.disconnect();
    talk(connection);
    // The IPC channel would keep this process alive for ever: let it go when the client leaves.
    connection.once('close', () => process.disconnect());
  });
}

// ---- written for you ----
/** The course's talk(conn): answer each line in upper case, with the pid that answered. */
function talk(connection: Socket): void {
  connection.on('error', () => connection.destroy());
  createInterface({ input: connection, crlfDelay: Infinity }).on('line', (line) => connection.write(`${line.toUpperCase()} ${process.pid}\n`));
  connection.resume();
}
