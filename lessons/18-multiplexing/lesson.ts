// Lesson 18 — I/O multiplexing: one process, many connections.
//
// Lesson 16's server started a process per client, because a process that calls read() on one
// connection sleeps there and hears nothing from the others. I/O MULTIPLEXING is the other way:
// ONE process hands the kernel the whole list of descriptors it cares about and sleeps until ANY
// of them is ready (a new connection to accept, bytes to read). Then it serves that one, without
// ever blocking on it, and asks again. The course names the three system calls that do this:
//
//   select(fds…)  the oldest: a bitmap of at most 1024 descriptors, passed in and scanned on EVERY call
//   poll(fds…)    an array instead of a bitmap (no limit), but still passed and scanned on every call
//   epoll         an object in the kernel: epoll_create() once, epoll_ctl(ADD) once per descriptor,
//                 then epoll_wait() returns only the READY ones: the cost follows the busy
//                 descriptors, not the number of connections
//
// Node's event loop IS this. libuv, the library under Node, keeps an epoll instance on Linux
// (kqueue on macOS, IOCP on Windows) and sleeps in epoll_wait() between callbacks. Node never
// lets JavaScript call select/poll/epoll itself: you write callbacks, libuv registers the sockets.
// So this lesson looks at the kernel's side of it, in /proc: the epoll descriptor and the
// sockets it watches.
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { ChildProcess } from 'node:child_process';
import { exited, explain, fact, forkSelf, name, question, role, say, sleep, step, warn } from '../../lib/lesson/index.js';
import { eventLoopOf, type EventLoopView } from './epoll.js';

const HOST = '127.0.0.1';
const MANY = 50;

if (role === 'server') server();
else await main();

// ── The server: one process, one thread of JavaScript, every connection ────────────────────────

function server(): void {
  name('server');
  const listener = createServer((connection) => {
    // No new process, no new thread: libuv has added this connection's descriptor to its epoll
    // instance (epoll_ctl ADD), and this callback runs whenever the kernel says it is readable.
    const lines = createInterface({ input: connection });
    lines.on('line', (line) => connection.write(`${line.toUpperCase()} (pid ${process.pid})\n`));
    connection.on('error', () => connection.destroy());
  });
  listener.listen(0, HOST, () => process.send?.({ port: (listener.address() as AddressInfo).port }));
  // When the lesson lets go of us, stop accepting; we exit once the last connection is closed.
  process.on('disconnect', () => listener.close());
}

// ── The lesson: the clients ────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  name('clients');
  if (process.platform !== 'linux') {
    warn('this lesson reads /proc, which only Linux has: run it on Linux.');
    process.exitCode = 1;
    return;
  }

  await step('One server process, and its epoll instance');
  const server = forkSelf('server', { ipc: true });
  const { port } = await new Promise<{ port: number }>((resolve) => server.once('message', resolve));
  fact('server', { pid: server.pid, port });
  const first = await look(server, 0);
  say(`the server (pid ${server.pid}) listens on ${HOST}:${port}.`);
  say(`ls -l /proc/${server.pid}/fd shows ${first.epolls.length} epoll instance(s) (anon_inode:[eventpoll]): fd ${first.epolls.join(', ')}.`);
  say(`fd ${first.epfd} is the event loop's: /proc/${server.pid}/fdinfo/${first.epfd} lists what it watches:`);
  for (const each of first.watched) say(`  fd ${each.fd}: ${each.what}`);
  if (first.wchan) say(`and /proc/${server.pid}/wchan says where the server sleeps: ${first.wchan}`);
  explain('The server is asleep (S) in epoll_wait(): one call that waits on every descriptor in');
  explain('the list at once. A unix socket is its channel to us; the pipe and the eventfd are');
  explain("libuv's own wake-up calls (signals, other threads); the listening socket is where new");
  explain('clients knock.');
  await sleep(2000);

  await step('Three clients, still one process');
  await question({
    about: server.pid!,
    ask: 'stat',
    reveal: { afterMs: 1000 },
    prompt: 'Three clients will connect and talk to this one server. What will the server\'s STAT be 1 s from now?',
  });
  const clients: Socket[] = [];
  for (let index = 1; index <= 3; index++) {
    const socket = await connectTo(port);
    clients.push(socket);
    const reply = await ask(socket, `hello from client ${index}`);
    const view = await look(server, clients.length, clients);
    const mine = view.watched.find((each) => each.client === socket.localPort);
    say(`client :${socket.localPort} got "${reply}"; the epoll instance now watches fd ${mine?.fd} for it (${clientsIn(view).length} client sockets).`);
    await sleep(800);
  }
  // All three talk at the same time: the kernel reports each socket readable, one loop serves all.
  const replies = await Promise.all(clients.map((socket, index) => ask(socket, `client ${index + 1} again`)));
  const pids = replies.map((reply) => Number(/\(pid (\d+)\)/.exec(reply)?.[1]));
  say(`three questions at once, three answers, all from pid ${[...new Set(pids)].join(', ')}.`);
  fact('three', { clients: clients.map((socket) => socket.localPort), pids });
  explain('Lesson 16 had a worker process per client here. This table has ONE server, no children:');
  explain('each connection is a descriptor in its epoll list, not a process.');
  await sleep(1500);

  await step(`${MANY} more clients`);
  const more = await Promise.all(Array.from({ length: MANY }, () => connectTo(port)));
  clients.push(...more);
  await Promise.all(more.map((socket, index) => ask(socket, `client ${index + 4} says hello`)));
  const many = await look(server, clients.length, clients);
  say(`${clients.length} clients connected: the server's epoll instance (fd ${many.epfd}) watches ${many.watched.length} descriptors, ${clientsIn(many).length} of them client sockets.`);
  say(`still one server process (pid ${server.pid}), and still no child.`);
  explain(`With a process per client (lesson 16) this would be ${clients.length} whole Node processes.`);
  explain('With epoll each connection costs a socket and a small entry in the kernel; epoll_wait()');
  explain(`returns only the sockets that are ready, so ${clients.length} idle clients cost the loop nothing.`);
  explain('select() would copy and scan a bitmap of every descriptor on each call (and stops at');
  explain('fd 1024); poll() an array: their cost grows with the number of connections.');
  await sleep(1500);

  await step('The clients leave');
  await Promise.all(clients.map(hangUp));
  const after = await look(server, 0);
  say(`all ${clients.length} clients hung up: the epoll instance watches ${after.watched.length} descriptors again, no client socket.`);
  explain('When a socket is closed, the kernel removes it from every epoll list that held it.');
  await sleep(1000);

  await step('Closing the server');
  server.disconnect();
  const { code } = await exited(server);
  say(`the server closed its listening socket and exited (code ${code}); nothing is left.`);
}

// ── Small helpers ──────────────────────────────────────────────────────────────────────────────

function clientsIn(view: EventLoopView): number[] {
  return view.watched.flatMap((each) => (each.client === undefined ? [] : [each.client]));
}

/**
 * Reads the server's event loop from /proc once it shows the listening socket and exactly the
 * clients connected now, with the server back asleep in epoll_wait. The kernel adds a socket to the
 * epoll list when libuv next goes back to epoll_wait after a listen() or an accept(), and drops it
 * when it is closed: a moment later than our side sees it (on a busy machine, a long moment). And
 * the server's main thread sometimes waits a moment on one of Node's own threads (a futex: the
 * garbage collector's, say) before it goes back. Records what it saw as a fact, for the test to
 * compare with the table.
 */
async function look(server: ChildProcess, connected: number, clients: Socket[] = []): Promise<EventLoopView> {
  const expected = JSON.stringify(clients.map((socket) => socket.localPort).sort());
  const asleepInEpoll = (view: EventLoopView): boolean => view.wchan === '' || /epoll/.test(view.wchan);
  const shows = (view: EventLoopView): boolean =>
    view.watched.some((each) => each.what.startsWith('listening')) &&
    JSON.stringify(clientsIn(view).sort()) === expected &&
    !view.watched.some((each) => each.what === 'closed socket') &&
    asleepInEpoll(view);
  const deadline = Date.now() + 5000;
  let view = eventLoopOf(server.pid!);
  while (!shows(view) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    view = eventLoopOf(server.pid!);
  }
  fact('loop', {
    connected,
    epfd: view.epfd,
    epolls: view.epolls,
    watched: view.watched.length,
    listening: view.watched.filter((each) => each.what.startsWith('listening')).map((each) => each.what),
    clients: clientsIn(view),
    wchan: view.wchan,
  });
  return view;
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
