// Lesson 06: every child is collected by its parent, in the order the lesson claims, with the
// status it claims; the kernel's table is the witness.
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, test } from 'vitest';
import type { ProcessHistory } from '../../lib/observe/timeline.js';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';

const PACE = 0.3;
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
});

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
  test('the lesson ends cleanly', () => {
    expect(run.code).toBe(0);
    expect(run.timeline.leftovers()).toEqual([]);
  });

  test('no child is left unreaped: each was seen, vanished, and was collected by the lesson', () => {
    const lessonPid = run.timeline.data.lessonPid;
    for (let i = 1; i <= 10; i++) {
      const history = child(i);
      expect(history.firstParent, `child ${i}`).toBe(lessonPid);
      expect(history.record.gone, `child ${i}`).toBeDefined();
      expect(history.record.reapedBy, `child ${i}`).toBe(lessonPid);
    }
  });

  test('children exited with 100 + i; child 10 was killed by SIGTERM', () => {
    for (const i of [1, 3, 4, 5, 6, 7, 8, 9]) {
      expect(child(i).record.exit, `child ${i}`).toMatchObject({ code: 100 + i, signal: null });
    }
    expect(child(10).record.exit).toMatchObject({ code: null, signal: 'SIGTERM' });
    // spawnSync's child is not reported through the lesson API: its status is what spawnSync returned.
    expect(run.timeline.facts<Status>('status').find((each) => each.i === 2)).toMatchObject({ code: 102, signal: null });
  });

  test('awaiting a child leaves the event loop running; spawnSync stops it for the whole child', () => {
    // A 100 ms × pace timer kept firing while the lesson awaited child 1 (1500 ms × pace) …
    expect(run.timeline.fact<number>('ticks.await')).toBeGreaterThanOrEqual(3);
    // … and stood still for the whole of child 2 (1500 ms × pace) under spawnSync.
    expect(run.timeline.fact<number>('lag.spawnSync')).toBeGreaterThanOrEqual(1500 * PACE * 0.9);
    expect(child(2).everIn('S', { ppid: run.timeline.data.lessonPid })).toBe(true);
  });

  test('polling (WNOHANG) found child 3 running several times before it ended', () => {
    expect(run.timeline.fact<number>('polls')).toBeGreaterThanOrEqual(2);
    expect(child(3).everIn('S')).toBe(true);
  });

  test('wait for any child: reported in the order the kernel saw them end, not the order started', () => {
    const reported = run.timeline.fact<number[]>('order.any')!;
    expect([...reported].sort((a, b) => a - b)).toEqual([4, 5, 6]);
    // Each one reported left the table no later than the next one reported (one sample may hold two).
    for (let k = 1; k < reported.length; k++) expect(gone(reported[k - 1]!)).toBeLessThanOrEqual(gone(reported[k]!));
    // Child 4 was started first but works longest (3 s against 1 s and 2 s): it is not reported first.
    expect(reported[0]).not.toBe(4);
  });

  test('wait in creation order: reported 7, 8, 9, yet 8 left the table while the parent still waited for 7', () => {
    expect(run.timeline.fact<number[]>('order.created')).toEqual([7, 8, 9]);
    const collected7 = run.timeline.data.facts.find((each) => each.name === 'collected' && each.value === 7)!;
    // In C (waitpid2) child 8 would stay a zombie until the parent got past child 7, ~2 s × pace later.
    expect(gone(8)).toBeLessThan(collected7.t - 500 * PACE);
    // Never held as a zombie for its parent: far less than the 2 s × pace C's waitpid2 would keep it.
    expect(child(8).reapableZombieTime()).toBeLessThan(2000 * PACE * 0.5);
  });

  test('statuses decoded as wait() encodes them, and as a real shell reports a signal', () => {
    const statuses = run.timeline.facts<Status>('status');
    expect(statuses.map((each) => each.i).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const status of statuses.filter((each) => each.i !== 10)) {
      expect(status.code).toBe(100 + status.i);
      expect(((status.raw ?? 0) >> 8) & 0xff).toBe(status.code); // WEXITSTATUS
      expect((status.raw ?? 0) & 0x7f).toBe(0); // WIFEXITED
      expect(status.shell).toBe(status.code);
    }
    const killed = statuses.find((each) => each.i === 10)!;
    expect(killed).toMatchObject({ code: null, signal: 'SIGTERM', raw: 15 });
    // What sh itself prints for a child killed by SIGTERM.
    const shell = execFileSync('sh', ['-c', 'sleep 5 & kill -TERM $!; wait $!; echo $?'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(killed.shell).toBe(Number(shell.trim()));
  });
});

describe('lesson 06 wait, interrupted', () => {
  for (const point of INTERRUPTS) {
    test(`Ctrl-C at "${point}" leaves nothing running`, async () => {
      const stopped = await interrupted.get(point)!;
      expect(stopped.code).toBe(130);
      expect(stopped.timeline.leftovers()).toEqual([]);
      expect(stillRunning(stopped.timeline)).toEqual([]);
      if (point === 'child 2: I run') {
        // Its child was there, and is gone too. Usually the Ctrl-C lands while the lesson is still
        // blocked in spawnSync (it never returns: no lag.spawnSync); on a loaded machine it may land
        // just after the 450 ms child ended, which changes nothing of the above.
        expect(stopped.timeline.titled('child 2')).toHaveLength(1);
      }
    });
  }
});
