// Lesson 07: parent → middle → grandchild; the middle exits, the grandchild is handed over.
import { beforeAll, describe, expect, test } from 'vitest';
import { ONE_SAMPLE, runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';
import { runAlone } from '../support/alone.js';
import type { ProcessHistory, Timeline } from '../../lib/observe/timeline.js';

const PACE = 0.3;

describe('lesson 07 double fork, in the runner', () => {
  let run: LessonRun;
  let timeline: Timeline;
  let interval: number;
  let middle: ProcessHistory;
  let grandchild: ProcessHistory;
  beforeAll(async () => {
    run = await runLesson('double-fork', { pace: PACE });
    timeline = run.timeline;
    interval = timeline.data.sampleIntervalMs;
    middle = timeline.process(timeline.fact<number>('middle.pid')!)!;
    grandchild = timeline.process(timeline.fact<number>('grandchild.pid')!)!;
  });

  test('the lesson ends cleanly', () => {
    expect(run.code).toBe(0);
    expect(timeline.leftovers()).toEqual([]);
  });

  test('parent → middle → grandchild', () => {
    expect(middle.firstParent).toBe(timeline.data.lessonPid);
    expect(grandchild.firstParent).toBe(middle.pid);
  });

  test('the middle exits and the parent reaps it at once: never a zombie', () => {
    expect(middle.record.exit).toMatchObject({ code: 0, signal: null });
    expect(middle.record.reapedBy).toBe(timeline.data.lessonPid);
    expect(middle.reapableZombieTime()).toBeLessThanOrEqual(ONE_SAMPLE * interval);
    expect(middle.reparentings()).toEqual([]);
  });

  test('the grandchild is re-parented to the runner the moment the middle exits', () => {
    const runner = timeline.data.runnerPid;
    expect(grandchild.reparentings()).toEqual([{ t: expect.any(Number), from: middle.pid, to: runner }]);
    const [adoption] = grandchild.reparentings();
    // Handed over when the middle's last thread is gone: between the first sample that showed the
    // middle exiting (or the one before) and the one that showed it gone (see lesson 04's test).
    expect(adoption!.t).toBeGreaterThanOrEqual(middle.when('exited')! - ONE_SAMPLE * interval);
    expect(adoption!.t).toBeLessThanOrEqual(middle.record.gone!);
    expect(timeline.fact('adopter')).toBe(runner); // what getppid() told the grandchild
  });

  test('it keeps working, detached in its own session (STAT s)', () => {
    const runner = timeline.data.runnerPid;
    const { record } = grandchild;
    expect(record.sid).toBe(grandchild.pid);
    expect(record.pgid).toBe(grandchild.pid);
    expect(record.sid).not.toBe(timeline.lesson!.record.sid);
    expect(timeline.fact('grandchild.sid')).toBe(grandchild.pid);
    // It showed `s` already under the middle (libuv calls setsid() between fork and exec: a
    // sample may catch the instant before), and in every sample after its adoption.
    const [adoption] = grandchild.reparentings();
    expect(record.spans.some((span) => span.ppid === middle.pid && span.stat.includes('s'))).toBe(true);
    const adopted = record.spans.filter((span) => span.from >= adoption!.t);
    for (const span of adopted) expect(span.stat).toContain('s');
    expect(grandchild.everIn('S', { ppid: runner })).toBe(true);
    // It worked on after the adoption: all its ticks came later. A tick is stamped when it happens;
    // the adoption is seen at the first sample after it happened (one interval, more on a loaded
    // machine, where a sample can be late): hence the slack.
    const ticks = timeline.data.facts.filter((fact) => fact.name === 'grandchild.tick');
    expect(ticks).toHaveLength(5);
    for (const tick of ticks) expect(tick.t).toBeGreaterThanOrEqual(adoption!.t - 3 * interval);
    expect(grandchild.timeIn('S', { ppid: runner })).toBeGreaterThanOrEqual(4 * 800 * PACE - interval);
  });

  test('it ends by itself and its adopter reaps it: no zombie left', () => {
    const runner = timeline.data.runnerPid;
    expect(grandchild.record.exit).toMatchObject({ code: 0, signal: null });
    expect(grandchild.record.reapedBy).toBe(runner);
    expect(grandchild.reapableZombieTime()).toBeLessThanOrEqual(ONE_SAMPLE * interval);
    expect(grandchild.when('exited')!).toBeLessThan(timeline.data.end!.t);
  });
});

describe.concurrent('lesson 07 double fork, interrupted', () => {
  // Three generations; the middle exiting; the grandchild working alone in its session.
  for (const point of ['── 1.', '── 2.', 'second job, in my own session (3/5)']) {
    test(`Ctrl-C at "${point}" leaves nothing running`, async () => {
      const run = await runLesson('double-fork', { pace: PACE, interruptAfter: point });
      expect(run.code).toBe(130);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(stillRunning(run.timeline)).toEqual([]);
    });
  }

  test('alone (no runner), Ctrl-C does not leave the detached grandchild running', async () => {
    // Ctrl-C reaches the terminal's foreground process group; the grandchild is in a session of
    // its own, so it must notice by itself that the lesson is gone.
    const run = await runAlone('07-double-fork', { pace: PACE, interruptAfter: 'second job, in my own session (1/5)' });
    expect(run.signal).toBe('SIGINT');
    const [grandchild] = run.timeline.titled('grandchild');
    expect(grandchild!.record.sid).toBe(grandchild!.pid); // it was out of reach of Ctrl-C
    expect(grandchild!.reparentings()).toHaveLength(1); // adopted before the interruption
    expect(run.timeline.leftovers()).toEqual([]);
    expect(stillRunning(run.timeline)).toEqual([]);
    // It did not run on to the end of its work: it was ended (by a signal), within a second of
    // the lesson (its lifeline checks twice a second whether the lesson is still there).
    expect(grandchild!.record.exit?.signal).not.toBeNull();
    expect(grandchild!.when('exited')! - run.timeline.lesson!.record.gone!).toBeLessThan(1000);
  });
});
