// Lesson 09: a pool of N worker processes, as the kernel showed it.
import { beforeAll, describe, expect, test } from 'vitest';
import { claim } from '../support/claims.js';
import { expectSaidWhileShown, lineAt } from '../support/pace.js';
import type { ProcessHistory } from '../../lib/observe/timeline.js';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';
import { runAlone } from '../support/alone.js';
import { availableParallelism } from 'node:os';
import { runPredicting, type PredictRun } from '../support/predict.js';

const PACE = 0.3;

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
  let predicted: Promise<PredictRun>;
  beforeAll(async () => {
    // The question comes in step 1: the predicting run stops once its answer is revealed.
    predicted = runPredicting('pool', () => 'S', { stopAfter: /^[✓✗–] 1\. /m });
    predicted.catch(() => undefined);
    run = await runLesson('pool', { pace: PACE });
    poolPids = run.timeline.fact<number[]>('pool.pids') ?? [];
    workers = poolPids.map((pid) => run.timeline.process(pid)).filter((each): each is ProcessHistory => each !== undefined);
  });

  const lessonPid = (): number => run.timeline.data.lessonPid;
  const at = (checkpoint: string): number => {
    const found = run.timeline.checkpoint(checkpoint);
    if (!found) throw new Error(`no checkpoint "${checkpoint}"`);
    return found.t;
  };

  claim('workers-three', () => {
    expect(poolPids).toHaveLength(3);
    expect(workers).toHaveLength(3);
    const titled = run.timeline.processes().filter((each) => /^pool worker \d$/.test(each.title));
    expect(titled.map((each) => each.pid).sort()).toEqual([...poolPids].sort());
    for (const worker of workers) expect(worker.firstParent).toBe(lessonPid());
    expect(run.stdout).toContain(`started 3 workers: ${poolPids.join(', ')}`);
  });

  claim('workers-asleep', () => {
    expect(workers).toHaveLength(3);
    const firstTask = at('Nine tasks, three processes');
    for (const worker of workers) {
      expect(worker.spansIn('S', { ppid: lessonPid() }).some((span) => span.from < firstTask)).toBe(true);
    }
  });

  claim('workers-together', () => {
    expect(workers).toHaveLength(3);
    const allUp = Math.max(...workers.map((each) => each.record.firstSeen));
    const firstGone = Math.min(...workers.map((each) => each.record.gone ?? Infinity));
    expect(allUp).toBeLessThan(firstGone);
  });

  claim('tasks-same-pids', () => {
    const tasks = run.timeline.facts<{ task: number; pid: number }>('task');
    expect(tasks).toHaveLength(9);
    const ranBy = new Map<number, number>();
    for (const { pid } of tasks) ranBy.set(pid, (ranBy.get(pid) ?? 0) + 1);
    // each of the three ran at least one: the first three tasks went to three idle workers
    expect([...ranBy.keys()].sort()).toEqual([...poolPids].sort());
    expect(Math.max(...ranBy.values())).toBeGreaterThanOrEqual(2);
    // and the kernel saw no other child of the lesson before the pool was joined
    const joined = at('Pool(): as many workers as cores');
    const others = run.timeline
      .processes()
      .filter((each) => each.firstParent === lessonPid() && each.record.firstSeen < joined && !poolPids.includes(each.pid));
    expect(others.map((each) => each.title)).toEqual([]);
  });

  claim('map-in-order', () => {
    const map = run.timeline.fact<Array<{ x: number; square: number; pid: number }>>('map')!;
    expect(map.map((each) => each.x)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(map.map((each) => each.square)).toEqual([1, 4, 9, 16, 25, 36, 49, 64, 81, 100]);
    for (const { pid } of map) expect(poolPids).toContain(pid);
  });

  claim('close-refuses', () => {
    expect(run.timeline.fact<string | null>('afterClose.error')).toMatch(/closed/);
  });

  claim('join-reaped', () => {
    const joined = run.timeline.data.facts.find((each) => each.name === 'pool.joined')!;
    expect((joined.value as Array<{ code: number | null }>).map((each) => each.code)).toEqual([0, 0, 0]);
    // join() had returned when the lesson recorded this: the first sample taken after it shows
    // none of the workers (a zombie would still be in the table)
    const nextSample = run.timeline.firstSampleAfter(joined.t);
    expect(nextSample).toBeDefined();
    expect(workers).toHaveLength(3);
    for (const worker of workers) {
      expect(worker.record.gone).toBeDefined();
      expect(worker.record.gone!).toBeLessThanOrEqual(nextSample!);
      expect(worker.record.reapedBy).toBe(lessonPid());
      expect(worker.record.exit).toMatchObject({ code: 0, signal: null });
    }
  });

  interface DefaultPool {
    size: number;
    cores: number;
    pids: number[];
  }
  const defaultPool = (): DefaultPool => run.timeline.fact<DefaultPool>('default.pool')!;

  claim('default-size', () => {
    const { size, cores, pids } = defaultPool();
    // The machine's count, as this process sees it too (the same affinity: the runner starts the lesson).
    expect(cores).toBe(availableParallelism());
    expect(size).toBe(cores);
    expect(pids).toHaveLength(cores);
    expect(run.stdout).toContain(`Pool() started ${cores} workers; os.availableParallelism() is ${cores} here.`);
    // that many rows, under the lesson, all in the table at once …
    const rows = pids.map((pid) => run.timeline.process(pid)!);
    for (const [index, row] of rows.entries()) {
      expect(row.title).toBe(`default worker ${index + 1}`);
      expect(row.firstParent).toBe(lessonPid());
    }
    expect(Math.max(...rows.map((row) => row.record.firstSeen))).toBeLessThan(Math.min(...rows.map((row) => row.record.gone ?? Infinity)));
    // … and no more: no other child of the lesson started in this step
    const from = at('Pool(): as many workers as cores');
    const to = at('What reuse saves');
    const started = run.timeline.processes().filter((each) => each.firstParent === lessonPid() && each.record.firstSeen >= from && each.record.firstSeen < to);
    expect(started.map((each) => each.pid).sort()).toEqual([...pids].sort());
  });

  claim('get-value', () => {
    const got = run.timeline.fact<{ readyBefore: boolean; value: { x: number; square: number; pid: number }; readyAfter: boolean }>('get')!;
    expect(got.readyBefore).toBe(false);
    expect(got.readyAfter).toBe(true);
    expect(got.value).toMatchObject({ x: 12, square: 144 });
    expect(defaultPool().pids).toContain(got.value.pid);
    expect(run.stdout).toContain(`get() gave 144, computed by worker ${got.value.pid}; ready() is now true.`);
    // close() and join(): every default worker exited 0, reaped by the lesson before the next
    // step began: the first sample after that shows none of them
    const nextSample = run.timeline.firstSampleAfter(at('What reuse saves'))!;
    for (const pid of defaultPool().pids) {
      const row = run.timeline.process(pid)!;
      expect(row.record.exit).toMatchObject({ code: 0, signal: null });
      expect(row.record.reapedBy).toBe(lessonPid());
      expect(row.record.gone!).toBeLessThanOrEqual(nextSample);
    }
  });

  test('predict: a worker waiting for its first task, as the table shows it', async () => {
    const { questions, timeline } = await predicted;
    expect(questions).toHaveLength(1);
    const [question] = questions;
    const [first] = timeline.fact<number[]>('pool.pids')!;
    expect(question).toMatchObject({ pid: first, ask: 'stat', answer: 'S' });
    // about a moment before the first task was sent
    expect(question!.dueAt!).toBeLessThan(timeline.checkpoint('Nine tasks, three processes')?.t ?? Infinity);
    const worker = timeline.process(first!)!;
    const shown = worker.record.spans.filter((span) => span.from <= question!.revealedAt!).at(-1)!.stat[0];
    expect(question!.actual).toBe(shown);
    expect(question!.right).toBe(shown === 'S');
    expect(timeline.leftovers()).toEqual([]);
    expect(stillRunning(timeline)).toEqual([]);
  }, 30_000);

  const timing = (): Timing => run.timeline.fact<Timing>('timing')!;

  claim('reuse-two-workers', () => {
    expect(timing().tasks).toBe(30);
    expect(new Set(timing().poolPids).size).toBe(2);
    for (const pid of timing().poolPids) {
      const row = run.timeline.process(pid);
      expect(row?.title).toMatch(/^reused worker \d$/);
      expect(row?.firstParent).toBe(lessonPid());
    }
  });

  claim('reuse-thirty-rows', () => {
    const { perTaskPids, tasks } = timing();
    expect(new Set(perTaskPids).size).toBe(tasks);
    // Every one is in the table: forkSelf reports each new pid to the runner the moment spawn()
    // returns, and the runner samples at once, while the child is still starting Node (tens of
    // ms before it can take its task, let alone exit).
    const unseen = perTaskPids.filter((pid) => run.timeline.process(pid)?.firstParent !== lessonPid());
    expect(unseen).toEqual([]);
    for (const pid of perTaskPids) expect(run.timeline.process(pid)!.title).toMatch(/^one-task worker \d+$/);
  });

  claim('reuse-faster', () => {
    const { poolMs, perTaskMs, ratio } = timing();
    expect(poolMs).toBeGreaterThan(0);
    expect(perTaskMs / poolMs).toBeGreaterThan(1);
    expect(run.stdout).toContain(`the pool was ${ratio.toFixed(1)}× faster`);
  });

  claim('thread-no-row', () => {
    const thread = run.timeline.fact<{ threadPid: number; tid: number; ours: boolean; mainPid: number; threadsBefore: number; threadsDuring: number }>('thread')!;
    expect(thread.mainPid).toBe(lessonPid());
    expect(thread.threadPid).toBe(thread.mainPid);
    // A task of the lesson's own process, with an id of its own (Linux). (Not "the count grew": on a
    // busy machine another thread of Node's may come or go meanwhile.)
    expect(thread.tid).toBeGreaterThan(0);
    expect(thread.tid).not.toBe(thread.mainPid);
    expect(thread.ours).toBe(true);
    expect(thread.threadsDuring).toBeGreaterThan(1);
    expect(run.stdout).toContain(`its thread id, ${thread.tid}, is one of this process's tasks: listed in /proc/${thread.mainPid}/task.`);
    const from = at('Threads are not processes');
    const newProcesses = run.timeline.processes().filter((each) => each.record.firstSeen > from);
    expect(newProcesses.map((each) => each.title)).toEqual([]);
  });

  claim('said-while-shown', () => {
    const timeline = run.timeline;
    // The three idle workers: from the moment all three are in the table to the first task.
    const idle = { from: Math.max(...workers.map((each) => each.record.firstSeen)), to: at('Nine tasks, three processes') };
    expectSaidWhileShown(timeline, lineAt(timeline, 'The table shows 3 "pool worker" rows'), [idle], PACE, 'three idle workers');
    // "No new process appears": said before the first task ran, and no new row for 2 s (× pace) after.
    const noNew = lineAt(timeline, 'Watch the table: no new process appears');
    expect(noNew, '"no new process appears" after the first task').toBeLessThan(lineAt(timeline, 'Hello 1'));
    const nextRow = Math.min(...timeline.processes().filter((each) => each.record.firstSeen > noNew).map((each) => each.record.firstSeen));
    expectSaidWhileShown(timeline, noNew, [{ from: noNew, to: nextRow }], PACE, 'no new process');
    // "Their rows flash by": said before the first one-task worker appears.
    const flashing = timing().perTaskPids.map((pid) => timeline.process(pid)!.record.firstSeen);
    expect(lineAt(timeline, 'their rows flash by'), '"their rows flash by" after the first of them').toBeLessThan(Math.min(...flashing));
    // Each step stays on screen 2 s (× pace) before the next heading.
    const steps = timeline.data.checkpoints.filter((each) => each.pid === timeline.data.lessonPid);
    expect(steps.length).toBeGreaterThanOrEqual(7);
    for (let index = 1; index < steps.length; index++) {
      const [before, after] = [steps[index - 1]!, steps[index]!];
      expectSaidWhileShown(timeline, before.t, [{ from: before.t, to: after.t }], PACE, `${before.name} → ${after.name}`);
    }
  });

  claim('ends-clean', () => {
    expect(run.code).toBe(0);
    expect(run.timeline.leftovers()).toEqual([]);
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
