// Lesson 14: what the kernel showed, and what the buyers and workers recorded.
import { existsSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { ProcessHistory, Timeline } from '../../lib/observe/timeline.js';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';

const STOCK = 3;
const BUYERS = 6;
const LIMIT = 2;
const WORKERS = 6;

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
  let run: LessonRun;
  let timeline: Timeline;
  beforeAll(async () => {
    run = await runLesson('locks');
    timeline = run.timeline;
  });

  test('the lesson ends cleanly and leaves nothing behind', () => {
    expect(run.code).toBe(0);
    expect(timeline.leftovers()).toEqual([]);
    expect(semaphoreLeft(timeline)).toEqual([]);
  });

  test('without a lock six buyers, all alive at once, sell six of three tickets', () => {
    const buyers = groups(timeline).race;
    for (const buyer of buyers) {
      expect(buyer.title).toMatch(/^buyer \d/);
      expect(buyer.record.exit).toMatchObject({ code: 0, signal: null });
    }
    // Concurrent: every buyer appeared before the first one was gone.
    const firstGone = Math.min(...buyers.map((buyer) => buyer.record.gone!));
    expect(Math.max(...buyers.map((buyer) => buyer.record.firstSeen))).toBeLessThan(firstGone);
    const race = timeline.facts<{ mode: string; saw: number; bought: boolean }>('buyer').filter((each) => each.mode === 'race');
    expect(race.map((each) => each.saw)).toEqual(Array(BUYERS).fill(STOCK));
    expect(timeline.fact('stock')).toBe(STOCK);
    expect(timeline.fact<number>('sold.race')).toBeGreaterThan(STOCK);
    expect(timeline.fact('sold.race')).toBe(BUYERS);
    expect(timeline.fact('left.race')).toBe(STOCK - 1);
  });

  test('with flock they sell exactly the stock, each buyer seeing the previous one\'s write', () => {
    const buyers = groups(timeline).lock;
    for (const buyer of buyers) expect(buyer.record.exit).toMatchObject({ code: 0, signal: null });
    expect(timeline.fact('sold.lock')).toBe(STOCK);
    expect(timeline.fact('left.lock')).toBe(0);
    const locked = timeline.facts<{ mode: string; saw: number }>('buyer').filter((each) => each.mode === 'lock');
    expect(locked.map((each) => each.saw).sort()).toEqual([0, 0, 0, 1, 2, 3]);
  });

  test('a lock file stays after its holder is killed: still refused at the deadline', () => {
    const holder = groups(timeline).lockFileHolder;
    expect(holder.title).toContain('lock file');
    expect(holder.record.exit).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(timeline.fact('lockfile.beforeKill')).toBe(false);
    const after = timeline.fact<{ taken: boolean; tries: number; holder: number; ownerAlive: boolean }>('lockfile.afterKill')!;
    expect(after.holder).toBe(holder.pid);
    expect(after).toMatchObject({ taken: false, ownerAlive: false });
    expect(after.tries).toBeGreaterThan(1);
    // The holder was dead (its parent had its exit status) before the tries ended.
    expect(holder.record.exit!.t).toBeLessThanOrEqual(factTime(timeline, 'lockfile.afterKill'));
  });

  test('a flock is released by the kernel when its holder is killed', () => {
    const holder = groups(timeline).flockHolder;
    expect(holder.title).toContain('flock');
    expect(holder.record.exit).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(timeline.fact('flock.beforeKill')).toBe(false);
    expect(timeline.fact('flock.afterKill')).toEqual({ taken: true, holder: holder.pid });
    expect(holder.record.exit!.t).toBeLessThanOrEqual(factTime(timeline, 'flock.afterKill'));
  });

  test(`the semaphore lets at most ${LIMIT} workers hold it at once, and it reached ${LIMIT}`, () => {
    const workers = groups(timeline).workers;
    for (const worker of workers) expect(worker.title).toMatch(/^worker \d/);
    for (const worker of workers) expect(worker.record.exit).toMatchObject({ code: 0, signal: null });
    const holds = timeline.facts<{ worker: number; from: number; to: number }>('sem.hold');
    expect(holds.map((hold) => hold.worker).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    // Recount from the workers' own times (taken after sem_wait returned and before sem_post).
    const edges = holds.flatMap((hold): Array<[number, number]> => [[hold.from, 1], [hold.to, -1]]);
    edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let now = 0;
    let most = 0;
    for (const [, change] of edges) most = Math.max(most, (now += change));
    expect(most).toBeLessThanOrEqual(LIMIT);
    expect(most).toBe(LIMIT);
    expect(timeline.fact('sem.maxHolders')).toBe(most);
    expect(timeline.fact('sem.limit')).toBe(LIMIT);
  });
});

describe('lesson 14 locks, interrupted', () => {
  // In step 2 buyers sleep inside flock(); at "EEXIST" a lock file exists in the run's folder;
  // after "sem_open(" the semaphore's name exists and workers sleep inside sem_wait(). Ctrl-C must
  // end them all and remove the file and the name.
  for (const point of ['── 2.', 'EEXIST', 'sem_open(']) {
    test(`Ctrl-C at "${point}" leaves nothing running and no semaphore`, async () => {
      const run = await runLesson('locks', { interruptAfter: point });
      expect(run.code).toBe(130);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(stillRunning(run.timeline)).toEqual([]);
      expect(semaphoreLeft(run.timeline)).toEqual([]);
    });
  }
});
