// The observer against real process trees. This test process makes itself a child subreaper,
// so orphans of the trees it starts come to it (not to PID 1), and it reaps them by pid.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { Observer } from '../../lib/observe/observer.js';
import { Timeline } from '../../lib/observe/timeline.js';
import type { ProcessSource } from '../../lib/proc/source.js';
import type { ProcStat } from '../../lib/proc/stat.js';
import { becomeSubreaper } from '../../lib/posix/index.js';
import { endEverything, reapAdopted } from '../../lib/run/cleanup.js';
import { until } from '../support/run-lesson.js';

const node = process.execPath;
const started: ChildProcess[] = [];
let observer: Observer | undefined;
let observedRoot = 0;

function start(script: string, options: { detached?: boolean } = {}): ChildProcess {
  const child = spawn(node, ['-e', script], { stdio: 'ignore', env: { ...process.env }, detached: options.detached ?? false });
  started.push(child);
  return child;
}

/** Samples until the root and everything below it are gone (reaping our adopted orphans). */
async function observeUntilGone(root: ChildProcess, intervalMs = 20): Promise<Timeline> {
  observer = new Observer({ rootPid: root.pid!, intervalMs });
  const rootPid = (observedRoot = root.pid!);
  await until(
    () => {
      observer!.sample();
      reapAdopted(observer!, rootPid);
      return observer!.timeline.sampleCount > 2 && observer!.alive().length === 0;
    },
    15_000,
    'the tree to end',
  );
  return new Timeline(observer.stop());
}

beforeAll(() => {
  expect(becomeSubreaper()).toBe(true);
});

afterEach(async () => {
  if (observer) await endEverything(observer, observedRoot).catch(() => undefined);
  observer = undefined;
  for (const child of started.splice(0)) child.kill('SIGKILL');
});


describe('the observer', () => {
  test('sees a zombie while its parent\'s event loop is blocked, with its exit status, then its reaping', async () => {
    // The child exits at once; the parent blocks its loop for 1.5 s, so libuv cannot reap it.
    const parent = start(`
      // sh, not node: it exits at once, so the zombie's time does not depend on Node's start-up.
      require('child_process').spawn('sh', ['-c', 'exit 7'], { stdio: 'ignore' });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
    `);
    const timeline = await observeUntilGone(parent);
    const [child] = timeline.lesson!.children();
    expect(child).toBeDefined();
    expect(child!.everIn('Z', { ppid: parent.pid! })).toBe(true);
    expect(child!.timeIn('Z', { ppid: parent.pid! })).toBeGreaterThan(1000);
    expect(child!.record.exit).toMatchObject({ code: 7, signal: null, source: 'kernel' });
    expect(child!.record.reapedBy).toBe(parent.pid);
    expect(child!.record.events.map((event) => event.kind)).toEqual(
      expect.arrayContaining(['new', 'zombie', 'exited', 'reaped']),
    );
  });

  test('follows an orphan after its parent dies, and sees it re-parented to its adopter', async () => {
    const parent = start(`
      require('child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 900)'], { stdio: 'ignore' });
      setTimeout(() => process.exit(0), 300);
    `);
    const timeline = await observeUntilGone(parent);
    const [orphan] = timeline.lesson!.children();
    expect(orphan).toBeDefined();
    const changes = orphan!.reparentings();
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ from: parent.pid, to: process.pid }); // we are its subreaper
    // Re-parented when the parent exited: within a couple of samples of the parent vanishing.
    expect(Math.abs(changes[0]!.t - timeline.lesson!.record.gone!)).toBeLessThan(100);
    expect(orphan!.record.reapedBy).toBe(process.pid);
    expect(orphan!.record.exit).toMatchObject({ code: 0, signal: null });
  });

  test('follows a double fork: the grandchild, in a session of its own, outlives the middle', async () => {
    const top = start(`
      const { spawn } = require('child_process');
      const middle = spawn(process.execPath, ['-e', \`
        require('child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 700)'], { stdio: 'ignore', detached: true }).unref();
        setTimeout(() => {}, 200);
      \`], { stdio: 'ignore' });
      middle.on('exit', () => setTimeout(() => {}, 1200));
    `);
    const timeline = await observeUntilGone(top);
    const [middle] = timeline.lesson!.children();
    const [grandchild] = middle!.children();
    expect(grandchild).toBeDefined();
    expect(grandchild!.record.sid).toBe(grandchild!.pid);
    // libuv calls setsid() between fork and exec, so one sample may catch the instant before:
    // every STAT after the first has the s.
    const stats = grandchild!.statSequence();
    expect(stats.at(-1)).toContain('s');
    expect(stats.slice(1).every((stat) => stat.includes('s'))).toBe(true);
    const [change] = grandchild!.reparentings();
    expect(change).toMatchObject({ from: middle!.pid, to: process.pid });
    expect(change!.t).toBeGreaterThanOrEqual(middle!.record.firstSeen);
    expect(middle!.record.reapedBy).toBe(top.pid);
    expect(grandchild!.record.reapedBy).toBe(process.pid);
  });

  test('its STAT strings equal `ps -o stat=` for the same processes at the same moment', async () => {
    // A tree of stable states: sleeping, stopped (T), zombie (Z), low priority (N), session leader (s).
    const root = start(`
      const { spawn } = require('child_process');
      const opts = { stdio: 'ignore' };
      spawn('sleep', ['30'], opts);
      spawn('nice', ['-n', '5', 'sleep', '30'], opts);
      spawn('sleep', ['30'], { ...opts, detached: true });
      const stopped = spawn('sleep', ['30'], opts);
      stopped.on('spawn', () => stopped.kill('SIGSTOP'));
      spawn('sleep', ['0.6'], opts); // exits while the loop below is blocked: a zombie
      setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 4000), 300);
    `);
    observer = new Observer({ rootPid: (observedRoot = root.pid!), intervalMs: 20 });
    await until(() => {
      observer!.sample();
      const states = observer!.alive().map((each) => each.state);
      return states.includes('T') && states.includes('Z') && observer!.alive().length === 6;
    }, 5000, 'a stopped child and a zombie');
    // Our sample and ps read a moment apart: a process can change in between (the blocked Node
    // root turns R for an instant when SIGCHLD wakes it). Read both again until they agree, or
    // a deadline passes: then the difference is shown.
    const readBoth = (): { ours: Record<number, string>; theirs: Record<number, string> } => {
      observer!.sample();
      const ours = new Map(observer!.rows().map((row) => [row.pid, row.stat]));
      const ps = execFileSync('ps', ['-o', 'pid=,stat=', '-p', [...ours.keys()].join(',')], { encoding: 'utf8' });
      const theirs = new Map(ps.trim().split('\n').map((line) => line.trim().split(/\s+/)).map(([pid, stat]) => [Number(pid), stat]));
      return { ours: Object.fromEntries(ours), theirs: Object.fromEntries(theirs) };
    };
    const agree = ({ ours, theirs }: ReturnType<typeof readBoth>): boolean =>
      Object.keys(ours).length === Object.keys(theirs).length && Object.entries(ours).every(([pid, stat]) => theirs[Number(pid)] === stat);
    let both = readBoth();
    for (const deadline = Date.now() + 2000; !agree(both) && Date.now() < deadline; ) both = readBoth();
    expect(both.ours).toEqual(both.theirs);
    expect(Object.values(both.ours)).toEqual(expect.arrayContaining(['Z', 'T', 'SN', 'Ss']));
  });

  test('a process that names itself between two samples is looked at at once, not missed', async () => {
    // The root starts its child only after the observer's first sample, then prints its pid.
    const root = spawn(node, ['-e', `setTimeout(() => {
      const child = require('child_process').spawn('sleep', ['5'], { stdio: 'ignore' });
      console.log(child.pid);
    }, 300)`], { stdio: ['ignore', 'pipe', 'ignore'] });
    started.push(root);
    // Sampling alone (the kernel's fork reports would admit the child at once).
    observer = new Observer({ rootPid: (observedRoot = root.pid!), intervalMs: 60_000, kernelEvents: false });
    observer.start(); // one sample now, the next in a minute
    const childPid = Number(await new Promise<string>((resolve) => root.stdout!.once('data', (data: Buffer) => resolve(String(data)))));
    expect(observer.timeline.processes.some((each) => each.pid === childPid)).toBe(false);
    observer.recordTitle(childPid, 'named itself'); // what the runner does when a title message arrives
    const seen = observer.timeline.processes.find((each) => each.pid === childPid);
    expect(seen).toMatchObject({ title: 'named itself' });
    expect(seen!.spans[0]!.ppid).toBe(root.pid);
    expect(observer.timeline.sampleCount).toBe(2);
  });
});

const isRoot = process.getuid?.() === 0;

describe('the kernel\'s reports (proc connector, as root)', () => {
  test.skipIf(!isRoot)('a child that lives a millisecond is admitted at its fork, with the exit status the kernel reported', async () => {
    // Forty children of `sh -c 'exit N'`, each over in about a millisecond, one after another.
    const root = start(`
      const { spawnSync } = require('child_process');
      setTimeout(() => { for (let i = 0; i < 40; i++) spawnSync('sh', ['-c', 'exit ' + i], { stdio: 'ignore' }); }, 300);
    `);
    observer = new Observer({ rootPid: (observedRoot = root.pid!), intervalMs: 60_000 });
    observer.start(); // one sample now, the next in a minute: only the kernel's reports can see them
    expect(observer.newProcessSource).toBe('connector');
    await until(() => root.exitCode !== null, 15_000, 'the root to end');
    await until(() => observer!.timeline.processes.filter((each) => each.exit).length >= 41, 5000, 'every exit reported');
    const children = observer.timeline.processes.filter((each) => each.pid !== root.pid);
    expect(children).toHaveLength(40);
    expect(children.map((each) => each.exit?.code)).toEqual([...Array(40).keys()]);
    expect(children.every((each) => each.seenBy === 'connector' && each.exit?.source === 'kernel')).toBe(true);
    expect(observer.timeline.sources).toEqual(['connector', 'sampling']);
  });
});

describe('identity', () => {
  /** A scripted process table: one pid that vanishes and comes back as a new process. */
  class ScriptedSource implements ProcessSource {
    sample = 0;
    private opened = new Map<number, number>();
    constructor(private readonly script: Array<Array<Partial<ProcStat> & { pid: number; startTicks: number }>>) {}
    private now() {
      return this.script[Math.min(this.sample, this.script.length - 1)]!;
    }
    private full(row: Partial<ProcStat> & { pid: number; startTicks: number }): ProcStat {
      return { comm: 'x', state: 'S', ppid: 1, pgid: row.pid, sid: row.pid, ttyNr: 0, tpgid: -1, nice: 0, threads: 1, exitStatus: 0, utime: 0, stime: 0, ...row };
    }
    listPids() {
      const pids = this.now().map((row) => row.pid);
      this.sample++;
      return pids;
    }
    open(pid: number) {
      const row = this.script[Math.min(this.sample - 1, this.script.length - 1)]!.find((each) => each.pid === pid);
      if (row) this.opened.set(pid, row.startTicks);
      return row ? this.full(row) : undefined;
    }
    reread(pid: number) {
      const row = this.now().find((each) => each.pid === pid);
      return row && row.startTicks === this.opened.get(pid) ? this.full(row) : undefined;
    }
    commandLine() {
      return 'x';
    }
    executable() {
      return '/bin/x';
    }
    environment() {
      return undefined;
    }
    forget(pid: number) {
      this.opened.delete(pid);
    }
    close() {}
  }

  test('a reused pid is a new process: pid + start time is the identity', () => {
    const source = new ScriptedSource([
      [{ pid: 100, startTicks: 5 }],
      [{ pid: 100, startTicks: 5 }],
      [{ pid: 100, startTicks: 9 }], // pid 100 ended and was given to a new process
      [{ pid: 100, startTicks: 9 }],
    ]);
    const scripted = new Observer({ rootPid: 100, source, intervalMs: 10 });
    for (let index = 0; index < 4; index++) scripted.sample();
    const records = scripted.timeline.processes;
    expect(records.map((record) => record.id)).toEqual(['100@5', '100@9']);
    expect(records[0]!.gone).toBeDefined();
    expect(records[1]!.gone).toBeUndefined();
  });

  test('a process on its way out keeps the full name it reported: its command line is gone, its comm cut at 15', () => {
    class Exiting extends ScriptedSource {
      line = 'node lesson.mjs';
      override commandLine() {
        return this.line;
      }
    }
    const source = new Exiting([
      [{ pid: 100, startTicks: 5, comm: 'node' }],
      [{ pid: 100, startTicks: 5, comm: 'one-task worker' }], // "one-task worker 17", as the kernel keeps it
      [{ pid: 100, startTicks: 5, comm: 'one-task worker' }],
    ]);
    const scripted = new Observer({ rootPid: 100, source, intervalMs: 10 });
    scripted.sample();
    expect(scripted.timeline.processes[0]!.title).toBe('node lesson.mjs');
    scripted.recordTitle(100, 'one-task worker 17'); // what the process said when it named itself
    source.line = ''; // it is exiting: no memory left to read its command line from
    for (let index = 0; index < 2; index++) scripted.sample();
    expect(scripted.timeline.processes[0]!.title).toBe('one-task worker 17');
  });

  test('a process known only from reports (it lived between two samples) keeps the name it gave itself', () => {
    const source = new ScriptedSource([[{ pid: 100, startTicks: 5 }]]); // pid 200 is never in the table
    const scripted = new Observer({ rootPid: 100, source, intervalMs: 10 });
    scripted.sample();
    scripted.lookAt(200, { parent: 100 }); // forkSelf's report of a new child: its pid, no name yet
    scripted.recordTitle(200, 'one-task worker 17'); // the child names itself
    scripted.recordExit(200, { code: 0, signal: null, source: 'parent' }); // its parent's 'exit'
    const record = scripted.timeline.processes.find((each) => each.pid === 200)!;
    expect(record).toMatchObject({ title: 'one-task worker 17', seenBy: 'report', exit: { code: 0, source: 'parent' } });
  });
});
