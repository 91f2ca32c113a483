// Lesson 01: what the kernel showed, and what the processes recorded. Each claim of the README's
// "What the table will show" is asserted under its id.
import { beforeAll, describe, expect, test } from 'vitest';
import type { ProcessHistory, Timeline } from '../../lib/observe/timeline.js';
import { claim } from '../support/claims.js';
import { expectSaidWhileShown, lineAt, stretches } from '../support/pace.js';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';

// The lesson's own pace: the parent starts ticking at once, the child once Node has started,
// which a busy machine was seen to take longer than the parent's five ticks at pace 0.3 (375 ms).
const PACE = 1;
const INTERRUPTS = ['── 1.', '── 2.', '── 4.'];

let run: LessonRun;
let timeline: Timeline;
let lessonPid: number;
let child: ProcessHistory;
let interrupted: Map<string, Promise<LessonRun>>;

beforeAll(async () => {
  run = await runLesson('fork', { pace: PACE });
  timeline = run.timeline;
  lessonPid = timeline.data.lessonPid;
  child = timeline.process(timeline.fact<number>('child.pid')!)!;
  // The interrupted runs only check that nothing is left: they may overlap one another.
  interrupted = new Map(INTERRUPTS.map((point) => [point, runLesson('fork', { pace: PACE, interruptAfter: point })]));
  for (const pending of interrupted.values()) pending.catch(() => undefined);
});

/** The samples read during step 2 (from its checkpoint to the next). */
function step2Samples(): number[] {
  const from = timeline.checkpoint('Both run at the same time')!.t;
  const to = timeline.checkpoint('Separate memory')!.t;
  return timeline.sampleTimes().filter((t) => t >= from && t < to);
}

describe('lesson 01 fork', () => {
  claim('parent-ssl', () => {
    const lesson = timeline.lesson!;
    const exited = lesson.when('exited') ?? Number.POSITIVE_INFINITY;
    // Its modifiers while it lived: s (session leader) always, and l (threads) in every sample
    // after the first (one sample may catch it at exec, before Node started its threads). The
    // priority marks (N, <) come from whoever started the test (nice), not from the lesson.
    const modifiers = (stat: string): string => stat.slice(1).replace(/[N<]/g, '');
    // Judged sample by sample: a span lasts while the STAT stays the same, so a lesson first sampled
    // after Node started its threads (the gated start) is one span, Ssl from first to last.
    const seen = timeline
      .sampleTimes()
      .filter((t) => t < exited)
      .map((t) => lesson.statAt(t))
      .filter((stat): stat is string => stat !== undefined);
    // As Node exits, its other threads end before it does: a last stretch of `s` alone (on a busy
    // machine it began before the runner had read the last line).
    let living = seen.length;
    while (living > 1 && modifiers(seen[living - 1]!) === 's') living--;
    expect(living).toBeGreaterThan(2);
    expect(modifiers(seen[0]!)).toMatch(/^sl?$/);
    for (const stat of seen.slice(1, living)) expect(modifiers(stat)).toBe('sl');
    // While it ticks it sleeps: Ssl in most of the samples of step 2 (R only while it prints).
    const samples = step2Samples();
    expect(samples.length).toBeGreaterThan(2);
    const ssl = samples.filter((t) => /^S[N<]?sl$/.test(lesson.statAt(t) ?? ''));
    expect(ssl.length).toBeGreaterThan(samples.length / 2);
  });

  claim('child-row', () => {
    expect(child).toBeDefined();
    expect(child.title).toBe('child');
    expect(child.firstParent).toBe(lessonPid);
    expect(child.everIn('S', { ppid: lessonPid })).toBe(true);
  });

  claim('both-alive', () => {
    // Samples of step 2 in which both rows were there and alive (not Z): the kernel had both at once.
    const lesson = timeline.lesson!;
    const together = step2Samples().filter((t) => {
      const [parentStat, childStat] = [lesson.statAt(t), child.statAt(t)];
      return parentStat !== undefined && childStat !== undefined && !parentStat.startsWith('Z') && !childStat.startsWith('Z');
    });
    expect(together.length).toBeGreaterThan(1);
    // Each sleeping between its prints: both seen S in those samples.
    expect(together.some((t) => lesson.statAt(t)!.startsWith('S'))).toBe(true);
    expect(together.some((t) => child.statAt(t)!.startsWith('S'))).toBe(true);
  });

  claim('ticks-interleave', () => {
    const ticks = timeline.data.facts.filter((fact) => fact.name === 'tick');
    const who = ticks.map((fact) => (fact.value as { who: string }).who);
    expect(who.filter((each) => each === 'parent')).toHaveLength(5);
    expect(who.filter((each) => each === 'child')).toHaveLength(5);
    // Concurrent, not one after the other: a child tick comes before the parent's last one, and
    // a parent tick before the child's last one.
    expect(who.indexOf('child')).toBeLessThan(who.lastIndexOf('parent'));
    expect(who.indexOf('parent')).toBeLessThan(who.lastIndexOf('child'));
  });

  claim('said-while-shown', () => {
    // Said as the child starts: the child is in the table, under the parent, 2 s (× pace) from then on.
    const said = lineAt(timeline, 'Look at the table: the child has PPID = the parent.');
    const underParent = stretches(child, (span) => !span.stat.startsWith('Z') && span.ppid === lessonPid);
    expectSaidWhileShown(timeline, said, underParent, PACE, 'the child has PPID = the parent');
  });

  claim('child-reaped', () => {
    expect(child.record.exit).toMatchObject({ code: 0, signal: null });
    expect(child.record.reapedBy).toBe(lessonPid);
    expect(child.record.gone).toBeLessThan(timeline.lesson!.record.gone!);
  });

  claim('separate-memory', () => {
    expect(timeline.fact('counter.child.start')).toBe(1); // a fresh start, not a copy of 42
    expect(timeline.fact('counter.child')).toBe(100);
    expect(timeline.fact('counter.parent')).toBe(42);
  });

  claim('shared-offset', () => {
    const shared = timeline.fact<string>('file.shared')!;
    expect(shared.split('\n').filter(Boolean)).toEqual([
      'parent: first line',
      'child: a line through the shared descriptor',
      'parent: last line',
    ]);
    const separate = timeline.fact<string>('file.separate')!;
    expect(separate.split('\n').filter(Boolean)).toEqual(['child: overwritten', 'parent: last line']);
  });

  claim('own-open-row', () => {
    const [second, ...more] = timeline.titled('child (own open)');
    expect(more).toEqual([]);
    expect(second).toBeDefined();
    expect(second!.firstParent).toBe(lessonPid);
    // It appeared in step 4, alive (not only as a zombie), and ended there.
    const step4 = timeline.checkpoint('Shared file offsets')!.t;
    expect(second!.record.firstSeen).toBeGreaterThanOrEqual(step4);
    expect(second!.record.spans.some((span) => !span.stat.startsWith('Z'))).toBe(true);
    expect(second!.record.exit).toMatchObject({ code: 0, signal: null });
    expect(second!.record.reapedBy).toBe(lessonPid);
    // Gone no later than the lesson (the lesson ends right after it: one sample may show both gone).
    expect(second!.record.gone).toBeLessThanOrEqual(timeline.lesson!.record.gone!);
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

test('the run recorded when it sampled', () => {
  expect(timeline.sampleTimes()).toHaveLength(timeline.data.sampleCount);
});

// --python: the course's own program (lessons/01-fork/course.py) under the same engine and table.
// Self-contained: it brings its own helpers and names, and reads apart from the tests above.
{
  const py = await import('../watch/course.js');
  const { describe, beforeAll, expect, test } = py;

  const started = py.courseWithFile('1'); // beside the Node runs above

  describe('lesson 01 fork --python', () => {
    let run: Awaited<ReturnType<typeof py.runCourse>>;
    let parent: ReturnType<typeof py.seen>;
    let child: ReturnType<typeof py.seen>;
    beforeAll(async () => {
      run = await started();
      parent = py.seen(run, py.line(run, 'parent', 'before fork'));
      child = py.seen(run, py.line(run, 'child', 'my copy says'));
    });

    test('the program ends by itself with status 0 and leaves nothing', () => {
      expect(run.code).toBe(0);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(py.stillRunning(run.timeline)).toEqual([]);
    });

    py.claim('py-fork-copy', () => {
      expect(child.firstParent, py.story(child)).toBe(parent.pid);
      // The same program: same executable, same command line; the child never exec'd.
      expect(child.record.executable).toBe(parent.record.executable);
      expect(child.title).toBe(py.currentTitle(parent));
      expect(child.title).toContain('course.py');
      expect(child.record.events.filter((event) => event.kind === 'exec')).toEqual([]);
    });

    py.claim('py-fork-one-thread', () => {
      for (const stat of [...parent.statSequence(), ...child.statSequence()]) expect(stat).not.toContain('l');
      // The parent asleep, leading the session the runner made for it.
      expect(parent.statSequence().some((stat) => stat.startsWith('S') && stat.includes('s')), py.story(parent)).toBe(true);
      expect(child.everIn('S', { ppid: parent.pid }), py.story(child)).toBe(true);
    });

    py.claim('py-fork-memory', () => {
      expect(py.line(run, 'parent', 'before fork').text).toContain('a=1');
      expect(py.line(run, 'child', 'my copy says').text).toContain('a=1');
      const changed = py.line(run, 'child', 'I set a=10000');
      expect(py.line(run, 'parent', 'mine is still a=1').t).toBeGreaterThan(changed.t);
      expect(py.line(run, 'child', 'at the end').text).toContain('a=10000');
      expect(py.line(run, 'parent', 'at the end').text).toContain('a=1');
      // The child started after the fork: only the parent printed the line before it.
      expect(py.lines(run, 'parent', 'before fork')).toHaveLength(1);
      expect(py.lines(run, 'child', 'before fork')).toHaveLength(0);
    });

    py.claim('py-fork-reaped', () => {
      expect(child.record.reapedBy, py.story(child)).toBe(parent.pid);
      py.expectReapedAtOnce(run, child);
      // It lived its 2 s (paced) …
      const { firstSeen, gone } = child.record;
      expect(gone! - firstSeen).toBeGreaterThanOrEqual(2000 * py.PACE - py.gap(run, 0, firstSeen));
      // … and every sample after the parent's last line, until the child's end, shows the parent asleep in os.wait().
      const waiting = run.timeline.sampleAfter(py.line(run, 'parent', 'at the end').t)!;
      const stats = py.statsBetween(run, parent, waiting + 0.001, child.when('exited')! - 0.001);
      expect(stats.length, py.story(parent)).toBeGreaterThan(0);
      for (const stat of stats) expect(stat, py.story(parent)).toMatch(/^S/);
    });
  });
}
