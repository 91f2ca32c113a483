// A small socketserver, after Python's: a SERVER class that accepts connections, and a HANDLER
// class whose handle() talks to one client. You write only the handler; the server class decides
// WHERE handle() runs:
//
//   ForkingTCPServer     a new process per connection (Python: os.fork() per request)
//   ThreadingTCPServer   in the server's own process (Python: a new thread per request;
//                        Node: the event loop runs every handle() at once, in one thread)
//
//   class Myserver extends BaseRequestHandler {        class Myserver(socketserver.BaseRequestHandler):
//     async handle() { … this.request … }                  def handle(self): … self.request …
//   }
//   new ThreadingTCPServer(['127.0.0.1', 9090], Myserver).serveForever()
//                                                      socketserver.ThreadingTCPServer(('127.0.0.1', 9090), Myserver).serve_forever()
import type { ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { fact, forkSelf, name } from '../../lib/lesson/index.js';

/** One connection's handler: the course's handle(), with self.request and self.client_address. */
export abstract class BaseRequestHandler {
  constructor(
    /** The connection (Python's self.request, a socket). */
    readonly request: Socket,
    /** [host, port] of the client (self.client_address). */
    readonly clientAddress: [string, number],
  ) {}

  /** Talks to the client; the connection is closed when it returns. */
  abstract handle(): Promise<void> | void;

  /** The client's lines, one at a time, until it hangs up (conn.recv in a loop, cut at newlines). */
  lines(): AsyncIterable<string> {
    return createInterface({ input: this.request, crlfDelay: Infinity });
  }
}

export type HandlerClass = new (request: Socket, clientAddress: [string, number]) => BaseRequestHandler;

/** Runs one handler to the end, then closes its connection (Python's finish_request + shutdown_request). */
async function runHandler(Handler: HandlerClass, connection: Socket): Promise<void> {
  connection.on('error', () => connection.destroy()); // a client that vanishes is not our crash
  const handler = new Handler(connection, [connection.remoteAddress ?? '?', connection.remotePort ?? 0]);
  connection.resume();
  try {
    await handler.handle();
  } catch {
    // The client vanished mid-conversation (a reset): Python's handle_error() prints it and the
    // server goes on serving the others; ours goes on too, quietly.
  } finally {
    connection.end();
  }
}

export abstract class TCPServer {
  protected readonly listener: Server;

  constructor(
    readonly serverAddress: [string, number],
    readonly RequestHandlerClass: HandlerClass,
  ) {
    // pauseOnConnect: no byte is read until the connection reaches its handler, wherever it runs.
    this.listener = createServer({ pauseOnConnect: true }, (connection) => this.processRequest(connection));
  }

  /** bind(), listen(), then accept() for ever (Node: libuv accepts on the event loop). Resolves with the port. */
  serveForever(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.listener.once('error', reject);
      this.listener.listen(this.serverAddress[1], this.serverAddress[0], () => resolve((this.listener.address() as AddressInfo).port));
    });
  }

  /** Stops accepting. Connections being handled go on until their clients hang up. */
  shutdown(): void {
    this.listener.close();
  }

  /** Where a connection's handler runs: the one thing the subclasses change. */
  protected abstract processRequest(connection: Socket): void;
}

/** Python's ThreadingTCPServer. In Node: every handle() runs on this process's event loop. */
export class ThreadingTCPServer extends TCPServer {
  protected processRequest(connection: Socket): void {
    void runHandler(this.RequestHandlerClass, connection);
  }
}

/** Python's ForkingTCPServer: a new process per connection, which runs handle() and exits. */
export class ForkingTCPServer extends TCPServer {
  /** The role the handler processes play: the lesson file calls handleOne() in that role. */
  static readonly role = 'socketserver handler';
  /** The handler processes still running (Python's active_children). */
  readonly activeChildren = new Set<ChildProcess>();
  /** Called when a handler process has ended and been reaped. */
  onChildExit?: (pid: number, client: number, code: number | null, signal: NodeJS.Signals | null) => void;

  protected processRequest(connection: Socket): void {
    const client = connection.remotePort ?? 0;
    // Node has no fork(): start this file again in the handler role, and HAND it the connection
    // (its descriptor travels on the IPC channel, as in lesson 16). Node then closes our copy.
    const child = forkSelf(ForkingTCPServer.role, { ipc: true, args: [String(client)] });
    child.send('conn', connection);
    fact('handler', { pid: child.pid, client });
    this.activeChildren.add(child);
    // libuv reaps the child when it exits (Python's ForkingMixIn calls waitpid in collect_children).
    child.once('exit', (code, signal) => {
      this.activeChildren.delete(child);
      this.onChildExit?.(child.pid!, client, code, signal);
    });
  }

  /** In a handler process: take the one connection the server hands over, run handle(), exit. */
  static handleOne(Handler: HandlerClass): void {
    name(`handler for :${process.argv[2]}`);
    process.once('message', (message, connection?: Socket) => {
      const letGo = (): void => {
        if (process.connected) process.disconnect(); // nothing left keeps us alive: we exit
      };
      if (message !== 'conn' || !connection) return letGo();
      connection.once('close', letGo);
      void runHandler(Handler, connection);
    });
  }
}
