// Lesson 19 — socketserver: the same handler, in a process per connection or in one process;
// then the course's remote-command server.
//
// Python's socketserver splits a server in two: a handler class whose handle() talks to ONE client
// (you write it), and a server class that accepts connections and decides where each handle()
// runs. ForkingTCPServer forks a process per connection (lesson 16's server); ThreadingTCPServer
// starts a thread per connection, inside the server's one process. ./socketserver.ts is that
// split, small, in Node.
//
// Then the course's remote-command server (its "ssh" example): the client sends a command, the
// server runs it and sends the output back behind a JSON header, framed as in lesson 17. The
// course runs the command with subprocess.Popen(cmd, shell=True): whoever can connect can run
// ANY command, `rm -rf ~` included. Ours runs only commands on a list, with execFile and no shell.
import { execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { exited, explain, fact, forkSelf, name, paced, question, quote, role, say, sentence, sleep, step } from '../../lib/lesson/index.js';
import { encodeFrame, FrameDecoder, type Frame } from '../17-framing/frames.js';
import { BaseRequestHandler, ForkingTCPServer, ThreadingTCPServer, type TCPServer } from './socketserver.js';

const HOST = '127.0.0.1';

// ── The handlers: what you write ─────────────────────────────────────────────────────────────────

/** The course's Myserver: answer each line, in upper case, saying which process answered. */
class EchoHandler extends BaseRequestHandler {
  async handle(): Promise<void> {
    for await (const line of this.lines()) this.request.write(`${line.toUpperCase()} (pid ${process.pid})\n`);
  }
}

/**
 * The commands this server runs, and the arguments each may take. Anything else is refused.
 * There is no shell: `;`, `|`, `$HOME`, `*` are plain characters in an argument, never syntax.
 */
const ALLOWED: Record<string, { usage: string; accepts: (args: string[]) => boolean }> = {
  date: { usage: 'date', accepts: (args) => args.length === 0 },
  echo: { usage: 'echo <words>', accepts: () => true },
  sleep: { usage: 'sleep <0 to 3 seconds>', accepts: (args) => args.length === 1 && /^[0-3](\.\d+)?$/.test(args[0]!) },
  uname: { usage: 'uname [-asnrvmo]', accepts: (args) => args.every((arg) => /^-[asnrvmo]+$/.test(arg)) },
  whoami: { usage: 'whoami', accepts: (args) => args.length === 0 },
};

/** The remote-command server's handler: one framed command in, one framed answer out, repeat. */
class CommandHandler extends BaseRequestHandler {
  async handle(): Promise<void> {
    const frames = new FrameDecoder();
    try {
      for await (const chunk of this.request) {
        for (const frame of frames.push(chunk as Buffer)) {
          const { header, body } = await runCommand(frame.body.toString('utf8'));
          this.request.write(encodeFrame(header, body)); // struct.pack('!I', len) + header + output
        }
      }
    } catch {
      // not frames (FrameDecoder said why): this client gets nothing more
    }
  }
}

async function runCommand(line: string): Promise<{ header: Record<string, unknown>; body: string }> {
  const [command = '', ...args] = line.trim().split(/\s+/);
  const allowed = Object.hasOwn(ALLOWED, command) ? ALLOWED[command] : undefined;
  if (!allowed?.accepts(args)) {
    const list = Object.values(ALLOWED).map((each) => each.usage).join(', ');
    return { header: { refused: true }, body: `refused: "${line}" is not a command this server runs (only: ${list}).\n` };
  }
  return new Promise((resolve) => {
    // execFile: the command itself becomes our child, with these exact arguments. No /bin/sh.
    const child = execFile(command, args, { timeout: 5000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      const signal = error?.signal ?? null;
      fact('command.done', { pid: child.pid, code, signal });
      resolve({ header: { refused: false, code, signal, stdout_size: Buffer.byteLength(stdout), stderr_size: Buffer.byteLength(stderr) }, body: stdout + stderr });
    });
    fact('command', { pid: child.pid, argv: [command, ...args] });
  });
}

// ── Who this process is ──────────────────────────────────────────────────────────────────────────

if (role === ForkingTCPServer.role) ForkingTCPServer.handleOne(EchoHandler);
else if (role === 'forking server' || role === 'threading server' || role === 'command server') await serve(role);
else await main();

async function serve(kind: 'forking server' | 'threading server' | 'command server'): Promise<void> {
  name(kind);
  let server: TCPServer;
  if (kind === 'forking server') {
    const forking = new ForkingTCPServer([HOST, 0], EchoHandler);
    forking.onChildExit = (pid, client, code, signal) => tell({ type: 'reaped', pid, client, code, signal });
    server = forking;
  } else {
    server = new ThreadingTCPServer([HOST, 0], kind === 'command server' ? CommandHandler : EchoHandler);
  }
  const port = await server.serveForever();
  tell({ type: 'listening', port });
  // When the lesson lets go of us, stop accepting; we exit once our last connection is done.
  process.on('disconnect', () => server.shutdown());
}

function tell(message: FromServer): void {
  if (process.connected) process.send?.(message);
}

type FromServer = { type: 'listening'; port: number } | { type: 'reaped'; pid: number; client: number; code: number | null; signal: string | null };

// ── The lesson: the clients ────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  name('clients');

  await step('ForkingTCPServer: a process per connection');
  const forking = await start('forking server');
  const forked = await threeClients(forking);
  say(`three clients, three answers from pids ${forked.pids.join(', ')}: none of them the server (${forking.child.pid}).`);
  fact('forking.three', forked);
  explain('The table: under the forking server, one `handler for :<port>` process per client. Each');
  explain('runs the same EchoHandler.handle(), for its one client, and exits when that client leaves.');
  await sleep(2000);
  await question({
    about: forked.pids[0]!,
    ask: 'alive',
    reveal: { afterMs: 2000 },
    prompt: `Client 1 hangs up now. What will its handler process (pid ${forked.pids[0]}) be 2 s from now?`,
  });
  for (const [index, socket] of forked.sockets.entries()) {
    const client = forked.clients[index]!;
    await hangUp(socket);
    fact('client.closed', client);
    const reaped = await forking.next((message) => message.type === 'reaped' && message.client === client);
    say(`client :${client} hung up: its handler ${reaped.type === 'reaped' ? reaped.pid : '?'} exited and the server reaped it.`);
    await sleep(600);
  }

  await step('ThreadingTCPServer: every connection in one process');
  const threading = await start('threading server');
  const threaded = await threeClients(threading);
  say(`three clients, three answers, all from pid ${[...new Set(threaded.pids)].join(', ')}: the server itself.`);
  fact('threading.three', threaded);
  explain('The same handler class, and no new process: the table shows the threading server alone.');
  explain('Python would start a thread per connection, because its recv() blocks a whole thread.');
  explain("Node's handle() is async: while it awaits the next line, the event loop (epoll,");
  explain('lesson 18) runs the other handlers. One process, one JavaScript thread, three clients.');
  await sleep(1500);
  await Promise.all(threaded.sockets.map(hangUp));

  await step('A remote-command server');
  const commands = await start('command server');
  const socket = await connectTo(commands.port);
  const answers = frameReader(socket);
  const results: Array<{ line: string; header: Record<string, unknown>; output: string }> = [];
  // 2 s of sleep at pace 1, long enough to watch (the server allows at most 3).
  const nap = `sleep ${Math.min(3, paced(2000) / 1000)}`;
  for (const line of ['uname -s', 'echo $HOME; whoami', nap, 'rm -rf ~', 'sh -c whoami']) {
    if (line === nap) {
      explain(`Watch the table while it sleeps: \`${nap}\` appears as a child of the command server: the`);
      explain('command itself, not a shell. execFile starts the program directly (fork + exec in');
      explain(`libuv); the course's Popen(cmd, shell=True) would start /bin/sh -c "${nap}" first.`);
    }
    quote(`>> ${line}`); // the command as typed
    socket.write(encodeFrame({}, line)); // the command, framed: the server knows where it ends
    const { header, body } = await answers.next();
    const output = body.toString('utf8');
    for (const text of output === '' ? [sentence('(no output)')] : output.trimEnd().split('\n')) quote(`   ${text}`); // what it printed
    say(`   (header ${JSON.stringify(header)})`);
    results.push({ line, header, output });
    await sleep(700);
  }
  fact('remote', results);
  explain('"echo $HOME; whoami" printed itself: without a shell, $HOME and ; mean nothing. "rm -rf ~"');
  explain('and "sh -c whoami" are not on the list: refused, in one sentence, and nothing ran.');
  await hangUp(socket);
  await sleep(1000);

  await step('Closing the servers');
  for (const server of [forking, threading, commands]) {
    server.child.disconnect();
    await exited(server.child);
  }
  say('the three servers closed their listening sockets and exited; nothing is left.');
}

// ── Small helpers ──────────────────────────────────────────────────────────────────────────────

interface Started {
  child: ChildProcess;
  port: number;
  next(wanted: (message: FromServer) => boolean): Promise<FromServer>;
}

/** Starts a server process and waits until it listens; keeps its messages for next(). */
async function start(kind: 'forking server' | 'threading server' | 'command server'): Promise<Started> {
  const child = forkSelf(kind, { ipc: true });
  const messages: FromServer[] = [];
  const waiting = new Set<() => void>();
  child.on('message', (message: FromServer) => {
    messages.push(message);
    for (const each of [...waiting]) each();
  });
  const next = (wanted: (message: FromServer) => boolean): Promise<FromServer> =>
    new Promise((resolve) => {
      const check = (): void => {
        const index = messages.findIndex(wanted);
        if (index < 0) return;
        waiting.delete(check);
        resolve(messages.splice(index, 1)[0]!);
      };
      waiting.add(check);
      check();
    });
  const listening = await next((message) => message.type === 'listening');
  const port = listening.type === 'listening' ? listening.port : 0;
  say(`the ${kind} (pid ${child.pid}) listens on ${HOST}:${port}.`);
  fact('server', { kind, pid: child.pid, port });
  return { child, port, next };
}

/** Three clients connect, one after the other, and each asks one question. */
async function threeClients(server: Started): Promise<{ sockets: Socket[]; clients: number[]; pids: number[] }> {
  const sockets: Socket[] = [];
  const pids: number[] = [];
  for (let index = 1; index <= 3; index++) {
    const socket = await connectTo(server.port);
    sockets.push(socket);
    const reply = await ask(socket, `hello from client ${index}`);
    say(`client :${socket.localPort} got "${reply}"`);
    pids.push(Number(/\(pid (\d+)\)/.exec(reply)?.[1]));
    await sleep(600);
  }
  return { sockets, clients: sockets.map((socket) => socket.localPort!), pids };
}

/** The frames a socket delivers, one at a time. */
function frameReader(socket: Socket): { next(): Promise<Frame> } {
  const decoder = new FrameDecoder();
  const frames: Frame[] = [];
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    frames.push(...decoder.push(chunk));
    wake?.();
  });
  return {
    async next(): Promise<Frame> {
      while (frames.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      return frames.shift()!;
    },
  };
}

function connectTo(port: number): Promise<Socket> {
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
function ask(socket: Socket, line: string): Promise<string> {
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

function hangUp(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.closed) return resolve();
    socket.once('close', () => resolve());
    socket.end();
  });
}
