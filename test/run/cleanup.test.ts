// The runner's cleanup, with process.kill replaced by a recorder: which signals go where.
import { afterEach, expect, test } from 'vitest';
import { Observer } from '../../lib/observe/observer.js';
import { endEverything } from '../../lib/run/cleanup.js';

const quick = { termMs: 50, killMs: 50 };
type Sent = Array<[number, string | number | undefined]>;
const realKill = process.kill;
afterEach(() => {
  process.kill = realKill;
});

function recordSignals(): Sent {
  const sent: Sent = [];
  process.kill = ((pid: number, signal?: string | number) => {
    sent.push([pid, signal]);
    return true;
  }) as typeof process.kill;
  return sent;
}

/** An observer that pretends to follow these processes, all alive, none ever ending. */
function fakeObserver(processes: Array<{ pid: number; pgid: number }>): Observer {
  const observer = new Observer({ rootPid: 999_999_999, intervalMs: 10 });
  const fake = observer as unknown as {
    alive: Observer['alive'];
    isSameProcess: Observer['isSameProcess'];
    sample: Observer['sample'];
  };
  fake.alive = () => processes.map(({ pid, pgid }) => ({ pid, pgid, startTicks: 1, ppid: 2, state: 'S' }));
  fake.isSameProcess = () => true;
  fake.sample = () => false;
  return observer;
}

test('endEverything with a bogus root signals nobody (not PID 1, not -1, not our group)', async () => {
  const sent = recordSignals();
  const observer = fakeObserver([{ pid: 1, pgid: 1 }]);
  for (const root of [-1, 0, 1]) await endEverything(observer, root, quick).catch(() => undefined);
  expect(sent.filter(([pid]) => Math.abs(pid) <= 1)).toEqual([]);
});

test("one SIGTERM per process: the lesson's group once, then only those that left the group", async () => {
  const sent = recordSignals();
  const lesson = 5000;
  const observer = fakeObserver([
    { pid: lesson, pgid: lesson },
    { pid: 5001, pgid: lesson }, // a child in the lesson's group
    { pid: 5002, pgid: 5002 }, // a detached grandchild, in a group of its own
  ]);
  await endEverything(observer, lesson, quick);
  const terms = sent.filter(([, signal]) => signal === 'SIGTERM').map(([pid]) => pid);
  expect(terms.sort()).toEqual([-lesson, 5002].sort());
  // SIGKILL, the last resort, goes to every one of them by pid as well as to the group.
  const kills = sent.filter(([, signal]) => signal === 'SIGKILL').map(([pid]) => pid);
  expect(kills.sort()).toEqual([-lesson, lesson, 5001, 5002].sort());
});
