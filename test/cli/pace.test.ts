// Pace that teaches: a sentence that points at the table is printed before or while the state it
// names is there, never after, and the state stays long enough to be seen while the sentence is
// on screen (2 s at pace 1). Asserted on the timeline of automatic (plain) runs, at half pace: the
// lessons' waits scale with the pace, so 2 s at 1× is 1 s here.
import { beforeAll, describe, expect, test } from 'vitest';
import type { ProcessHistory, Timeline } from '../../lib/observe/timeline.js';
import { runLesson, type LessonRun } from '../support/run-lesson.js';

const PACE = 0.5;
/** 2 s at pace 1, scaled, less a tenth for the samples' own spacing. */
const SEEN_MS = 2000 * PACE * 0.9;

/** When the runner got the first output line containing `text`. */
function lineAt(timeline: Timeline, text: string): number {
  const line = timeline.data.output.find((each) => each.text.includes(text));
  if (!line) throw new Error(`the lesson printed no line with "${text}"`);
  return line.t;
}

const runs = new Map<string, Promise<LessonRun>>();
beforeAll(() => {
  for (const lesson of ['locks']) {
    const run = runLesson(lesson, { pace: PACE, timeoutMs: 60_000 });
    run.catch(() => undefined);
    runs.set(lesson, run);
  }
});

describe('a sentence about the table comes before or while its state, and stays with it', () => {
  test('14 locks: "one buyer has the (lock)" falls inside a (lock) holder’s life, and the lock is passed on for 2 s (at 1×) after it', async () => {
    const { timeline, code } = await runs.get('locks')!;
    expect(code).toBe(0);
    const said = lineAt(timeline, 'one buyer has the (lock), the others (wait)');
    // The samples in which some buyer's title read "(lock)".
    const locked = (history: ProcessHistory): number[] => timeline.sampleTimes().filter((t) => timeline.titleAt(history, t).endsWith('(lock)'));
    const holders = timeline.processes().filter((each) => locked(each).length > 0);
    expect(holders.length).toBeGreaterThanOrEqual(3);
    // Inside the life of a buyer that held the lock …
    expect(holders.some((each) => each.record.firstSeen <= said && (each.record.gone ?? Infinity) >= said)).toBe(true);
    // … never after the last (lock) was seen, and the lock went on changing hands in view long enough.
    const lastLocked = Math.max(...holders.flatMap(locked));
    expect(said).toBeLessThan(lastLocked);
    expect(lastLocked - said).toBeGreaterThanOrEqual(SEEN_MS);
  }, 70_000);
});
