// Lesson 09: a pool of N worker processes, as the kernel showed it.
import { beforeAll, describe, expect, test } from 'vitest';
import type { ProcessHistory } from '../../lib/observe/timeline.js';
import { ONE_SAMPLE, runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';
import { runAlone } from '../support/alone.js';


interface Timing {
  tasks: number;
  poolMs: number;
  perTaskMs: number;
  ratio: number;
  poolPids: number[];
  perTaskPids: number[];
}

describe('lesson 09 pool', () => {
  let run: LessonRun;
  let workers: ProcessHistory[];
  let poolPids: number[];
  beforeAll(async () => {
    run = await runLesson('pool');
    poolPids = run.timeline.fact<number[]>('pool.pids') ?? [];
    workers = poolPids.map((pid) => run.timeline.process(pid)).filter((each): each is ProcessHistory => each !== undefined);
  });

  test('the lesson ends cleanly', () => {
    expect(run.code).toBe(0);
    expect(run.timeline.leftovers()).toEqual([]);
  });

  test('exactly N workers, children of the lesson, all alive at the same time', () => {
    const lessonPid = run.timeline.data.lessonPid;
    expect(poolPids).toHaveLength(3);
    expect(workers).toHaveLength(3);
    const titled = run.timeline.processes().filter((each) => /^pool worker \d$/.test(each.title));
    expect(titled.map((each) => each.pid).sort()).toEqual([...poolPids].sort());
    for (const worker of workers) {
      expect(worker.firstParent).toBe(lessonPid);
      expect(worker.everIn('S', { ppid: lessonPid })).toBe(true);
    }
    const allUp = Math.max(...workers.map((each) => each.record.firstSeen));
    const firstGone = Math.min(...workers.map((each) => each.record.gone ?? Infinity));
    expect(allUp).toBeLessThan(firstGone);
  });

  test('more tasks than workers: the same PIDs ran several tasks each, no new process', () => {
    const tasks = run.timeline.facts<{ task: number; pid: number }>('task');
    expect(tasks).toHaveLength(9);
    const ranBy = new Map<number, number>();
    for (const { pid } of tasks) ranBy.set(pid, (ranBy.get(pid) ?? 0) + 1);
    expect([...ranBy.keys()].sort()).toEqual([...poolPids].sort());
    expect(Math.max(...ranBy.values())).toBeGreaterThanOrEqual(2);
    // map ran in the same workers too
    const map = run.timeline.fact<Array<{ x: number; square: number; pid: number }>>('map')!;
    expect(map.map((each) => each.square)).toEqual([1, 4, 9, 16, 25, 36, 49, 64, 81, 100]);
    for (const { pid } of map) expect(poolPids).toContain(pid);
    // and the kernel saw no other child of the lesson before the pool was joined
    const joined = run.timeline.checkpoint('What reuse saves')!.t;
    const lessonPid = run.timeline.data.lessonPid;
    const others = run.timeline
      .processes()
      .filter((each) => each.firstParent === lessonPid && each.record.firstSeen < joined && !poolPids.includes(each.pid));
    expect(others.map((each) => each.title)).toEqual([]);
  });

  test('after close + join every worker exited (code 0) and was reaped by the lesson', () => {
    const lessonPid = run.timeline.data.lessonPid;
    const joined = run.timeline.fact<Array<{ pid: number; code: number | null }>>('pool.joined')!;
    expect(joined.map((each) => each.code)).toEqual([0, 0, 0]);
    for (const worker of workers) {
      expect(worker.record.gone).toBeDefined();
      expect(worker.record.reapedBy).toBe(lessonPid);
      expect(worker.record.exit).toMatchObject({ code: 0, signal: null });
      expect(worker.reapableZombieTime()).toBeLessThanOrEqual(2 * ONE_SAMPLE * run.timeline.data.sampleIntervalMs);
      // gone before the next step began (join waited for them)
      expect(worker.record.gone!).toBeLessThanOrEqual(run.timeline.checkpoint('What reuse saves')!.t + ONE_SAMPLE * run.timeline.data.sampleIntervalMs);
    }
  });

  test('a task added after close is refused with a clear error', () => {
    expect(run.timeline.fact<string | null>('afterClose.error')).toMatch(/closed/);
  });

  test('many tiny tasks: the pool was faster than a process per task (same run)', () => {
    const timing = run.timeline.fact<Timing>('timing')!;
    expect(timing.poolMs).toBeGreaterThan(0);
    expect(timing.perTaskMs).toBeGreaterThan(0);
    expect(timing.perTaskMs / timing.poolMs).toBeGreaterThan(1);
    expect(new Set(timing.poolPids).size).toBe(2);
    expect(new Set(timing.perTaskPids).size).toBe(timing.tasks);
    // The per-task processes were real processes: the kernel saw them, children of the lesson.
    const lessonPid = run.timeline.data.lessonPid;
    const seen = timing.perTaskPids.filter((pid) => run.timeline.process(pid)?.firstParent === lessonPid);
    expect(seen.length).toBeGreaterThan(timing.tasks / 2);
  });

  test('a worker thread has the same PID as its process', () => {
    const thread = run.timeline.fact<{ threadPid: number; mainPid: number }>('thread')!;
    expect(thread.mainPid).toBe(run.timeline.data.lessonPid);
    expect(thread.threadPid).toBe(thread.mainPid);
    const from = run.timeline.checkpoint('Threads are not processes')!.t;
    const newProcesses = run.timeline.processes().filter((each) => each.record.firstSeen > from);
    expect(newProcesses.map((each) => each.title)).toEqual([]);
  });
});

describe.concurrent('lesson 09 pool, interrupted', () => {
  for (const step of ['── 2.', '── 4.', '── 5.']) {
    test(`Ctrl-C at "${step}" leaves nothing running`, async () => {
      const run = await runLesson('pool', { interruptAfter: step });
      expect(run.code).toBe(130);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(stillRunning(run.timeline)).toEqual([]);
    });
  }

  test('alone (no runner), Ctrl-C while the workers run tasks leaves nothing running', async () => {
    // Ctrl-C reaches the terminal's foreground process group: the lesson and all it started.
    const run = await runAlone('09-pool', { interruptAfter: 'Hello 4' });
    expect(run.signal).toBe('SIGINT');
    expect(run.timeline.processes().length).toBeGreaterThan(1);
    expect(run.timeline.leftovers()).toEqual([]);
    expect(stillRunning(run.timeline)).toEqual([]);
  });
});
