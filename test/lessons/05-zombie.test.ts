// Lesson 05: a real zombie, as the kernel showed it. Each claim of the README's "What the table
// will show" is asserted under its id.
import { beforeAll, describe, expect } from 'vitest';
import type { Fact, ProcessHistory, Span, Timeline } from '../../lib/observe/timeline.js';
import { claim } from '../support/claims.js';
import { expectSaidWhileShown, lineAt, stretches } from '../support/pace.js';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';

const PACE = 0.3;
// As the child exits, during the block after the kill (a zombie present), after the reaping.
const INTERRUPTS = ['── 2.', 'still busy', '── 3.'];
// The interrupted runs at the lesson's own pace: at 0.3 its last point came 0.3–0.7 s before the
// end, too little for a test a busy machine starves to Ctrl-C while something still runs.
const INTERRUPT_PACE = 1;

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
  interrupted = new Map(INTERRUPTS.map((point) => [point, runLesson('zombie', { pace: INTERRUPT_PACE, interruptAfter: point })]));
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
    // parent's loop was free again (the lesson blocks it 2 s × pace more; Atomics.wait never
    // returns early): every sample between the kill and then still showed a plain Z.
    const free = factNamed('parent.free');
    expect(killed.t - zombie!.from).toBeGreaterThanOrEqual(1000 * PACE);
    expect(free.t - killed.t).toBeGreaterThanOrEqual(2000 * PACE);
    const after = timeline.sampleTimes().filter((t) => t > killed.t && t < free.t);
    expect(after.length).toBeGreaterThan(1);
    for (const t of after) expect(child.statAt(t), `sample at ${t} ms`).toMatch(/^Z[N<]?$/);
  });

  claim('said-while-shown', () => {
    const alive = stretches(child, (span) => !span.stat.startsWith('Z') && span.ppid === lessonPid);
    expectSaidWhileShown(timeline, lineAt(timeline, 'the table shows it with PPID = me'), alive, PACE, 'the child under the parent');
    const zombie = reapable(child);
    expectSaidWhileShown(timeline, lineAt(timeline, 'my event loop is blocked, so Node cannot collect my child'), zombie, PACE, 'the busy parent');
    expectSaidWhileShown(timeline, lineAt(timeline, 'nothing changed: the row still says Z'), zombie, PACE, 'the zombie after kill -9');
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

// --python: the course's own program (lessons/05-zombie/course.py) under the same engine and table.
// Self-contained: it brings its own helpers and names, and reads apart from the tests above.
{
  const py = await import('../watch/course.js');
  const { describe, beforeAll, expect, test } = py;

  describe('lesson 05 zombie --python', () => {
    let run: Awaited<ReturnType<typeof py.runCourse>>;
    let parent: ReturnType<typeof py.seen>;
    let child: ReturnType<typeof py.seen>;
    /** When the parent said it starts and stops spinning, as the runner received the lines. */
    let spin: { from: number; to: number };
    beforeAll(async () => {
      run = await py.runCourse('5');
      parent = py.seen(run, py.line(run, 'parent', 'I spin'));
      child = py.seen(run, py.line(run, 'child', 'I exit now'));
      spin = { from: py.line(run, 'parent', 'I spin').t, to: py.line(run, 'parent', 'done spinning').t };
    });

    test('the program ends by itself with status 0 and leaves nothing', () => {
      expect(run.code).toBe(0);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(py.stillRunning(run.timeline)).toEqual([]);
    });

    py.claim('py-zombie-spin', () => {
      // Every sample from the first that showed the zombie to the parent's "done spinning" line
      // shows it running; but the last one before the line, which may have been read after the
      // spin ended (the runner reads a line after the sample that was due first).
      const [zombie] = py.zombieSpans(child);
      const lastBefore = run.timeline.sampleBefore(spin.to) ?? 0;
      const stats = py.statsBetween(run, parent, zombie!.from, lastBefore - 0.001);
      expect(stats.length, py.story(parent)).toBeGreaterThan(0);
      for (const stat of stats) expect(stat, py.story(parent)).toMatch(/^R/);
    });

    py.claim('py-zombie-held', () => {
      const about = py.story(child);
      expect(child.firstParent, about).toBe(parent.pid);
      // A plain Z (never Zl: one thread). It exits at once: after the sample that followed its last
      // line it is never seen waiting, at most running (R: on its way out, on a busy machine a CPU
      // may take a few ms to come).
      const zombieStats = child.statSequence().filter((stat) => stat.startsWith('Z'));
      expect(zombieStats.length, about).toBeGreaterThan(0);
      for (const stat of zombieStats) expect(stat, about).not.toContain('l');
      const alive = child.record.spans.filter((span) => !span.stat.startsWith('Z'));
      const lastSaid = py.seenBy(run, py.line(run, 'child', 'I exit now').t);
      for (const span of alive) if (span.to > lastSaid) expect(span.stat, about).toMatch(/^R/);
      // One unbroken stretch of Z under the parent, never re-parented, to the end of the spin.
      const [zombie, ...more] = py.zombieSpans(child);
      expect(more, about).toEqual([]);
      expect(zombie!.ppid, about).toBe(parent.pid);
      expect(child.reparentings(), about).toEqual([]);
      for (const span of alive) expect(span.to, about).toBeLessThanOrEqual(zombie!.from);
      // From its exit (the sample after its last line, or the one after that if the runner read the
      // line before the child had exited) to the end of the spin, give or take the gaps between samples.
      const exitLine = py.line(run, 'child', 'I exit now').t;
      const timeline = run.timeline;
      expect(zombie!.from, about).toBeLessThanOrEqual(timeline.sampleAfter(timeline.sampleAfter(exitLine) ?? Infinity) ?? Infinity);
      const gap = py.gap(run, spin.from, spin.to);
      expect(zombie!.to, about).toBeGreaterThanOrEqual(timeline.sampleBefore(spin.to) ?? Infinity);
      // For as long as the spin lasted after the child's exit: on a busy machine the child may get a
      // CPU, and exit, only a while after the spin began (once, in CI: 200 ms of a 1.5 s spin).
      const exited = Math.max(spin.from, child.record.exit?.t ?? zombie!.from);
      expect(zombie!.to - zombie!.from, `${about}\nlongest gap ${gap}`).toBeGreaterThanOrEqual(spin.to - exited - 2 * gap);
    });

    py.claim('py-zombie-reaped', () => {
      const about = py.story(child);
      expect(child.record.reapedBy, about).toBe(parent.pid);
      expect(child.record.gone!, about).toBeLessThan(parent.record.gone!);
      expect(child.record.exit, about).toMatchObject({ code: 3, signal: null });
      expect(py.line(run, 'parent', `collected ${child.pid}`).text).toContain('status 768, exit code 3');
    });
  });
}
