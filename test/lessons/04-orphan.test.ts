// Lesson 04: an orphan, adopted the moment its parent exits, then reaped by its adopter.
import { beforeAll, describe, expect, test } from 'vitest';
import { ONE_SAMPLE, runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';
import { runAlone, type AloneRun } from '../support/alone.js';
import type { ProcessHistory, Timeline } from '../../lib/observe/timeline.js';

const PACE = 0.3;

/** The first sample in which the kernel showed the parent exiting: Z, or already gone. */
function exitSeen(parent: ProcessHistory): number {
  return parent.when('exited')!;
}

// The run in the runner and the run alone go side by side: both mostly sleep.
let runs: Promise<[LessonRun, AloneRun]>;
beforeAll(() => {
  runs = Promise.all([runLesson('orphan', { pace: PACE }), runAlone('04-orphan', { pace: PACE })]);
});

describe('lesson 04 orphan, in the runner', () => {
  let run: LessonRun;
  let timeline: Timeline;
  let parent: ProcessHistory;
  let orphan: ProcessHistory;
  beforeAll(async () => {
    [run] = await runs;
    timeline = run.timeline;
    parent = timeline.process(timeline.fact<number>('parent.pid')!)!;
    orphan = timeline.process(timeline.fact<number>('child.pid')!)!;
  });

  test('the lesson ends cleanly', () => {
    expect(run.code).toBe(0);
    expect(timeline.leftovers()).toEqual([]);
  });

  test('three generations: lesson → parent → child', () => {
    expect(parent.firstParent).toBe(timeline.data.lessonPid);
    expect(orphan.firstParent).toBe(parent.pid);
    // The parent exits by itself, first, and its own parent (the lesson) reaps it.
    expect(parent.record.exit).toMatchObject({ code: 0, signal: null });
    expect(parent.record.reapedBy).toBe(timeline.data.lessonPid);
  });

  test("the child's PPID changes to the runner (a subreaper) the moment the parent exits", () => {
    const runner = timeline.data.runnerPid;
    expect(orphan.reparentings()).toEqual([{ t: expect.any(Number), from: parent.pid, to: runner }]);
    const [adoption] = orphan.reparentings();
    const interval = timeline.data.sampleIntervalMs;
    // The kernel hands the children over when the parent's LAST thread is gone (a Node process
    // has several; its pid shows Z as soon as the main thread exits): so between the first sample
    // that showed the parent exiting (or the one before: a sample reads the parent first) and the
    // sample that showed it gone — not later, when it is reaped.
    expect(adoption!.t).toBeGreaterThanOrEqual(exitSeen(parent) - ONE_SAMPLE * interval);
    expect(adoption!.t).toBeLessThanOrEqual(parent.record.gone!);
    // It kept running as an orphan, under its adopter.
    expect(orphan.everIn('S', { ppid: runner })).toBe(true);
    // And the orphan itself saw (getppid) and named the same adopter.
    expect(timeline.fact('adopter')).toEqual({ pid: runner, name: expect.any(String) });
  });

  test('the orphan finishes and its adopter reaps it: no zombie left, before the lesson ends', () => {
    const runner = timeline.data.runnerPid;
    expect(orphan.record.exit).toMatchObject({ code: 0, signal: null });
    expect(orphan.record.reapedBy).toBe(runner);
    expect(orphan.reapableZombieTime()).toBeLessThanOrEqual(ONE_SAMPLE * timeline.data.sampleIntervalMs);
    // The lesson waited for it: it ended by itself (the runner's clean-up would have signalled it),
    // before the lesson did, and its row was gone no later than the lesson's.
    expect(orphan.when('exited')!).toBeLessThan(timeline.data.end!.t);
    expect(orphan.record.gone!).toBeLessThanOrEqual(timeline.lesson!.record.gone!);
  });
});

describe('lesson 04 orphan, alone (no runner, no subreaper of ours)', () => {
  let run: AloneRun;
  beforeAll(async () => {
    [, run] = await runs;
  });

  test('it works: the orphan is adopted by someone else, reaped, and the lesson exits 0', () => {
    expect(run.code).toBe(0);
    const [parent] = run.timeline.titled('parent');
    const [orphan] = run.timeline.titled('child');
    expect(orphan!.firstParent).toBe(parent!.pid);
    const [adoption] = orphan!.reparentings();
    expect(adoption!.from).toBe(parent!.pid);
    expect([run.pid, parent!.pid, process.pid]).not.toContain(adoption!.to); // PID 1 or a subreaper
    expect(orphan!.record.reapedBy).toBe(adoption!.to);
    // The lesson waited until the adopter had reaped it.
    expect(orphan!.record.gone!).toBeLessThanOrEqual(run.timeline.lesson!.record.gone!);
    expect(run.timeline.leftovers()).toEqual([]);
  });
});

describe.concurrent('lesson 04 orphan, interrupted', () => {
  // Before the parent exits; as it exits; while the orphan works under the runner.
  for (const point of ['── 1.', '── 2.', 'orphan still working (2/3)']) {
    test(`Ctrl-C at "${point}" leaves nothing running`, async () => {
      const run = await runLesson('orphan', { pace: PACE, interruptAfter: point });
      expect(run.code).toBe(130);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(stillRunning(run.timeline)).toEqual([]);
    });
  }
});
