// Lesson 05: a real zombie, as the kernel showed it.
import { beforeAll, describe, expect, test } from 'vitest';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';
import type { ProcessHistory, Span } from '../../lib/observe/timeline.js';

const PACE = 0.3;

/**
 * The spans in which it was a zombie waiting for its parent. A Node process has several threads:
 * when its main thread exits, ps shows `Zl` for a moment, until the other threads are gone too;
 * a plain `Z` (one thread left) is the zombie its parent could reap.
 */
function reapable(history: ProcessHistory): Span[] {
  return history.spansIn('Z').filter((span) => !span.stat.includes('l'));
}

describe('lesson 05 zombie', () => {
  let run: LessonRun;
  let lessonPid: number;
  let child: ProcessHistory;
  let interval: number;
  beforeAll(async () => {
    run = await runLesson('zombie', { pace: PACE });
    lessonPid = run.timeline.data.lessonPid;
    interval = run.timeline.data.sampleIntervalMs;
    child = run.timeline.process(run.timeline.fact<number>('child.pid')!)!;
  });

  test('the lesson ends cleanly', () => {
    expect(run.code).toBe(0);
    expect(run.timeline.leftovers()).toEqual([]);
  });

  test('the child is Z with PPID = the parent for at least 2 s (scaled by the pace)', () => {
    expect(child.firstParent).toBe(lessonPid);
    expect(child.everIn('S', { ppid: lessonPid })).toBe(true); // alive first
    // One stretch of Z, under the same parent all along: never re-parented, never revived.
    const [zombie, ...more] = reapable(child);
    expect(more).toEqual([]);
    expect(zombie!.ppid).toBe(lessonPid);
    expect(child.reparentings()).toEqual([]);
    expect(zombie!.to - zombie!.from).toBeGreaterThanOrEqual(2000 * PACE - interval);
    expect(child.statSequence().at(-1)).toBe('Z'); // the last thing seen before it vanished
  });

  test('kill -9 on the zombie changes nothing: Z before and after the kill', () => {
    const killed = run.timeline.data.facts.find((fact) => fact.name === 'zombie.killed')!;
    expect(killed.value).toBe(child.pid);
    const [zombie] = reapable(child);
    // Seen Z well before the kill, and for more than one sample after it.
    expect(killed.t - zombie!.from).toBeGreaterThanOrEqual(1000 * PACE);
    expect(zombie!.to - killed.t).toBeGreaterThanOrEqual(1000 * PACE);
    // The status the kernel kept is the child's own exit code, not SIGKILL.
    expect(child.record.exit).toMatchObject({ code: 3, signal: null, source: 'kernel' });
  });

  test("when the parent's loop runs again Node reaps it: 'exit' gives the original code, the row goes", () => {
    expect(run.timeline.fact('child.exit')).toEqual({ code: 3, signal: null });
    const free = run.timeline.data.facts.find((fact) => fact.name === 'parent.free')!;
    const [zombie] = reapable(child);
    // Not reaped while the loop was blocked …
    expect(zombie!.to).toBeGreaterThanOrEqual(free.t - interval);
    // … reaped by the parent as soon as it was free, while the parent lived on.
    expect(child.record.reapedBy).toBe(lessonPid);
    expect(child.record.gone! - free.t).toBeLessThan(250);
    expect(child.record.gone!).toBeLessThan(run.timeline.lesson!.record.gone!);
    expect(run.timeline.lesson!.everIn('S', { ppid: run.timeline.data.runnerPid })).toBe(true);
  });
});

describe.concurrent('lesson 05 zombie, interrupted', () => {
  // As the child exits, during the block after the kill (a zombie present), after the reaping.
  for (const point of ['── 2.', 'still busy', '── 3.']) {
    test(`Ctrl-C at "${point}" leaves nothing running`, async () => {
      const run = await runLesson('zombie', { pace: PACE, interruptAfter: point });
      expect(run.code).toBe(130);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(stillRunning(run.timeline)).toEqual([]);
    });
  }
});
