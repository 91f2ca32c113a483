// Lesson 07: parent → middle → grandchild; the middle exits, the grandchild is handed over. Each
// claim of the README's "What the table will show" is asserted under its id.
import { beforeAll, describe, expect } from 'vitest';
import type { ProcessHistory, Timeline } from '../../lib/observe/timeline.js';
import { claim } from '../support/claims.js';
import { aliveStretch, expectSaidWhileShown, lineAt, stretches } from '../support/pace.js';
import { runAlone, type AloneRun } from '../support/alone.js';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';

const PACE = 0.3;
// Three generations; the middle exiting; the grandchild working alone in its session.
const INTERRUPTS = ['── 1.', '── 2.', 'second job, in my own session (3/5)'];
// The interrupted runs at the lesson's own pace: at 0.3 its last point came 0.3–0.7 s before the
// end, too little for a test a busy machine starves to Ctrl-C while something still runs.
const INTERRUPT_PACE = 1;

/** A STAT without the priority marks (N, <), which come from whoever ran the test (nice). */
const plain = (stat: string): string => stat.replace(/[N<]/g, '');

let run: LessonRun;
let timeline: Timeline;
let middle: ProcessHistory;
let grandchild: ProcessHistory;
let interrupted: Map<string, Promise<LessonRun>>;
let alone: Promise<AloneRun>;

beforeAll(async () => {
  run = await runLesson('double-fork', { pace: PACE });
  timeline = run.timeline;
  middle = timeline.process(timeline.fact<number>('middle.pid')!)!;
  grandchild = timeline.process(timeline.fact<number>('grandchild.pid')!)!;
  // The interrupted runs only check that nothing is left: they may overlap one another.
  interrupted = new Map(INTERRUPTS.map((point) => [point, runLesson('double-fork', { pace: INTERRUPT_PACE, interruptAfter: point })]));
  for (const pending of interrupted.values()) pending.catch(() => undefined);
  alone = runAlone('07-double-fork', { pace: INTERRUPT_PACE, interruptAfter: 'second job, in my own session (1/5)' });
  alone.catch(() => undefined);
});

describe('lesson 07 double fork, in the runner', () => {
  claim('three-generations', () => {
    expect(timeline.lesson!.title).toBe('parent');
    expect(middle.title).toBe('middle');
    expect(grandchild.title).toBe('grandchild');
    expect(middle.firstParent).toBe(timeline.data.lessonPid);
    expect(grandchild.firstParent).toBe(middle.pid);
    // The three in one sample, alive (R or S: the grandchild may still be starting Node).
    const together = timeline.sampleTimes().filter((t) => [timeline.lesson!, middle, grandchild].every((each) => /^[RS]/.test(each.statAt(t) ?? '')));
    expect(together.length).toBeGreaterThan(0);
  });

  claim('grandchild-session', () => {
    const { record } = grandchild;
    expect(record.sid).toBe(grandchild.pid);
    expect(record.pgid).toBe(grandchild.pid);
    expect(record.sid).not.toBe(timeline.lesson!.record.sid);
    expect(timeline.fact('grandchild.sid')).toBe(grandchild.pid);
    // s under the middle already, and in every span after its first (libuv calls setsid() between
    // fork and exec: its first sample may catch the instant before).
    expect(record.spans.some((span) => span.ppid === middle.pid && plain(span.stat).slice(1).startsWith('s'))).toBe(true);
    for (const span of record.spans.slice(1)) expect(plain(span.stat).slice(1)).toMatch(/^s/);
    expect(grandchild.statSequence().map(plain)).toContain('Ssl');
    // The middle: in the lesson's session, never an s.
    expect(middle.record.sid).toBe(timeline.lesson!.record.sid);
    expect(middle.statSequence().some((stat) => plain(stat).slice(1).includes('s'))).toBe(false);
    expect(middle.statSequence().map(plain)).toContain('Sl');
  });

  claim('middle-reaped', () => {
    expect(middle.record.exit).toMatchObject({ code: 0, signal: null });
    expect(middle.record.reapedBy).toBe(timeline.data.lessonPid);
    expect(middle.reparentings()).toEqual([]);
  });

  claim('middle-not-waiting', () => {
    // Zl (threads ending) only before a plain Z, nothing after the Z states.
    const states = middle.statSequence().map(plain);
    const firstZ = states.findIndex((stat) => stat.startsWith('Z'));
    // (A sample may catch no Z state at all: then only the line below has something to check.)
    if (firstZ >= 0) {
      expect(states.slice(firstZ).every((stat) => stat === 'Z' || stat === 'Zl'), states.join(' ')).toBe(true);
      if (states.includes('Z')) expect(states.indexOf('Z')).toBeGreaterThan(states.lastIndexOf('Zl'));
    }
    // Reaped before the parent said it had collected it: the first sample after that line no
    // longer had it. A plain Z, if one was seen, lasted only until the parent's loop ran.
    const said = timeline.data.output.find((line) => line.text.includes('the middle exited (code 0) and I collected it at once'));
    expect(said).toBeDefined();
    expect(middle.record.gone!).toBeLessThanOrEqual(timeline.sampleAfter(said!.t) ?? Number.POSITIVE_INFINITY);
    expect(middle.record.gone!).toBeLessThan(timeline.data.end!.t);
  });

  claim('adopted-at-exit', () => {
    const runner = timeline.data.runnerPid;
    expect(grandchild.reparentings()).toEqual([{ t: expect.any(Number), from: middle.pid, to: runner }]);
    const [adoption] = grandchild.reparentings();
    // Counted in the samples actually read: the sample that first showed the middle exiting (Z or
    // gone), or the one before (a sample reads the middle, then the grandchild), never after the
    // sample that showed the middle gone.
    const exitSeen = middle.when('exited')!;
    expect(adoption!.t).toBeGreaterThanOrEqual(timeline.sampleBefore(exitSeen) ?? exitSeen);
    expect(adoption!.t).toBeLessThanOrEqual(middle.record.gone!);
    expect(timeline.fact('adopter')).toBe(runner); // what getppid() told the grandchild
    // Still a session leader once adopted.
    expect(grandchild.record.spans.filter((span) => span.ppid === runner).every((span) => plain(span.stat).slice(1).startsWith('s'))).toBe(true);
  });

  claim('both-work', () => {
    const runner = timeline.data.runnerPid;
    const [adoption] = grandchild.reparentings();
    // All five ticks after the adoption. A tick is stamped when it happens; the adoption is seen at
    // the first sample after it happened: the tick may precede that sample by at most the gap
    // between it and the sample before it.
    const ticks = timeline.data.facts.filter((fact) => fact.name === 'grandchild.tick');
    expect(ticks).toHaveLength(5);
    const adoptedBy = timeline.sampleBefore(adoption!.t) ?? adoption!.t;
    for (const tick of ticks) expect(tick.t).toBeGreaterThanOrEqual(adoptedBy);
    expect(grandchild.everIn('S', { ppid: runner })).toBe(true);
    expect(grandchild.timeIn('S', { ppid: runner })).toBeGreaterThanOrEqual(4 * 800 * PACE - timeline.longestGap(adoption!.t));
    // The parent's lines and the grandchild's interleave.
    const lines = timeline.data.output.map((line) => line.text);
    const first = lines.flatMap((line, index) => (line.includes('first job (') ? [index] : []));
    const second = lines.flatMap((line, index) => (line.includes('second job, in my own session (') ? [index] : []));
    expect(first).toHaveLength(3);
    expect(second).toHaveLength(5);
    expect(second[0]!).toBeLessThan(first.at(-1)!);
    expect(first[0]!).toBeLessThan(second.at(-1)!);
  });

  claim('said-while-shown', () => {
    // The three generations: from the moment the grandchild is in the table to the middle's exit.
    const together = { from: grandchild.record.firstSeen, to: aliveStretch(middle).to };
    expectSaidWhileShown(timeline, lineAt(timeline, 'it started the grandchild'), [together], PACE, 'three generations');
    const adopted = stretches(grandchild, (span) => span.ppid === timeline.data.runnerPid && !span.stat.startsWith('Z'));
    expectSaidWhileShown(timeline, lineAt(timeline, "The grandchild's PPID changed when the middle exited"), adopted, PACE, 'the grandchild under the runner');
    expectSaidWhileShown(timeline, lineAt(timeline, 'the middle is gone: I was adopted by'), adopted, PACE, 'the grandchild under the runner');
  });

  claim('grandchild-reaped', () => {
    const runner = timeline.data.runnerPid;
    expect(grandchild.record.exit).toMatchObject({ code: 0, signal: null });
    expect(grandchild.record.reapedBy).toBe(runner);
    // The runner reaps an adopted zombie right after the sample that shows it: one sample at most.
    expect(grandchild.reapableZombieSamples()).toBeLessThanOrEqual(1);
    expect(grandchild.when('exited')!).toBeLessThan(timeline.data.end!.t);
    expect(grandchild.record.gone!).toBeLessThanOrEqual(timeline.lesson!.record.gone!);
    expect(timeline.outputText()).toContain(`${grandchild.pid} is gone, reaped by its adopter`);
  });

  claim(
    'alone-lifeline',
    async () => {
      // Ctrl-C reaches the terminal's foreground process group; the grandchild is in a session of
      // its own, so it must notice by itself that the lesson is gone.
      const lonely = await alone;
      expect(lonely.signal).toBe('SIGINT');
      const [orphan] = lonely.timeline.titled('grandchild');
      expect(orphan).toBeDefined();
      expect(orphan!.record.sid).toBe(orphan!.pid); // it was out of reach of Ctrl-C
      expect(orphan!.reparentings()).toHaveLength(1); // adopted before the interruption
      expect(lonely.timeline.leftovers()).toEqual([]);
      expect(stillRunning(lonely.timeline)).toEqual([]);
      // It did not run on to the end of its work …
      expect(lonely.stdout).not.toContain('second job, in my own session (5/5)');
      expect(lonely.stdout).not.toContain('done: I exit');
      // … it ended less than a second after the lesson (its lifeline looks every half second) …
      expect(orphan!.when('exited')!).toBeDefined();
      expect(orphan!.when('exited')! - lonely.timeline.lesson!.record.gone!).toBeLessThan(1000);
      // … and where a sample saw its status (its adopter may reap it first), by SIGKILL.
      if (orphan!.record.exit) expect(orphan!.record.exit).toMatchObject({ code: null, signal: 'SIGKILL' });
    },
    60_000,
  );

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

// --python: the course's own program (lessons/07-double-fork/course.py) under the same engine and table.
// Self-contained: it brings its own helpers and names, and reads apart from the tests above.
{
  const py = await import('../watch/course.js');
  const { describe, beforeAll, expect, test } = py;

  const started = py.courseWithFile('7'); // beside the Node runs above

  describe('lesson 07 double fork --python', () => {
    let run: Awaited<ReturnType<typeof py.runCourse>>;
    let runner: number;
    let parent: ReturnType<typeof py.seen>;
    let middle: ReturnType<typeof py.seen>;
    let grandchild: ReturnType<typeof py.seen>;
    beforeAll(async () => {
      run = await started();
      runner = run.timeline.data.runnerPid;
      parent = py.seen(run, py.line(run, 'parent', 'I started the middle'));
      middle = py.seen(run, py.line(run, 'middle', 'I started the grandchild'));
      grandchild = py.seen(run, py.line(run, 'grandchild', 'the middle is my parent'));
    });

    test("the run ends by itself with the program's status 0 and leaves nothing", () => {
      expect(run.code).toBe(0);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(py.stillRunning(run.timeline)).toEqual([]);
    });

    py.claim('py-double-tree', () => {
      expect(middle.firstParent, py.story(middle)).toBe(parent.pid);
      expect(grandchild.firstParent, py.story(grandchild)).toBe(middle.pid);
      // The three in one sample at least, each alive under the row above.
      const together = run.timeline.sampleTimes().filter((t) => [parent, middle, grandchild].every((each) => /^[RS]/.test(each.statAt(t) ?? '')));
      expect(together.length, [parent, middle, grandchild].map(py.story).join('\n')).toBeGreaterThan(0);
      // No session of its own: its grandparent's session, never leading one.
      expect(grandchild.record.sid).toBe(parent.record.sid);
      for (const stat of grandchild.statSequence()) expect(stat, py.story(grandchild)).not.toContain('s');
    });

    py.claim('py-double-middle', () => {
      expect(middle.record.reapedBy, py.story(middle)).toBe(parent.pid);
      // At once: a plain Z for less than a tenth of a second, give or take the sampling's own gaps.
      const zombie = py.zombieSpans(middle);
      expect(zombie.length, py.story(middle)).toBeLessThanOrEqual(1);
      for (const span of zombie) expect(span.to - span.from, py.story(middle)).toBeLessThanOrEqual(100 + py.gap(run, span.from, span.to));
      // Collected while the parent lived on.
      expect(middle.record.gone!).toBeLessThan(parent.record.gone!);
      expect(py.line(run, 'parent', 'the middle is collected').t).toBeLessThan(py.line(run, 'parent', 'first job done').t);
    });

    py.claim('py-double-adopted', () => {
      // Re-parented once, to the runner, in the sample that first saw the middle ended (or the
      // one before it, which read the middle just before it exited).
      const moves = grandchild.reparentings();
      expect(moves, py.story(grandchild)).toHaveLength(1);
      expect(moves[0]).toMatchObject({ from: middle.pid, to: runner });
      const ended = middle.when('exited')!;
      // The kernel times the exit exactly; the move is seen by the samples right after it.
      expect(moves[0]!.t, `${py.story(middle)}\n${py.story(grandchild)}`).toBeLessThanOrEqual(py.seenBy(run, ended));
      expect(moves[0]!.t).toBeGreaterThanOrEqual(run.timeline.sampleBefore(ended) ?? 0);
      expect(py.line(run, 'grandchild', 'I was adopted').ppid).toBe(runner);
    });

    py.claim('py-double-outlives', () => {
      // The parent ends first, with the program's own status …
      expect(parent.record.exit, py.story(parent)).toMatchObject({ code: 0, signal: null });
      expect(parent.record.gone!).toBeLessThan(grandchild.record.gone!);
      // … the grandchild lives on alone under the runner, prints after the parent's end, and is reaped by it.
      expect(grandchild.samplesIn('S', { ppid: runner }), py.story(grandchild)).toBeGreaterThan(0);
      expect(py.line(run, 'grandchild', 'second job done').t).toBeGreaterThan(parent.when('exited')!);
      expect(grandchild.record.reapedBy, py.story(grandchild)).toBe(runner);
      expect(grandchild.record.exit, py.story(grandchild)).toMatchObject({ code: 0, signal: null });
    });
  });
}
