// Lesson 12 — chatroom: the course's UDP group chat, as processes.
//
// The course's capstone (群聊聊天室): a server keeps the list of who is in the room (a name and
// the address it joined from) and, for every datagram that comes in, sends datagrams out: to
// everyone but the speaker. That is a fan-out. UDP suits it: one datagram is one whole message,
// and there is no connection to keep per client.
//
// This lesson runs the REAL chatroom of this workbook (chatroom/server.ts and chatroom/client.ts,
// what `npm run chat:server` and `npm run chat:client` start) and plays the people at its
// keyboards: what a person types, it writes into that program's stdin; what their screen shows,
// it reads from that program's stdout. Every program here is two processes, as in the course:
//   chat-server   → chat-admin     the admin console is a process of its own (the course forks it)
//   chat-receiver → chat-sender    one prints what arrives, the other reads the keyboard and sends
import type { ChildProcessByStdio } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
// spawn as Node's, from the lesson API: it also tells the runner each program's pid and exit status.
import { exited, explain, fact, listAllProcesses, name, question, quote, say, sleep, spawn, step, warn } from '../../lib/lesson/index.js';

// The chatroom next to this lesson: dist/chatroom/*.mjs when it runs compiled (the runner),
// chatroom/*.ts when it runs alone through tsx (then started with tsx too: process.execArgv).
const extension = extname(fileURLToPath(import.meta.url));
const serverFile = fileURLToPath(new URL(`../../chatroom/server${extension}`, import.meta.url));
const clientFile = fileURLToPath(new URL(`../../chatroom/client${extension}`, import.meta.url));
const HOST = '127.0.0.1';

async function main(): Promise<void> {
  name('lesson');

  await step('The server and its admin console');
  const server = new Program("server's terminal", serverFile, ['--host', HOST, '--port', '0']);
  const [, port = ''] = await server.waitFor(/listening on 127\.0\.0\.1:(\d+)/);
  const admin = await childNamed(server.pid, 'chat-admin');
  say(`the server (pid ${server.pid}) listens on UDP ${HOST}:${port}: port 0 let the kernel choose a free one.`);
  say(`its admin console is a second process, pid ${admin}, the server's child.`);
  fact('server', { pid: server.pid, port: Number(port), admin });
  explain('chat-server owns the UDP socket and the member list; chat-admin only waits for the operator');
  explain("to type. They talk over the IPC channel fork() opened between them, not over UDP.");
  await sleep(1500);

  await step('Three clients join, each a pair of processes');
  const alice = await enter('alice', port);
  const bob = await enter('bob', port);
  await alice.waitFor('bob joined');
  const carol = new Program("carol's terminal", clientFile, [HOST, port]);
  carol.type('alice'); // a name that is taken: the server refuses it, with the reason
  await carol.waitFor('The name alice is taken');
  await sleep(600);
  carol.type('carol');
  await carol.waitFor('You are in the room as carol.');
  await recordPair('carol', carol);
  await Promise.all([alice, bob].map((each) => each.waitFor('carol joined')));
  explain('Each client is chat-receiver (the program started) and its child chat-sender. They hold ONE');
  explain('UDP socket, so the server sees one address per client (the port in its log), whichever sends.');
  await sleep(1500);

  await step('They talk: the server fans each line out');
  for (const [speaker, line, others] of [
    [alice, 'hello, everyone', [bob, carol]],
    [bob, 'hi alice', [alice, carol]],
    [carol, '大家好', [alice, bob]],
  ] as const) {
    speaker.type(line);
    await Promise.all(others.map((each) => each.waitFor(`: ${line}`)));
    await sleep(600);
  }
  explain('One datagram in ("C alice hello, everyone"), one datagram out to each of the OTHERS: nobody');
  explain("gets their own line back. Each arrived at a receiver while its sender waited for the keyboard.");

  await step('bob types quit');
  await question({ about: bob.pid, ask: 'alive', reveal: 'next-step', prompt: "bob will type quit. At the next step, what will be left of bob's receiver?" });
  bob.type('quit');
  await bob.waitFor('You have left the room.');
  const bobEnded = await exited(bob.child);
  await Promise.all([alice, carol].map((each) => each.waitFor('bob left')));
  say(`bob's receiver ended its sender, reaped it, and exited (code ${bobEnded.code}): both rows are gone.`);
  fact('exit', { who: 'bob', ...bobEnded });
  explain('bob\'s sender sent "Q bob"; the server answered EXIT to bob and "bob left" to the others.');
  await sleep(1500);

  await step('The admin speaks');
  server.type('/who');
  await server.waitFor('members (2): alice carol');
  server.type('The room closes in a minute.');
  await Promise.all([alice, carol].map((each) => each.waitFor('admin: The room closes in a minute.')));
  explain("The operator typed at the server's terminal; chat-admin read it and passed it to chat-server");
  explain('over their IPC channel. A datagram from a client can never pass for the admin.');
  await sleep(1500);

  await step('Ctrl-C on the server closes the room');
  server.child.kill('SIGINT'); // what Ctrl-C in the server's terminal sends
  const [serverEnded, aliceEnded, carolEnded] = await Promise.all([server, alice, carol].map((each) => exited(each.child)));
  fact('exit', { who: 'server', ...serverEnded });
  fact('exit', { who: 'alice', ...aliceEnded });
  fact('exit', { who: 'carol', ...carolEnded });
  fact('received', { alice: alice.lines, bob: bob.lines, carol: carol.lines });
  say(`the server told everyone, let its admin console go and exited (code ${serverEnded.code}); each client`);
  say(`ended its sender and exited (codes ${aliceEnded.code}, ${carolEnded.code}). Every process was reaped by its parent.`);
  await sleep(500);
}

/** A client joins as `person`: the receiver starts, its sender reads the name we type. */
async function enter(person: string, port: string): Promise<Program> {
  const client = new Program(`${person}'s terminal`, clientFile, [HOST, port]);
  client.type(person);
  await client.waitFor(`You are in the room as ${person}.`);
  await recordPair(person, client);
  await sleep(800);
  return client;
}

async function recordPair(person: string, client: Program): Promise<void> {
  const sender = await childNamed(client.pid, 'chat-sender');
  say(`${person}: chat-receiver ${client.pid}, and its child chat-sender ${sender}`);
  fact('client', { name: person, receiver: client.pid, sender });
}

// ── Small helpers ──────────────────────────────────────────────────────────────────────────────

/** Ctrl-C (or the runner stopping us): set when the lesson is to stop. */
let stopping = false;
class Stopped extends Error {}
const programs: Program[] = [];

/** A chatroom program: its stdin is the keyboard we type on, its stdout the screen we read. */
class Program {
  readonly child: ChildProcessByStdio<Writable, Readable, null>;
  /** Every line its screen showed. */
  readonly lines: string[] = [];
  private readonly waiting = new Set<() => void>();

  constructor(readonly label: string, readonly file: string, args: string[]) {
    if (stopping) throw new Stopped();
    // --lang en: the lesson reads their screens for English sentences, whatever the locale.
    this.child = spawn(process.execPath, [...process.execArgv, file, ...args, '--lang', 'en'], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.child.stdin.on('error', () => {}); // typing at a program that has ended: the line is lost
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.lines.push(line);
      quote(`${label}: ${line}`); // what the program printed, as it printed it
      this.wake();
    });
    this.child.once('exit', () => this.wake());
    programs.push(this);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** A line typed, and Enter. */
  type(line: string): void {
    if (stopping) throw new Stopped();
    this.child.stdin.write(`${line}\n`);
  }

  /** Waits until the screen shows a line containing `text` (or matching it); a deadline, never a guess. */
  waitFor(text: string | RegExp, deadlineMs = 10_000): Promise<RegExpMatchArray> {
    const pattern = typeof text === 'string' ? new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : text;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => check(true), deadlineMs);
      const check = (late = false): void => {
        const found = this.lines.map((line) => line.match(pattern)).find((match) => match !== null);
        if (found) resolve(found);
        else if (stopping) reject(new Stopped());
        else if (!this.running || late) reject(new Error(`${this.label} never showed ${String(text)}${late ? ' (is the machine very busy?)' : `: the program ended`}.`));
        else return;
        clearTimeout(timer);
        this.waiting.delete(check);
      };
      this.waiting.add(check);
      check();
    });
  }

  wake(): void {
    for (const check of [...this.waiting]) check();
  }
}

/** The pid of `parent`'s child that calls itself `title` (polled, with a deadline). */
async function childNamed(parent: number, title: string): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = (await childrenOf(parent)).find((each) => each.title === title);
    if (found) return found.pid;
    if (stopping) throw new Stopped();
    if (Date.now() > deadline) throw new Error(`no process ${title} appeared under ${parent}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A process's children and their titles. On Linux from /proc (reading a file starts no process,
 * so nothing extra appears in the table); elsewhere from `ps`.
 */
async function childrenOf(parent: number): Promise<Array<{ pid: number; title: string }>> {
  let pids: number[];
  try {
    pids = readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return (await listAllProcesses()).filter((each) => each.ppid === parent).map((each) => ({ pid: each.pid, title: each.cmd ?? each.name }));
  }
  return pids.map((pid) => {
    try {
      return { pid, title: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '' };
    } catch {
      return { pid, title: '' }; // gone meanwhile
    }
  });
}

/** Ends the programs still running (their children end with them). */
function endAll(signal: NodeJS.Signals): void {
  for (const each of programs) if (each.running) each.child.kill(signal);
}

/**
 * Ends the chat as its users would: every keyboard closes (a client whose input ends leaves the
 * room, as with Ctrl-D), and after `graceMs` a server still running gets SIGTERM, which closes
 * the room. Whatever is left 3 s later is killed.
 */
function wrapUp(graceMs: number): void {
  for (const each of programs) each.child.stdin.end();
  setTimeout(() => {
    for (const each of programs) if (each.running && each.file === serverFile) each.child.kill('SIGTERM');
  }, graceMs).unref();
  setTimeout(() => endAll('SIGKILL'), graceMs + 3000).unref();
}

function failed(error: unknown): void {
  if (error instanceof Stopped) return;
  warn(`lesson 12: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
  wrapUp(0);
}

// Ctrl-C in a terminal reaches every process of the job, and the runner stops a lesson by
// signalling its whole process group: each chat program then ends by itself (the server closes
// the room). The lesson stops typing and waits for them; a server that did not get the signal
// (it was sent to the lesson alone) is told after a second.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    stopping = true;
    process.exitCode = 128 + constants.signals[signal];
    for (const each of programs) each.wake();
    wrapUp(1000);
  });
}
// However the lesson ends, nothing it started outlives it.
process.on('exit', () => endAll('SIGKILL'));

// Run the lesson (last: everything above must be defined first).
if (!existsSync(serverFile) || !existsSync(clientFile)) {
  warn(`lesson 12 runs the chatroom's programs, and ${serverFile} is missing: build them with \`npm run build\`.`);
  process.exitCode = 1;
} else {
  await main().catch(failed);
}
