// Lesson 06: every child is collected by its parent, in the order the lesson claims, with the
// status it claims; the kernel's table is the witness.
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, test } from 'vitest';
import type { ProcessHistory } from '../../lib/observe/timeline.js';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';

const PACE = 0.3;
// The last one lands while the lesson is blocked in spawnSync (its child prints that line).
const INTERRUPTS = ['── 1.', '── 3.', 'child 10: I run'];

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
  // The interrupted runs go on at the same time as the full one: the suite's time is the longest run.
  interrupted = new Map(INTERRUPTS.map((point) => [point, runLesson('wait', { pace: PACE, interruptAfter: point })]));
  for (const pending of interrupted.values()) pending.catch(() => undefined);
  run = await runLesson('wait', { pace: PACE });
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

  test('children 1-8 exited with 100 + i; child 9 was killed by SIGTERM', () => {
    for (let i = 1; i <= 8; i++) expect(child(i).record.exit, `child ${i}`).toMatchObject({ code: 100 + i, signal: null });
    expect(child(9).record.exit).toMatchObject({ code: null, signal: 'SIGTERM' });
    // spawnSync's child is not reported through the lesson API: its status is what spawnSync returned.
    expect(run.timeline.facts<Status>('status').find((each) => each.i === 10)).toMatchObject({ code: 110, signal: null });
  });

  test('awaiting a child leaves the event loop running; spawnSync stops it for the whole child', () => {
    const childRuns = 2000 * PACE;
    expect(run.timeline.fact<number>('lag.await')).toBeLessThan(childRuns / 2);
    expect(run.timeline.fact<number>('lag.spawnSync')).toBeGreaterThanOrEqual(childRuns * 0.9);
    expect(child(10).everIn('S', { ppid: run.timeline.data.lessonPid })).toBe(true);
  });

  test('polling (WNOHANG) found child 2 running several times before it ended', () => {
    expect(run.timeline.fact<number>('polls')).toBeGreaterThanOrEqual(2);
    expect(child(2).everIn('S')).toBe(true);
  });

  test('wait for any child: reported in the order the kernel saw them end, not the order started', () => {
    const reported = run.timeline.fact<number[]>('order.any')!;
    const byKernel = [3, 4, 5].sort((a, b) => gone(a) - gone(b));
    expect(reported).toEqual(byKernel);
    expect(reported).not.toEqual([3, 4, 5]);
  });

  test('wait in creation order: reported 6, 7, 8, yet 7 left the table long before 6 ended', () => {
    expect(run.timeline.fact<number[]>('order.created')).toEqual([6, 7, 8]);
    expect(gone(7)).toBeLessThan(gone(8));
    expect(gone(8)).toBeLessThan(gone(6));
    // In C (waitpid2) child 7 would stay a zombie until child 6 ended, ~2 s × pace later.
    expect(gone(6) - gone(7)).toBeGreaterThan(1000 * PACE);
    expect(child(7).timeIn('Z')).toBeLessThan(100);
  });

  test('statuses decoded as wait() encodes them, and as a real shell reports a signal', () => {
    const statuses = run.timeline.facts<Status>('status').filter((each) => each.i <= 9);
    expect(statuses.map((each) => each.i).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const status of statuses.filter((each) => each.i <= 8)) {
      expect(status.code).toBe(100 + status.i);
      expect(((status.raw ?? 0) >> 8) & 0xff).toBe(status.code); // WEXITSTATUS
      expect((status.raw ?? 0) & 0x7f).toBe(0); // WIFEXITED
      expect(status.shell).toBe(status.code);
    }
    const killed = statuses.find((each) => each.i === 9)!;
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
      if (point === 'child 10: I run') {
        // Interrupted while blocked in spawnSync (it never returned): its child was there, and is gone too.
        expect(stopped.timeline.fact('lag.spawnSync')).toBeUndefined();
        expect(stopped.timeline.titled('child 10')).toHaveLength(1);
      }
    });
  }
});
