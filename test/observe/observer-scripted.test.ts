// The observer on a scripted process table (test/observe/scripted.ts) and a clock the test moves:
// which processes it admits, the spans and events it records for each change the table shows
// (a new STAT, a new parent, a zombie, an exec, an end), the exit statuses, and the kernel's
// fork/exec/exit reports handed to it as the proc connector would. Every time is exact here.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import { Observer, type ObserverOptions } from '../../lib/observe/observer.js';
import { Timeline, type ProcessRecord } from '../../lib/observe/timeline.js';
import type { KernelEvent } from '../../lib/proc/connector.js';
import { monotonicMs } from '../../lib/proc/clock.js';
import { readStat } from '../../lib/proc/read.js';
import { ScriptedSource, type Row } from './scripted.js';

const ROOT = 1000;
const RUNNER = 900;
const SIGKILL = 9;
const SIGABRT = 6;

interface Scene {
  observer: Observer;
  source: ScriptedSource;
  clock: { t: number };
  /** Moves the clock to t and takes one sample; what the sample returned (something visible changed). */
  at(t: number, look?: number): boolean;
  /** The newest record of a pid. */
  of(pid: number): ProcessRecord;
  ids(): string[];
}

const started: Observer[] = [];
afterEach(() => {
  for (const observer of started.splice(0)) observer.stop();
});

function scene(rows: Row[], options: Partial<ObserverOptions> & { children?: boolean } = {}): Scene {
  const source = new ScriptedSource({ children: options.children ?? true }).set(...rows);
  // A minute between samples when started: the test samples by hand.
  const observer = new Observer({ rootPid: ROOT, runnerPid: RUNNER, intervalMs: 60_000, source, ...options });
  const clock = { t: 0 };
  observer.now = () => clock.t;
  return {
    observer,
    source,
    clock,
    at(t, look) {
      clock.t = t;
      return observer.sample(look);
    },
    of(pid) {
      const record = observer.record.latest(pid);
      if (!record) throw new Error(`no record of ${pid}`);
      return record;
    },
    ids: () => observer.timeline.processes.map((each) => each.id),
  };
}

/** A process of the lesson's: in the root's group and session. */
const ours = (pid: number, ppid: number, fields: Partial<Row> = {}): Row => ({ pid, ppid, pgid: ROOT, sid: ROOT, startTicks: 60, ...fields });
const root = (fields: Partial<Row> = {}): Row => ({ pid: ROOT, ppid: RUNNER, pgid: ROOT, sid: ROOT, startTicks: 50, ...fields });
const kinds = (record: ProcessRecord): string[] => record.events.map((event) => (event.detail === undefined ? event.kind : `${event.kind} ${event.detail}`));

/** Starts the observer (its first sample now, the next in a minute: the test samples by hand). */
function running(each: Scene): Scene {
  each.observer.start();
  started.push(each.observer);
  return each;
}

const kernel = (each: Scene, events: KernelEvent[]): void => (each.observer as unknown as { onKernelEvents(events: KernelEvent[]): void }).onKernelEvents(events);
/** The monotonic stamp of run time t (what the kernel's reports carry). */
const stamp = (each: Scene, t: number): number => (each.observer as unknown as { clockStart: number }).clockStart + t;

describe('which processes it follows', () => {
  test('the root and everything below it at any depth; not the runner, not a stranger', () => {
    const { at, ids, source, observer } = scene([
      root(),
      ours(1001, ROOT),
      ours(1002, 1001),
      { pid: 2000, ppid: 1, startTicks: 70 }, // a stranger
      { pid: RUNNER, ppid: 1, startTicks: 10 },
    ]);
    expect(at(0)).toBe(true);
    expect(ids()).toEqual(['1000@50', '1001@60', '1002@60']);
    expect(source.calls).toContain('forget 2000');
    expect(source.calls).toContain(`forget ${RUNNER}`);
    expect(observer.timeline.sources).toEqual(['sampling']);
    expect(observer.newProcessSource).toBe('sampling');
    // A new grandchild is found below its parent; the stranger is not read again.
    source.set(ours(1003, 1002));
    source.calls.length = 0;
    expect(at(50)).toBe(true);
    expect(ids()).toEqual(['1000@50', '1001@60', '1002@60', '1003@60']);
    expect(source.calls).not.toContain('open 2000');
    expect(source.calls).not.toContain('list');
    expect(at(100)).toBe(false); // nothing changed
  });

  test('the runner is never followed, even as a child of the root', () => {
    const { at, ids } = scene([root(), ours(RUNNER, ROOT)]);
    at(0);
    expect(ids()).toEqual(['1000@50']);
  });

  test('a child listed before its parent is admitted in the same sample', () => {
    const { at, ids, of } = scene([ours(1002, 1001), ours(1001, ROOT), root()]);
    at(0);
    expect(ids().sort()).toEqual(['1000@50', '1001@60', '1002@60']);
    expect(of(1002).firstSeen).toBe(0);
  });

  test("a process in the root's session is followed when the root leads that session (a double fork's grandchild)", () => {
    const { at, ids } = scene([root(), { pid: 1500, ppid: 1, pgid: 1500, sid: ROOT, startTicks: 60 }]);
    at(0);
    expect(ids()).toEqual(['1000@50', '1500@60']);
  });

  test('… and not when the root does not lead it, nor for the session a child of the root leads', () => {
    const { at, ids } = scene([
      root({ sid: 999 }),
      { pid: 1500, ppid: 1, sid: 999, startTicks: 60 },
      ours(1001, ROOT, { sid: 1001, pgid: 1001 }), // a child that called setsid()
      { pid: 1600, ppid: 1, sid: 1001, startTicks: 60 }, // a stranger in that child's session
    ]);
    at(0);
    expect(ids()).toEqual(['1000@50', '1001@60']);
  });

  test("the run's marker admits a process by its environment, if it started no earlier than the root", () => {
    const marker = { name: 'PROCBOOK_RUN', value: 'r1' };
    const { at, ids, source } = scene(
      [
        { pid: 3001, ppid: 1, startTicks: 40, env: { PROCBOOK_RUN: 'r1' } }, // older than the run: never asked
        root(),
        { pid: 3000, ppid: 1, startTicks: 60, env: { PROCBOOK_RUN: 'r1' } },
        { pid: 3002, ppid: 1, startTicks: 60, env: { PROCBOOK_RUN: 'r2' } },
        { pid: 3003, ppid: 1, startTicks: 50, env: { PROCBOOK_RUN: 'r1' } }, // started in the root's tick
        { pid: 3004, ppid: 1, startTicks: 60 },
      ],
      { marker },
    );
    at(0);
    expect(ids()).toEqual(['1000@50', '3000@60', '3003@50']);
    expect(source.calls).not.toContain('env 3001 PROCBOOK_RUN');
    expect(source.calls).toContain('env 3002 PROCBOOK_RUN');
    expect(source.calls).not.toContain(`env ${ROOT} PROCBOOK_RUN`); // the root needs no marker
  });

  test('before the root was read, the marker alone decides', () => {
    const { at, ids } = scene([{ pid: 3001, ppid: 1, startTicks: 40, env: { PROCBOOK_RUN: 'r1' } }], { marker: { name: 'PROCBOOK_RUN', value: 'r1' } });
    at(0);
    expect(ids()).toEqual(['3001@40']);
  });

  test('without a marker the environment is never read', () => {
    const { at, ids, source } = scene([root(), { pid: 3000, ppid: 1, startTicks: 60, env: { PROCBOOK_RUN: 'r1' } }]);
    at(0);
    expect(ids()).toEqual(['1000@50']);
    expect(source.calls.filter((call) => call.startsWith('env'))).toEqual([]);
  });

  test('between full scans only the children of followed processes (not zombies) and of the runner are read', () => {
    const { at, source, ids } = scene([root(), ours(1001, ROOT), { pid: 4000, ppid: 1, startTicks: 70 }]);
    at(0);
    source.set({ pid: 1001, state: 'Z' });
    source.calls.length = 0;
    at(50);
    expect(source.calls).toEqual(expect.arrayContaining([`children ${ROOT}`, `children ${RUNNER}`]));
    expect(source.calls).not.toContain('children 1001'); // a zombie starts nothing
    expect(source.calls).not.toContain('list');
    // An orphan of the run that came to the runner (a subreaper) is found among its children.
    source.set(ours(1700, RUNNER));
    at(100);
    expect(ids()).toContain('1700@60');
  });

  test('all of the table is listed at the first sample and then about once a second', () => {
    const { at, source } = scene([root()]);
    const listedAt = (t: number): boolean => {
      source.calls.length = 0;
      at(t);
      return source.calls.includes('list');
    };
    expect([0, 50, 999, 1000, 1050, 1999, 2000].map(listedAt)).toEqual([true, false, false, true, false, false, true]);
  });

  test('a source that cannot list children is listed in full every sample', () => {
    const { at, source } = scene([root()], { children: false });
    for (const t of [0, 50, 100]) at(t);
    expect(source.calls.filter((call) => call === 'list')).toHaveLength(3);
  });

  test('a stranger is forgotten once a full scan no longer lists it, so a new process with its pid can be ours', () => {
    const { at, source, ids } = scene([root(), { pid: 2000, ppid: 1, startTicks: 70 }]);
    at(0);
    source.remove(2000);
    at(1000); // full scan: 2000 is gone
    source.set(ours(2000, ROOT, { startTicks: 80 }));
    at(1050);
    expect(ids()).toEqual(['1000@50', '2000@80']);
  });

  test('a stranger still there at the next full scan is not read again', () => {
    const { at, source } = scene([root(), { pid: 2000, ppid: 1, startTicks: 70 }]);
    at(0);
    source.calls.length = 0;
    at(1000);
    expect(source.calls).toContain('list');
    expect(source.calls).not.toContain('open 2000');
  });

  test('a reused pid is a new process: the old one ends, the new one begins, in the same sample', () => {
    const { at, source, ids, of, observer } = scene([root(), ours(1001, ROOT, { startTicks: 5 })]);
    at(0);
    source.set({ pid: 1001, startTicks: 9 });
    at(50);
    expect(ids()).toEqual(['1000@50', '1001@5', '1001@9']);
    const [old] = observer.timeline.processes.filter((each) => each.id === '1001@5');
    expect(old!.gone).toBe(50);
    expect(of(1001).firstSeen).toBe(50);
    expect(of(1001).gone).toBeUndefined();
  });
});

describe('what it records of each process', () => {
  test('the first record: identity, group, session, parent, STAT, title, executable', () => {
    const { at, of } = scene([root({ comm: 'node', cmdline: 'node lesson.ts', exe: '/usr/bin/node', threads: 7, tpgid: 77, pgid: 77 })]);
    at(0);
    expect(of(ROOT)).toMatchObject({
      id: '1000@50',
      pid: ROOT,
      startTicks: 50,
      firstSeen: 0,
      title: 'node lesson.ts',
      firstTitle: 'node lesson.ts',
      executable: '/usr/bin/node',
      pgid: 77,
      sid: ROOT,
      spans: [{ from: 0, to: 0, stat: 'Ssl+', ppid: RUNNER }],
      events: [{ t: 0, kind: 'new', detail: RUNNER }],
      seenBy: 'sample',
    });
  });

  test('titles: the command line with the project folder taken out everywhere, else the command name', () => {
    const { at, of } = scene(
      [
        root({ cmdline: 'node /home/me/procbook/lessons/05/lesson.ts /home/me/procbook/x' }),
        ours(1001, ROOT, { comm: 'sleep', cmdline: '' }),
      ],
      { pathPrefixes: ['/home/me/procbook/'] },
    );
    at(0);
    expect(of(ROOT).title).toBe('node lessons/05/lesson.ts x');
    expect(of(1001).title).toBe('sleep');
  });

  test('a span per stretch of one STAT under one parent; an event for each change', () => {
    const { at, source, of, observer } = scene([root(), ours(1001, ROOT)]);
    at(0);
    expect(at(50)).toBe(false);
    source.set({ pid: 1001, state: 'R' });
    expect(at(100)).toBe(true);
    source.set({ pid: 1001, ppid: RUNNER });
    expect(at(150)).toBe(true);
    source.set({ pid: 1001, ppid: 1, state: 'S', nice: 5, threads: 3 });
    expect(at(200)).toBe(true);
    at(250);
    expect(of(1001).spans).toEqual([
      { from: 0, to: 100, stat: 'S', ppid: ROOT },
      { from: 100, to: 150, stat: 'R', ppid: ROOT },
      { from: 150, to: 200, stat: 'R', ppid: RUNNER },
      { from: 200, to: 250, stat: 'SNl', ppid: 1 },
    ]);
    expect(kinds(of(1001))).toEqual(['new 1000', 'state R', `reparented ${RUNNER}`, 'state SNl', 'reparented 1']);
    expect(new Timeline(observer.timeline).process(1001)!.reparentings()).toEqual([
      { t: 150, from: ROOT, to: RUNNER },
      { t: 200, from: RUNNER, to: 1 },
    ]);
  });

  test("group and session follow the process's latest stat", () => {
    const { at, source, of } = scene([root(), ours(1001, ROOT)]);
    at(0);
    source.set({ pid: 1001, pgid: 1001, sid: 1001 });
    at(50);
    expect(of(1001)).toMatchObject({ pgid: 1001, sid: 1001 });
    expect(of(1001).spans.at(-1)!.stat).toBe('Ss');
  });

  test('a zombie: its exit status decoded from the kernel (codes above 127 too, signals, core dumps), then its reaping', () => {
    const { at, source, of } = scene([root(), ours(1001, ROOT), ours(1002, ROOT), ours(1003, ROOT), ours(1004, ROOT)]);
    at(0);
    source.set(
      { pid: 1001, state: 'Z', exitStatus: 3 << 8 },
      { pid: 1002, state: 'Z', exitStatus: 134 << 8 },
      { pid: 1003, state: 'Z', exitStatus: SIGKILL },
      { pid: 1004, state: 'Z', exitStatus: SIGABRT | 0x80 },
    );
    at(50);
    expect(of(1001).exit).toEqual({ t: 50, code: 3, signal: null, source: 'kernel' });
    expect(of(1002).exit).toEqual({ t: 50, code: 134, signal: null, source: 'kernel' });
    expect(of(1003).exit).toEqual({ t: 50, code: null, signal: 'SIGKILL', source: 'kernel' });
    expect(of(1004).exit).toEqual({ t: 50, code: null, signal: 'SIGABRT', source: 'kernel' });
    expect(kinds(of(1001))).toEqual(['new 1000', 'state Z', 'zombie', 'exited']);
    source.remove(1001);
    at(100);
    expect(kinds(of(1001))).toEqual(['new 1000', 'state Z', 'zombie', 'exited', 'reaped 1000']);
    expect(of(1001)).toMatchObject({ gone: 100, reapedBy: ROOT });
    expect(of(1001).spans.at(-1)).toEqual({ from: 50, to: 100, stat: 'Z', ppid: ROOT });
  });

  test('a process first seen as a zombie is recorded as one, with its status', () => {
    const { at, of } = scene([root(), ours(1001, ROOT, { state: 'Z', exitStatus: 255 << 8 })]);
    at(0);
    expect(kinds(of(1001))).toEqual(['new 1000', 'zombie', 'exited']);
    expect(of(1001).exit).toMatchObject({ code: 255, signal: null });
  });

  test('a process gone between two samples (reaped at once): exited and reaped, by its last parent, no status invented', () => {
    const { at, source, of } = scene([root(), ours(1001, ROOT)]);
    at(0);
    source.set({ pid: 1001, ppid: RUNNER });
    at(50);
    source.remove(1001);
    at(100);
    expect(kinds(of(1001))).toEqual(['new 1000', `reparented ${RUNNER}`, 'exited', `reaped ${RUNNER}`]);
    expect(of(1001)).toMatchObject({ gone: 100, reapedBy: RUNNER });
    expect(of(1001).exit).toBeUndefined();
    expect(source.calls).toContain('forget 1001');
  });

  test('an exit status its parent reported first is kept; the zombie adds no second exit', () => {
    const { at, source, of, observer } = scene([root(), ours(1001, ROOT)]);
    at(0);
    observer.recordExit(1001, { t: 20, code: 1, signal: null, source: 'parent' });
    expect(of(1001).exit).toEqual({ t: 20, code: 1, signal: null, source: 'parent' });
    source.set({ pid: 1001, state: 'Z', exitStatus: 2 << 8 });
    at(50);
    expect(of(1001).exit).toEqual({ t: 20, code: 1, signal: null, source: 'parent' });
    expect(kinds(of(1001))).toEqual(['new 1000', 'state Z', 'zombie', 'exited']);
  });

  test('recordExit takes the time now when none is given', () => {
    const { at, of, observer, clock } = scene([root()]);
    at(0);
    clock.t = 42;
    observer.recordExit(ROOT, { code: 0, signal: null, source: 'parent' });
    expect(of(ROOT).exit).toEqual({ t: 42, code: 0, signal: null, source: 'parent' });
  });

  test("exec and title: a new executable is an exec, a new name on the same one a title; a zombie's name is no change", () => {
    const { at, source, of } = scene([
      root(),
      ours(1001, ROOT, { comm: 'node', exe: '/usr/bin/node', cmdline: 'node lesson.ts' }),
      ours(1002, ROOT, { comm: 'node', exe: '/opt/a-very-long-program-name', cmdline: 'launcher' }),
      ours(1003, ROOT, { comm: 'node', exe: '/usr/bin/node', cmdline: 'node lesson.ts' }),
      ours(1004, ROOT, { comm: 'node', exe: '/usr/bin/node' }),
    ]);
    at(0);
    source.set(
      { pid: 1001, comm: 'worker', cmdline: 'worker 1' }, // process.title
      { pid: 1002, comm: 'a-very-long-pro', cmdline: '/opt/a-very-long-program-name -v' }, // exec of the same file: comm is its name, cut at 15
      { pid: 1003, comm: 'sleep', exe: '/usr/bin/sleep', cmdline: 'sleep 5' },
      { pid: 1004, comm: 'gone', state: 'Z', exe: '' },
    );
    at(50);
    expect(kinds(of(1001))).toEqual(['new 1000', 'title worker 1']);
    expect(of(1001)).toMatchObject({ title: 'worker 1', firstTitle: 'node lesson.ts', executable: '/usr/bin/node' });
    expect(kinds(of(1002))).toEqual(['new 1000', 'exec /opt/a-very-long-program-name -v']);
    expect(kinds(of(1003))).toEqual(['new 1000', 'exec sleep 5']);
    expect(of(1003).executable).toBe('/usr/bin/sleep');
    expect(kinds(of(1004))).toEqual(['new 1000', 'state Z', 'zombie', 'exited']);
    // A new name while the executable cannot be read (it is exiting): the executable known is kept.
    source.set({ pid: 1001, comm: 'worker2', exe: '', cmdline: 'worker 2' });
    at(100);
    expect(of(1001).executable).toBe('/usr/bin/node');
    expect(kinds(of(1001)).at(-1)).toBe('exec worker 2');
  });

  test('a rename read half done (the new comm, the old command line) is read again at the next sample', () => {
    const { at, source, of } = scene([root(), ours(1001, ROOT, { comm: 'node', exe: '/usr/bin/node', cmdline: 'node lesson.ts' })]);
    at(0);
    // process.title = '(lock)': the kernel changed comm, the command line not yet.
    source.set({ pid: 1001, comm: '(lock)', cmdline: '(wait)' });
    at(50);
    expect(of(1001).title).toBe('(wait)');
    // Caught up: the next sample reads it again, though comm did not change since.
    source.set({ pid: 1001, cmdline: '(lock)' });
    at(100);
    expect(of(1001).title).toBe('(lock)');
    expect(kinds(of(1001))).toEqual(['new 1000', 'title (wait)', 'title (lock)']);
    // Agreeing, it is not read again: a command line changed alone (no rename) is no new title.
    source.set({ pid: 1001, cmdline: 'something else' });
    at(150);
    expect(of(1001).title).toBe('(lock)');
  });

  test('an exec read before its arguments were in place (the new comm, no command line yet) is read again, and named in full as that exec', () => {
    const { at, source, of } = scene([
      root(),
      ours(1001, ROOT, { comm: 'python3', exe: '/root/.pyenv/shims/python3', cmdline: '/usr/bin/bash /root/.pyenv/shims/python3 course.py' }),
      ours(1002, ROOT, { comm: 'python3', exe: '/usr/bin/python3.11', cmdline: '' }), // admitted mid-exec
    ]);
    at(0);
    expect(of(1002).title).toBe('python3');
    // The shim execs the real python: comm and executable are new, the arguments not yet.
    source.set({ pid: 1001, comm: 'python3.11', exe: '/usr/bin/python3.11', cmdline: '' });
    at(50);
    expect(of(1001).title).toBe('python3.11');
    source.set({ pid: 1001, cmdline: '/usr/bin/python3.11 course.py' }, { pid: 1002, cmdline: 'python3 course.py' });
    at(100);
    expect(of(1001).title).toBe('/usr/bin/python3.11 course.py');
    expect(kinds(of(1001))).toEqual(['new 1000', 'exec /usr/bin/python3.11 course.py']);
    expect(of(1002)).toMatchObject({ title: 'python3 course.py', firstTitle: 'python3 course.py' });
    expect(kinds(of(1002))).toEqual(['new 1000']);
    // Read in full, it is not read again.
    source.set({ pid: 1001, cmdline: 'something else' });
    at(150);
    expect(of(1001).title).toBe('/usr/bin/python3.11 course.py');
  });

  test('read mid-rename at its admission (the new comm, the old command line), its name is read again at the next sample', () => {
    // Node's process.title sets the comm and rewrites the command line, one after the other: beside
    // two busy loops a chat client was read between the two, and kept its command line as its name.
    const { at, source, of } = scene([root(), ours(1001, ROOT, { comm: 'chat-receiver', exe: '/usr/bin/node', cmdline: '/usr/bin/node client.mjs 127.0.0.1 4000' })]);
    at(0);
    expect(of(1001).title).toBe('/usr/bin/node client.mjs 127.0.0.1 4000');
    source.set({ pid: 1001, cmdline: 'chat-receiver' });
    at(50);
    expect(of(1001)).toMatchObject({ title: 'chat-receiver', firstTitle: 'chat-receiver' });
    // A name that matches its comm is not read again.
    source.set({ pid: 1001, cmdline: 'something else' });
    at(100);
    expect(of(1001).title).toBe('chat-receiver');
  });

  test("on its way out (no command line left) a comm shorter than 15 characters is its whole name, not the start of an older one", () => {
    const { at, source, of } = scene([root(), ours(1001, ROOT, { comm: 'buyer 5 (lock)', exe: '/usr/bin/node', cmdline: 'buyer 5 (lock)' })]);
    at(0);
    // It renamed itself 'buyer 5' (out of the lock) and is exiting: only its comm is left to read.
    source.set({ pid: 1001, comm: 'buyer 5', cmdline: '' });
    at(50);
    expect(of(1001).title).toBe('buyer 5');
    // A comm of 15 characters may be cut: the full name it had stays.
    const long = scene([root(), ours(1002, ROOT, { comm: 'worker', exe: '/usr/bin/node', cmdline: 'a worker with a long name' })]);
    long.at(0);
    long.source.set({ pid: 1002, comm: 'a worker with a', cmdline: '' });
    long.at(50);
    expect(long.of(1002).title).toBe('a worker with a long name');
  });

  test('a title announced before the first sample saw the process is its first title', () => {
    const { at, source, of, observer } = scene([root()]);
    at(0);
    observer.recordTitle(1001, 'early name'); // not running: remembered, not looked at
    expect(observer.timeline.sampleCount).toBe(1);
    source.set(ours(1001, ROOT, { cmdline: 'node lesson.ts' }));
    at(50);
    expect(of(1001)).toMatchObject({ title: 'early name', firstTitle: 'early name' });
    observer.recordTitle(1001, 'later name');
    expect(of(1001)).toMatchObject({ title: 'later name', firstTitle: 'early name' });
    // Seen once, a later process with that pid gets its own title, not the old announcement.
    source.remove(1001);
    at(100);
    source.set(ours(1001, ROOT, { startTicks: 70, cmdline: 'its own' }));
    at(150);
    expect(of(1001).title).toBe('its own');
  });
});

describe('reports from the lesson API', () => {
  test('a child reported started and ended between two samples is recorded from the reports alone', () => {
    const { at, of, observer, source } = scene([root({ pgid: 1000, sid: 1000 })]);
    at(0);
    observer.lookAt(1001, { t: 30, title: 'quick', parent: ROOT });
    observer.recordExit(1001, { t: 80, code: 4, signal: null, source: 'parent' });
    const record = of(1001);
    expect(record).toMatchObject({
      pid: 1001,
      firstSeen: 30,
      gone: 80,
      reapedBy: ROOT,
      title: 'quick',
      executable: '',
      pgid: ROOT,
      sid: ROOT,
      spans: [{ from: 30, to: 80, stat: '?', ppid: ROOT }],
      events: [
        { t: 30, kind: 'new', detail: ROOT },
        { t: 80, kind: 'exited' },
        { t: 80, kind: 'reaped', detail: ROOT },
      ],
      seenBy: 'report',
      exit: { t: 80, code: 4, signal: null, source: 'parent' },
    });
    expect(record.id).toBe(`1001@${record.startTicks}`);
    expect(source.calls).not.toContain('open 1001'); // nothing to read: it is gone
  });

  test('a report whose start time is after its end (clocks of two processes) starts at the end', () => {
    const { at, of, observer } = scene([root()]);
    at(0);
    observer.lookAt(1001, { t: 90, title: 'x', parent: 4242 });
    observer.recordExit(1001, { t: 80, code: 0, signal: null, source: 'parent' });
    expect(of(1001)).toMatchObject({ firstSeen: 80, gone: 80, pgid: 0, sid: 0, spans: [{ from: 80, to: 80, stat: '?', ppid: 4242 }] });
  });

  test('a report of a process the table showed goes to that process', () => {
    const { at, of, observer, ids, source } = scene([root(), ours(1001, ROOT)]);
    at(0);
    observer.lookAt(1001, { t: 0, parent: ROOT });
    source.remove(1001);
    at(50);
    observer.recordExit(1001, { t: 40, code: 0, signal: null, source: 'parent' });
    expect(ids()).toEqual(['1000@50', '1001@60']);
    expect(of(1001).exit).toMatchObject({ t: 40, code: 0 });
  });

  test('a report about a pid whose process the table saw end BEFORE the report is a new process (the pid was reused)', () => {
    const { at, observer, ids, source } = scene([root(), ours(1001, ROOT)]);
    at(0);
    source.remove(1001);
    at(50);
    observer.lookAt(1001, { t: 70, title: 'second', parent: ROOT });
    observer.recordExit(1001, { t: 90, code: 0, signal: null, source: 'parent' });
    expect(ids()).toHaveLength(3);
    expect(observer.timeline.processes[1]!.exit).toBeUndefined();
    expect(observer.timeline.processes[2]).toMatchObject({ title: 'second', firstSeen: 70, exit: { t: 90 } });
  });

  test('the exit of a pid nobody reported or saw records nothing', () => {
    const { at, observer, ids } = scene([root()]);
    at(0);
    observer.recordExit(4242, { code: 0, signal: null, source: 'runner' });
    expect(ids()).toEqual(['1000@50']);
  });

  test('lookAt: a reported process is read at once, by the report, while running', () => {
    const each = running(scene([root()]));
    const notified: boolean[] = [];
    each.observer.onSample((changed) => notified.push(changed));
    expect(each.observer.timeline.sampleCount).toBe(1);
    each.source.set(ours(1001, ROOT));
    each.clock.t = 10;
    each.observer.lookAt(1001, { title: 'reported' });
    expect(each.observer.timeline.sampleCount).toBe(2);
    expect(notified).toEqual([true]);
    expect(each.of(1001)).toMatchObject({ seenBy: 'report', firstSeen: 10, title: 'reported' });
    // Looked at, and also its parent's child in the same sample: one process, one record.
    expect(each.ids()).toEqual(['1000@50', '1001@60']);
    // Known already: no sample; an empty title is filled in, a title is not replaced.
    each.of(1001).title = '';
    each.observer.lookAt(1001, { title: 'named' });
    each.observer.lookAt(1001, { title: 'renamed' });
    expect(each.observer.timeline.sampleCount).toBe(2);
    expect(each.of(1001).title).toBe('named');
  });

  test('lookAt without a title while not running: nothing read, nothing remembered', () => {
    const { at, observer, source, of } = scene([root()]);
    at(0);
    observer.lookAt(1001);
    expect(observer.timeline.sampleCount).toBe(1);
    source.set(ours(1001, ROOT, { cmdline: 'from the table' }));
    at(50);
    expect(of(1001)).toMatchObject({ title: 'from the table', seenBy: 'sample' });
  });

  test('a title announced by recordTitle wins over one in a later start report', () => {
    const { at, observer, source, of } = scene([root()]);
    at(0);
    observer.recordTitle(1001, 'its own name');
    observer.lookAt(1001, { title: 'what the parent called it' });
    source.set(ours(1001, ROOT));
    at(50, 1001);
    expect(of(1001)).toMatchObject({ title: 'its own name', seenBy: 'report' });
  });

  test('a title announced while running makes the observer look at once', () => {
    const each = running(scene([root()]));
    each.source.set(ours(1001, ROOT));
    each.observer.recordTitle(1001, 'named itself');
    expect(each.observer.timeline.sampleCount).toBe(2);
    expect(each.of(1001)).toMatchObject({ title: 'named itself', seenBy: 'report' });
  });
});

describe('a process about to exit is watched closely', () => {
  const until = async (condition: () => boolean, ms = 5000): Promise<void> => {
    for (const deadline = Date.now() + ms; !condition(); ) {
      if (Date.now() > deadline) throw new Error('not in time');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };

  test('its Z shows without waiting for the next sample', async () => {
    const each = running(scene([root(), ours(1001, ROOT)]));
    const notified: boolean[] = [];
    each.observer.onSample((changed) => notified.push(changed));
    each.observer.expectExit(1001);
    each.source.set({ pid: 1001, state: 'Z', exitStatus: 5 << 8 });
    await until(() => each.of(1001).exit !== undefined);
    expect(each.of(1001).exit).toMatchObject({ code: 5 });
    expect(notified).toContain(true);
  });

  test('its end (reaped at once) shows too', async () => {
    const each = running(scene([root(), ours(1001, ROOT)]));
    each.observer.expectExit(1001);
    each.source.remove(1001);
    await until(() => each.of(1001).gone !== undefined);
  });

  test('after 300 ms without a change it is no longer watched; a process not followed is never', async () => {
    const each = running(scene([root(), ours(1001, ROOT)]));
    each.observer.expectExit(4242);
    each.observer.expectExit(1001);
    const samples = each.observer.timeline.sampleCount;
    each.clock.t = 301;
    await new Promise((resolve) => setTimeout(resolve, 30));
    each.source.set({ pid: 1001, state: 'Z' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(each.observer.timeline.sampleCount).toBe(samples);
  });

  test('a stopped observer watches nothing', async () => {
    const { observer, at, source } = scene([root(), ours(1001, ROOT)]);
    at(0);
    observer.expectExit(1001);
    source.set({ pid: 1001, state: 'Z' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(observer.timeline.sampleCount).toBe(1);
  });
});

describe("the kernel's reports (as the proc connector gives them)", () => {
  test('a fork below a followed process: the child is read at once, at the time the kernel stamped', () => {
    const each = running(scene([root()]));
    each.source.set(ours(1001, ROOT));
    each.clock.t = 100;
    const notified: boolean[] = [];
    each.observer.onSample((changed) => notified.push(changed));
    kernel(each, [{ kind: 'fork', t: stamp(each, 40), parent: ROOT, child: 1001 }]);
    expect(each.of(1001)).toMatchObject({ firstSeen: 40, seenBy: 'connector', spans: [{ from: 40, stat: 'S', ppid: ROOT }] });
    expect(notified).toEqual([true]);
    // Reported twice: still one record.
    kernel(each, [{ kind: 'fork', t: stamp(each, 41), parent: ROOT, child: 1001 }]);
    expect(each.ids()).toEqual(['1000@50', '1001@60']);
    expect(notified).toEqual([true]);
  });

  test('forks elsewhere on the machine are none of its business', () => {
    const each = running(scene([root()]));
    each.source.set({ pid: 5001, ppid: 5000, startTicks: 70 });
    kernel(each, [{ kind: 'fork', t: stamp(each, 0), parent: 5000, child: 5001 }]);
    expect(each.ids()).toEqual(['1000@50']);
    expect(each.source.calls).not.toContain('open 5001');
  });

  test('a child gone before it could be read is kept as the kernel reported it, and its exit ends it', () => {
    const each = running(scene([root({ pgid: 1000, sid: 1000 })]));
    each.clock.t = 100;
    kernel(each, [{ kind: 'fork', t: stamp(each, 40), parent: ROOT, child: 1001 }]);
    const ghost = each.of(1001);
    expect(ghost).toMatchObject({ pid: 1001, firstSeen: 40, title: '', executable: '', pgid: ROOT, sid: ROOT, seenBy: 'connector', spans: [{ from: 40, to: 40, stat: '?', ppid: ROOT }], events: [{ t: 40, kind: 'new', detail: ROOT }] });
    expect(ghost.id).toBe(`1001@${ghost.startTicks}`);
    // Gone from /proc while its parent lives: its parent reaped it.
    expect(ghost.reapedBy).toBe(ROOT);
    // Its own child (the kernel saw it fork before it ended) is followed too; who reaped that one
    // is not known (its parent is gone: it may have been re-parented first).
    each.source.set(ours(1002, 1001));
    kernel(each, [{ kind: 'fork', t: stamp(each, 45), parent: 1001, child: 1002 }]);
    expect(each.of(1002).seenBy).toBe('connector');
    kernel(each, [{ kind: 'fork', t: stamp(each, 46), parent: 1001, child: 1009 }]);
    expect(each.of(1009).reapedBy).toBeUndefined();
    each.clock.t = 120;
    kernel(each, [{ kind: 'exit', t: stamp(each, 50), pid: 1001, status: 7 << 8 }]);
    // Gone by its end (the kernel's time), not by when the report was read (120).
    expect(ghost).toMatchObject({ gone: 50, exit: { t: 50, code: 7, signal: null, source: 'kernel' } });
    expect(ghost.spans[0]!.to).toBe(50);
    expect(kinds(ghost)).toEqual(['new 1000', 'exited']);
    // Gone for good: a later fork report naming it as parent is not followed.
    kernel(each, [{ kind: 'fork', t: stamp(each, 60), parent: 1001, child: 1003 }]);
    expect(() => each.of(1003)).toThrow();
  });

  test("seen ended at a sample before the kernel's report of its exit was read: the report dates its 'exited' event", () => {
    const each = running(scene([root(), ours(1001, ROOT), ours(1002, ROOT)]));
    (each.observer as unknown as { kernel: object }).kernel = { close() {} };
    each.source.remove(1001); // reaped between two samples
    each.source.set({ pid: 1002, state: 'Z', exitStatus: 0 }); // a zombie
    each.at(50);
    expect(each.of(1001).events.map((event) => `${event.t} ${event.kind}`)).toEqual(['0 new', '50 exited', '50 reaped']);
    each.clock.t = 60;
    kernel(each, [
      { kind: 'exit', t: stamp(each, 30), pid: 1001, status: 0 },
      { kind: 'exit', t: stamp(each, 40), pid: 1002, status: 0 },
    ]);
    expect(each.of(1001).events.map((event) => `${event.t} ${event.kind}`)).toEqual(['0 new', '30 exited', '50 reaped']);
    expect(each.of(1002).events.map((event) => `${event.t} ${event.kind}`)).toEqual(['0 new', '40 exited', '50 state', '50 zombie']);
    expect(each.of(1002).exit).toMatchObject({ t: 40, source: 'kernel' });
    // A report dated after what was seen changes no event.
    kernel(each, [{ kind: 'exit', t: stamp(each, 55), pid: 1002, status: 0 }]);
    expect(each.of(1002).events.filter((event) => event.kind === 'exited').map((event) => event.t)).toEqual([40]);
  });

  test('a sample with children finds a child whose fork report is still unread; a plain sample leaves it to the report', () => {
    // A sandbox's message names its new process before the kernel's report of the fork is read.
    const each = scene([root()]);
    (each.observer as unknown as { kernel: object }).kernel = { close() {} };
    each.at(0);
    each.source.set(ours(1001, ROOT));
    each.at(25);
    expect(each.ids()).toEqual(['1000@50']);
    each.clock.t = 30;
    expect(each.observer.sampleWithChildren()).toBe(true);
    expect(each.ids()).toEqual(['1000@50', '1001@60']);
    expect(each.of(1001)).toMatchObject({ firstSeen: 30, seenBy: 'sample' });
    // Only that once: the next sample leaves new processes to the reports again.
    each.source.set(ours(1002, ROOT));
    each.at(50);
    expect(each.ids()).toEqual(['1000@50', '1001@60']);
  });

  test("its parent's report of its exit read first, then gone, then the kernel's report: the kernel's moment is its exit", () => {
    // A busy runner read the lesson's 'exit' message (dated when the parent heard, after it had
    // reaped the child) before the kernel's report of the exit itself.
    const each = running(scene([root(), ours(1001, ROOT)]));
    (each.observer as unknown as { kernel: object }).kernel = { close() {} };
    each.observer.recordExit(1001, { t: 35, code: 0, signal: null, source: 'parent' });
    each.source.remove(1001);
    each.at(30);
    expect(each.of(1001).gone).toBe(30);
    each.clock.t = 40;
    kernel(each, [{ kind: 'exit', t: stamp(each, 25), pid: 1001, status: 0 }]);
    expect(each.of(1001).exit).toEqual({ t: 25, code: 0, signal: null, source: 'kernel' });
    expect(each.of(1001).exit!.t).toBeLessThanOrEqual(each.of(1001).gone!);
  });

  test('a parent sampled gone before the reports of its forks were read: its children are still followed', () => {
    // A busy runner reads the kernel's reports late: `sh -c 'readlink … | cat'` was followed, forked
    // its two tools, ended and was sampled gone, all before the reports of those forks arrived.
    const each = running(scene([root(), ours(1001, ROOT)]));
    (each.observer as unknown as { kernel: object }).kernel = { close() {} };
    expect(each.ids()).toEqual(['1000@50', '1001@60']);
    each.source.remove(1001);
    each.at(30);
    expect(each.of(1001).gone).toBe(30);
    each.clock.t = 40;
    kernel(each, [
      { kind: 'fork', t: stamp(each, 10), parent: 1001, child: 1002 },
      { kind: 'fork', t: stamp(each, 12), parent: 1001, child: 1003 },
      { kind: 'exit', t: stamp(each, 15), pid: 1002, status: 0 },
      { kind: 'exit', t: stamp(each, 16), pid: 1003, status: 1 << 8 },
      { kind: 'exit', t: stamp(each, 20), pid: 1001, status: 0 },
    ]);
    expect(each.of(1002)).toMatchObject({ seenBy: 'connector', spans: [{ ppid: 1001 }], exit: { t: 15, code: 0, source: 'kernel' } });
    // Never read: the group and session it was born in, its gone parent's.
    expect(each.of(1002)).toMatchObject({ pgid: ROOT, sid: ROOT });
    expect(each.of(1003)).toMatchObject({ seenBy: 'connector', spans: [{ ppid: 1001 }], exit: { t: 16, code: 1, source: 'kernel' } });
    // A fork dated after its end is another process's with the same pid: not followed.
    expect(each.of(1001).exit).toMatchObject({ t: 20, code: 0, source: 'kernel' });
    kernel(each, [{ kind: 'fork', t: stamp(each, 25), parent: 1001, child: 1004 }]);
    expect(() => each.of(1004)).toThrow();
    // Nor is a fork by a pid the run never had, or by one that began after the fork.
    kernel(each, [{ kind: 'fork', t: stamp(each, 26), parent: 1005, child: 1006 }]);
    expect(() => each.of(1006)).toThrow();
  });

  test("reports read late: a child gone unseen was reaped by its parent if it ended before the parent did, by the kernel's times", () => {
    const each = running(scene([root(), ours(1001, ROOT), ours(2001, ROOT)]));
    (each.observer as unknown as { kernel: object }).kernel = { close() {} };
    each.source.remove(1001, 2001);
    each.at(30); // both parents sampled gone; their reports (and their children's) not read yet
    each.clock.t = 40;
    kernel(each, [
      { kind: 'fork', t: stamp(each, 5), parent: 1001, child: 1002 },
      { kind: 'exit', t: stamp(each, 10), pid: 1002, status: 0 },
      { kind: 'exit', t: stamp(each, 20), pid: 1001, status: 0 }, // after its child: it reaped it
      { kind: 'fork', t: stamp(each, 6), parent: 2001, child: 2002 },
      { kind: 'exit', t: stamp(each, 12), pid: 2001, status: 0 }, // before its child: adopted
      { kind: 'exit', t: stamp(each, 15), pid: 2002, status: 0 },
    ]);
    expect(each.of(1002).reapedBy).toBe(1001);
    expect(each.of(2002).reapedBy).toBeUndefined();
  });

  test('a fork report read after the parent ended: born to that parent, adopted by the time it was read', () => {
    // A busy runner read the report late: the child's stat already names its adopter (the root, a subreaper).
    const each = running(scene([root(), ours(1001, ROOT)]));
    (each.observer as unknown as { kernel: object }).kernel = { close() {} };
    each.source.remove(1001);
    each.at(50); // the parent sampled gone
    each.source.set(ours(1002, ROOT));
    each.clock.t = 80;
    kernel(each, [{ kind: 'fork', t: stamp(each, 20), parent: 1001, child: 1002 }]);
    const orphan = each.of(1002);
    expect(orphan.spans.map((span) => [span.from, span.ppid])).toEqual([[20, 1001], [80, ROOT]]);
    expect(kinds(orphan)).toEqual(['new 1001', `reparented ${ROOT}`]);
    expect(each.observer.rows().find((row) => row.pid === 1002)).toMatchObject({ bornTo: 1001, ppid: ROOT });
    // The next sample sees nothing new.
    expect(each.at(100)).toBe(false);
  });

  test('admitted before its fork report was read: its row and its birth are dated by the fork', () => {
    // A busy runner read a report of the lesson API (or took a sample) before the kernel's report
    // of the fork: lesson 16's pre-fork workers were first seen after the first client came.
    const each = running(scene([root()]));
    (each.observer as unknown as { kernel: object }).kernel = { close() {} };
    const offset = (each.observer as unknown as { bootOffsetMs(): number }).bootOffsetMs();
    const tickAt = (t: number): number => Math.floor((stamp(each, t) + offset) / 10);
    each.source.set(ours(1002, ROOT, { startTicks: tickAt(40) }));
    each.clock.t = 100;
    each.observer.lookAt(1002);
    expect(each.of(1002).firstSeen).toBe(100);
    each.clock.t = 120;
    kernel(each, [{ kind: 'fork', t: stamp(each, 40), parent: ROOT, child: 1002 }]);
    expect(each.of(1002)).toMatchObject({ firstSeen: 40, spans: [{ from: 40, to: 100, ppid: ROOT }] });
    expect(each.of(1002).events[0]).toEqual({ t: 40, kind: 'new', detail: ROOT });
    // The report of an earlier process with the same pid (it began 500 ms before) changes nothing.
    each.source.set(ours(1003, ROOT, { startTicks: tickAt(600) }));
    each.clock.t = 650;
    each.observer.lookAt(1003);
    kernel(each, [{ kind: 'fork', t: stamp(each, 100), parent: ROOT, child: 1003 }]);
    expect(each.of(1003).firstSeen).toBe(650);
  });

  test('a fork dated before the gone parent began is not its own', () => {
    const each = running(scene([root(), ours(1001, ROOT, { startTicks: 1e12 })]));
    each.source.remove(1001);
    each.at(30);
    each.clock.t = 40;
    kernel(each, [{ kind: 'fork', t: stamp(each, 10), parent: 1001, child: 1002 }]);
    expect(() => each.of(1002)).toThrow();
  });

  test("the start tick of a process never read (from a report, or the kernel's stamp) is on the kernel's boot clock", () => {
    // A real process started at the same moment has the tick the kernel gave it: the two agree
    // to within the time spawn() took (ticks are 10 ms).
    const each = running(scene([root()]));
    const before = monotonicMs();
    const child = spawn('sleep', ['5'], { stdio: 'ignore' });
    try {
      const real = readStat(child.pid!)!.startTicks;
      each.clock.t = 1e9;
      kernel(each, [{ kind: 'fork', t: before, parent: ROOT, child: 99_999_998 }]);
      const t = before - stamp(each, 0);
      each.observer.lookAt(99_999_999, { t, parent: ROOT });
      each.observer.recordExit(99_999_999, { t, code: 0, signal: null, source: 'parent' });
      for (const pid of [99_999_998, 99_999_999]) {
        const ticks = each.of(pid).startTicks;
        expect(real - ticks, `pid ${pid}: ${ticks}, the kernel's ${real}`).toBeGreaterThanOrEqual(-1);
        expect(real - ticks, `pid ${pid}: ${ticks}, the kernel's ${real}`).toBeLessThanOrEqual(50); // spawn() took less than half a second
      }
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('a pid reported forked but already given to someone else is not theirs: kept as the kernel reported it', () => {
    const each = running(scene([root()]));
    each.source.set({ pid: 1001, ppid: 1, sid: 7000, startTicks: 99 });
    kernel(each, [{ kind: 'fork', t: stamp(each, 0), parent: ROOT, child: 1001 }]);
    expect(each.of(1001)).toMatchObject({ seenBy: 'connector', spans: [{ stat: '?' }] });
    expect(each.source.calls).toContain('forget 1001');
  });

  test('…but one of the run (its session) with a new parent already is read', () => {
    const each = running(scene([root()]));
    each.source.set(ours(1001, 1, { sid: ROOT }));
    kernel(each, [{ kind: 'fork', t: stamp(each, 0), parent: ROOT, child: 1001 }]);
    // Born to the root (the fork report says so), under PID 1 when it was read.
    expect(each.of(1001)).toMatchObject({ seenBy: 'connector', spans: [{ stat: 'S', ppid: ROOT }, { stat: 'S', ppid: 1 }] });
  });

  test('an exec is read at once; an exit gives the status before the zombie shows, and the Z is then watched for', () => {
    const each = running(scene([root(), ours(1001, ROOT, { comm: 'node', exe: '/usr/bin/node' }), ours(1002, ROOT)]));
    each.clock.t = 30;
    each.source.set({ pid: 1001, comm: 'sh', exe: '/bin/sh', cmdline: 'sh -c x' });
    kernel(each, [{ kind: 'exec', pid: 1001, t: stamp(each, 25) }, { kind: 'exec', pid: 4242, t: stamp(each, 25) }]);
    expect(kinds(each.of(1001))).toEqual(['new 1000', 'exec sh -c x']);
    expect(each.of(1001).events.at(-1)!.t).toBe(30);
    each.clock.t = 60;
    kernel(each, [
      { kind: 'exit', pid: 1001, t: stamp(each, 55), status: 134 << 8 },
      { kind: 'exit', pid: 1002, t: stamp(each, 56), status: SIGKILL },
      { kind: 'exit', pid: 4242, t: stamp(each, 56), status: 0 },
    ]);
    expect(each.of(1001).exit).toEqual({ t: 55, code: 134, signal: null, source: 'kernel' });
    expect(each.of(1002).exit).toEqual({ t: 56, code: null, signal: 'SIGKILL', source: 'kernel' });
    expect(kinds(each.of(1001)).at(-1)).toBe('exited');
    expect((each.observer as unknown as { exiting: Map<number, number> }).exiting.has(1001)).toBe(true);
    // The zombie then shows: no second 'exited'.
    each.source.set({ pid: 1001, state: 'Z', exitStatus: 134 << 8 });
    each.at(70);
    expect(kinds(each.of(1001))).toEqual(['new 1000', 'exec sh -c x', 'exited', 'state Z', 'zombie']);
  });

  test("a setsid is read at once; one reported after the process has gone gives its record the new session and group", () => {
    // Read at its fork, before its setsid (libuv's detached child calls it before its exec): its
    // parent's session and group. A starved runner read the next report only after it had gone.
    const each = running(scene([root(), ours(1001, ROOT), ours(1002, ROOT)]));
    each.clock.t = 30;
    each.source.set({ pid: 1001, pgid: 1001, sid: 1001 });
    kernel(each, [{ kind: 'session', pid: 1001, t: stamp(each, 20) }, { kind: 'session', pid: 4242, t: stamp(each, 20) }]);
    expect(each.of(1001)).toMatchObject({ sid: 1001, pgid: 1001 });
    expect(each.of(1001).spans.map((span) => span.stat)).toEqual(['S', 'Ss']);
    expect(kinds(each.of(1001))).toEqual(['new 1000', 'session 1001', 'state Ss']);
    expect(each.of(1001).events[1]!.t).toBe(20);
    each.source.remove(1002);
    kernel(each, [{ kind: 'session', pid: 1002, t: stamp(each, 25) }]);
    expect(each.of(1002)).toMatchObject({ sid: 1002, pgid: 1002 });
    expect(each.of(1002).spans.map((span) => span.stat)).toEqual(['S']); // never read so: no STAT made up
    expect(kinds(each.of(1002))).toEqual(['new 1000', 'session 1002']);
  });

  test('an exec of a process that ended meanwhile changes nothing', () => {
    const each = running(scene([root(), ours(1001, ROOT)]));
    each.source.remove(1001);
    const notified: boolean[] = [];
    each.observer.onSample((changed) => notified.push(changed));
    kernel(each, [{ kind: 'exec', pid: 1001, t: stamp(each, 0) }]);
    expect(notified).toEqual([]);
  });

  test('an exit read after a sample saw the process vanish still gives it its status', () => {
    const each = running(scene([root(), ours(1001, ROOT)]));
    (each.observer as unknown as { kernel: object }).kernel = { close() {} };
    expect(each.observer.newProcessSource).toBe('connector');
    each.source.remove(1001);
    each.at(50);
    expect(each.of(1001).gone).toBe(50);
    kernel(each, [{ kind: 'exit', pid: 1001, t: stamp(each, 45), status: 1 << 8 }]);
    expect(each.of(1001).exit).toEqual({ t: 45, code: 1, signal: null, source: 'kernel' });
    expect(kinds(each.of(1001))).toEqual(['new 1000', 'exited', 'reaped 1000']);
  });

  test('with the kernel reporting every fork, samples read no children; lost reports make the next sample list everything', () => {
    const each = running(scene([root()]));
    (each.observer as unknown as { kernel: object }).kernel = { close() {} };
    each.source.calls.length = 0;
    each.at(50);
    each.at(2000);
    expect(each.source.calls.filter((call) => call === 'list' || call.startsWith('children'))).toEqual([]);
    each.source.set(ours(1001, ROOT));
    each.at(2050, 1001); // a pid the lesson reported: looked at
    expect(each.of(1001).seenBy).toBe('report');
    kernel(each, [{ kind: 'lost', t: stamp(each, 2060) }]);
    each.at(2100);
    expect(each.source.calls.filter((call) => call === 'list')).toHaveLength(1);
    each.at(2150);
    expect(each.source.calls.filter((call) => call === 'list')).toHaveLength(1);
  });

  test('reports kept since before the program started are read once the first sample has admitted the root', () => {
    // The runner subscribed before it spawned the program; the program forked (and its child
    // ended) before the observer started.
    let listener: ((events: KernelEvent[]) => void) | undefined;
    const kept: KernelEvent[] = [];
    const reader = { listen: (onEvents: (events: KernelEvent[]) => void) => ((listener = onEvents), onEvents(kept)), close() {} };
    const each = scene([root()], { kernelReader: reader as unknown as ObserverOptions['kernelReader'] });
    kept.push({ kind: 'fork', t: (each.observer as unknown as { clockStart: number }).clockStart + 1, parent: ROOT, child: 1001 });
    each.clock.t = 5;
    running(each);
    expect(listener).toBeDefined();
    expect(each.observer.timeline.sources).toEqual(['connector', 'sampling']);
    expect(each.of(1001)).toMatchObject({ seenBy: 'connector', spans: [{ stat: '?', ppid: ROOT }] });
  });

  test('reports that come after the observer stopped are ignored', () => {
    const each = scene([root()]);
    each.at(0);
    each.source.set(ours(1001, ROOT));
    kernel(each, [{ kind: 'fork', t: stamp(each, 0), parent: ROOT, child: 1001 }]);
    expect(each.ids()).toEqual(['1000@50']);
  });
});

describe('the clock, the live table and the end', () => {
  test('timeOf: a stamp of another process on the run clock, to 0.1 ms, never before 0 nor after now', () => {
    const each = scene([root()]);
    each.clock.t = 1000;
    expect(each.observer.timeOf(stamp(each, 12.34))).toBe(12.3);
    expect(each.observer.timeOf(stamp(each, 12.36))).toBe(12.4);
    expect(each.observer.timeOf(stamp(each, -5))).toBe(0);
    expect(each.observer.timeOf(stamp(each, 5000))).toBe(1000);
  });

  test('now: milliseconds since the run started, to 0.1 ms', async () => {
    const observer = new Observer({ rootPid: ROOT, source: new ScriptedSource() });
    const first = observer.now();
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(1000);
    expect(Math.round(first * 10)).toBeCloseTo(first * 10, 6);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(observer.now() - first).toBeGreaterThanOrEqual(15);
    expect(observer.intervalMs).toBe(50);
    expect(observer.timeline).toMatchObject({ lessonPid: ROOT, runnerPid: process.pid, sampleIntervalMs: 50 });
  });

  test('rows: what is there now, and what vanished less than the linger time ago', () => {
    const { at, source, observer, clock } = scene([root(), ours(1001, ROOT), ours(1002, ROOT, { cmdline: 'two' })]);
    at(0);
    source.set({ pid: 1001, ppid: RUNNER, state: 'Z', exitStatus: 0 });
    source.remove(1002);
    at(100);
    clock.t = 3100;
    const rows = observer.rows();
    expect(rows.map((row) => row.pid)).toEqual([ROOT, 1001, 1002]);
    expect(rows[1]).toEqual({ id: '1001@60', pid: 1001, ppid: RUNNER, bornTo: ROOT, stat: 'Z', title: 'node', startTicks: 60, firstSeen: 0, exit: { t: 100, code: 0, signal: null, source: 'kernel' } });
    expect(rows[2]).toEqual({ id: '1002@60', pid: 1002, ppid: ROOT, bornTo: ROOT, stat: 'S', title: 'two', startTicks: 60, firstSeen: 0, gone: 100 });
    expect(Object.keys(rows[0]!)).not.toContain('gone');
    expect(Object.keys(rows[0]!)).not.toContain('exit');
    clock.t = 3101;
    expect(observer.rows().map((row) => row.pid)).toEqual([ROOT, 1001]);
    expect(observer.rows(5000).map((row) => row.pid)).toEqual([ROOT, 1001, 1002]);
  });

  test('alive: the processes followed now, zombies included, with identity, parent, group and state', () => {
    const { at, source, observer } = scene([root(), ours(1001, ROOT, { pgid: 1001 }), ours(1002, ROOT)]);
    at(0);
    source.set({ pid: 1001, state: 'Z' });
    source.remove(1002);
    at(50);
    expect(observer.alive()).toEqual([
      { pid: ROOT, startTicks: 50, ppid: RUNNER, pgid: ROOT, state: 'S' },
      { pid: 1001, startTicks: 60, ppid: ROOT, pgid: 1001, state: 'Z' },
    ]);
  });

  test('isSameProcess: the pid still holds the process that started at that tick', () => {
    const { at, source, observer } = scene([root(), ours(1001, ROOT)]);
    at(0);
    expect(observer.isSameProcess(1001, 60)).toBe(true);
    expect(observer.isSameProcess(1001, 61)).toBe(false);
    source.set({ pid: 1001, startTicks: 61 }); // reused
    expect(observer.isSameProcess(1001, 60)).toBe(false);
    expect(observer.isSameProcess(4242, 60)).toBe(false);
  });

  test('stop: one last sample, every open span ends then, the source is closed', () => {
    const each = running(scene([root(), ours(1001, ROOT)]));
    started.pop();
    each.source.set({ pid: 1001, state: 'R' });
    each.clock.t = 500;
    const data = each.observer.stop();
    expect(data.sampleCount).toBe(2);
    expect(data.sampleTimes).toEqual([0, 500]);
    expect(each.of(1001).spans.at(-1)).toEqual({ from: 500, to: 500, stat: 'R', ppid: ROOT });
    expect(each.of(ROOT).spans).toEqual([{ from: 0, to: 500, stat: 'Ss', ppid: RUNNER }]);
    expect(each.source.calls.at(-1)).toBe('close');
    // Stopped: a report no longer makes it look.
    each.source.set(ours(1002, ROOT));
    each.observer.lookAt(1002, { title: 'late' });
    expect(each.observer.timeline.sampleCount).toBe(2);
  });

  test('start samples at once, then every interval', async () => {
    const each = scene([root()], { intervalMs: 5 });
    each.observer.start();
    started.push(each.observer);
    const notified: boolean[] = [];
    each.observer.onSample((changed) => notified.push(changed));
    expect(each.observer.timeline.sampleCount).toBe(1);
    for (const deadline = Date.now() + 5000; each.observer.timeline.sampleCount < 3 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(each.observer.timeline.sampleCount).toBeGreaterThanOrEqual(3);
    expect(notified.length).toBeGreaterThanOrEqual(2);
    expect(notified.every((changed) => changed === false)).toBe(true);
  });
});

describe('edges', () => {
  const notifications = (each: Scene): boolean[] => {
    const notified: boolean[] = [];
    each.observer.onSample((changed) => notified.push(changed));
    return notified;
  };
  const withKernel = (each: Scene): Scene => {
    (each.observer as unknown as { kernel: object }).kernel = { close() {} };
    return each;
  };

  test('with the kernel reporting forks from the start, the first sample still lists everything, once', () => {
    const each = withKernel(scene([root(), ours(1001, ROOT)]));
    each.at(0);
    expect(each.ids()).toEqual(['1000@50', '1001@60']);
    each.source.calls.length = 0;
    each.at(5000);
    expect(each.source.calls).toEqual([]);
  });

  test('a sample with nothing new opens nothing; a pid looked at is read even where no child list shows it', () => {
    const { at, source, ids } = scene([root()]);
    at(0);
    source.calls.length = 0;
    at(50);
    expect(source.calls.filter((call) => call.startsWith('open') || call.startsWith('forget'))).toEqual([]);
    source.set({ pid: 1500, ppid: 1, sid: ROOT, startTicks: 60 }); // an orphan of the run, under init
    at(100, 1500);
    expect(ids()).toEqual(['1000@50', '1500@60']);
    expect(source.calls).toContain('open 1500');
  });

  test('only the strangers are forgotten, each once, however many passes admission takes', () => {
    const { at, source } = scene([ours(1002, 1001), ours(1001, ROOT), root(), { pid: 2000, ppid: 1, startTicks: 70 }]);
    at(0);
    expect(source.calls.filter((call) => call.startsWith('forget'))).toEqual(['forget 2000']);
  });

  test('a pid listed but gone before it could be read is skipped', () => {
    const { at, source, ids } = scene([root()]);
    source.children = (pid) => (pid === ROOT ? [4242] : []);
    at(0);
    at(50);
    expect(ids()).toEqual(['1000@50']);
  });

  test('a sample says it changed something when a process only vanished, or only renamed itself', () => {
    const { at, source } = scene([root(), ours(1001, ROOT, { comm: 'node', exe: '/usr/bin/node' }), ours(1002, ROOT)]);
    at(0);
    source.remove(1002);
    expect(at(50)).toBe(true);
    source.set({ pid: 1001, comm: 'worker', cmdline: 'worker' });
    expect(at(100)).toBe(true);
    expect(at(150)).toBe(false);
  });

  test('a zombie re-parented (its parent ended) is still one zombie: no second zombie event, its status kept', () => {
    const { at, source, of } = scene([root(), ours(1001, ROOT), ours(1002, 1001)]);
    at(0);
    source.set({ pid: 1002, state: 'Z', exitStatus: 3 << 8 });
    at(50);
    source.remove(1001).set({ pid: 1002, ppid: RUNNER, exitStatus: 3 << 8 });
    at(100);
    expect(kinds(of(1002))).toEqual(['new 1001', 'state Z', 'zombie', 'exited', `reparented ${RUNNER}`]);
  });

  test('a process whose exit the kernel reported, gone before a sample showed its Z: exited once', () => {
    const each = running(scene([root(), ours(1001, ROOT)]));
    kernel(each, [{ kind: 'exit', pid: 1001, t: stamp(each, 0), status: 0 }]);
    each.source.remove(1001);
    each.at(50);
    expect(kinds(each.of(1001))).toEqual(['new 1000', 'exited', 'reaped 1000']);
  });

  test("a process's last span ends when it vanishes, however many spans it had", () => {
    const { at, source, of } = scene([root(), ours(1001, ROOT), ours(1002, ROOT)]);
    at(0);
    source.set({ pid: 1002, state: 'R' });
    at(50);
    source.set({ pid: 1002, state: 'S' });
    at(100);
    source.remove(1001, 1002);
    at(150);
    expect(of(1001).spans).toEqual([{ from: 0, to: 150, stat: 'S', ppid: ROOT }]);
    expect(of(1002).spans.map((span) => [span.from, span.to])).toEqual([
      [0, 50],
      [50, 100],
      [100, 150],
    ]);
  });

  test('an event without a detail has no detail field at all', () => {
    const { at, source, of } = scene([root(), ours(1001, ROOT)]);
    at(0);
    source.set({ pid: 1001, state: 'Z' });
    at(50);
    const zombie = of(1001).events.find((event) => event.kind === 'zombie')!;
    expect(Object.keys(zombie)).toEqual(['t', 'kind']);
  });

  test('a process seen gone at the very moment of a report is the process the report is about', () => {
    const { at, observer, ids, source } = scene([root(), ours(1001, ROOT)]);
    at(0);
    source.remove(1001);
    at(50);
    observer.lookAt(1001, { t: 50, parent: ROOT });
    observer.recordExit(1001, { t: 50, code: 0, signal: null, source: 'parent' });
    expect(ids()).toEqual(['1000@50', '1001@60']);
  });

  test('only a start reported with its parent makes a record of its own; one without a title has an empty title', () => {
    const { at, observer, ids, of } = scene([root()]);
    at(0);
    observer.lookAt(1001, { t: 10 }); // no parent: nothing to keep
    observer.recordExit(1001, { t: 20, code: 0, signal: null, source: 'parent' });
    expect(ids()).toEqual(['1000@50']);
    observer.lookAt(1002, { t: 10, parent: ROOT });
    observer.recordExit(1002, { t: 20, code: 0, signal: null, source: 'parent' });
    expect(of(1002).title).toBe('');
  });

  test('a process about to exit is watched for up to 300 ms: its Z 50 ms later shows at once, and then no watch is left', async () => {
    const each = running(scene([root(), ours(1001, ROOT)]));
    const watchLeft = (): boolean => (each.observer as unknown as { exitTimer?: unknown }).exitTimer !== undefined;
    each.observer.expectExit(1001);
    expect(watchLeft()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(each.of(1001).exit).toBeUndefined();
    each.clock.t = 60;
    each.source.set({ pid: 1001, state: 'Z', exitStatus: 2 << 8 });
    for (const deadline = Date.now() + 5000; each.of(1001).exit === undefined && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(each.of(1001).exit).toMatchObject({ t: 60, code: 2 });
    for (const deadline = Date.now() + 5000; watchLeft() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(watchLeft()).toBe(false);
  });

  test('a stopped observer samples no more', async () => {
    const each = scene([root()], { intervalMs: 5 });
    each.observer.start();
    each.observer.stop();
    const count = each.observer.timeline.sampleCount;
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(each.observer.timeline.sampleCount).toBe(count);
  });

  test('stop ends every open span at the moment it stops, after its last sample', () => {
    const each = running(scene([root()]));
    started.pop();
    let t = 100;
    each.observer.now = () => (t += 10);
    each.observer.stop();
    const [last] = each.observer.timeline.sampleTimes!.slice(-1);
    expect(each.of(ROOT).spans.at(-1)!.to).toBeGreaterThan(last!);
  });

  test('now: the run clock in milliseconds, not more', async () => {
    const before = monotonicMs();
    const observer = new Observer({ rootPid: ROOT, source: new ScriptedSource() });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = observer.now();
    expect(now).toBeLessThanOrEqual(monotonicMs() - before + 0.1);
    expect(now).toBeGreaterThanOrEqual(15);
  });

  test('a batch of reports is announced only when something in it changed the table', () => {
    const each = running(scene([root(), ours(1001, ROOT, { comm: 'node', exe: '/usr/bin/node' }), ours(1002, ROOT)]));
    const notified = notifications(each);
    kernel(each, [{ kind: 'fork', t: stamp(each, 0), parent: 5000, child: 5001 }]);
    kernel(each, [{ kind: 'exec', t: stamp(each, 0), pid: 4242 }]);
    kernel(each, [{ kind: 'exit', t: stamp(each, 0), pid: 4242, status: 0 }]);
    expect(notified).toEqual([]);
    each.source.set({ pid: 1001, comm: 'sh', exe: '/bin/sh' });
    kernel(each, [{ kind: 'exec', t: stamp(each, 0), pid: 1001 }]);
    expect(notified).toEqual([true]);
    kernel(each, [{ kind: 'exit', t: stamp(each, 0), pid: 1002, status: 0 }]);
    expect(notified).toEqual([true, true]);
    kernel(each, [{ kind: 'fork', t: stamp(each, 0), parent: ROOT, child: 1003 }]); // gone at once: a ghost
    expect(notified).toEqual([true, true, true]);
    kernel(each, [{ kind: 'exit', t: stamp(each, 0), pid: 1003, status: 0 }]);
    expect(notified).toEqual([true, true, true, true]);
    kernel(each, [{ kind: 'lost', t: stamp(each, 0) }]);
    expect(notified).toEqual([true, true, true, true]);
  });

  test("a ghost's child is followed by its parent alone (outside the run's session); a ghost's ghost has no group known", () => {
    const each = running(scene([root()]));
    kernel(each, [{ kind: 'fork', t: stamp(each, 0), parent: ROOT, child: 1001 }]);
    each.source.set({ pid: 1002, ppid: 1001, pgid: 1002, sid: 1002, startTicks: 70 });
    kernel(each, [{ kind: 'fork', t: stamp(each, 0), parent: 1001, child: 1002 }]);
    expect(each.of(1002)).toMatchObject({ seenBy: 'connector', spans: [{ stat: 'Ss', ppid: 1001 }] });
    kernel(each, [{ kind: 'fork', t: stamp(each, 0), parent: 1001, child: 1003 }]);
    expect(each.of(1003)).toMatchObject({ pgid: 0, sid: 0, spans: [{ stat: '?', ppid: 1001 }] });
  });
});

describe.skipIf(process.getuid?.() !== 0)("the kernel's reports are used (as root) where asked, and by default with the real table", () => {
  // A root pid no process has: the machine's real forks never name it as their parent.
  const FAR = 99_999_000;
  test.each([
    ['the real table, by default', {}, 'connector'],
    ['the real table, told not to', { kernelEvents: false }, 'sampling'],
    ['a scripted table, by default', { source: new ScriptedSource() }, 'sampling'],
    ['a scripted table, told to', { source: new ScriptedSource(), kernelEvents: true }, 'connector'],
  ] as const)('%s', (_, options, expected) => {
    const observer = new Observer({ rootPid: FAR, intervalMs: 60_000, ...options });
    observer.start();
    try {
      expect(observer.newProcessSource).toBe(expected);
      expect(observer.timeline.sources).toEqual(expected === 'connector' ? ['connector', 'sampling'] : ['sampling']);
    } finally {
      observer.stop();
    }
    expect(observer.newProcessSource).toBe('sampling'); // stopped: the subscription is closed
  });

  test("a real child forked between two samples a minute apart is admitted at the kernel's fork report", async () => {
    // It forks only when told, after the observer's first sample; in a group of its own, so that
    // it ends with everything it started.
    const parent = spawn('sh', ['-c', 'read go; /bin/true; sleep 5'], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    const observer = new Observer({ rootPid: parent.pid!, intervalMs: 60_000 });
    observer.start();
    parent.stdin!.write('go\n');
    try {
      for (const deadline = Date.now() + 5000; observer.timeline.processes.length < 3 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 10));
      const children = observer.timeline.processes.filter((each) => each.pid !== parent.pid);
      expect(children.length).toBeGreaterThanOrEqual(1);
      // (With the kernel's reports, samples read no children: only the reports admit them.)
      expect(children.every((each) => each.seenBy === 'connector')).toBe(true);
    } finally {
      observer.stop();
      process.kill(-parent.pid!, 'SIGKILL');
    }
  });
});
