// Lesson 04: an orphan, adopted the moment its parent exits, then reaped by its adopter.
import { beforeAll, describe, expect } from 'vitest';
import { claim } from '../support/claims.js';
import { aliveStretch, expectSaidWhileShown, lineAt, stretches } from '../support/pace.js';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';
import { runAlone, type AloneRun } from '../support/alone.js';
import type { ProcessHistory, Timeline } from '../../lib/observe/timeline.js';

const PACE = 0.3;

// Before the parent exits; as it exits; while the orphan works under the runner. At the lesson's
// own pace: at 0.3 the whole lesson takes 1.6 s, and beside two busy loops a starved test read the
// first heading only once the lesson had ended (the Ctrl-C came too late to stop anything).
const INTERRUPTS = ['── 1.', '── 2.', 'orphan still working (2/3)'];
const INTERRUPT_PACE = 1;

/** The first sample in which the kernel showed the parent exiting: Z, or already gone. */
function exitSeenAt(parent: ProcessHistory): number {
  return parent.when('exited')!;
}

// The run in the runner and the run alone go side by side: both mostly sleep. The interrupted
// runs follow, side by side too: they only check that nothing is left.
let runs: Promise<[LessonRun, AloneRun]>;
let interrupted: Map<string, Promise<LessonRun>>;
beforeAll(() => {
  runs = Promise.all([runLesson('orphan', { pace: PACE }), runAlone('04-orphan', { pace: PACE })]);
  const after = runs.catch(() => undefined);
  interrupted = new Map(INTERRUPTS.map((point) => [point, after.then(() => runLesson('orphan', { pace: INTERRUPT_PACE, interruptAfter: point }))]));
  for (const pending of interrupted.values()) pending.catch(() => undefined);
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

  claim('three-generations', () => {
    expect(timeline.lesson!.title).toBe('lesson');
    expect(parent.title).toBe('parent');
    expect(orphan.title).toBe('child');
    expect(parent.firstParent).toBe(timeline.data.lessonPid);
    expect(orphan.firstParent).toBe(parent.pid);
    // All three in the table at once, alive (R or S: the child polls getppid() every few ms).
    const together = timeline.sampleTimes().filter((t) => [timeline.lesson!, parent, orphan].every((each) => /^[RS]/.test(each.statAt(t) ?? '')));
    expect(together.length).toBeGreaterThan(0);
  });

  claim('parent-reaped', () => {
    // The parent exits by itself, first, and its own parent (the lesson) reaps it.
    expect(parent.record.exit).toMatchObject({ code: 0, signal: null });
    expect(parent.record.reapedBy).toBe(timeline.data.lessonPid);
    expect(parent.record.gone!).toBeLessThan(orphan.record.gone!);
  });

  claim('adopted-at-exit', () => {
    const runner = timeline.data.runnerPid;
    expect(orphan.reparentings()).toEqual([{ t: expect.any(Number), from: parent.pid, to: runner }]);
    const [adoption] = orphan.reparentings();
    // Counted in the samples actually read: the adoption shows in the sample that first showed the
    // parent exiting (Z or gone), or in the one before (a sample reads the parent, then the child,
    // and the parent may end in between) — never in a sample after the one that showed it gone.
    const exitSeen = exitSeenAt(parent);
    expect(adoption!.t).toBeGreaterThanOrEqual(timeline.sampleBefore(exitSeen) ?? exitSeen);
    expect(adoption!.t).toBeLessThanOrEqual(parent.record.gone!);
    // Not when it was reaped by the lesson: the row vanishing comes at or after the adoption.
    expect(parent.record.gone!).toBeGreaterThanOrEqual(adoption!.t);
  });

  claim('zl-child-under', () => {
    // In every sample but the last that showed the parent as Zl (threads still ending), the child
    // was still under it (the last may have read the child just after the last thread ended).
    const [adoption] = orphan.reparentings();
    const zl = timeline.sampleTimes().filter((t) => /^Z.*l/.test(parent.statAt(t) ?? ''));
    for (const t of zl.slice(0, -1)) {
      expect(orphan.record.spans.find((span) => span.from <= t && t < span.to)?.ppid, `sample at ${t} ms`).toBe(parent.pid);
    }
    // And no sample showed it under the runner while the parent still had a live thread (not Z).
    const alive = timeline.sampleTimes().filter((t) => parent.statAt(t) !== undefined && !parent.statAt(t)!.startsWith('Z'));
    expect(alive.filter((t) => t > adoption!.t)).toEqual([]);
  });

  claim('adopter-named', () => {
    const runner = timeline.data.runnerPid;
    // What the orphan saw (getppid) is the pid its row showed after the adoption.
    expect(timeline.fact('adopter')).toEqual({ pid: runner, name: expect.any(String) });
    expect(orphan.lastParent).toBe(runner);
    const output = timeline.outputText();
    expect(output).toContain(`Not PID 1: ${runner} is a child subreaper`);
    expect(output).toContain('the procbook runner');
  });

  claim('orphan-works-on', () => {
    const runner = timeline.data.runnerPid;
    expect(orphan.everIn('S', { ppid: runner })).toBe(true);
    expect(orphan.record.exit).toMatchObject({ code: 0, signal: null });
    // It ended by itself (the runner's clean-up would have signalled it), before the lesson did.
    expect(orphan.when('exited')!).toBeLessThan(timeline.data.end!.t);
  });

  claim('said-while-shown', () => {
    // The three generations: from the moment the child is in the table to the parent's exit.
    const together = { from: orphan.record.firstSeen, to: aliveStretch(parent).to };
    expectSaidWhileShown(timeline, lineAt(timeline, 'Three generations in the table.'), [together], PACE, 'three generations');
    const adopted = stretches(orphan, (span) => span.ppid === timeline.data.runnerPid && !span.stat.startsWith('Z'));
    expectSaidWhileShown(timeline, lineAt(timeline, "Watch the child's PPID in the table"), adopted, PACE, 'the orphan under the runner');
    expectSaidWhileShown(timeline, lineAt(timeline, 'I am an orphan. My new parent is'), adopted, PACE, 'the orphan under the runner');
  });

  claim('reaped-within-a-sample', () => {
    const runner = timeline.data.runnerPid;
    expect(orphan.record.reapedBy).toBe(runner);
    // The runner reaps an adopted zombie right after the sample that shows it: one sample at most.
    expect(orphan.reapableZombieSamples()).toBeLessThanOrEqual(1);
    // The lesson waited for it: its row was gone no later than the lesson's.
    expect(orphan.record.gone!).toBeLessThanOrEqual(timeline.lesson!.record.gone!);
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

describe('lesson 04 orphan, alone (no runner, no subreaper of ours)', () => {
  let run: AloneRun;
  beforeAll(async () => {
    [, run] = await runs;
  });

  claim('alone-adopted', () => {
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


// --python: the course's own program (lessons/04-orphan/course.py) under the same engine and table.
// Self-contained: it brings its own helpers and names, and reads apart from the tests above.
{
  const py = await import('../watch/course.js');
  const { describe, beforeAll, expect, test } = py;

  const started = py.courseWithFile('4'); // beside the Node runs above

  describe('lesson 04 orphan --python', () => {
    let run: Awaited<ReturnType<typeof py.runCourse>>;
    let runner: number;
    let parent: ReturnType<typeof py.seen>;
    let child: ReturnType<typeof py.seen>;
    beforeAll(async () => {
      run = await started();
      runner = run.timeline.data.runnerPid;
      parent = py.seen(run, py.line(run, 'parent', 'my child is'));
      child = py.seen(run, py.line(run, 'child', 'still here'));
    });

    test('the run ends only after the orphan, and leaves nothing', () => {
      expect(run.timeline.leftovers()).toEqual([]);
      expect(py.stillRunning(run.timeline)).toEqual([]);
    });

    py.claim('py-orphan-adopted', () => {
      expect(child.firstParent, py.story(child)).toBe(parent.pid);
      expect(child.everIn('S', { ppid: parent.pid }), py.story(child)).toBe(true);
      // The parent ends first, collected by the runner that started it …
      expect(parent.record.reapedBy, py.story(parent)).toBe(runner);
      expect(parent.record.gone!).toBeLessThan(child.record.gone!);
      // … and the child moves under the runner, once, seen by the samples around the parent's exit
      // (the one before it, which read the parent just before it exited, up to the second after it).
      const moves = child.reparentings();
      expect(moves, py.story(child)).toHaveLength(1);
      expect(moves[0]).toMatchObject({ from: parent.pid, to: runner });
      const ended = parent.when('exited')!;
      expect(moves[0]!.t, `${py.story(parent)}\n${py.story(child)}`).toBeLessThanOrEqual(py.seenBy(run, ended));
      expect(moves[0]!.t).toBeGreaterThanOrEqual(run.timeline.sampleBefore(ended) ?? 0);
    });

    py.claim('py-orphan-ppid', () => {
      expect(py.line(run, 'child', 'still here').ppid).toBe(parent.pid);
      const after = py.line(run, 'child', 'my parent is gone');
      expect(after.ppid).toBe(runner);
      expect(after.ppid).not.toBe(1);
    });

    py.claim('py-orphan-reaped', () => {
      expect(child.record.reapedBy, py.story(child)).toBe(runner);
      expect(child.record.exit, py.story(child)).toMatchObject({ code: 0, signal: null });
      py.expectReapedAtOnce(run, child);
      // Its last line came after its parent's end, and the run's status is the parent's.
      expect(py.line(run, 'child', 'I exit').t).toBeGreaterThan(parent.record.gone!);
      expect(parent.record.exit, py.story(parent)).toMatchObject({ code: 0, signal: null });
      expect(run.code).toBe(0);
    });
  });
}
