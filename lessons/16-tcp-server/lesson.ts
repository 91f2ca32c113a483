// Lesson 16 — a TCP server with one process per connection.
//
// The course's concurrent server: the server accept()s a connection and starts a new process to
// talk to that client (Process(target=talk, args=(conn, addr))), then goes straight back to
// accept(). Each client gets its own process; a slow client holds up nobody else. When a client
// hangs up, its process exits and the server reaps it (or it would stay a zombie).
//
// In C or Python the child is a fork: it already holds the accepted socket. Node's child is a new
// process, so the server HANDS the connection over: its file descriptor travels on the IPC
// channel (sendmsg with SCM_RIGHTS), and the worker gets its own descriptor for the same
// connection. This file plays every part: the clients (the lesson itself), the server, its workers.
//
// At the end, the course's one line before bind(), s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1):
// why a server restarted at once may find its port "already in use", and what Node does about it.
import type { ChildProcess } from 'node:child_process';
import { closeSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { execFileSync, exited, explain, fact, forkSelf, name, posix, question, quote, role, say, sleep, step, warn } from '../../lib/lesson/index.js';
import { HOST, ask, connectTo, hangUp, visitMany, type Visit } from './client.js';

type FromServer =
  | { type: 'listening'; port: number; workers?: number[] }
  | { type: 'cannot listen'; port: number; code: string }
  | { type: 'worker'; pid: number; client: number }
  | { type: 'reaped'; pid: number; client: number; code: number | null; signal: string | null };

if (role === 'server') server(Number(process.argv[2] ?? 0));
else if (role === 'worker') worker();
else if (role === 'prefork server') preforkServer(Number(process.argv[2] ?? 2));
else if (role === 'prefork worker') preforkWorker();
else if (role === 'restarted server') await restartedServer(Number(process.argv[2]));
else await main();

// ── The server ──────────────────────────────────────────────────────────────────────────────────

function server(port: number): void {
  name('server');
  // pauseOnConnect: the server never reads from a connection it accepts; its worker will.
  const listener = createServer({ pauseOnConnect: true }, (connection) => {
    const client = connection.remotePort ?? 0;
    const worker = forkSelf('worker', { ipc: true, args: [String(client)] });
    // Hand the connection over. Once it is sent, Node closes OUR descriptor for it: the worker
    // alone holds the connection now, so when the worker closes it, the client sees it closed.
    worker.send('conn', connection);
    report({ type: 'worker', pid: worker.pid!, client });
    fact('worker', { pid: worker.pid, client });
    // libuv reaps the worker when it exits: no zombie stays in the table.
    worker.once('exit', (code, signal) => {
      fact('reaped', { pid: worker.pid, client });
      report({ type: 'reaped', pid: worker.pid!, client, code, signal });
    });
  });
  listener.once('error', (error: NodeJS.ErrnoException) => {
    report({ type: 'cannot listen', port, code: error.code ?? String(error) });
    process.exitCode = 1;
    process.disconnect();
  });
  // 127.0.0.1 only: the lesson's server is not reachable from other machines.
  listener.listen(port, HOST, () => report({ type: 'listening', port: (listener.address() as AddressInfo).port }));
  // When the lesson lets go of us, stop accepting; we exit once our last worker has.
  process.on('disconnect', () => listener.close());
}

/** The course's talk(conn, addr): answer each message in upper case, until the client hangs up. */
function talk(connection: Socket): void {
  connection.on('data', (data) => connection.write(data.toString().toUpperCase()));
  connection.on('error', () => connection.destroy());
}

function worker(): void {
  name(`worker for :${process.argv[2]}`);
  process.on('message', (message, connection?: Socket) => {
    // The client may have hung up before its connection reached us: nothing to do, then.
    if (message !== 'conn' || !connection) return void setImmediate(letGo);
    talk(connection);
    // Our IPC channel to the server would keep this process alive for ever: when the client
    // is gone, let go of it too, and the process ends by itself.
    connection.on('close', letGo);
    connection.resume();
  });
}

function letGo(): void {
  if (process.connected) process.disconnect();
}

function report(message: FromServer): void {
  if (process.connected) process.send?.(message);
}

// ── A pre-forked server: the workers exist before the clients come ───────────────────────────

function preforkServer(count: number): void {
  name('pre-fork server');
  const listener = createServer();
  const workers: ChildProcess[] = [];
  listener.listen(0, HOST, async () => {
    const { port } = listener.address() as AddressInfo;
    for (let index = 1; index <= count; index++) workers.push(forkSelf('prefork worker', { ipc: true, args: [String(index)] }));
    // Give every worker the LISTENING socket: each one accept()s on it, and the kernel hands each
    // new connection to one of them. Once they all say they listen, close our own copy: we
    // accept nothing ourselves.
    await Promise.all(
      workers.map((each) => {
        each.send('listener', listener);
        return new Promise<void>((resolve) => each.once('message', () => resolve()));
      }),
    );
    listener.close();
    report({ type: 'listening', port, workers: workers.map((each) => each.pid!) });
  });
  process.on('disconnect', () => {
    for (const each of workers) if (each.connected) each.disconnect();
  });
}

function preforkWorker(): void {
  name(`pre-forked worker ${process.argv[2]}`);
  process.on('message', (message, listener?: Server) => {
    if (message !== 'listener' || !listener) return;
    listener.on('connection', (connection) => {
      fact('prefork.conn', { pid: process.pid, client: connection.remotePort });
      talk(connection);
    });
    // When the server lets go of us, stop accepting; the process then ends by itself.
    if (!process.connected) return void listener.close();
    process.on('disconnect', () => listener.close());
    process.send?.('ready');
  });
}

// ── The lesson: the clients ────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  name('clients');
  const wanted = process.argv[2] ?? process.env.LESSON_PORT;
  const port = wanted === undefined ? 0 : Number(wanted);
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    warn(`"${wanted}" is not a port number: give one from 1 to 65535, or none for a free port.`);
    process.exitCode = 2;
    return;
  }

  await step('A server on 127.0.0.1');
  const server = forkSelf('server', { ipc: true, args: [String(port)] });
  const fromServer = inbox(server);
  const ready = await fromServer.next(['listening', 'cannot listen']);
  if (ready.type === 'cannot listen') {
    const why = ready.code === 'EADDRINUSE' ? 'is already in use' : ready.code === 'EACCES' ? 'needs privileges' : `cannot be used (${ready.code})`;
    warn(`port ${ready.port} on ${HOST} ${why}: choose another port, or give none to use a free one.`);
    process.exitCode = 1;
    return;
  }
  const serverPort = ready.port;
  say(`the server (pid ${server.pid}) listens on ${HOST}:${serverPort}${port === 0 ? ' (port 0 asked the kernel for a free port)' : ''}`);
  fact('server', { pid: server.pid, port: serverPort });
  await sleep(1000);

  await step('Three clients, three worker processes');
  const clients: Socket[] = [];
  for (let index = 1; index <= 3; index++) {
    const socket = await connectTo(serverPort);
    clients.push(socket);
    const reply = await ask(socket, `hello from client ${index}`);
    say(`client :${socket.localPort} got "${reply}"`);
    await sleep(600);
  }
  const workers = fromServer.all().flatMap((message) => (message.type === 'worker' ? [message] : []));
  fact('three', clients.map((socket) => ({ client: socket.localPort, worker: workers.find((each) => each.client === socket.localPort)?.pid })));
  const rss = residentKb(workers[0]?.pid);
  if (rss) say(`each worker is a whole Node process: the first one holds ${(rss / 1024).toFixed(0)} MB of memory.`);
  fact('worker.rssKb', rss);
  explain('The table: under the server, one worker per client, PPID = the server. Each one is');
  explain('asleep (S) in read(), waiting for its own client; the server is asleep in accept().');
  await sleep(2000);

  await step('Each worker ends with its client');
  // --predict: the student guesses, the table answers (lib/lesson/question.ts).
  const firstWorker = workers.find((each) => each.client === clients[0]!.localPort);
  if (firstWorker) await question({ about: firstWorker.pid, ask: 'alive', reveal: 'next-step', prompt: 'Client 1 hangs up now, and its worker exits. At the next step, what will be left of that worker?' });
  for (const socket of clients) {
    const client = socket.localPort!;
    await hangUp(socket);
    fact('client.closed', client);
    const reaped = await fromServer.next('reaped', (message) => message.client === client);
    say(`client :${client} hung up: its worker ${reaped.pid} exited, and the server reaped it.`);
    await sleep(1000);
  }

  await step('Twenty clients');
  const many = await visitMany(serverPort, 20, 4);
  const reaped = new Set(many.visits.map((each) => each.port));
  for (const client of reaped) await fromServer.next('reaped', (message) => message.client === client);
  const perProcess = mean(many.visits);
  say(`20 connections, 4 at a time: ${perProcess.toFixed(1)} ms per connection (connect to answer), ${many.wallMs.toFixed(0)} ms in all.`);
  say(`all 20 workers exited and were reaped by the server.`);
  fact('many', { clients: many.visits.map((each) => each.port), replies: many.visits.map((each) => each.reply), perConnectionMs: perProcess, wallMs: many.wallMs });
  explain('Every row that flashed by was a whole new Node process: started, handed one connection,');
  explain('ended. Most of each connection\'s time was spent starting that process.');
  await sleep(1000);

  await step('Pre-forked workers');
  const prefork = forkSelf('prefork server', { ipc: true, args: ['2'] });
  const preforkReady = await inbox(prefork).next('listening');
  const warm = await visitMany(preforkReady.port, 20, 4);
  const perWarm = mean(warm.visits);
  say(`the same 20 connections to 2 pre-forked workers: ${perWarm.toFixed(1)} ms per connection, ${warm.wallMs.toFixed(0)} ms in all.`);
  say(`a process per connection cost ${(perProcess / perWarm).toFixed(0)}× the time of a pre-forked worker.`);
  fact('prefork', {
    pid: prefork.pid,
    workers: preforkReady.workers,
    clients: warm.visits.map((each) => each.port),
    perConnectionMs: perWarm,
    wallMs: warm.wallMs,
  });
  fact('cost', { perProcessMs: perProcess, preforkMs: perWarm, ratio: perProcess / perWarm });
  explain('This is why servers pre-fork (Apache\'s prefork, PHP-FPM, gunicorn): start a pool of');
  explain('workers once (lesson 09) and let each accept() connection after connection on the');
  explain('shared listening socket. A process per connection is simple and isolates clients, but');
  explain('pays a process start per client.');
  prefork.disconnect();
  await exited(prefork);

  await step('A connection the server closes first: TIME-WAIT');
  const last = await connectTo(serverPort);
  const client = last.localPort!; // (a closed socket forgets its port: keep it)
  say(`client :${client} got "${await ask(last, 'one more')}"`);
  const victim = await fromServer.next('worker', (message) => message.client === client);
  // Ctrl-C on the course's server while a client is connected: the kernel closes the server's
  // end of the connection first (its FIN goes out first), as its process dies.
  process.kill(victim.pid, 'SIGINT');
  await fromServer.next('reaped', (message) => message.pid === victim.pid);
  await hangUp(last); // then we close our end too
  const waiting = await timeWaits(serverPort);
  say(`worker ${victim.pid} is gone; ss -tan state time-wait '( sport = :${serverPort} )' lists:`);
  for (const line of waiting) quote(`  TIME-WAIT  ${line.local}  ${line.peer}`);
  fact('time-wait', { port: serverPort, client, worker: victim.pid, sockets: waiting });
  explain('The side that closes first keeps the connection for 60 s in TIME-WAIT (twice the longest');
  explain('a packet may wander), so that a late packet of it cannot land in a new connection.');
  explain('No process holds it: the kernel does. It is still bound to the server\'s port.');

  await step('Closing the server');
  server.disconnect();
  const { code } = await exited(server);
  say(`the server closed its listening socket and exited (code ${code}); no process of it is left.`);

  await step('Restarting on the same port: SO_REUSEADDR');
  const restarted = forkSelf('restarted server', { ipc: true, args: [String(serverPort)] });
  await exited(restarted);
  explain('bind() refuses a port that any socket still has, TIME-WAIT included, unless both the old');
  explain('socket and the new one said SO_REUSEADDR: hence the course\'s line before every bind().');
  explain('libuv says it for every TCP socket Node binds, so a Node server can always restart at once.');
}

// ── Restarting: the same port, three ways ─────────────────────────────────────────────────────

async function restartedServer(port: number): Promise<void> {
  name('restarted server');
  if (process.platform !== 'linux') return say('(Not Linux: the lesson makes its raw sockets with Linux\'s constants; nothing to show here.)');
  const result: Record<string, string | boolean> = {};
  // 1. As C does by default: socket(), then bind(), no option.
  // 2. The course's way: s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1), then bind().
  for (const [key, reuseAddress] of [['plain', false], ['reuse', true]] as const) {
    try {
      closeSync(posix.tcpBind(HOST, port, { reuseAddress }));
      result[key] = 'bound';
    } catch (error) {
      result[key] = (error as NodeJS.ErrnoException).code ?? String(error);
    }
  }
  say(`socket() + bind() to ${HOST}:${port}: ${result.plain}`);
  say(`socket() + setsockopt(SO_REUSEADDR, 1) + bind(): ${result.reuse}`);
  // 3. Node's own listen(), and what libuv set on the socket it made.
  const listener = createServer();
  await new Promise<void>((resolve) => listener.listen(port, HOST, resolve));
  result.node = posix.reuseAddress(descriptorOf(listener));
  say(`Node's listen(${port}): listening; getsockopt(SO_REUSEADDR) on its socket: ${result.node ? 'on' : 'off'}`);
  fact('restart', result);
  listener.close();
}

// ── Small helpers ──────────────────────────────────────────────────────────────────────────────

type Of<K extends FromServer['type']> = Extract<FromServer, { type: K }>;

/** The messages a child sends us, kept, so the lesson can wait for the one it expects. */
function inbox(child: ChildProcess): {
  all(): FromServer[];
  next<K extends FromServer['type']>(types: K | K[], where?: (message: Of<K>) => boolean): Promise<Of<K>>;
} {
  const messages: FromServer[] = [];
  const waiting = new Set<() => void>();
  const wake = (): void => {
    for (const each of [...waiting]) each();
  };
  child.on('message', (message: FromServer) => {
    messages.push(message);
    wake();
  });
  child.once('exit', wake);
  return {
    all: () => messages,
    next<K extends FromServer['type']>(types: K | K[], where?: (message: Of<K>) => boolean): Promise<Of<K>> {
      const wanted = (message: FromServer): message is Of<K> =>
        ([types].flat() as string[]).includes(message.type) && (where?.(message as Of<K>) ?? true);
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = messages.find(wanted);
          if (found) resolve(found);
          else if (child.exitCode !== null || child.signalCode !== null) reject(new Error(`${child.pid} ended before it said what we wait for`));
          else return;
          waiting.delete(check);
        };
        waiting.add(check);
        check();
      });
    },
  };
}

function mean(visits: Visit[]): number {
  return visits.reduce((sum, each) => sum + each.ms, 0) / Math.max(visits.length, 1);
}

/** The sockets in TIME-WAIT bound to this local port, as `ss` lists them (polled until one shows, 5 s at most). */
async function timeWaits(port: number): Promise<Array<{ local: string; peer: string }>> {
  const deadline = Date.now() + 5000;
  for (;;) {
    let listing = '';
    try {
      listing = execFileSync('ss', ['-tan', 'state', 'time-wait', `( sport = :${port} )`]).toString();
    } catch {
      say('(`ss` is not installed here: cannot list the TIME-WAIT sockets.)');
      return [];
    }
    const sockets = listing.split('\n').slice(1).flatMap((line) => {
      const [, , local, peer] = line.trim().split(/\s+/);
      return local && peer ? [{ local, peer }] : [];
    });
    if (sockets.length > 0 || Date.now() > deadline) return sockets;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The file descriptor of a listening server: libuv's handle has it (Node does not publish it). */
function descriptorOf(server: Server): number {
  return (server as unknown as { _handle: { fd: number } })._handle.fd;
}

/** A process's resident memory in kB, from /proc (Linux); undefined elsewhere. */
function residentKb(pid: number | undefined): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
