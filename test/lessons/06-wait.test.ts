// Lesson 06: every child is collected by its parent, in the order the lesson claims, with the
// status it claims; the kernel's table is the witness. Each claim of the README's "What the table
// will show" is asserted under its id.
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect } from 'vitest';
import type { ProcessHistory } from '../../lib/observe/timeline.js';
import { claim } from '../support/claims.js';
import { kernelAgrees } from '../support/kernel.js';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';

// Children 4–6 and 7–9 are told when to end, 1 s × pace apart, counted from when the parent starts
// them: a child that takes longer than that to start Node ends late, out of order. At pace 0.5 a
// busy machine was seen to take more than 500 ms; the test runs at the lesson's own pace.
const PACE = 1;
// Ctrl-C while child 1 runs, while the lesson is blocked in spawnSync (child 2 prints that line),
// and while three children run at once.
const INTERRUPTS = ['── 1.', 'child 2: I run', '── 4.'];

interface Status {
  i: number;
  code: number | null;
  signal: string | null;
  raw?: number;
  shell?: number | null;
}

let run: LessonRun;
let interrupted: Map<string, Promise<LessonRun>>;

beforeAll(async () => {
  // The interrupted runs only check that nothing is left, so they may overlap the full run, but
  // only once it is past steps 4 and 5: lessons starting children at the same instant slow every
  // start, and there the full run checks in which order its children end.
  let startTheRest = (): void => undefined;
  const pastStep5 = new Promise<void>((resolve) => (startTheRest = resolve));
  const full = runLesson('wait', {
    pace: PACE,
    timeoutMs: 80_000,
    onStart(runner) {
      let seen = '';
      runner.stdout?.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('── 6.')) startTheRest();
      });
    },
  });
  interrupted = new Map(
    INTERRUPTS.map((point) => [point, pastStep5.then(() => runLesson('wait', { pace: PACE, interruptAfter: point }))]),
  );
  for (const pending of interrupted.values()) pending.catch(() => undefined);
  run = await full.finally(startTheRest);
}, 90_000);

function childPid(i: number): number {
  const found = run.timeline.facts<{ i: number; pid: number }>('child').find((each) => each.i === i);
  if (!found) throw new Error(`the lesson recorded no child ${i}`);
  return found.pid;
}

function child(i: number): ProcessHistory {
  const history = run.timeline.process(childPid(i));
  if (!history) throw new Error(`child ${i} (pid ${childPid(i)}) was never seen in the table`);
  return history;
}

const gone = (i: number): number => child(i).record.gone ?? Number.POSITIVE_INFINITY;

describe('lesson 06 wait', () => {
  kernelAgrees('06', () => run?.timeline);
  claim('ten-children', () => {
    const lessonPid = run.timeline.data.lessonPid;
    for (let i = 1; i <= 10; i++) {
      expect(child(i).firstParent, `child ${i}`).toBe(lessonPid);
      expect(child(i).title, `child ${i}`).toBe(`child ${i}`);
    }
  });

  claim('exit-codes', () => {
    for (const i of [1, 3, 4, 5, 6, 7, 8, 9]) {
      expect(child(i).record.exit, `child ${i}`).toMatchObject({ code: 100 + i, signal: null });
    }
    expect(child(10).record.exit).toMatchObject({ code: null, signal: 'SIGTERM' });
    // spawnSync's child is not reported through the lesson API: its status is what spawnSync returned.
    expect(run.timeline.facts<Status>('status').find((each) => each.i === 2)).toMatchObject({ code: 102, signal: null });
  });

  claim('await-loop-runs', () => {
    // A 100 ms × pace timer kept firing while the lesson awaited child 1 (1500 ms × pace) …
    expect(run.timeline.fact<number>('ticks.await')).toBeGreaterThanOrEqual(3);
    // … and the parent's row slept meanwhile: Ssl in most samples while child 1 lived.
    const lesson = run.timeline.lesson!;
    const one = child(1).record;
    const samples = run.timeline.sampleTimes().filter((t) => t >= one.firstSeen && t < (one.gone ?? 0));
    expect(samples.length).toBeGreaterThan(2);
    expect(samples.filter((t) => /^S[N<]?sl$/.test(lesson.statAt(t) ?? '')).length).toBeGreaterThan(samples.length / 2);
  });

  claim('spawnsync-blocks', () => {
    // The timer stood still for the whole of child 2 (1500 ms × pace after its start) under spawnSync.
    expect(run.timeline.fact<number>('lag.spawnSync')).toBeGreaterThanOrEqual(1500 * PACE - 1);
    expect(child(2).everIn('S', { ppid: run.timeline.data.lessonPid })).toBe(true);
    // The only line printed while the parent was blocked is child 2's own.
    const lines = run.timeline.data.output.filter((line) => line.stream === 'stdout').map((line) => line.text);
    const heading = lines.findIndex((line) => line.includes('── 2.'));
    const returned = lines.findIndex((line) => line.includes('spawnSync returned'));
    expect(heading).toBeGreaterThanOrEqual(0);
    expect(lines.slice(heading + 1, returned).filter((line) => line.trim() !== '')).toEqual(['child 2: I run for 1.5 s, then exit 102.']);
  });

  claim('poll-wnohang', () => {
    expect(run.timeline.fact<number>('polls')).toBeGreaterThanOrEqual(2);
    expect(child(3).everIn('S')).toBe(true);
  });

  claim('any-order', () => {
    // The lesson tells each child when to end (5 first, then 6, then 4, 1 s × pace apart).
    expect(run.timeline.fact<number[]>('order.any')).toEqual([5, 6, 4]);
    // The table agrees: each left no later than the next (two reaped between the same two samples
    // leave in the same sample), and 4, started first, left last.
    expect(gone(5)).toBeLessThanOrEqual(gone(6));
    expect(gone(6)).toBeLessThanOrEqual(gone(4));
    expect(gone(5)).toBeLessThan(gone(4));
  });

  claim('creation-order', () => {
    expect(run.timeline.fact<number[]>('order.created')).toEqual([7, 8, 9]);
    const collected7 = run.timeline.data.facts.find((each) => each.name === 'collected' && each.value === 7)!;
    // 8 and 9 left the table (the first sample without them) before the parent had collected 7 …
    expect(gone(8)).toBeLessThan(collected7.t);
    expect(gone(9)).toBeLessThan(collected7.t);
    // … in the order 8, 9, 7.
    expect(gone(8)).toBeLessThanOrEqual(gone(9));
    expect(gone(9)).toBeLessThanOrEqual(gone(7));
    expect(gone(8)).toBeLessThan(gone(7));
  });

  claim('no-zombie-wait', () => {
    // C's waitpid2 would hold child 8 as a zombie until 7 was collected, 2 s × pace later. Only a
    // plain Z counts (Zl is the kernel ending its threads; nobody can reap it yet).
    expect(child(8).reapableZombieTime()).toBeLessThan(2000 * PACE * 0.5);
    expect(child(9).reapableZombieTime()).toBeLessThan(1000 * PACE * 0.5);
    // And none was still Z when the parent collected 7.
    const collected7 = run.timeline.data.facts.find((each) => each.name === 'collected' && each.value === 7)!;
    for (const i of [8, 9]) expect(child(i).statAt(run.timeline.sampleAfter(collected7.t)!), `child ${i}`).toBeUndefined();
  });

  claim('statuses-decoded', () => {
    const statuses = run.timeline.facts<Status>('status');
    expect(statuses.map((each) => each.i).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const status of statuses.filter((each) => each.i !== 10)) {
      expect(status.code).toBe(100 + status.i);
      expect(((status.raw ?? 0) >> 8) & 0xff).toBe(status.code); // WEXITSTATUS
      expect((status.raw ?? 0) & 0x7f).toBe(0); // WIFEXITED
      expect(status.shell).toBe(status.code);
    }
    const killed = statuses.find((each) => each.i === 10)!;
    expect(killed).toMatchObject({ code: null, signal: 'SIGTERM', raw: 15, shell: 143 });
    // What sh itself prints for a child killed by SIGTERM.
    const shell = execFileSync('sh', ['-c', 'sleep 5 & kill -TERM $!; wait $!; echo $?'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(killed.shell).toBe(Number(shell.trim()));
  });

  claim('all-collected', () => {
    expect(run.code).toBe(0);
    const lessonPid = run.timeline.data.lessonPid;
    for (let i = 1; i <= 10; i++) {
      const history = child(i);
      expect(history.record.gone, `child ${i}`).toBeDefined();
      expect(history.record.reapedBy, `child ${i}`).toBe(lessonPid);
      expect(history.record.gone!, `child ${i}`).toBeLessThanOrEqual(run.timeline.lesson!.record.gone!);
    }
    expect(run.timeline.leftovers()).toEqual([]);
  });

  claim(
    'nothing-left',
    async () => {
      expect(stillRunning(run.timeline)).toEqual([]);
      for (const point of INTERRUPTS) {
        const stopped = await interrupted.get(point)!;
        expect(stopped.code, point).toBe(130);
        expect(stopped.timeline.leftovers(), point).toEqual([]);
        expect(stillRunning(stopped.timeline), point).toEqual([]);
        // Its child 2 was there, and is gone too. The Ctrl-C usually lands while the lesson is
        // still blocked in spawnSync; on a loaded machine it may land just after that child ended,
        // which changes nothing of the above.
        if (point === 'child 2: I run') expect(stopped.timeline.titled('child 2')).toHaveLength(1);
      }
    },
    60_000,
  );
});

// --python: the course's own program (lessons/06-wait/course.py) under the same engine and table.
// Self-contained: it brings its own helpers and names, and reads apart from the tests above.
{
  const py = await import('../watch/course.js');
  const { describe, beforeAll, expect, test } = py;

  const started = py.courseWithFile('6'); // beside the Node runs above

  describe('lesson 06 wait --python', () => {
    let run: Awaited<ReturnType<typeof py.runCourse>>;
    let parent: ReturnType<typeof py.seen>;
    /** os.wait(), WNOHANG, SIGTERM: the three children in the order started. */
    let blocked: ReturnType<typeof py.seen>;
    let polled: ReturnType<typeof py.seen>;
    let killed: ReturnType<typeof py.seen>;
    beforeAll(async () => {
      run = await started();
      parent = py.seen(run, py.line(run, 'parent', 'os.wait() blocks'));
      blocked = py.seen(run, py.line(run, 'child', 'os._exit(2)'));
      polled = py.seen(run, py.line(run, 'child', 'os._exit(5)'));
      killed = py.seen(run, py.line(run, 'child', 'os._exit(7)'));
    });

    test('the program ends by itself with status 0 and leaves nothing', () => {
      expect(run.code).toBe(0);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(py.stillRunning(run.timeline)).toEqual([]);
    });

    py.claim('py-wait-blocked', () => {
      expect(blocked.firstParent, py.story(blocked)).toBe(parent.pid);
      // Every sample after the "os.wait() blocks" line, until the child ended, shows the parent asleep.
      const waiting = run.timeline.sampleAfter(py.line(run, 'parent', 'os.wait() blocks').t)!;
      const stats = py.statsBetween(run, parent, waiting + 0.001, blocked.when('exited')! - 0.001);
      expect(stats.length, py.story(parent)).toBeGreaterThan(2);
      for (const stat of stats) expect(stat, py.story(parent)).toMatch(/^S/);
      // The child is collected at once by its parent; the parent prints the status it got.
      expect(blocked.record.reapedBy, py.story(blocked)).toBe(parent.pid);
      // At once: a plain Z for less than a tenth of a second, give or take the sampling's own gaps
      // and the time the woken parent waited for a CPU (R) on a busy machine.
      py.expectReapedAtOnce(run, blocked);
      if (blocked.record.exit) expect(blocked.record.exit).toMatchObject({ code: 2, signal: null });
      expect(py.line(run, 'parent', `collected ${blocked.pid}`).text).toContain('status 512: exit code 2');
    });

    py.claim('py-wait-wnohang', () => {
      const about = py.story(polled);
      expect(polled.firstParent, about).toBe(parent.pid);
      expect(py.lines(run, 'parent', `waitpid(${polled.pid}, WNOHANG) says (0, 0)`).length).toBeGreaterThanOrEqual(1);
      // A zombie under the parent until its next question: seen, and for at most one pause (1 s).
      const [zombie, ...more] = py.zombieSpans(polled);
      expect(more, about).toEqual([]);
      expect(zombie!.ppid, about).toBe(parent.pid);
      expect(zombie!.to - zombie!.from, about).toBeLessThanOrEqual(1000 * py.PACE + py.gap(run, zombie!.from, zombie!.to));
      // Between questions the parent sleeps.
      expect(parent.samplesIn('S'), py.story(parent)).toBeGreaterThan(0);
      expect(polled.record.exit, about).toMatchObject({ code: 5, signal: null });
      expect(polled.record.reapedBy, about).toBe(parent.pid);
      expect(py.line(run, 'parent', `collected ${polled.pid}`).text).toContain('status 1280: exit code 5');
    });

    py.claim('py-wait-signal', () => {
      const about = py.story(killed);
      expect(killed.firstParent, about).toBe(parent.pid);
      expect(killed.record.exit, about).toMatchObject({ code: null, signal: 'SIGTERM' });
      const [zombie] = py.zombieSpans(killed);
      expect(zombie!.ppid, about).toBe(parent.pid);
      expect(zombie!.to - zombie!.from, about).toBeGreaterThanOrEqual(500 * py.PACE - py.gap(run, zombie!.from - 500 * py.PACE, zombie!.to));
      expect(killed.record.reapedBy, about).toBe(parent.pid);
      expect(py.line(run, 'parent', `collected ${killed.pid}`).text).toContain('status 15: killed by signal 15');
    });
  });
}
