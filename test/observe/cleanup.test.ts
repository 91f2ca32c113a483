// The runner's cleanup must never signal init, its own process group or "every process".
import { expect, test } from 'vitest';
import { Observer } from '../../lib/observe/observer.js';
import { endEverything } from '../../lib/runner/cleanup.js';

test('endEverything with a bogus root signals nobody (not PID 1, not -1, not our group)', async () => {
  const sent: Array<[number, string | number | undefined]> = [];
  const real = process.kill;
  process.kill = ((pid: number, signal?: string | number) => {
    sent.push([pid, signal]);
    return true;
  }) as typeof process.kill;
  try {
    const observer = new Observer({ rootPid: 999_999_999, intervalMs: 10 });
    // Pretend a process is followed, so endEverything does not return early.
    (observer as unknown as { followed: Map<number, unknown> }).followed.set(1, {
      record: { pid: 1, startTicks: 0 },
      last: { ppid: 0, state: 'S', pid: 1 },
    });
    for (const root of [-1, 0, 1]) await endEverything(observer, root).catch(() => undefined);
  } finally {
    process.kill = real;
  }
  expect(sent.filter(([pid]) => Math.abs(pid) <= 1)).toEqual([]);
});
