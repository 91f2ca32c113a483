// Lesson 14: what the kernel showed, and what the buyers and workers recorded.
import { existsSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { claim } from '../support/claims.js';
import { aliveStretch, expectSaidWhileShown, lineAt, type Stretch } from '../support/pace.js';
import type { ProcessHistory, Timeline } from '../../lib/observe/timeline.js';
import { runLesson, stillRunning } from '../support/run-lesson.js';
import { PREDICT_PACE, runPredicting, type PredictRun } from '../support/predict.js';

const STOCK = 3;
const BUYERS = 6;
const LIMIT = 2;
const WORKERS = 6;
const PACE = PREDICT_PACE;

/**
 * The lesson's children in the order the kernel started them, cut into the lesson's groups:
 * 6 buyers without a lock, 6 with, the lock-file holder, the flock holder, 6 workers.
 */
function groups(timeline: Timeline): { race: ProcessHistory[]; lock: ProcessHistory[]; lockFileHolder: ProcessHistory; flockHolder: ProcessHistory; workers: ProcessHistory[] } {
  const children = timeline.lesson!.children().sort((a, b) => a.record.startTicks - b.record.startTicks || a.pid - b.pid);
  expect(children).toHaveLength(2 * BUYERS + 2 + WORKERS);
  return {
    race: children.slice(0, BUYERS),
    lock: children.slice(BUYERS, 2 * BUYERS),
    lockFileHolder: children[2 * BUYERS]!,
    flockHolder: children[2 * BUYERS + 1]!,
    workers: children.slice(2 * BUYERS + 2),
  };
}

function factTime(timeline: Timeline, name: string): number {
  return timeline.data.facts.find((fact) => fact.name === name)!.t;
}

/** Nothing of this run's semaphore is left in /dev/shm. */
function semaphoreLeft(timeline: Timeline): string[] {
  if (!existsSync('/dev/shm')) return [];
  return readdirSync('/dev/shm').filter((name) => name.includes(`procbook-locks-${timeline.data.lessonPid}`));
}

describe('lesson 14 locks', () => {
  // Run as a student predicting would (--predict): its one question is answered, and every claim
  // below must hold in that run as in any other.
  let run: PredictRun;
  let timeline: Timeline;
  beforeAll(async () => {
    run = await runPredicting('locks', () => 'zombie');
    timeline = run.timeline;
  });

  /** Per sample: the living rows of these processes whose title the table showed ending with `suffix`, with their STAT. */
  const titledRows = (rows: ProcessHistory[], suffix: string): Array<{ t: number; rows: Array<{ title: string; stat: string }> }> =>
    timeline.sampleTimes().map((t) => ({
      t,
      rows: rows.flatMap((row) => {
        const title = timeline.titleAt(row, t);
        const [stat = ''] = timeline.statsBetween(row, t, t + 0.01);
        return title.endsWith(suffix) && stat !== '' && !stat.startsWith('Z') ? [{ title, stat }] : [];
      }),
    }));

  /** From the first sample that showed one of these rows titled `…suffix` to the first sample after the last one that did. */
  const titledStretch = (rows: ProcessHistory[], suffix: string): Stretch[] => {
    const samples = titledRows(rows, suffix).filter((sample) => sample.rows.length > 0).map((sample) => sample.t);
    if (samples.length === 0) return [];
    const last = samples.at(-1)!;
    return [{ from: samples[0]!, to: timeline.sampleAfter(last) ?? last }];
  };

  claim('race-six-buyers', () => {
    const buyers = groups(timeline).race;
    for (const buyer of buyers) {
      expect(buyer.title).toMatch(/^buyer \d$/);
      expect(buyer.firstParent).toBe(timeline.data.lessonPid);
      expect(buyer.record.exit).toMatchObject({ code: 0, signal: null });
    }
    expect(timeline.lesson!.title).toBe('ticket office');
    // Concurrent: every buyer appeared before the first one was gone.
    const firstGone = Math.min(...buyers.map((buyer) => buyer.record.gone!));
    expect(Math.max(...buyers.map((buyer) => buyer.record.firstSeen))).toBeLessThan(firstGone);
  });

  claim('race-oversold', () => {
    const race = timeline.facts<{ mode: string; saw: number; bought: boolean }>('buyer').filter((each) => each.mode === 'race');
    expect(race.map((each) => each.saw)).toEqual(Array(BUYERS).fill(STOCK));
    expect(race.every((each) => each.bought)).toBe(true);
    expect(timeline.fact('stock')).toBe(STOCK);
    expect(timeline.fact<number>('sold.race')).toBeGreaterThan(STOCK);
    expect(timeline.fact('sold.race')).toBe(BUYERS);
    expect(timeline.fact('left.race')).toBe(STOCK - 1);
  });

  claim('lock-one-holder', () => {
    const buyers = groups(timeline).lock;
    // the titles the observer read from /proc, sample by sample
    const locked = titledRows(buyers, '(lock)');
    expect(Math.max(...locked.map((sample) => sample.rows.length))).toBeGreaterThanOrEqual(1);
    // A sample reads one process after another: one that catches the handover may read the
    // leaving holder before it renamed and the next one after it did. Two rows, then, only as the
    // last sample of one holder and the first of the next; never the same two in two samples.
    locked.forEach((sample, index) => {
      if (sample.rows.length <= 1) return;
      expect(sample.rows.length, JSON.stringify(sample)).toBe(2);
      const before = new Set((locked[index - 1]?.rows ?? []).map((row) => row.title));
      const after = new Set((locked[index + 1]?.rows ?? []).map((row) => row.title));
      const [first, second] = sample.rows.map((row) => row.title);
      const handover = (before.has(first!) && !after.has(first!) && !before.has(second!)) || (before.has(second!) && !after.has(second!) && !before.has(first!));
      expect(handover, JSON.stringify([locked[index - 1], sample, locked[index + 1]])).toBe(true);
    });
    for (const buyer of buyers) expect(buyer.record.exit).toMatchObject({ code: 0, signal: null });
  });

  claim('lock-others-wait', () => {
    const buyers = groups(timeline).lock;
    const locked = titledRows(buyers, '(lock)');
    const waiting = titledRows(buyers, '(wait)');
    const both = locked.filter((sample, index) => sample.rows.length === 1 && waiting[index]!.rows.some((row) => row.stat.startsWith('S')));
    expect(both.length).toBeGreaterThan(0);
  });

  claim('lock-exact', () => {
    expect(timeline.fact('sold.lock')).toBe(STOCK);
    expect(timeline.fact('left.lock')).toBe(0);
    const locked = timeline.facts<{ mode: string; saw: number }>('buyer').filter((each) => each.mode === 'lock');
    expect(locked.map((each) => each.saw).sort()).toEqual([0, 0, 0, 1, 2, 3]);
  });

  claim('lockfile-refused', () => {
    const holder = groups(timeline).lockFileHolder;
    expect(holder.title).toBe('buyer (holds lock file)');
    expect(timeline.fact('lockfile.beforeKill')).toBe(false);
  });

  claim('lockfile-stale', () => {
    const holder = groups(timeline).lockFileHolder;
    expect(holder.record.exit).toMatchObject({ code: null, signal: 'SIGKILL' });
    const after = timeline.fact<{ taken: boolean; tries: number; holder: number; ownerAlive: boolean }>('lockfile.afterKill')!;
    expect(after.holder).toBe(holder.pid);
    expect(after).toMatchObject({ taken: false, ownerAlive: false });
    expect(after.tries).toBeGreaterThan(1);
    // The holder was dead (its parent had its exit status) before the office began its 1.5 s (× pace) of tries.
    expect(factTime(timeline, 'lockfile.afterKill') - holder.record.exit!.t).toBeGreaterThanOrEqual(1500 * PACE - 1);
  });

  claim('flock-released', () => {
    const holder = groups(timeline).flockHolder;
    expect(holder.title).toBe('buyer (holds flock)');
    expect(holder.record.exit).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(timeline.fact('flock.beforeKill')).toBe(false);
    expect(timeline.fact('flock.afterKill')).toEqual({ taken: true, holder: holder.pid });
    expect(holder.record.exit!.t).toBeLessThanOrEqual(factTime(timeline, 'flock.afterKill'));
  });

  claim('sem-two-holders', () => {
    const workers = groups(timeline).workers;
    for (const worker of workers) {
      expect(worker.title).toMatch(/^worker \d/);
      expect(worker.firstParent).toBe(timeline.data.lessonPid);
      expect(worker.record.exit).toMatchObject({ code: 0, signal: null });
    }
    const holding = titledRows(workers, '(holds)');
    expect(Math.max(...holding.map((sample) => sample.rows.length))).toBe(LIMIT);
  });

  claim('sem-measured', () => {
    const holds = timeline.facts<{ worker: number; from: number; to: number }>('sem.hold');
    expect(holds.map((hold) => hold.worker).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    // Recount from the workers' own times (taken after sem_wait returned and before sem_post).
    const edges = holds.flatMap((hold): Array<[number, number]> => [[hold.from, 1], [hold.to, -1]]);
    edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let now = 0;
    let most = 0;
    for (const [, change] of edges) most = Math.max(most, (now += change));
    expect(most).toBe(LIMIT);
    expect(timeline.fact('sem.maxHolders')).toBe(most);
    expect(timeline.fact('sem.limit')).toBe(LIMIT);
    expect(run.stdout).toContain(`most workers holding it at the same moment: ${LIMIT} (limit ${LIMIT}).`);
  });

  claim('said-while-shown', () => {
    const { lock, lockFileHolder, flockHolder, workers } = groups(timeline);
    expectSaidWhileShown(timeline, lineAt(timeline, 'one buyer has the (lock), the others (wait)'), titledStretch(lock, '(lock)'), PACE, 'the lock changing hands');
    expectSaidWhileShown(timeline, lineAt(timeline, "(O_CREAT|O_EXCL): it holds the lock."), [aliveStretch(lockFileHolder)], PACE, 'the lock file holder');
    expectSaidWhileShown(timeline, lineAt(timeline, 'holds flock on tickets.json'), [aliveStretch(flockHolder)], PACE, 'the flock holder');
    expectSaidWhileShown(timeline, lineAt(timeline, 'no unit left, the rest wait'), titledStretch(workers, '(waits)'), PACE, 'the workers waiting');
  });

  claim('nothing-left', () => {
    expect(run.code).toBe(0);
    expect(timeline.leftovers()).toEqual([]);
    expect(semaphoreLeft(timeline)).toEqual([]);
  });

  test('predict: the killed holder of the lock file at the next step, as the table showed it', () => {
    expect(run.questions).toHaveLength(1);
    const [question] = run.questions;
    const holder = timeline.fact<{ holder: number }>('lockfile.afterKill')!.holder;
    expect(question!.pid).toBe(holder);
    // read when the lesson reached its next step: the process gone, its lock file still refusing
    expect(question!.dueAt!).toBeGreaterThanOrEqual(timeline.checkpoint('flock: the kernel lets go when the holder dies')!.t);
    expect(timeline.process(holder)!.record.exit).toMatchObject({ signal: 'SIGKILL' });
    expect(question!).toMatchObject({ ask: 'alive', actual: 'gone', answer: 'zombie', right: false });
    expect(timeline.fact('lockfile.afterKill')).toMatchObject({ taken: false, ownerAlive: false });
  });
});

describe.concurrent('lesson 14 locks, interrupted', () => {
  // In step 2 buyers sleep inside flock(); at "EEXIST" a lock file exists in the run's folder;
  // after "sem_open(" the semaphore's name exists and workers sleep inside sem_wait(). Ctrl-C must
  // end them all and remove the file and the name.
  for (const point of ['── 2.', 'EEXIST', 'sem_open(']) {
    claim('nothing-left', async () => {
      const run = await runLesson('locks', { interruptAfter: point });
      expect(run.code).toBe(130);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(stillRunning(run.timeline)).toEqual([]);
      expect(semaphoreLeft(run.timeline)).toEqual([]);
    }, 40_000);
  }
});
