// Lesson 10 — ipc: how processes talk.
//
// Two processes share no memory (lesson 01), so they talk through the kernel: a pipe, a socket, a
// file. The course's Python does it with multiprocessing's Pipe() and Queue(); here is what Node
// gives, and what each one really is underneath (we ask /proc and `ss`, not the documentation).
//
//   1. a pipe to a child: its stdin and stdout      Popen(stdin=PIPE, stdout=PIPE)
//   2. the IPC channel: child.send / process.send   Pipe()  (both are Unix socketpairs)
//   3. an open channel keeps a child alive
//   4. a pipe between two siblings                  fd1, fd2 = Pipe(); fun1 and fun2
//   5. a queue: producer -> parent -> consumer      Queue(3), get(timeout=2), block=False
//   6. a named FIFO between two processes           os.mkfifo
import { once } from 'node:events';
import { closeSync, existsSync, openSync, readdirSync, readlinkSync, readSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
// execFileSync as Node's, from the lesson API: it also tells the runner the pid of the tool it runs.
import { nameOf, sleepsIn, whenKernelShows, exited, explain, fact, forkSelf, name, paced, passedFds, posix, question, role, say, sleep, step, tempDir, execFileSync } from '../../lib/lesson/index.js';
import { Broker, Empty, Full, empty, full, get, put, qsize } from './queue.js';

if (role === 'adder') await adder();
else if (role === 'helper') helper();
else if (role === 'sibling') await sibling(Number(process.argv[2]));
else if (role === 'producer') await producer();
else if (role === 'consumer') await consumer();
else if (role === 'fifo reader') fifoReader(process.argv[2]!);
else if (role === 'fifo writer') await fifoWriter(process.argv[2]!);
else await parent();

async function parent(): Promise<void> {
  name('parent');
  if (process.platform !== 'linux') say('(Not Linux: there is no /proc here, so the lesson shows the talking but not the descriptors.)');

  await step('A pipe to a child: its stdin and stdout');
  // stdio 'pipe': the child's fd 0 and fd 1 are connected to us; we write its input, read its output.
  const child = forkSelf('adder', { stdio: ['pipe', 'pipe', 'inherit'] });
  const stdin = describeFd(child.pid!, 0);
  const stdout = describeFd(child.pid!, 1);
  say(`/proc/${child.pid}/fd/0 -> ${stdin}   (the child's stdin)`);
  say(`/proc/${child.pid}/fd/1 -> ${stdout}   (the child's stdout)`);
  fact('pipe.fds', { stdin, stdout });
  const shellPipe = execFileSync('sh', ['-c', 'readlink /proc/self/fd/1 | cat']).toString().trim();
  say(`a shell's "a | b", for comparison: ${shellPipe}`);
  fact('pipe.shell', shellPipe);
  explain("Node's 'pipe' is a Unix SOCKETPAIR (socket:[…]), not a pipe(2) (pipe:[…]) as in the shell.");

  child.stdin!.end('12 61\n69 48\n'); // the course's numbers; end() closes our end: the child sees EOF
  let replies = '';
  for await (const chunk of child.stdout!) replies += String(chunk);
  await exited(child);
  say(`the child answered:\n${replies.trimEnd()}`);
  fact('pipe.replies', replies.trimEnd().split('\n'));
  explain('The child read until end of file: it ended because we closed our end of its stdin.');

  await step('The IPC channel');
  const helperKid = forkSelf('helper', { ipc: true });
  const ours = socketsOf(process.pid);
  const theirs = socketsOf(helperKid.pid!);
  // Which of the child's sockets leads to us? `ss -x` knows both ends of every Unix socket.
  const pair = findPair(theirs, ours);
  if (pair) {
    say(`the child's fd ${pair.childFd} is socket:[${pair.childInode}]; ss -x: its peer is socket:[${pair.parentInode}], our fd ${pair.parentFd}`);
    fact('channel.pair', pair);
  }
  explain('Two sockets, one in each process, joined by the kernel: a socketpair. So is Python\'s Pipe().');
  for (const [x, y] of [[3, 4], [20, 22]] as const) {
    helperKid.send({ x, y }); // JSON crosses the channel, like Python pickles an object over its Pipe
    const [answer] = (await once(helperKid, 'message')) as [{ sum: number }];
    say(`asked ${x} + ${y}, the helper answered ${answer.sum}`);
    fact('channel.answer', { x, y, sum: answer.sum });
  }

  await step('An open channel keeps a child alive');
  fact('channel.idle', helperKid.pid);
  say(`the helper has nothing left to do. Is it still there? ${isAlive(helperKid.pid!) ? 'yes' : 'no'}`);
  explain("It listens for 'message' on an open channel: Node keeps it running, waiting for one (STAT S).");
  await sleep(2000);
  fact('channel.disconnect', helperKid.pid);
  helperKid.disconnect(); // close the channel: the child has nothing left to wait for
  const { code } = await exited(helperKid);
  say(`after disconnect() the helper exited (code ${code}).`);
  explain('Every child started with an IPC channel must be disconnected (or call process.disconnect()).');

  await step('A pipe between two siblings');
  // The course's fd1, fd2 = Pipe(): the parent makes the pipe, then starts two children, and each
  // takes one end. Python's Pipe() is socketpair(2): two Unix sockets, already connected to each
  // other. Node has no such call; this is the C one (through koffi).
  const [end1, end2] = posix.socketPair();
  const ends = [end1, end2].map((fd) => describeFd(process.pid, fd));
  const peer = unixPeers().get(socketInode(ends[0]!));
  say(`socketpair(): our fd ${end1} is ${ends[0]}, fd ${end2} is ${ends[1]}; ss -x: the peer of the first is socket:[${peer}].`);
  fact('siblings.pair', { sockets: ends, peer: `socket:[${peer}]` });
  const sibling1 = forkSelf('sibling', { args: ['1'], passFds: [end1] }); // fun1: it receives first
  closeSync(end1); // sibling 1 has its own copy now; we keep none
  await whenKernelShows(() => nameOf(sibling1.pid!), (comm) => comm === 'sibling 1'); // Node has started: its next call is recv()
  say('sibling 1 took one end, and waits in recv() for its sibling to say something.');
  await sleep(2000);
  const sibling2 = forkSelf('sibling', { args: ['2'], passFds: [end2] }); // fun2: it sends first
  closeSync(end2);
  const left = [...socketsOf(process.pid).keys()].filter((inode) => ends.includes(`socket:[${inode}]`));
  fact('siblings.parentKeeps', left);
  await Promise.all([exited(sibling1), exited(sibling2)]);
  explain('The two children talked to each other, not to us: we made the pipe and gave it away.');
  explain("(Python's Pipe(duplex=False) is a real pipe(2), one way only: fd1 reads, fd2 writes.)");

  await step('A queue: Queue(3), put and get, full and empty');
  const queue = new Broker(3); // q = Queue(3): it holds at most 3 items
  const producerKid = forkSelf('producer', { ipc: true });
  queue.serve(producerKid);
  await queue.putWaits();
  say(`the queue holds ${queue.size} items, its maximum: the producer now waits inside put().`);
  // --predict: the student guesses, the table answers (lib/lesson/question.ts).
  await question({ about: producerKid.pid!, ask: 'stat', reveal: { afterMs: 500 }, prompt: "The producer's put() cannot go on until someone takes an item. What will its STAT be 0.5 s from now?" });
  await sleep(2000);
  const consumerKid = forkSelf('consumer', { ipc: true });
  queue.serve(consumerKid);
  await Promise.all([exited(producerKid), exited(consumerKid)]);
  fact('queue.largest', queue.largest);
  explain('First in, first out: the consumer got every item in the order it was put.');
  explain("It ended as the course's handle() does: get(timeout=2) raised Empty when no item came.");
  explain('A timeout only guesses that the producer is done; an end marker (None) says so.');

  await step('A named FIFO between two processes that share nothing');
  const fifo = join(tempDir('ipc'), 'fifo');
  posix.makeFifo(fifo, 0o600); // Node has no mkfifo(); this is the C call (through koffi)
  fact('fifo.path', fifo);
  const listing = execFileSync('ls', ['-l', fifo]).toString().trim();
  say(`ls -l: ${listing}`);
  fact('fifo.ls', listing);
  fact('fifo.isFIFO', statSync(fifo).isFIFO());
  explain("The first letter is the file's type: p for a pipe with a name (s: socket, d: folder, -: file).");
  const reader = forkSelf('fifo reader', { args: [fifo] });
  const wchan = (await whenKernelShows(() => sleepsIn(reader.pid!), (where) => where === 'wait_for_partner')) ?? '(unknown: no /proc here)';
  say(`the reader opened the FIFO and sleeps in the kernel, in ${wchan}(): no writer yet.`);
  fact('fifo.reader.wchan', wchan);
  await sleep(2000);
  const writer = forkSelf('fifo writer', { args: [fifo] });
  await Promise.all([exited(reader), exited(writer)]);
  unlinkSync(fifo);
  fact('fifo.removed', !existsSync(fifo));
  explain('The two got nothing from each other: no descriptor, no channel, just a name. Any two');
  explain('programs can meet this way; try `mkfifo f; cat f` and `echo hi > f` in two terminals.');
}

// ── the children ─────────────────────────────────────────────────────────────────────────────

/** Reads "x y" lines on stdin, writes "x + y = sum" on stdout, until stdin ends. */
async function adder(): Promise<void> {
  name('adder');
  for await (const line of createInterface({ input: process.stdin })) {
    const [x, y] = line.split(' ').map(Number) as [number, number];
    process.stdout.write(`${x} + ${y} = ${x + y}\n`); // stdout is the pipe to the parent
  }
}

function helper(): void {
  name('helper');
  process.on('message', ({ x, y }: { x: number; y: number }) => process.send!({ sum: x + y }));
}

/** The course's fun1 (sibling 1) and fun2 (sibling 2), each with one end of the same pipe. */
async function sibling(which: number): Promise<void> {
  name(`sibling ${which}`);
  const fd = passedFds()[0]!;
  fact('siblings.end', { sibling: which, socket: describeFd(process.pid, fd) });
  const end = new Socket({ fd, readable: true, writable: true }); // our end: fd.send() and fd.recv()
  const lines = createInterface({ input: end })[Symbol.asyncIterator]();
  const recv = async (): Promise<string> => String((await lines.next()).value);
  let heard: string;
  if (which === 1) {
    heard = await recv(); // fd1.recv(): waits until sibling 2 sends
    end.write('跟你说句悄悄话\n'); // fd1.send("跟你说句悄悄话")
  } else {
    end.write('肥水不流外人天\n'); // fd2.send("肥水不流外人天")
    heard = await recv();
  }
  say(`my sibling said: ${heard}`);
  fact('siblings.heard', { sibling: which, heard });
  end.end(); // done: close our end
}

function pairOfNumbers(): [number, number] {
  return [Math.floor(Math.random() * 100), Math.floor(Math.random() * 100)];
}

async function producer(): Promise<void> {
  name('producer');
  const produced: Array<[number, number]> = [];
  for (let index = 0; index < 4; index++) {
    const item = pairOfNumbers();
    try {
      await put(item, { block: false }); // q.put(item, block=False): never waits
    } catch (error) {
      if (!(error instanceof Full)) throw error;
      say('put(item, block=False) raised Full at once: the queue is full. Now a put() that waits:');
      fact('queue.nowait', error.name);
      await put(item); // q.put(item): waits while the queue is full
    }
    produced.push(item);
    const size = await qsize();
    say(`put ${JSON.stringify(item)}; qsize() is ${size}`);
    fact('queue.qsize', size);
  }
  fact('queue.produced', produced);
  process.disconnect(); // no end marker: the consumer stops when nothing comes for 2 s
}

/** The course's handle(): take pairs and add them up, until get(timeout=2) raises Empty. */
async function consumer(): Promise<void> {
  name('consumer');
  const start = { qsize: await qsize(), full: await full(), empty: await empty() };
  say(`qsize() is ${start.qsize}, full() ${start.full}, empty() ${start.empty}`);
  fact('queue.start', start);
  const consumed: Array<[number, number]> = [];
  for (;;) {
    await sleep(200); // a slow consumer: the queue stays full behind it (the course sleeps 1 s)
    const asked = performance.now();
    let item: [number, number];
    try {
      item = await get<[number, number]>({ timeout: 2000 }); // q.get(timeout=2)
    } catch (error) {
      if (!(error instanceof Empty)) throw error;
      say('get(timeout=2) raised Empty: no item came for 2 s, so the loop ends.');
      fact('queue.timeout', { error: error.name, waitedMs: Math.round(performance.now() - asked), timeoutMs: paced(2000) });
      break;
    }
    consumed.push(item);
    say(`got ${JSON.stringify(item)}: ${item[0]} + ${item[1]} = ${item[0] + item[1]}`);
  }
  const isEmpty = await empty();
  try {
    await get({ block: false }); // q.get(block=False): never waits
  } catch (error) {
    if (!(error instanceof Empty)) throw error;
    say(`empty() is ${isEmpty}, and get(block=False) raises Empty at once, without waiting.`);
    fact('queue.end', { empty: isEmpty, nowait: error.name });
  }
  fact('queue.consumed', consumed);
  process.disconnect();
}

function fifoReader(path: string): void {
  name('fifo reader');
  fact('fifo.reader.opening', process.pid);
  const fd = openSync(path, 'r'); // blocks until some process opens the FIFO for writing
  fact('fifo.reader.opened', process.pid);
  const received: string[] = [];
  const buffer = Buffer.alloc(4096);
  let pending = '';
  for (let bytes = readSync(fd, buffer); bytes > 0; bytes = readSync(fd, buffer)) {
    pending += buffer.toString('utf8', 0, bytes);
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      say(`read "${line}"`);
      received.push(line);
    }
  } // read() returned 0: end of file, every writer has closed the FIFO
  closeSync(fd);
  fact('fifo.received', received);
}

async function fifoWriter(path: string): Promise<void> {
  name('fifo writer');
  fact('fifo.writer.opening', process.pid);
  const fd = openSync(path, 'w'); // a reader is waiting, so this opens at once (and wakes it)
  const sent = ['hello through a FIFO', '你好', 'bye'];
  for (const line of sent) {
    writeSync(fd, `${line}\n`);
    say(`wrote "${line}"`);
    await sleep(300);
  }
  closeSync(fd);
  fact('fifo.sent', sent);
}

// ── looking at the kernel ────────────────────────────────────────────────────────────────────

/** What a process's file descriptor is, as /proc shows it (`ls -l /proc/PID/fd`). */
function describeFd(pid: number, fd: number): string {
  try {
    return readlinkSync(`/proc/${pid}/fd/${fd}`);
  } catch {
    return '(unknown: no /proc here)';
  }
}

/** A process's sockets: inode -> fd number. */
function socketsOf(pid: number): Map<number, number> {
  const sockets = new Map<number, number>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      const inode = socketInode(describeFd(pid, Number(fd)));
      if (inode) sockets.set(inode, Number(fd));
    }
  } catch {
    // no /proc
  }
  return sockets;
}

/** The child's socket whose other end (per `ss -x`: local inode, peer inode) we hold. */
function findPair(child: Map<number, number>, parent: Map<number, number>) {
  for (const [local, peer] of unixPeers()) {
    if (child.has(local) && parent.has(peer)) {
      return { childFd: child.get(local)!, childInode: local, parentFd: parent.get(peer)!, parentInode: peer };
    }
  }
  return undefined;
}

/** Every connected Unix socket and its peer, as `ss -x` lists them: inode -> peer inode. */
function unixPeers(): Map<number, number> {
  const peers = new Map<number, number>();
  let listing = '';
  try {
    listing = execFileSync('ss', ['-x', '-a', '-n']).toString();
  } catch {
    say('(`ss` is not installed here: cannot show the socket pairs.)');
    return peers;
  }
  for (const line of listing.split('\n')) {
    const [, , , , , local, , peer] = line.trim().split(/\s+/).map(Number);
    if (local && peer) peers.set(local, peer);
  }
  return peers;
}

/** The inode in "socket:[12345]". */
function socketInode(link: string): number {
  return Number(/^socket:\[(\d+)\]$/.exec(link)?.[1]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
