// Lesson 11: a Unix socket server's file, checked against what the kernel showed; and the safe
// recovery code itself, in-process.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { claim } from '../support/claims.js';
import { aliveStretch, expectSaidWhileShown, lineAt } from '../support/pace.js';
import { kernelAgrees } from '../support/kernel.js';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';
import { PREDICT_PACE, runPredicting, type PredictRun } from '../support/predict.js';
import { checkSocketPath, listenSafely, MAX_SOCKET_PATH, probe, SocketPathError } from '../../lessons/11-unix-sockets/safe-listen.js';

const PACE = PREDICT_PACE;

describe('lesson 11 unix sockets', () => {
  // Run as a student predicting would (--predict): its one question is answered, and every claim
  // below must hold in that run as in any other.
  let run: PredictRun;
  kernelAgrees('11', () => run?.timeline);
  const served = (pid: number): unknown[] => run.timeline.data.facts.filter((f) => f.name === 'served' && f.pid === pid).map((f) => f.value);
  const said = <T>(name: string) => run.timeline.fact<T & { pid: number }>(name)!;

  beforeAll(async () => {
    run = await runPredicting('unix-sockets', () => 'gone');
  });

  const lessonPid = (): number => run.timeline.data.lessonPid;
  const at = (checkpoint: string): number => run.timeline.checkpoint(checkpoint)!.t;
  const factTime = (name: string): number => run.timeline.data.facts.find((fact) => fact.name === name)!.t;
  const firstServer = () => run.timeline.process(run.timeline.fact<number>('close.server')!)!;

  claim('socket-file', () => {
    expect(run.timeline.fact<string>('socket.ls')!.startsWith('s')).toBe(true);
    expect(run.timeline.fact('socket.isSocket')).toBe(true);
  });

  claim('server-listens', () => {
    const server = firstServer();
    expect(server.title).toBe('server');
    expect(server.firstParent).toBe(lessonPid());
    expect(server.everIn('S', { ppid: lessonPid() })).toBe(true);
  });

  claim('client-served', () => {
    const server = firstServer();
    expect(served(server.pid)).toEqual(['hello', '你好']);
    // The client is a process of its own, a child of the lesson, and got the course's answers.
    const client = run.timeline.data.facts.find((f) => f.name === 'client.replies')!;
    expect(client.value).toEqual([`Receive: hello (server ${server.pid})`, `Receive: 你好 (server ${server.pid})`]);
    expect(client.pid).not.toBe(server.pid);
    const clientRow = run.timeline.process(client.pid)!;
    expect(clientRow.title).toBe('client');
    expect(clientRow.firstParent).toBe(lessonPid());
    expect(clientRow.record.exit).toMatchObject({ code: 0, signal: null });
    // two lines at least 0.3 s (× the pace) apart, as the server received them
    const times = run.timeline.data.facts.filter((f) => f.name === 'served' && f.pid === server.pid).map((f) => f.t);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(300 * PACE);
  });

  claim('close-exit', () => {
    expect(firstServer().record.exit).toMatchObject({ code: 0, signal: null });
    expect(firstServer().record.reapedBy).toBe(lessonPid());
  });

  claim('close-removes-file', () => {
    expect(run.timeline.fact('close.exists')).toBe(false);
  });

  claim('killed-server', () => {
    const killed = run.timeline.process(run.timeline.fact<number>('kill.server')!)!;
    expect(killed.title).toBe('server');
    expect(killed.record.exit?.signal).toBe('SIGKILL');
    // it listened a second (× the pace) before the parent killed it, asleep in every sample
    const listening = factTime('kill.listening');
    expect(killed.record.exit!.t - listening).toBeGreaterThanOrEqual(1000 * PACE);
    // asleep in at least three of every four samples (an idle Node process wakes for its own housekeeping)
    const stats = run.timeline.statsBetween(killed, listening, listening + 1000 * PACE);
    expect(stats.filter((stat) => stat.startsWith('S')).length * 4, stats.join(' ')).toBeGreaterThanOrEqual(stats.length * 3);
  });

  claim('stale-file', () => {
    expect(run.timeline.fact('kill.left')).toEqual({ exists: true, isSocket: true });
  });

  claim('eaddrinuse', () => {
    const again = said<{ code: string; listening?: boolean }>('kill.relisten');
    expect(again.code).toBe('EADDRINUSE');
    expect(again.listening).toBeUndefined();
    const row = run.timeline.process(again.pid)!;
    expect(row.title).toBe('server');
    expect(row.record.exit).toMatchObject({ code: 1, signal: null });
  });

  claim('safe-recovers', () => {
    const dead = said<{ listening: boolean; recovered: boolean; probe: string }>('recovery.dead');
    expect(dead).toMatchObject({ listening: true, recovered: true, probe: 'ECONNREFUSED' });
    expect(run.timeline.process(dead.pid)!.title).toBe('server (safe)');
  });

  claim('safe-refuses', () => {
    const dead = said('recovery.dead');
    const live = said<{ code: string; sameFile: boolean; listening?: boolean }>('recovery.live');
    expect(live.code).toBe('IN_USE');
    expect(live.listening).toBeUndefined();
    expect(live.sameFile).toBe(true); // the live server's file is the same file (same inode) afterwards
    const row = run.timeline.process(live.pid)!;
    expect(row.title).toBe('server (safe)');
    expect(row.record.exit).toMatchObject({ code: 1, signal: null });
    // the first one stayed through it: started before it, as the kernel dated their starts (when
    // the table first showed each can be later: beside two busy loops it first showed the second)
    const first = run.timeline.process(dead.pid)!;
    expect(first.record.startTicks).toBeLessThan(row.record.startTicks);
    expect(first.record.gone).toBeGreaterThan(row.record.gone!);
  });

  claim('safe-serves', () => {
    expect(served(said('recovery.dead').pid)).toEqual(['hello', '你好']);
  });

  claim('course-strands', () => {
    const course = run.timeline.fact<number>('course.server')!;
    expect(run.timeline.process(course)!.title).toBe('server (course)');
    const stranded = said<{ alive: boolean }>('course.orphaned');
    expect(stranded.pid).toBe(said('recovery.dead').pid);
    expect(stranded.alive).toBe(true);
    expect(served(course)).toEqual(['hello', '你好']); // the client reached the newcomer …
    expect(served(stranded.pid)).toEqual(['hello', '你好']); // … and the live server got nothing more
    const lastServed = run.timeline.data.facts.filter((f) => f.name === 'served' && f.pid === course).at(-1)!.t;
    expect(run.timeline.process(stranded.pid)!.record.gone).toBeGreaterThan(lastServed); // it was running all along
  });

  claim('said-while-shown', () => {
    // The careful server, still running and unreachable: its row, until the lesson lets it go.
    const stranded = [aliveStretch(run.timeline.process(said<{ alive: boolean }>('course.orphaned').pid)!)];
    expectSaidWhileShown(run.timeline, lineAt(run.timeline, "the course's server removed the file and took the name"), stranded, PACE, 'the careful server still runs');
    expectSaidWhileShown(run.timeline, lineAt(run.timeline, 'A running server nobody can reach'), stranded, PACE, 'the careful server unreachable');
  });

  test('predict: the careful server after the course\'s server took its name, as the table showed it', () => {
    expect(run.questions).toHaveLength(1);
    const [question] = run.questions;
    const stranded = said<{ alive: boolean }>('course.orphaned');
    expect(question!.pid).toBe(stranded.pid);
    // read before the lesson let it go: it was alive, unreachable, and still in the table
    const server = run.timeline.process(stranded.pid)!;
    expect(question!.dueAt!).toBeLessThan(server.record.exit!.t);
    expect(question!).toMatchObject({ ask: 'alive', actual: 'alive', answer: 'gone', right: false });
  });

  claim('path-nothing-new', () => {
    const from = at('How long a socket path can be');
    const to = at('Linux abstract names: a socket without a file');
    const started = run.timeline.processes().filter((each) => each.record.firstSeen >= from && each.record.firstSeen < to);
    expect(started.map((each) => each.title)).toEqual([]);
  });

  claim('path-limit', () => {
    expect(MAX_SOCKET_PATH).toBe(108);
    expect(run.timeline.fact('path.refused')).toEqual({ bytes: 120, code: 'TOO_LONG' });
    expect(run.timeline.fact('path.unchecked')).toEqual({ askedBytes: 120, madeBytes: [MAX_SOCKET_PATH], leftAfterClose: 1 });
  });

  claim('abstract-no-file', () => {
    const listed = said<{ listed: string; newFiles: number }>('abstract.listed');
    const name = `@procbook-${lessonPid()}`;
    expect(listed.listed.startsWith(name)).toBe(true);
    // Node 20 binds the whole sun_path: the name padded with NUL bytes, which /proc shows as @.
    expect(listed.listed).toBe(name.padEnd(MAX_SOCKET_PATH, '@'));
    expect(listed.newFiles).toBe(0);
    expect(served(listed.pid)).toEqual(['hello', '你好']);
  });

  claim('abstract-relisten', () => {
    const listed = said('abstract.listed');
    expect(run.timeline.process(listed.pid)!.record.exit?.signal).toBe('SIGKILL');
    const relisten = said<{ listening: boolean }>('abstract.relisten');
    expect(relisten.listening).toBe(true);
    expect(run.timeline.process(relisten.pid)!.record.exit).toMatchObject({ code: 0, signal: null });
  });

  claim('nothing-left', () => {
    expect(run.code).toBe(0);
    expect(run.timeline.leftovers()).toEqual([]);
    expect(existsSync(run.timeline.fact<string>('socket.path')!)).toBe(false);
  });
});

describe.concurrent('lesson 11 unix sockets, interrupted', () => {
  for (const point of ['── 2.', 'after SIGKILL', "the course's server removed"]) {
    claim('nothing-left', async () => {
      const run = await runLesson('unix-sockets', { interruptAfter: point });
      expect(run.code).toBe(130);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(stillRunning(run.timeline)).toEqual([]);
      expect(existsSync(run.timeline.fact<string>('socket.path')!)).toBe(false);
    }, 40_000);
  }
});

describe('safe-listen', () => {
  let dir: string;
  const servers: Server[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sl-'));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
    rmSync(dir, { recursive: true, force: true });
  });
  const newServer = (): Server => {
    const server = createServer((socket) => {
      socket.on('error', () => undefined); // probe() hangs up at once: ECONNRESET here is expected
      socket.end('hi');
    });
    servers.push(server);
    return server;
  };
  /** A socket file whose server was killed: what a crash leaves. */
  const staleSocket = (path: string): void => {
    const code = `require('net').createServer().listen(process.argv[1], () => process.kill(process.pid, 'SIGKILL'))`;
    try {
      execFileSync(process.execPath, ['-e', code, path], { env: { ...process.env }, stdio: 'ignore' });
    } catch {
      // killed, as intended
    }
  };

  test('checkSocketPath takes exactly the limit and refuses one byte more', () => {
    expect(() => checkSocketPath('/' + 'a'.repeat(MAX_SOCKET_PATH - 1))).not.toThrow();
    expect(() => checkSocketPath('/' + 'a'.repeat(MAX_SOCKET_PATH))).toThrow(SocketPathError);
    // bytes, not characters: 36 Chinese characters are 108 bytes
    expect(() => checkSocketPath('/' + '你'.repeat(36))).toThrow(/109 bytes/);
  });

  test('a free path: listens, no recovery', async () => {
    const path = join(dir, 's');
    expect(await listenSafely(newServer(), path)).toEqual({ recovered: false });
    expect(lstatSync(path).isSocket()).toBe(true);
  });

  test('a stale file: connect says ECONNREFUSED, the file is replaced, clients reach the new server', async () => {
    const path = join(dir, 's');
    staleSocket(path);
    expect(lstatSync(path).isSocket()).toBe(true);
    expect(await probe(path)).toBe('ECONNREFUSED');
    expect(await listenSafely(newServer(), path)).toEqual({ recovered: true, probe: 'ECONNREFUSED' });
    expect(await probe(path)).toBe('connected');
  });

  test("a live server's file is left alone", async () => {
    const path = join(dir, 's');
    await listenSafely(newServer(), path);
    const inode = lstatSync(path).ino;
    await expect(listenSafely(newServer(), path)).rejects.toMatchObject({ code: 'IN_USE' });
    expect(lstatSync(path).ino).toBe(inode);
    const reply = await new Promise<string>((resolve) => {
      let text = '';
      connect(path).on('data', (chunk) => (text += chunk)).on('end', () => resolve(text));
    });
    expect(reply).toBe('hi');
  });

  claim('safe-not-a-socket', async () => {
    const path = join(dir, 's');
    writeFileSync(path, 'precious');
    await expect(listenSafely(newServer(), path)).rejects.toMatchObject({ code: 'NOT_A_SOCKET' });
    expect(readFileSync(path, 'utf8')).toBe('precious');
  });
});
