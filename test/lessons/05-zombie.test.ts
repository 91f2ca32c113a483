// Lesson 05: a real zombie, as the kernel showed it. Each claim of the README's "What the table
// will show" is asserted under its id.
import { beforeAll, describe, expect } from 'vitest';
import type { Fact, ProcessHistory, Span, Timeline } from '../../lib/observe/timeline.js';
import { claim } from '../support/claims.js';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';

const PACE = 0.3;
// As the child exits, during the block after the kill (a zombie present), after the reaping.
const INTERRUPTS = ['── 2.', 'still busy', '── 3.'];

/**
 * The spans in which it was a zombie waiting for its parent. A Node process has several threads:
 * when its main thread exits, ps shows `Zl` for a moment, until the other threads are gone too;
 * a plain `Z` (one thread left) is the zombie its parent could reap.
 */
function reapable(history: ProcessHistory): Span[] {
  return history.spansIn('Z').filter((span) => !span.stat.includes('l'));
}

let run: LessonRun;
let timeline: Timeline;
let lessonPid: number;
let child: ProcessHistory;
let interrupted: Map<string, Promise<LessonRun>>;

beforeAll(async () => {
  run = await runLesson('zombie', { pace: PACE });
  timeline = run.timeline;
  lessonPid = timeline.data.lessonPid;
  child = timeline.process(timeline.fact<number>('child.pid')!)!;
  interrupted = new Map(INTERRUPTS.map((point) => [point, runLesson('zombie', { pace: PACE, interruptAfter: point })]));
  for (const pending of interrupted.values()) pending.catch(() => undefined);
});

const factNamed = (name: string): Fact => {
  const found = timeline.data.facts.find((fact) => fact.name === name);
  if (!found) throw new Error(`the lesson recorded no ${name}`);
  return found;
};

describe('lesson 05 zombie', () => {
  claim('child-sleeping', () => {
    expect(child.title).toBe('child');
    expect(child.firstParent).toBe(lessonPid);
    // Alive and asleep under the parent during step 1, before it was told to exit.
    const step2 = timeline.checkpoint('The parent is busy when its child exits')!.t;
    const asleep = child.spansIn('S', { ppid: lessonPid }).filter((span) => span.from < step2);
    expect(asleep.length).toBeGreaterThan(0);
    expect(asleep.some((span) => /^S[N<]?l$/.test(span.stat))).toBe(true);
  });

  claim('zombie-held', () => {
    // One stretch of Z, under the same parent all along: never re-parented, never revived.
    const [zombie, ...more] = reapable(child);
    expect(more).toEqual([]);
    expect(zombie!.ppid).toBe(lessonPid);
    expect(child.reparentings()).toEqual([]);
    // It was Z from the first sample that showed it so, and still Z when the parent's loop was
    // free again (it vanished only after that: see reaped-when-free), all in one span.
    const free = factNamed('parent.free');
    expect(zombie!.to).toBeGreaterThan(free.t);
    expect(free.t - zombie!.from).toBeGreaterThanOrEqual(2000 * PACE);
    expect(child.reapableZombieSamples()).toBeGreaterThan(2);
  });

  claim('zl-first', () => {
    const states = child.statSequence().map((stat) => stat.replace(/[N<]/g, ''));
    const firstZ = states.findIndex((stat) => stat.startsWith('Z'));
    expect(firstZ).toBeGreaterThan(0); // alive first
    // Z states only from there on: Zl (threads still ending) at most, then Z, nothing after.
    expect(states.slice(firstZ).every((stat) => stat === 'Z' || stat === 'Zl')).toBe(true);
    const lastZl = states.lastIndexOf('Zl');
    const plainZ = states.indexOf('Z');
    expect(plainZ).toBeGreaterThan(lastZl);
    expect(states.at(-1)).toBe('Z'); // the last thing seen before it vanished
  });

  claim('kill-9-nothing', () => {
    const killed = factNamed('zombie.killed');
    expect(killed.value).toBe(child.pid);
    const [zombie] = reapable(child);
    // Seen Z well before the kill (from a sample that showed it), and Z after it until the
    // parent's loop was free again (the lesson blocks it 1.5 s × pace more; Atomics.wait never
    // returns early): every sample between the kill and then still showed a plain Z.
    const free = factNamed('parent.free');
    expect(killed.t - zombie!.from).toBeGreaterThanOrEqual(1000 * PACE);
    expect(free.t - killed.t).toBeGreaterThanOrEqual(1000 * PACE);
    const after = timeline.sampleTimes().filter((t) => t > killed.t && t < free.t);
    expect(after.length).toBeGreaterThan(1);
    for (const t of after) expect(child.statAt(t), `sample at ${t} ms`).toMatch(/^Z[N<]?$/);
  });

  claim('status-kept', () => {
    // The status the kernel kept (read from the zombie's stat) is the child's own exit code.
    expect(child.record.exit).toMatchObject({ code: 3, signal: null, source: 'kernel' });
  });

  claim('reaped-when-free', () => {
    expect(timeline.fact('child.exit')).toEqual({ code: 3, signal: null });
    const free = factNamed('parent.free');
    const reported = factNamed('child.exit');
    // Not reaped while the loop was blocked: the first sample without it came after the loop was free …
    expect(child.record.gone!).toBeGreaterThan(free.t);
    // … and it was reaped before 'exit' reached the parent: the first sample after that no longer had it.
    expect(child.record.gone!).toBeLessThanOrEqual(timeline.sampleAfter(reported.t)!);
    expect(child.record.reapedBy).toBe(lessonPid);
  });

  claim('row-dims', () => {
    expect(child.record.gone).toBeDefined();
    expect(child.record.gone!).toBeLessThan(timeline.lesson!.record.gone!);
    // The parent was seen alive after its child's row had gone.
    const after = timeline.lesson!.record.spans.filter((span) => span.to > child.record.gone! && !span.stat.startsWith('Z'));
    expect(after.some((span) => span.ppid === timeline.data.runnerPid)).toBe(true);
  });

  claim(
    'nothing-left',
    async () => {
      expect(run.code).toBe(0);
      expect(timeline.leftovers()).toEqual([]);
      expect(stillRunning(timeline)).toEqual([]);
      for (const point of INTERRUPTS) {
        const stopped = await interrupted.get(point)!;
        expect(stopped.code, point).toBe(130);
        expect(stopped.timeline.leftovers(), point).toEqual([]);
        expect(stillRunning(stopped.timeline), point).toEqual([]);
      }
    },
    60_000,
  );
});
