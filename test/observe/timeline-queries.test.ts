// The timeline's queries, on a hand-written record: every filter, every boundary. The lesson tests
// state their claims through these (`timeIn('Z', { ppid })`, `reparentings()` …): a query that
// ignores its filter or counts one sample too many would let a wrong claim pass there.
import { describe, expect, test } from 'vitest';
import { Timeline, emptyTimeline, type ProcessRecord, type TimelineData } from '../../lib/observe/timeline.js';

const LESSON = 100;
const RUNNER = 1;

function record(pid: number, fields: Partial<ProcessRecord> & Pick<ProcessRecord, 'spans'>): ProcessRecord {
  return {
    id: `${pid}@${fields.startTicks ?? 1}`,
    pid,
    startTicks: 1,
    firstSeen: fields.spans[0]!.from,
    title: `process ${pid}`,
    executable: '/usr/bin/node',
    pgid: LESSON,
    sid: LESSON,
    events: [],
    ...fields,
  };
}

/**
 * Samples every 50 ms from 0 to 1000, one late (none between 600 and 800).
 *  100 the lesson: Ssl under the runner the whole run.
 *  200 a child: S under 100 [50, 300), a reapable Z under 100 [300, 450), reaped at 450.
 *  201 an orphan: S under 100 [50, 200), S under the runner [200, 500), Zl under the runner
 *      [500, 550), Z under the runner [550, 600), reaped at 600.
 *  202 a child that renamed itself twice and exec'd once; still there at the end.
 *  200 again (the pid reused): a new process from 850, under the runner.
 */
function data(): TimelineData {
  const timeline = emptyTimeline(LESSON, RUNNER, 50);
  timeline.sampleTimes = [0, 50, 100, 150, 200, 250, 300, 350, 400, 450, 500, 550, 600, 800, 850, 900, 950, 1000];
  timeline.sampleCount = timeline.sampleTimes.length;
  timeline.processes.push(
    record(LESSON, { spans: [{ from: 0, to: 1000, stat: 'Ssl', ppid: RUNNER }], title: 'lesson', events: [{ t: 0, kind: 'new', detail: RUNNER }] }),
    record(200, {
      spans: [
        { from: 50, to: 300, stat: 'S', ppid: LESSON },
        { from: 300, to: 450, stat: 'Z', ppid: LESSON },
      ],
      gone: 450,
      reapedBy: LESSON,
      events: [
        { t: 50, kind: 'new', detail: LESSON },
        { t: 300, kind: 'state', detail: 'Z' },
        { t: 300, kind: 'zombie' },
        { t: 300, kind: 'exited' },
        { t: 450, kind: 'reaped', detail: LESSON },
      ],
      exit: { t: 300, code: 3, signal: null, source: 'kernel' },
    }),
    record(201, {
      spans: [
        { from: 50, to: 200, stat: 'S', ppid: LESSON },
        { from: 200, to: 500, stat: 'S', ppid: RUNNER },
        { from: 500, to: 550, stat: 'Zl', ppid: RUNNER },
        { from: 550, to: 600, stat: 'Z', ppid: RUNNER },
      ],
      gone: 600,
      title: 'orphan',
      events: [
        { t: 50, kind: 'new', detail: LESSON },
        { t: 200, kind: 'reparented', detail: RUNNER },
        { t: 500, kind: 'zombie' },
        { t: 600, kind: 'reaped', detail: RUNNER },
      ],
    }),
    record(202, {
      spans: [
        { from: 100, to: 250, stat: 'R', ppid: LESSON },
        { from: 250, to: 400, stat: 'Sl', ppid: LESSON },
        { from: 400, to: 500, stat: 'Sl', ppid: RUNNER },
        { from: 500, to: 1000, stat: 'Sl', ppid: LESSON },
        { from: 1000, to: 1000, stat: 'R', ppid: LESSON },
      ],
      title: 'worker two',
      firstTitle: 'node lessons/x.ts',
      events: [
        { t: 100, kind: 'new', detail: LESSON },
        { t: 250, kind: 'title', detail: 'worker one' },
        { t: 300, kind: 'exec', detail: '/bin/sleep 5' },
        { t: 300, kind: 'title', detail: 'worker two' },
      ],
    }),
    record(200, { startTicks: 90, spans: [{ from: 850, to: 1000, stat: 'S', ppid: RUNNER }], title: 'the new 200' }),
  );
  timeline.checkpoints.push({ t: 10, name: 'forked', pid: LESSON }, { t: 20, name: 'forked', pid: 200 }, { t: 30, name: 'waited', pid: LESSON });
  timeline.facts.push(
    { t: 5, name: 'pid', value: 200, pid: LESSON },
    { t: 6, name: 'pid', value: 201, pid: LESSON },
    { t: 7, name: 'other', value: 'x', pid: LESSON },
    { t: 8, name: 'pid', value: 202, pid: LESSON },
  );
  timeline.output.push({ t: 1, stream: 'stdout', text: 'one' }, { t: 2, stream: 'stderr', text: 'two' });
  return timeline;
}

const timeline = new Timeline(data());
const child = timeline.processes()[1]!; // the first 200
const orphan = timeline.process(201)!;
const renamed = timeline.process(202)!;

describe('which process', () => {
  test('process(pid) is the newest process with that pid; the first one is still in processes()', () => {
    expect(timeline.process(200)!.title).toBe('the new 200');
    expect(child.title).toBe('process 200');
    expect(timeline.processes().map((each) => each.record.id)).toEqual(['100@1', '200@1', '201@1', '202@1', '200@90']);
    expect(timeline.process(999)).toBeUndefined();
  });

  test('the lesson is the process with the lesson pid', () => {
    expect(timeline.lesson!.title).toBe('lesson');
    expect(new Timeline(emptyTimeline(5, 1, 50)).lesson).toBeUndefined();
  });

  test('titled finds every process whose title contains the text', () => {
    expect(timeline.titled('worker').map((each) => each.pid)).toEqual([202]);
    expect(timeline.titled('200').map((each) => each.record.id)).toEqual(['200@1', '200@90']);
    expect(timeline.titled('nobody')).toEqual([]);
  });

  test('children are the processes born to it (their first parent), even once re-parented', () => {
    expect(timeline.lesson!.children().map((each) => each.record.id)).toEqual(['200@1', '201@1', '202@1']);
    expect(orphan.children()).toEqual([]);
    expect(timeline.process(RUNNER)).toBeUndefined();
  });

  test('first and last parent', () => {
    expect(orphan.firstParent).toBe(LESSON);
    expect(orphan.lastParent).toBe(RUNNER);
    expect(renamed.lastParent).toBe(LESSON);
    const moved = new Timeline({
      ...emptyTimeline(1, 2, 50),
      processes: [record(7, { spans: [{ from: 0, to: 1, stat: 'S', ppid: 3 }, { from: 1, to: 2, stat: 'S', ppid: 4 }, { from: 2, to: 3, stat: 'S', ppid: 5 }] })],
    }).process(7)!;
    expect([moved.firstParent, moved.lastParent]).toEqual([3, 5]);
    const empty = new Timeline({ ...emptyTimeline(1, 2, 50), processes: [record(7, { spans: [{ from: 0, to: 0, stat: 'S', ppid: 3 }] })] }).process(7)!;
    empty.record.spans = [];
    expect(empty.firstParent).toBe(0);
    expect(empty.lastParent).toBe(0);
  });

  test('leftovers are the processes never reaped', () => {
    expect(timeline.leftovers().map((each) => each.record.id)).toEqual(['100@1', '202@1', '200@90']);
  });

  test('pid and title read the record', () => {
    expect(orphan.pid).toBe(201);
    expect(orphan.title).toBe('orphan');
  });
});

describe('states, with and without a parent filter', () => {
  test('spansIn matches the STAT by its first letter, and the parent when asked', () => {
    expect(orphan.spansIn('S').map((span) => span.from)).toEqual([50, 200]);
    expect(orphan.spansIn('S', { ppid: LESSON }).map((span) => span.from)).toEqual([50]);
    expect(orphan.spansIn('S', { ppid: RUNNER }).map((span) => span.from)).toEqual([200]);
    expect(orphan.spansIn('Z').map((span) => span.stat)).toEqual(['Zl', 'Z']);
    expect(orphan.spansIn('Z', { ppid: LESSON })).toEqual([]);
    expect(renamed.spansIn('S').map((span) => span.from)).toEqual([250, 400, 500]);
    expect(renamed.spansIn('l')).toEqual([]); // a modifier is not a state
    expect(orphan.spansIn('Zl').map((span) => span.from)).toEqual([500]);
  });

  test('timeIn adds up the spans in that state, only under that parent when asked', () => {
    expect(orphan.timeIn('S')).toBe(450);
    expect(orphan.timeIn('S', { ppid: LESSON })).toBe(150);
    expect(orphan.timeIn('S', { ppid: RUNNER })).toBe(300);
    expect(orphan.timeIn('Z')).toBe(100);
    expect(orphan.timeIn('Z', { ppid: LESSON })).toBe(0);
    expect(child.timeIn('Z', { ppid: LESSON })).toBe(150);
    expect(child.timeIn('R')).toBe(0);
  });

  test('everIn: seen in that state at all, under that parent when asked', () => {
    expect(orphan.everIn('Z')).toBe(true);
    expect(orphan.everIn('Z', { ppid: RUNNER })).toBe(true);
    expect(orphan.everIn('Z', { ppid: LESSON })).toBe(false);
    expect(child.everIn('R')).toBe(false);
  });

  test('samplesIn counts the samples that showed it so, under that parent when asked', () => {
    // [50, 200): 50 100 150; [200, 500): 200 … 450.
    expect(orphan.samplesIn('S')).toBe(9);
    expect(orphan.samplesIn('S', { ppid: LESSON })).toBe(3);
    expect(orphan.samplesIn('S', { ppid: RUNNER })).toBe(6);
    expect(timeline.samplesIn(orphan, 'S')).toBe(9);
    expect(timeline.samplesIn(orphan, 'S', { ppid: LESSON })).toBe(3);
    expect(timeline.samplesIn(orphan, 'Z', { ppid: LESSON })).toBe(0);
    expect(timeline.samplesIn(orphan, 'Z')).toBe(2);
  });

  test('a reapable zombie is a plain Z: Zl (threads still ending) does not count', () => {
    expect(orphan.reapableZombieTime()).toBe(50);
    expect(orphan.reapableZombieSamples()).toBe(1);
    expect(child.reapableZombieTime()).toBe(150);
    expect(child.reapableZombieSamples()).toBe(3); // 300 350 400
    expect(renamed.reapableZombieTime()).toBe(0);
    expect(renamed.reapableZombieSamples()).toBe(0);
  });

  test('statAt is the span that holds t: from included, to excluded', () => {
    expect(orphan.statAt(49)).toBeUndefined();
    expect(orphan.statAt(50)).toBe('S');
    expect(orphan.statAt(499)).toBe('S');
    expect(orphan.statAt(500)).toBe('Zl');
    expect(orphan.statAt(550)).toBe('Z');
    expect(orphan.statAt(600)).toBeUndefined();
  });

  test('statSequence lists each STAT once per stretch, a return to an earlier one again', () => {
    expect(orphan.statSequence()).toEqual(['S', 'Zl', 'Z']);
    expect(renamed.statSequence()).toEqual(['R', 'Sl', 'R']);
  });
});

describe('parents and events', () => {
  test('reparentings: each change of parent, when the first span under the new one began', () => {
    expect(orphan.reparentings()).toEqual([{ t: 200, from: LESSON, to: RUNNER }]);
    expect(renamed.reparentings()).toEqual([
      { t: 400, from: LESSON, to: RUNNER },
      { t: 500, from: RUNNER, to: LESSON },
    ]);
    expect(child.reparentings()).toEqual([]); // a change of STAT alone is not one
  });

  test('when is the time of the first event of that kind', () => {
    expect(child.when('zombie')).toBe(300);
    expect(renamed.when('title')).toBe(250);
    expect(renamed.when('reaped')).toBeUndefined();
  });

  test("titleAt: the title the table showed then, '' outside the process's life", () => {
    expect(timeline.titleAt(renamed, 99)).toBe('');
    expect(timeline.titleAt(renamed, 100)).toBe('node lessons/x.ts');
    expect(timeline.titleAt(renamed, 249)).toBe('node lessons/x.ts');
    expect(timeline.titleAt(renamed, 250)).toBe('worker one');
    expect(timeline.titleAt(renamed, 300)).toBe('worker two'); // two renames at once: the table showed the second
    expect(timeline.titleAt(renamed, 5000)).toBe('worker two');
    expect(timeline.titleAt(orphan, 599)).toBe('orphan');
    expect(timeline.titleAt(orphan, 600)).toBe('');
  });

  test('titleAt without a first title: the title if it never changed, else nothing known before the first change', () => {
    const never = record(7, { spans: [{ from: 0, to: 10, stat: 'S', ppid: 1 }], title: 'steady' });
    const changed = record(8, { spans: [{ from: 0, to: 10, stat: 'S', ppid: 1 }], title: 'later', events: [{ t: 5, kind: 'exec', detail: 'later' }] });
    const named = record(9, { spans: [{ from: 0, to: 10, stat: 'S', ppid: 1 }], title: 'named', events: [{ t: 5, kind: 'title', detail: 'named' }] });
    const old = new Timeline({ ...emptyTimeline(1, 2, 50), processes: [never, changed, named] });
    expect(old.titleAt(old.process(9)!, 3)).toBe('');
    expect(old.titleAt(old.process(7)!, 3)).toBe('steady');
    expect(old.titleAt(old.process(8)!, 3)).toBe('');
    expect(old.titleAt(old.process(8)!, 5)).toBe('later');
  });
});

describe('samples', () => {
  test('samplesBetween counts samples in [from, to)', () => {
    expect(timeline.samplesBetween(50, 200)).toBe(3);
    expect(timeline.samplesBetween(49, 51)).toBe(1);
    expect(timeline.samplesBetween(50, 50)).toBe(0);
    expect(timeline.samplesBetween(601, 800)).toBe(0);
    expect(timeline.samplesBetween(0, 2000)).toBe(18);
  });

  test('sampleBefore and sampleAfter are strict; firstSampleAfter includes t', () => {
    expect(timeline.sampleBefore(600)).toBe(550);
    expect(timeline.sampleBefore(601)).toBe(600);
    expect(timeline.sampleBefore(700)).toBe(600);
    expect(timeline.sampleBefore(0)).toBeUndefined();
    expect(timeline.sampleAfter(600)).toBe(800);
    expect(timeline.sampleAfter(599)).toBe(600);
    expect(timeline.sampleAfter(1000)).toBeUndefined();
    expect(timeline.firstSampleAfter(600)).toBe(600);
    expect(timeline.firstSampleAfter(601)).toBe(800);
    expect(timeline.firstSampleAfter(1001)).toBeUndefined();
  });

  test('longestGap: the longest wait between two samples around a moment of [from, to]', () => {
    expect(timeline.longestGap()).toBe(200);
    expect(timeline.longestGap(0, 600)).toBe(200); // the gap begins at 600
    expect(timeline.longestGap(800, 1000)).toBe(200); // … and ends at 800
    expect(timeline.longestGap(0, 599)).toBe(50);
    expect(timeline.longestGap(801, 1000)).toBe(50);
    expect(timeline.longestGap(700, 700)).toBe(200);
    expect(new Timeline(emptyTimeline(1, 2, 50)).longestGap()).toBe(0);
  });

  test('statsBetween: what each sample in [from, to) showed of the process', () => {
    expect(timeline.statsBetween(orphan, 0, 700)).toEqual(['', 'S', 'S', 'S', 'S', 'S', 'S', 'S', 'S', 'S', 'Zl', 'Z', '']);
    expect(timeline.statsBetween(orphan, 500, 550)).toEqual(['Zl']);
    expect(timeline.statsBetween(orphan, 800, 800)).toEqual([]);
  });
});

describe('what the lesson reported, and JSON', () => {
  test('checkpoint is the first of that name; fact the last value, facts every value', () => {
    expect(timeline.checkpoint('forked')).toMatchObject({ t: 10, pid: LESSON });
    expect(timeline.checkpoint('nothing')).toBeUndefined();
    expect(timeline.fact('pid')).toBe(202);
    expect(timeline.fact('missing')).toBeUndefined();
    expect(timeline.facts('pid')).toEqual([200, 201, 202]);
    expect(timeline.facts('missing')).toEqual([]);
  });

  test('outputText is every line, in order, one per line', () => {
    expect(timeline.outputText()).toBe('one\ntwo');
  });

  test('a timeline survives JSON: the same answers after a round trip', () => {
    const again = Timeline.fromJSON(JSON.stringify(timeline.data));
    expect(again.data).toEqual(timeline.data);
    expect(again.process(201)!.timeIn('S', { ppid: RUNNER })).toBe(300);
  });

  test('emptyTimeline: nothing recorded yet, its pids and interval kept', () => {
    const before = Date.now();
    const empty = emptyTimeline(12, 34, 56);
    expect(empty).toMatchObject({ version: 1, lessonPid: 12, runnerPid: 34, sampleIntervalMs: 56, sampleCount: 0 });
    expect(empty.startedAt).toBeGreaterThanOrEqual(before);
    expect(empty.startedAt).toBeLessThanOrEqual(Date.now());
    for (const list of [empty.sampleTimes, empty.processes, empty.checkpoints, empty.facts, empty.output]) expect(list).toEqual([]);
    expect(empty.questions).toBeUndefined();
    expect(empty.end).toBeUndefined();
  });
});
