// Lesson 15: what the kernel showed, and what the processes and threads recorded.
import { existsSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { claim } from '../support/claims.js';
import { aliveStretch, expectSaidWhileShown, lineAt } from '../support/pace.js';
import type { ProcessHistory, Timeline } from '../../lib/observe/timeline.js';
import { PREDICT_PACE, runPredicting, type PredictRun } from '../support/predict.js';
import { ONE_SAMPLE, runLesson, stillRunning } from '../support/run-lesson.js';

const ADDERS = 4;
const PACE = PREDICT_PACE;

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
  // Run as a student predicting would (--predict): its one question is answered, and every claim
  // below must hold in that run as in any other.
  let run: PredictRun;
  let timeline: Timeline;
  beforeAll(async () => {
    run = await runPredicting('shared-memory', () => 'R');
    timeline = run.timeline;
  });

  const lessonPid = (): number => timeline.data.lessonPid;
  const proc = (pid: number): ProcessHistory => {
    const found = timeline.process(pid);
    expect(found, `pid ${pid} in the table`).toBeDefined();
    return found!;
  };
  /** The rounds of one kind: each round's adders and when they were told to go and to stop. */
  const rounds = (kind: 'plain' | 'atomic'): Array<{ adders: ProcessHistory[]; from: number; to: number }> => {
    const adding = timeline.data.facts.filter((each) => each.name === `${kind}.adding`);
    const stopped = timeline.data.facts.filter((each) => each.name === `${kind}.stopped`);
    expect(stopped).toHaveLength(adding.length);
    return adding.map((each, index) => ({ adders: (each.value as number[]).map(proc), from: each.t, to: stopped[index]!.t }));
  };
  /** The samples taken while they added in which all of them showed R. */
  const allRunning = (round: { adders: ProcessHistory[]; from: number; to: number }): number => {
    const stats = round.adders.map((adder) => timeline.statsBetween(adder, round.from, round.to));
    return stats[0]!.filter((_, index) => stats.every((each) => each[index]!.startsWith('R'))).length;
  };

  claim('child-row', () => {
    const [child] = children(timeline);
    expect(child!.title).toBe('child');
    expect(child!.firstParent).toBe(lessonPid());
    expect(child!.pid).not.toBe(lessonPid());
    expect(child!.record.exit).toMatchObject({ code: 0, signal: null });
    // it read, waited a second (× pace), then wrote and exited: in the table all that time
    const read = timeline.data.facts.find((each) => each.name === 'value.child.saw')!;
    expect(child!.record.exit!.t - read.t).toBeGreaterThanOrEqual(1000 * PACE);
    expect(child!.record.firstSeen).toBeLessThanOrEqual(read.t);
    expect(child!.record.gone!).toBeGreaterThanOrEqual(child!.record.exit!.t);
  });

  claim('child-shares', () => {
    expect(timeline.fact('value.child.saw')).toBe(5000);
    expect(timeline.fact('value.parent.after')).toBe(4264);
  });

  claim('array-shared', () => {
    const [, child] = children(timeline);
    expect(child!.title).toBe('array child');
    expect(child!.firstParent).toBe(lessonPid());
    const saw = timeline.data.facts.find((each) => each.name === 'array.child.saw')!;
    expect(saw.pid).toBe(child!.pid);
    expect(saw.value).toEqual({ ints: [1, 2, 3], chars: 'hello' });
    // the lesson read the child's write in its own memory while the child was alive in the table
    const seen = timeline.data.facts.find((each) => each.name === 'array.parent.saw')!;
    expect(seen.pid).toBe(lessonPid());
    expect(seen.value).toEqual({ ints: [1, 2, 3], chars: 'Hello', child: child!.pid });
    expect(seen.t).toBeGreaterThan(saw.t);
    expect(child!.record.firstSeen).toBeLessThan(seen.t);
    expect(child!.record.exit!.t).toBeGreaterThan(seen.t);
    expect(child!.record.gone!).toBeGreaterThan(seen.t);
    // alive: running, asleep, or (beside two busy loops, once) in an uninterruptible wait (D)
    expect(child!.statAt(seen.t)).toMatch(/^[RSD]/);
    expect(child!.record.exit).toMatchObject({ code: 0, signal: null });
    expect(child!.record.reapedBy).toBe(lessonPid());
  });

  claim('adders-together', () => {
    const plain = rounds('plain');
    expect(plain.length).toBeGreaterThanOrEqual(1);
    expect(plain.length).toBeLessThanOrEqual(3);
    for (const round of plain) {
      expect(round.adders).toHaveLength(ADDERS);
      for (const adder of round.adders) {
        expect(adder.title).toMatch(/^adder \d$/);
        expect(adder.firstParent).toBe(lessonPid());
        expect(adder.record.exit).toMatchObject({ code: 0, signal: null });
      }
      expect(allAliveAtOnce(round.adders)).toBe(true);
    }
  });

  claim('adders-running', () => {
    for (const round of rounds('plain')) expect(allRunning(round)).toBeGreaterThan(0);
  });

  claim('lost-updates', () => {
    // A round that lost nothing (the adders ran in turns on a busy machine) is said, and run again.
    const count = timeline.facts<number>('plain.adds').length;
    expect(count).toBeLessThanOrEqual(3);
    expect(rounds('plain')).toHaveLength(count);
    const totals = timeline.facts<number>('plain.total');
    expect(totals.slice(0, -1)).toEqual(timeline.facts<number>('plain.adds').slice(0, -1));
    const own = timeline.facts<{ adds: number }>('adder.plain').slice((count - 1) * ADDERS);
    expect(own).toHaveLength(ADDERS);
    for (const each of own) expect(each.adds).toBeGreaterThan(0);
    const adds = timeline.fact<number>('plain.adds')!;
    expect(adds).toBe(own.reduce((sum, each) => sum + each.adds, 0));
    expect(timeline.fact<number>('plain.total')).toBeLessThan(adds);
  });

  claim('atomic-exact', () => {
    const [round] = rounds('atomic');
    expect(rounds('atomic')).toHaveLength(1);
    expect(round!.adders).toHaveLength(ADDERS);
    expect(allAliveAtOnce(round!.adders)).toBe(true);
    expect(allRunning(round!)).toBeGreaterThan(0);
    const own = timeline.facts<{ adds: number }>('adder.atomic');
    expect(own).toHaveLength(ADDERS);
    const adds = timeline.fact<number>('atomic.adds')!;
    expect(adds).toBe(own.reduce((sum, each) => sum + each.adds, 0));
    expect(adds).toBeGreaterThan(0);
    expect(timeline.fact('atomic.total')).toBe(adds);
  });

  claim('threads-no-row', () => {
    // No process was born while the threads added: they are threads of the lesson's own process.
    const threadsFrom = timeline.checkpoint('Threads share a SharedArrayBuffer: one process')!.t;
    const threadsTo = timeline.checkpoint('A SharedArrayBuffer cannot go to another process')!.t;
    expect(timeline.processes().filter((each) => each.record.firstSeen > threadsFrom && each.record.firstSeen < threadsTo).map((each) => each.title)).toEqual([]);
    const pids = timeline.fact<number[]>('threads.pids')!;
    expect(pids).toEqual([lessonPid(), lessonPid()]);
    expect(timeline.fact('threads.expected')).toBe(2_000_000);
    expect(timeline.fact('threads.total')).toBe(2_000_000);
  });

  claim('said-while-shown', () => {
    const [, arrayChild] = children(timeline);
    expectSaidWhileShown(timeline, lineAt(timeline, "the child's write, while it still runs"), [aliveStretch(arrayChild!)], PACE, 'the array child, still running');
    // No new row: from the threads' step until the next process appears.
    const said = lineAt(timeline, 'No new row in the table.');
    const nextRow = Math.min(...timeline.processes().filter((each) => each.record.firstSeen > said).map((each) => each.record.firstSeen));
    const noNew = { from: timeline.checkpoint('Threads share a SharedArrayBuffer: one process')!.t, to: nextRow };
    expectSaidWhileShown(timeline, said, [noNew], PACE, 'no new row');
  });

  claim('two-receivers', () => {
    // Every receiver the lesson started is in the table: forkSelf reports each pid to the runner,
    // which samples at once, while the child is still starting Node.
    const pids = timeline.fact<number[]>('sab.receivers')!;
    expect(pids).toHaveLength(2);
    for (const pid of pids) {
      const receiver = proc(pid);
      expect(receiver.title).toBe('receiver');
      expect(receiver.firstParent).toBe(lessonPid());
      expect(receiver.record.exit).toMatchObject({ code: 0, signal: null });
    }
    // and the lesson's children, in the order the kernel started them, are exactly these
    const plainRounds = timeline.facts('plain.adds').length;
    const expected = ['child', 'array child', ...Array((plainRounds + 1) * ADDERS).fill('adder'), 'receiver', 'receiver'];
    expect(children(timeline).map((each) => each.title.replace(/ \d+$/, ''))).toEqual(expected);
    expect(timeline.fact('sab.json')).toEqual({ counter: {} });
    expect(timeline.fact<string>('sab.advanced')).toMatch(/could not be cloned/);
  });

  claim('nothing-left', () => {
    expect(run.code).toBe(0);
    expect(timeline.leftovers()).toEqual([]);
    expect(sharedMemoryLeft(timeline)).toEqual([]);
  });

  test("predict: adder 1's STAT while the four add, as the table showed it", () => {
    expect(run.questions).toHaveLength(1);
    const [question] = run.questions;
    const [first] = rounds('plain');
    const adder = first!.adders[0]!;
    expect(adder.title).toBe('adder 1');
    expect(question!.pid).toBe(adder.pid);
    const slack = ONE_SAMPLE * timeline.data.sampleIntervalMs;
    const at = question!.revealedAt!;
    const seen = adder.record.spans.filter((each) => each.to >= at - slack && each.from <= at + slack).map((each) => each.stat[0]);
    expect(seen).toContain(question!.actual);
    expect(question!.right).toBe(question!.actual === 'R');
    expect(run.stdout).toContain(`Predictions: ${question!.right ? 1 : 0} of 1 right.`);
  });
});

// After the full run, not beside it (see lesson 10's): these start adders that spin, and at
// the same moments as the full run's. Beside two busy loops, run beside it, the full run's table
// once showed the array child in no sample while the lesson read its write.
describe.runIf(process.platform === 'linux').concurrent('lesson 15 shared memory, interrupted', () => {
  // While the child has the memory mapped, and while the adders start on it.
  for (const point of ['I read 5000', '── 3.']) {
    claim('nothing-left', async () => {
      const run = await runLesson('shared-memory', { interruptAfter: point });
      expect(run.code).toBe(130);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(stillRunning(run.timeline)).toEqual([]);
      expect(sharedMemoryLeft(run.timeline)).toEqual([]);
    }, 40_000);
  }
});
