// What the chatroom tests share: starting the chatroom's processes (ours, built, and the course's
// Python ones), reading their output with deadlines, and making sure every one of them ends.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { projectRoot } from '../support/run-lesson.js';
import { allStats, commandLine } from '../../lib/proc/read.js';

export const distChatroom = join(projectRoot, 'dist', 'chatroom');
export const serverEntry = join(distChatroom, 'server.mjs');
export const clientEntry = join(distChatroom, 'client.mjs');
export const courseDir = join(projectRoot, 'test', 'fixtures', 'course');

/** A locale that is not Chinese: the chat programs speak English unless a test asks (`--lang zh`). */
export const ENGLISH = { LC_ALL: '', LC_MESSAGES: '', LANG: 'C.UTF-8' };

/** Builds dist/ if a source changed (once at a time: test files run in parallel workers). */
export async function buildOnce(): Promise<void> {
  const { isStale, build } = (await import('../../bin/build.mjs')) as { isStale: () => boolean; build: () => Promise<number> };
  const lock = join(projectRoot, 'dist', '.chatroom-tests-build.lock');
  mkdirSync(join(projectRoot, 'dist'), { recursive: true });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another worker is building; a lock older than a minute is from a run that died.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 60_000) rmdirSync(lock);
      } catch {
        // gone meanwhile
      }
      if (Date.now() > deadline) throw new Error('waited a minute for another build of dist/');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    if (isStale()) await build();
  } finally {
    rmdirSync(lock);
  }
}

/** A process a test started, in its own process group, with its output collected. */
export class Proc {
  readonly child: ChildProcess;
  out = '';
  err = '';
  code: number | null = null;
  signal: NodeJS.Signals | null = null;
  readonly ended: Promise<void>;

  constructor(command: string, args: string[], env: Record<string, string> = {}) {
    // detached: a new process group, so the whole group (a client's pair, a server and its admin,
    // a Python client and its fork) can be signalled as a terminal's Ctrl-C would.
    this.child = spawn(command, args, {
      cwd: projectRoot,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...ENGLISH, PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1', ...env },
    });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.out += chunk.toString('utf8')));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.err += chunk.toString('utf8')));
    this.child.stdin?.on('error', () => {});
    this.ended = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.code = code;
        this.signal = signal;
        resolve();
      }),
    );
    running.add(this);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get exited(): boolean {
    return this.code !== null || this.signal !== null;
  }

  write(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }

  closeInput(): void {
    this.child.stdin?.end();
  }

  /** Signals the whole process group (as Ctrl-C in a terminal reaches every process of the job). */
  signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal);
    } catch {
      // already gone
    }
  }

  /** Waits until stdout (or stderr, with `stream: 'err'`) matches; returns the match. */
  async waitFor(pattern: string | RegExp, { timeout = 5000, stream = 'out' }: { timeout?: number; stream?: 'out' | 'err' } = {}): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeout;
    const regex = typeof pattern === 'string' ? new RegExp(escape(pattern)) : pattern;
    for (;;) {
      const match = (stream === 'out' ? this.out : this.err).match(regex);
      if (match) return match;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${String(pattern)} from pid ${this.pid}\n--- stdout:\n${tail(this.out)}\n--- stderr:\n${tail(this.err)}`);
      }
      await pause(20);
    }
  }

  /** Waits for the process to end; fails the test if it has not by the deadline. */
  async waitExit(timeout = 5000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), timeout).unref());
    if ((await Promise.race([this.ended.then(() => 'done' as const), timer])) === 'late') {
      throw new Error(`pid ${this.pid} did not exit within ${timeout} ms\n--- stdout:\n${tail(this.out)}\n--- stderr:\n${tail(this.err)}`);
    }
    return { code: this.code, signal: this.signal };
  }
}

const running = new Set<Proc>();

/** Every process a test started ends with the test, passed or failed. */
afterEach(async () => {
  const all = [...running];
  running.clear();
  // A group number cannot be reused while the group has a process (or its leader is not reaped);
  // an empty group's number could be, so it is left alone.
  for (const each of all) if (!each.exited || groupMembers(each.pid).length > 0) each.signalGroup('SIGKILL');
  await Promise.all(all.map((each) => each.ended));
  for (const each of all) await groupGone(each.pid);
  for (const socket of sockets.splice(0)) {
    try {
      socket.close();
    } catch {
      // closed already
    }
  }
});

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The end of a long output, for an error message. */
function tail(text: string): string {
  return text.length > 3000 ? `…${text.slice(-3000)}` : text;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The live (not zombie) processes of a process group, with their title, parent and state. */
export function groupMembers(pgid: number): Array<{ pid: number; ppid: number; state: string; title: string }> {
  const members: Array<{ pid: number; ppid: number; state: string; title: string }> = [];
  for (const stat of allStats()) {
    if (stat.pgid !== pgid || stat.state === 'Z') continue;
    members.push({ pid: stat.pid, ppid: stat.ppid, state: stat.state, title: commandLine(stat.pid).split(' ')[0] ?? '' });
  }
  return members;
}

/** Waits until no live process is left in the group. */
export async function groupGone(pgid: number, timeout = 5000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (groupMembers(pgid).length > 0) {
    if (Date.now() > deadline) throw new Error(`process group ${pgid} still has ${JSON.stringify(groupMembers(pgid))}`);
    await pause(20);
  }
}

// ---------------------------------------------------------------- the chatroom's processes

export interface Server {
  proc: Proc;
  port: number;
}

/** Our server on a free port (its admin console reads the Proc's stdin). */
export async function startServer(args: string[] = []): Promise<Server> {
  const proc = new Proc(process.execPath, [serverEntry, '--host', '127.0.0.1', '--port', '0', ...args]);
  const match = await proc.waitFor(/listening on [^ ]+:(\d+) /);
  return { proc, port: Number(match[1]) };
}

/** Our client (a receiver and its sender), typing through its stdin. */
export function startClient(port: number, env: Record<string, string> = {}): Proc {
  return new Proc(process.execPath, [clientEntry, '127.0.0.1', String(port)], env);
}

/** Our client, joined under `name`. */
export async function joinedClient(port: number, name: string, env: Record<string, string> = {}): Promise<Proc> {
  const client = startClient(port, env);
  client.write(name);
  await client.waitFor(`You are in the room as ${name}.`);
  return client;
}

/** Asks the admin console who is in the room. */
export async function members(server: Server): Promise<string[]> {
  const before = server.proc.out.length;
  server.proc.write('/who');
  const deadline = Date.now() + 5000;
  for (;;) {
    const match = server.proc.out.slice(before).match(/members \((\d+)\): (.*)\n/);
    if (match) return match[1] === '0' ? [] : (match[2] ?? '').split(' ');
    if (Date.now() > deadline) throw new Error(`no answer to /who\n${server.proc.out}`);
    await pause(20);
  }
}

const sockets: dgram.Socket[] = [];

/** A raw UDP socket on loopback (an attacker, a vanishing client), closed after the test. */
export async function rawSocket(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

export function sendTo(socket: dgram.Socket, port: number, data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => socket.send(data, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
}

/** Collects what a raw socket receives, as text. */
export function inbox(socket: dgram.Socket): string[] {
  const received: string[] = [];
  socket.on('message', (bytes) => received.push(bytes.toString('utf8')));
  return received;
}

/** The course's Python scripts. */
export function python(script: string, args: string[] = [], env: Record<string, string> = {}): Proc {
  return new Proc('python3', ['-u', join(courseDir, script), ...args], env);
}

export async function startPythonServer(script: 'seed004_server.py' | 'seed000_server.py'): Promise<Server> {
  const proc = python('launch.py', [script]);
  const match = await proc.waitFor(/listening on (\d+)/, { stream: 'err' });
  return { proc, port: Number(match[1]) };
}
