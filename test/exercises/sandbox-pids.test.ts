// Pids inside a sandbox that the checker never read while their processes ran: matched to the
// kernel's forks by order, only where that cannot be wrong (lib/exercises/sandbox.ts).
import { describe, expect, test } from 'vitest';
import { KEEPER_PID } from '../../lib/exercises/keeper.js';
import { matchChildren, SandboxPids } from '../../lib/exercises/sandbox.js';

/** The exercise's first process: 13 inside, 5000 on the host. */
const known = new Map([[13, 5000]]);
const fork = (pid: number, parent: number, firstSeen: number) => ({ pid, parent, firstSeen });

describe('children matched to the forks the kernel reported', () => {
  test('as many children reported as forked: the same order, also where the host pids wrapped around', () => {
    const parentOf = new Map([[24, 13], [25, 13], [26, 13]]);
    // Forked in this order (fork time); the host's pids wrapped past pid_max between the first two.
    const records = [fork(32760, 5000, 10), fork(301, 5000, 11), fork(305, 5000, 12)];
    expect([...matchChildren(known, parentOf, records, true)]).toEqual([[24, 32760], [25, 301], [26, 305]]);
  });

  test('their children too, once they are matched', () => {
    const parentOf = new Map([[24, 13], [30, 24]]);
    const records = [fork(6000, 5000, 10), fork(6100, 6000, 20)];
    expect([...matchChildren(known, parentOf, records, true)]).toEqual([[24, 6000], [30, 6100]]);
  });

  test('nothing is guessed: a fork it did not report, a pair that disagrees, forks the kernel may not all have reported', () => {
    const parentOf = new Map([[24, 13], [25, 13]]);
    const records = [fork(6000, 5000, 10), fork(6001, 5000, 11)];
    // A third child on the host (started without the lesson API, so never reported).
    expect(matchChildren(known, parentOf, [...records, fork(6002, 5000, 12)], true).size).toBe(0);
    // A pair already known that the order contradicts.
    expect(matchChildren(new Map([...known, [25, 6000]]), parentOf, records, true).size).toBe(0);
    // Sampling, not the kernel's reports: a short-lived fork may be missing.
    expect(matchChildren(known, parentOf, records, false).size).toBe(0);
    // A parent whose host pid is not known.
    expect(matchChildren(new Map(), parentOf, records, true).size).toBe(0);
  });

  test('a pair already known stays, and fills the rest in order', () => {
    const parentOf = new Map([[24, 13], [25, 13]]);
    const records = [fork(6000, 5000, 10), fork(6001, 5000, 11)];
    expect([...matchChildren(new Map([...known, [24, 6000]]), parentOf, records, true)]).toEqual([[25, 6001]]);
  });
});

describe("the exercise's first process", () => {
  test("named by the keeper's report of its pid inside, though it ended before the checker could read it", () => {
    // Pids no process has: nothing of this machine's /proc answers for them.
    const pids = new SandboxPids(99_999_999);
    (pids as unknown as { hostOf: Map<number, number> }).hostOf.set(KEEPER_PID, 99_999_990);
    pids.spawned(17, KEEPER_PID); // the keeper, right after starting it
    pids.spawned(18, 17); // its child, as it reported it
    expect(pids.hostPid(17)).toBeUndefined(); // not known yet: the keeper's child was never seen
    pids.learn([{ pid: 99_999_991, parent: 99_999_990 }]); // the record of the run: the keeper's one child
    expect(pids.exercisePid()).toBe(99_999_991);
    expect(pids.hostPid(17)).toBe(99_999_991);
    expect(pids.hostPid(18)).toBeUndefined();
    // Only the first such report counts: the keeper's comes before the exercise could write one.
    pids.spawned(19, KEEPER_PID);
    expect(pids.hostPid(19)).toBeUndefined();
  });

  test("a guess made before the keeper's report (a child of the keeper, perhaps an orphan it adopted) gives way to it", () => {
    const pids = new SandboxPids(99_999_999);
    (pids as unknown as { hostOf: Map<number, number> }).hostOf.set(KEEPER_PID, 99_999_990);
    pids.learn([{ pid: 99_999_995, parent: 99_999_990 }]); // seen under the keeper before the report was read
    expect(pids.exercisePid()).toBe(99_999_995);
    pids.spawned(17, KEEPER_PID); // the first process is 17 inside, and 99_999_995 cannot be shown to be it
    expect(pids.exercisePid()).toBeUndefined();
    pids.learn([{ pid: 99_999_991, parent: 99_999_990 }]); // the record of the run: born to the keeper
    expect(pids.exercisePid()).toBe(99_999_991);
    expect(pids.hostPid(17)).toBe(99_999_991);
  });
});

describe('the sandbox read only after it had gone (a starved checker)', () => {
  // Pids no process has: nothing of this machine's /proc answers for them.
  const BWRAP = 99_999_999;
  const records = [
    fork(99_999_980, BWRAP, 5), // bwrap's init, 1 inside
    fork(99_999_981, 99_999_980, 6), // the keeper, 2 inside
    fork(99_999_982, 99_999_981, 30), // the exercise's first process, 13 inside
    fork(99_999_983, 99_999_982, 40), // its child, 24 inside
    fork(99_999_984, 99_999_980, 90), // an orphan the init adopted after the keeper had gone
  ];

  test("the kernel's forks place the init and the keeper, and through them the exercise and its child", () => {
    // In a full run a check of exercise 01 read every pid inside as unknown: "The child pid -24 was
    // an orphan when it exited (adopted by pid -13)".
    const pids = new SandboxPids(BWRAP);
    pids.spawned(13, KEEPER_PID);
    pids.spawned(24, 13);
    pids.learnShape(records, true);
    pids.learn(records);
    pids.matchChildren(records, true);
    expect([1, KEEPER_PID, 13, 24].map((inside) => pids.hostPid(inside))).toEqual([99_999_980, 99_999_981, 99_999_982, 99_999_983]);
    expect(pids.exercisePid()).toBe(99_999_982);
  });

  test('not from sampling, which may have missed a fork; and never over a pid already read', () => {
    const sampled = new SandboxPids(BWRAP);
    sampled.learnShape(records, false);
    expect(sampled.hostPid(KEEPER_PID)).toBeUndefined();
    const read = new SandboxPids(BWRAP);
    (read as unknown as { hostOf: Map<number, number> }).hostOf.set(KEEPER_PID, 99_999_970);
    read.learnShape(records, true);
    expect(read.hostPid(1)).toBe(99_999_980);
    expect(read.hostPid(KEEPER_PID)).toBe(99_999_970);
  });
});
