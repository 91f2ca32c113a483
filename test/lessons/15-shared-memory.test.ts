// Lesson 15: what the kernel showed, and what the processes and threads recorded.
import { existsSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { ProcessHistory, Timeline } from '../../lib/observe/timeline.js';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';

const ADDERS = 4;

/** Anything of this run left in /dev/shm. */
function sharedMemoryLeft(timeline: Timeline): string[] {
  if (!existsSync('/dev/shm')) return [];
  return readdirSync('/dev/shm').filter((name) => name.includes(`procbook-shm-${timeline.data.lessonPid}`));
}

/** The lesson's children in the order the kernel started them. */
function children(timeline: Timeline): ProcessHistory[] {
  return timeline.lesson!.children().sort((a, b) => a.record.startTicks - b.record.startTicks || a.pid - b.pid);
}

function allAliveAtOnce(processes: ProcessHistory[]): boolean {
  const firstGone = Math.min(...processes.map((each) => each.record.gone ?? Infinity));
  return Math.max(...processes.map((each) => each.record.firstSeen)) < firstGone;
}

describe.runIf(process.platform === 'linux')('lesson 15 shared memory', () => {
  let run: LessonRun;
  let timeline: Timeline;
  beforeAll(async () => {
    run = await runLesson('shared-memory');
    timeline = run.timeline;
  });

  test('the lesson ends cleanly and leaves nothing in /dev/shm', () => {
    expect(run.code).toBe(0);
    expect(timeline.leftovers()).toEqual([]);
    expect(sharedMemoryLeft(timeline)).toEqual([]);
  });

  test('the kernel saw only processes for the process steps: the threads made none', () => {
    // child, 4 plain adders (per round), 4 atomic adders, 2 receivers. The two worker threads are not here.
    const titles = children(timeline).map((each) => each.title.replace(/ \d+$/, ''));
    const seen = JSON.stringify(children(timeline).map((each) => [each.pid, each.title, each.record.firstSeen, each.statSequence()]));
    const plainRounds = timeline.facts('plain.adds').length;
    const processSteps = ['child', ...Array((plainRounds + 1) * ADDERS).fill('adder')];
    expect(titles.slice(0, processSteps.length), seen).toEqual(processSteps);
    // A receiver lives only as long as Node takes to start and hang up (about 50 ms): on a machine
    // overloaded with other tests the sampler may miss one.
    const receivers = titles.slice(processSteps.length);
    expect(receivers.length, seen).toBeGreaterThanOrEqual(1);
    expect(receivers, seen).toEqual(Array(receivers.length).fill('receiver'));
    expect(receivers.length, seen).toBeLessThanOrEqual(2);
    // No process was born while the threads added: they are threads of the lesson's own process.
    const threadsFrom = timeline.checkpoint('Threads share a SharedArrayBuffer: one process')!.t;
    const threadsTo = timeline.checkpoint('A SharedArrayBuffer cannot go to another process')!.t;
    expect(children(timeline).filter((each) => each.record.firstSeen > threadsFrom && each.record.firstSeen < threadsTo).map((each) => each.pid), seen).toEqual([]);
    for (const each of children(timeline)) expect(each.record.exit, `${each.pid} ${each.title}`).toMatchObject({ code: 0, signal: null });
    const pids = timeline.fact<number[]>('threads.pids')!;
    expect(pids).toEqual([timeline.data.lessonPid, timeline.data.lessonPid]);
    expect(timeline.fact('threads.total')).toBe(timeline.fact('threads.expected'));
  });

  test("a child process reads the parent's write and the parent reads the child's", () => {
    expect(timeline.fact('value.child.saw')).toBe(5000);
    expect(timeline.fact('value.parent.after')).toBe(4264);
    const [child] = children(timeline);
    expect(child!.firstParent).toBe(timeline.data.lessonPid);
    expect(child!.pid).not.toBe(timeline.data.lessonPid);
  });

  test('plain increments from processes running at once lose updates', () => {
    // A round that lost nothing (the adders ran in turns on a busy machine) is said, and run again.
    const rounds = timeline.facts<number>('plain.adds').length;
    expect(rounds).toBeLessThanOrEqual(3);
    const totals = timeline.facts<number>('plain.total');
    expect(totals.slice(0, -1)).toEqual(timeline.facts<number>('plain.adds').slice(0, -1));
    const adders = children(timeline).slice(1 + (rounds - 1) * ADDERS, 1 + rounds * ADDERS);
    expect(allAliveAtOnce(adders)).toBe(true);
    const own = timeline.facts<{ adds: number }>('adder.plain').slice((rounds - 1) * ADDERS);
    expect(own).toHaveLength(ADDERS);
    for (const each of own) expect(each.adds).toBeGreaterThan(0);
    const adds = timeline.fact<number>('plain.adds')!;
    expect(adds).toBe(own.reduce((sum, each) => sum + each.adds, 0));
    expect(timeline.fact<number>('plain.total')).toBeLessThan(adds);
  });

  test('Atomics.add from processes running at once gives the exact total', () => {
    const plainRounds = timeline.facts('plain.adds').length;
    const adders = children(timeline).slice(1 + plainRounds * ADDERS, 1 + (plainRounds + 1) * ADDERS);
    expect(allAliveAtOnce(adders)).toBe(true);
    const own = timeline.facts<{ adds: number }>('adder.atomic');
    expect(own).toHaveLength(ADDERS);
    const adds = timeline.fact<number>('atomic.adds')!;
    expect(adds).toBe(own.reduce((sum, each) => sum + each.adds, 0));
    expect(adds).toBeGreaterThan(0);
    expect(timeline.fact('atomic.total')).toBe(adds);
  });

  test('a SharedArrayBuffer does not reach a child process', () => {
    expect(timeline.fact('sab.json')).toEqual({ counter: {} });
    expect(timeline.fact<string>('sab.advanced')).toMatch(/could not be cloned/);
  });
});

describe.runIf(process.platform === 'linux')('lesson 15 shared memory, interrupted', () => {
  // While the child has the memory mapped, and while the adders start on it.
  for (const point of ['I read 5000', '── 2.']) {
    test(`Ctrl-C at "${point}" leaves nothing running and nothing in /dev/shm`, async () => {
      const run = await runLesson('shared-memory', { interruptAfter: point });
      expect(run.code).toBe(130);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(stillRunning(run.timeline)).toEqual([]);
      expect(sharedMemoryLeft(run.timeline)).toEqual([]);
    });
  }
});
