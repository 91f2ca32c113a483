// The runner's cleanup against a scripted process table (the real observer reading it) with
// process.kill replaced by a recorder: who gets which signal, and above all who does not. A pid is
// reused: a process the run followed may be gone and its pid given to someone else's process
// between the last sample and the signal. Identity is pid + start tick; a pid that no longer holds
// the process the run followed must never be signalled.
import { afterEach, expect, test } from 'vitest';
import { Observer } from '../../lib/observe/observer.js';
import { endEverything, settle } from '../../lib/run/cleanup.js';
import { ScriptedSource, type Row } from '../observe/scripted.js';
import type { KernelEvent } from '../../lib/proc/connector.js';

const LESSON = 5000;
const quick = { termMs: 30, killMs: 30 };
const realKill = process.kill;
afterEach(() => {
  process.kill = realKill;
});

type Sent = Array<[number, string]>;

/** Records every signal; `react` lets the scripted table answer one (a process ends, a pid is reused). */
function recordSignals(react: (pid: number, signal: string) => void = () => undefined): Sent {
  const sent: Sent = [];
  process.kill = ((pid: number, signal?: string | number) => {
    sent.push([pid, String(signal)]);
    react(pid, String(signal));
    return true;
  }) as typeof process.kill;
  return sent;
}

const lesson: Row = { pid: LESSON, ppid: process.pid, pgid: LESSON, sid: LESSON, startTicks: 50 };
const child: Row = { pid: 5001, ppid: LESSON, pgid: LESSON, sid: LESSON, startTicks: 60 };
/** A grandchild that left the lesson's group and session (a double fork): signalled by its pid. */
const detached = (pid: number): Row => ({ pid, ppid: LESSON, pgid: pid, sid: pid, startTicks: 60 });

function follow(...rows: Row[]): { observer: Observer; source: ScriptedSource } {
  const source = new ScriptedSource().set(...rows);
  const observer = new Observer({ rootPid: LESSON, runnerPid: process.pid, source, intervalMs: 10 });
  observer.sample();
  expect(observer.alive()).toHaveLength(rows.length);
  return { observer, source };
}

const to = (sent: Sent, signal: string): number[] => sent.filter(([, name]) => name === signal).map(([pid]) => pid).sort((a, b) => a - b);

test('a pid reused by a stranger after the last sample gets no signal; the same process still does', async () => {
  const { observer, source } = follow(lesson, child, detached(5002), detached(5003));
  const sent = recordSignals((pid, signal) => {
    // The group's SIGTERM ends the lesson and its child; 5002 had ended too, and the kernel has just
    // given its pid to a process of someone else (another start tick, another parent).
    if (pid === -LESSON && signal === 'SIGTERM') {
      source.remove(LESSON, 5001);
      source.set({ pid: 5002, ppid: 1, pgid: 7000, sid: 7000, startTicks: 999 });
    }
    if (pid === 5003 && signal === 'SIGTERM') source.remove(5003);
  });
  await endEverything(observer, LESSON, quick);
  expect(to(sent, 'SIGTERM')).toEqual([-LESSON, 5003]);
  expect(to(sent, 'SIGCONT')).toEqual([-LESSON]);
  expect(sent.filter(([pid]) => pid === 5002)).toEqual([]);
  expect(to(sent, 'SIGKILL')).toEqual([]); // all of it ended on SIGTERM
});

test('…nor the last resort, SIGKILL, once the pid holds another process', async () => {
  const { observer, source } = follow(lesson, child, detached(5002));
  let reused = false;
  const sent = recordSignals((pid, signal) => {
    // Nothing ends on SIGTERM; on the group's SIGKILL 5002 is found reused.
    if (pid === -LESSON && signal === 'SIGKILL') {
      source.set({ pid: 5002, startTicks: 999 });
      reused = true;
    }
  });
  await endEverything(observer, LESSON, quick);
  expect(reused).toBe(true);
  expect(to(sent, 'SIGTERM')).toEqual([-LESSON, 5002]);
  expect(to(sent, 'SIGKILL')).toEqual([-LESSON, LESSON, 5001]);
});

test('everything already ended: no signal at all', async () => {
  const { observer, source } = follow(lesson, child);
  source.remove(LESSON, 5001);
  const sent = recordSignals();
  await endEverything(observer, LESSON, quick);
  expect(sent).toEqual([]);
});

test('a process that ignores SIGTERM gets SIGKILL after the deadline, by its pid and through its group', async () => {
  const { observer, source } = follow(lesson, child);
  const sent = recordSignals((pid, signal) => {
    if (pid === 5001 && signal === 'SIGKILL') source.remove(LESSON, 5001);
  });
  const started = Date.now();
  await endEverything(observer, LESSON, { termMs: 60, killMs: 1000 });
  expect(Date.now() - started).toBeGreaterThanOrEqual(60);
  expect(sent.map(([pid, signal]) => `${signal} ${pid}`)).toEqual([
    `SIGTERM -${LESSON}`,
    `SIGCONT -${LESSON}`,
    `SIGKILL -${LESSON}`,
    `SIGKILL ${LESSON}`,
    'SIGKILL 5001',
  ]);
});

test('never our own process or group, never init or "everyone", never a pid that is not a whole number', async () => {
  for (const pid of [process.pid, 1.5]) {
    const { observer } = follow({ ...lesson, pid: 5000 }, detached(5002));
    (observer as unknown as { alive: Observer['alive'] }).alive = () => [
      { pid, startTicks: 50, ppid: 1, pgid: 7, state: 'S' },
      { pid: 1, startTicks: 1, ppid: 0, pgid: 1, state: 'S' },
      { pid: -1, startTicks: 1, ppid: 0, pgid: 1, state: 'S' },
    ];
    (observer as unknown as { isSameProcess: Observer['isSameProcess'] }).isSameProcess = () => true;
    const sent = recordSignals();
    await endEverything(observer, pid, quick);
    expect(sent, `lesson pid ${pid}`).toEqual([]);
  }
});

test('settle: true as soon as nothing is alive; false at its deadline; false at once when stopped', async () => {
  const { observer, source } = follow(lesson);
  const stop = new AbortController();
  stop.abort();
  const started = Date.now();
  expect(await settle(observer, LESSON, 60_000, stop.signal)).toBe(false);
  expect(Date.now() - started).toBeLessThan(30_000);
  expect(await settle(observer, LESSON, 30)).toBe(false);
  source.remove(LESSON);
  expect(await settle(observer, LESSON, 60_000)).toBe(true);
});

test('settle: a long wait (watch) looks at the pace of the observer, not every 25 ms', async () => {
  const source = new ScriptedSource().set(lesson);
  const observer = new Observer({ rootPid: LESSON, runnerPid: process.pid, source, intervalMs: 100 });
  const stop = new AbortController();
  setTimeout(() => stop.abort(), 200);
  await settle(observer, LESSON, 10_000, stop.signal);
  // Every 100 ms: 3 samples in 200 ms (fewer on a slow machine, never more); every 25 ms would be 9.
  expect(observer.timeline.sampleCount).toBeLessThanOrEqual(4);
});

test("settle waits for the kernel's exit report of a process it knew only from its fork report; not for ever", async () => {
  // `watch -- python3 -c 'sys.exit(…)'`: the pyenv shim's forks were gone before they could be
  // read, and the run ended before their exit reports were read: four rows left "running".
  const source = new ScriptedSource().set({ pid: LESSON, ppid: process.pid, pgid: LESSON, sid: LESSON, startTicks: 50 });
  const observer = new Observer({ rootPid: LESSON, runnerPid: process.pid, source, intervalMs: 60_000 });
  observer.start();
  try {
    (observer as unknown as { kernel: object }).kernel = { close() {} }; // the kernel's reports, scripted
    const kernel = (events: KernelEvent[]): void => (observer as unknown as { onKernelEvents(events: KernelEvent[]): void }).onKernelEvents(events);
    const stamp = (observer as unknown as { clockStart: number }).clockStart + 1;
    // Two forks never in /proc (ghosts): 5001's exit report comes 100 ms after the lesson's end;
    // 5002's never does (the kernel dropped it).
    kernel([
      { kind: 'fork', t: stamp, parent: LESSON, child: 5001 },
      { kind: 'fork', t: stamp, parent: LESSON, child: 5002 },
    ]);
    expect(observer.exitReportsAwaited()).toBe(2);
    source.remove(LESSON);
    setTimeout(() => kernel([{ kind: 'exit', t: stamp + 1, pid: 5001, status: 0 }]), 100);
    // The end waits for the one (a second at most), not for ever for the other (60 s here).
    expect(await settle(observer, LESSON, 60_000)).toBe(true);
    expect(observer.timeline.processes.find((each) => each.pid === 5001)).toMatchObject({ gone: expect.any(Number), exit: { code: 0, source: 'kernel' } });
    expect(observer.exitReportsAwaited()).toBe(1);
  } finally {
    observer.stop();
  }
});
