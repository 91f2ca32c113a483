// Lesson 13: the Process class, each state as the kernel showed it.
import { beforeAll, describe, expect, test } from 'vitest';
import type { ProcessHistory } from '../../lib/observe/timeline.js';
import { ONE_SAMPLE, runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';
import { runAlone } from '../support/alone.js';


describe('lesson 13 process-class', () => {
  let run: LessonRun;
  let lessonPid: number;
  let slack: number;
  const proc = (pid: number | undefined): ProcessHistory => {
    const found = pid === undefined ? undefined : run.timeline.process(pid);
    if (!found) throw new Error(`the kernel never showed pid ${pid}`);
    return found;
  };
  const factTime = (name: string): number => run.timeline.data.facts.find((each) => each.name === name)!.t;
  beforeAll(async () => {
    run = await runLesson('process-class');
    lessonPid = run.timeline.data.lessonPid;
    slack = ONE_SAMPLE * run.timeline.data.sampleIntervalMs;
  });

  test('the lesson ends cleanly', () => {
    expect(run.code).toBe(0);
    expect(run.timeline.leftovers()).toEqual([]);
  });

  test('start(): a running child of the lesson; join(): waited for it and reaped it', () => {
    const start = run.timeline.fact<{ pid: number; aliveBefore: boolean; aliveAfter: boolean; exitcodeWhileRunning: number | null }>('start')!;
    expect(start).toMatchObject({ aliveBefore: false, aliveAfter: true, exitcodeWhileRunning: null });
    const child = proc(start.pid);
    expect(child.firstParent).toBe(lessonPid);
    // Alive under the lesson before it was ended: usually asleep in its nap (S), but on a busy
    // machine SIGTERM may come while it is still starting Node (R).
    expect(child.firstParent).toBe(lessonPid);
    expect(child.statSequence().some((stat) => /^[RS]/.test(stat))).toBe(true);
    expect(run.timeline.fact('join')).toMatchObject({ pid: start.pid, exitcode: 0, alive: false });
    expect(child.record.reapedBy).toBe(lessonPid);
    expect(child.record.exit).toMatchObject({ code: 0, signal: null });
    // join() returned only once the child was gone: before the next step began.
    expect(child.record.gone!).toBeLessThanOrEqual(run.timeline.checkpoint('exitcode: how a child ended')!.t + slack);
  });

  test('exitcode is 0, the code it exited with, or 1 after an uncaught error', () => {
    const endings = run.timeline.fact<Array<{ name: string; pid: number; exitcode: number }>>('exitcodes')!;
    expect(endings.map((each) => each.exitcode)).toEqual([0, 3, 1]);
    for (const { pid, exitcode } of endings) {
      const child = proc(pid);
      expect(child.record.exit).toMatchObject({ code: exitcode, signal: null });
      expect(child.record.reapedBy).toBe(lessonPid);
    }
  });

  test('terminate(): the child was ended by SIGTERM, exitcode -15', () => {
    const terminated = run.timeline.fact<{ pid: number; exitcode: number }>('terminate')!;
    expect(terminated.exitcode).toBe(-15);
    const child = proc(terminated.pid);
    // Alive under the lesson before it was ended: usually asleep in its nap (S), but on a busy
    // machine SIGTERM may come while it is still starting Node (R).
    expect(child.firstParent).toBe(lessonPid);
    expect(child.statSequence().some((stat) => /^[RS]/.test(stat))).toBe(true);
    expect(child.record.exit).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(child.record.reapedBy).toBe(lessonPid);
    // it meant to sleep 30 s (× pace): it was ended long before
    expect(child.record.gone! - child.record.firstSeen).toBeLessThan(30_000 * 0.3 * 0.5);
  });

  test('daemon: ended (SIGTERM) when its parent\'s code was done; the ordinary child was waited for', () => {
    const family = run.timeline.fact<{ parent: number; daemon: number; ordinary: number }>('daemon.family')!;
    const parent = proc(family.parent);
    const daemon = proc(family.daemon);
    const ordinary = proc(family.ordinary);
    expect(parent.firstParent).toBe(lessonPid);
    expect(daemon.firstParent).toBe(family.parent);
    expect(ordinary.firstParent).toBe(family.parent);
    // The daemon was ended by its parent, with SIGTERM, and reaped by it: never an orphan.
    expect(daemon.record.exit).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(daemon.record.reapedBy).toBe(family.parent);
    expect(daemon.reparentings()).toEqual([]);
    // … after the parent's code was done, long before its own 30 s, before the ordinary child ended.
    const codeDone = factTime('daemon.parentCodeDone');
    expect(daemon.record.gone!).toBeGreaterThanOrEqual(codeDone - slack);
    expect(daemon.record.gone! - daemon.record.firstSeen).toBeLessThan(30_000 * 0.3 * 0.5);
    expect(daemon.record.gone!).toBeLessThan(ordinary.record.gone!);
    // The ordinary child ran to its end; the parent waited for it, then exited.
    expect(ordinary.record.exit).toMatchObject({ code: 0, signal: null });
    expect(ordinary.record.reapedBy).toBe(family.parent);
    expect(parent.record.gone!).toBeGreaterThanOrEqual(ordinary.record.gone!);
    expect(parent.record.exit).toMatchObject({ code: 0 });
    // A daemon may not start children (Python's rule too).
    expect(run.timeline.fact<string>('daemon.start.error')).toMatch(/daemonic/);
  });

  test('a subclass: start() ran run() in a new process; calling run() ran it in the lesson', () => {
    const greeters = run.timeline.fact<Array<{ name: string; pid: number }>>('greeters')!;
    expect(greeters).toHaveLength(3);
    const runs = run.timeline.facts<{ name: string; person: string; pid: number; ppid: number }>('greeter.run');
    const inChildren = runs.filter((each) => each.pid !== lessonPid);
    expect(inChildren.map((each) => each.pid).sort()).toEqual(greeters.map((each) => each.pid).sort());
    expect(inChildren.map((each) => each.person).sort()).toEqual(['alex', 'wupeiqi', 'yuanhao']);
    for (const each of inChildren) {
      expect(each.ppid).toBe(lessonPid);
      const child = proc(each.pid);
      expect(child.firstParent).toBe(lessonPid);
      expect(child.record.reapedBy).toBe(lessonPid);
      expect(greeters.find((greeter) => greeter.pid === each.pid)!.name).toBe(each.name);
    }
    // the object was rebuilt in the child with the parent's fields (its name, its person)
    expect(runs.filter((each) => each.pid === lessonPid)).toHaveLength(1);
    expect(run.timeline.fact('greeter.direct')).toBe(lessonPid);
  });

  test('a child never joined is still reaped at once (libuv): no lasting zombie', () => {
    const child = proc(run.timeline.fact<number>('unjoined'));
    expect(child.record.gone).toBeDefined();
    expect(child.record.reapedBy).toBe(lessonPid);
    expect(child.record.exit).toMatchObject({ code: 0 });
    expect(child.reapableZombieTime()).toBeLessThanOrEqual(2 * slack);
  });
});

describe.concurrent('lesson 13 process-class, interrupted', () => {
  for (const at of ['── 1.', 'I mean to work for 30 seconds', '── 5.']) {
    test(`Ctrl-C at "${at}" leaves nothing running`, async () => {
      const run = await runLesson('process-class', { interruptAfter: at });
      expect(run.code).toBe(130);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(stillRunning(run.timeline)).toEqual([]);
    });
  }

  test('alone (no runner), Ctrl-C while a daemon runs leaves nothing running', async () => {
    // Ctrl-C reaches the terminal's foreground process group: the lesson and all it started.
    const run = await runAlone('13-process-class', { interruptAfter: 'I mean to work for 30 seconds' });
    expect(run.signal).toBe('SIGINT');
    expect(run.timeline.processes().length).toBeGreaterThan(1);
    expect(run.timeline.leftovers()).toEqual([]);
    expect(stillRunning(run.timeline)).toEqual([]);
  });
});
