// The claims every exercise check shares (lib/exercises/claims.ts), on hand-written runs: no
// exercise is run. The checks' sentences and verdicts rest on these: who ran at the same time,
// who collected whom, how a run ended.
import { describe, expect, test } from 'vitest';
import {
  adopter,
  asSeen,
  capital,
  childrenCollected,
  childrenOf,
  endedAt,
  errorLine,
  exitReports,
  exitedCleanly,
  howEnded,
  liveChildren,
  liveDescendants,
  mostAtOnce,
  plural,
  reportsOf,
  who,
} from '../../lib/exercises/claims.js';
import { CheckFailure, type Finished } from '../../lib/exercises/harness.js';
import type { TableRow } from '../../lib/observe/observer.js';
import { Timeline, emptyTimeline, type ProcessRecord, type TimelineData } from '../../lib/observe/timeline.js';

const MAIN = 100;

function record(pid: number, fields: Partial<ProcessRecord> = {}): ProcessRecord {
  return {
    id: `${pid}@1`,
    pid,
    startTicks: 1,
    firstSeen: 0,
    title: `worker ${pid}`,
    executable: '/usr/bin/node',
    pgid: MAIN,
    sid: MAIN,
    spans: [{ from: fields.firstSeen ?? 0, to: 1000, stat: 'S', ppid: MAIN }],
    events: [],
    ...fields,
  };
}

function run(processes: ProcessRecord[], fields: Partial<Finished> & { facts?: TimelineData['facts'] } = {}): Finished {
  const data = emptyTimeline(MAIN, 1, 50);
  data.processes.push(...processes);
  data.facts.push(...(fields.facts ?? []));
  return {
    timeline: new Timeline(data),
    pid: MAIN,
    code: 0,
    signal: null,
    timedOut: false,
    output: [],
    timeoutMs: 10_000,
    hostPid: (pid) => pid,
    insidePid: () => undefined,
    ...fields,
  };
}

const histories = (...records: ProcessRecord[]) => new Timeline({ ...emptyTimeline(MAIN, 1, 50), processes: records }).processes();

/** The sentence a claim failed with, or undefined if it held. */
function failure(claim: () => void): string | undefined {
  try {
    claim();
    return undefined;
  } catch (error) {
    if (error instanceof CheckFailure) return error.message;
    throw error;
  }
}

describe('mostAtOnce: how many ran at the same time', () => {
  test('buyers one after another are never together, though the table noticed each end a sample late', () => {
    // Each ends (the kernel's exit) before the next begins; the sample that showed it gone came after.
    const buyers = [0, 1, 2, 3].map((index) =>
      record(200 + index, { firstSeen: index * 100, exit: { t: index * 100 + 90, code: 0, signal: null, source: 'kernel' }, gone: index * 100 + 140 }),
    );
    expect(mostAtOnce(histories(...buyers))).toBe(1);
  });

  test('one ending at the very moment the next begins is not together with it, whatever their order', () => {
    const buyers = [record(201, { firstSeen: 0, gone: 100 }), record(202, { firstSeen: 100, gone: 200 })];
    expect(mostAtOnce(histories(...buyers))).toBe(1);
    expect(mostAtOnce(histories(...buyers.reverse()))).toBe(1);
  });

  test('overlapping lives count; the most at any one moment is the answer', () => {
    const buyers = [
      record(201, { firstSeen: 0, gone: 300 }),
      record(202, { firstSeen: 100, gone: 200 }),
      record(203, { firstSeen: 150, gone: 400 }),
      record(204, { firstSeen: 350, gone: 500 }),
    ];
    expect(mostAtOnce(histories(...buyers))).toBe(3);
  });

  test('none ran: 0; one: 1', () => {
    expect(mostAtOnce([])).toBe(0);
    expect(mostAtOnce(histories(record(201)))).toBe(1);
  });

  test('endedAt: the exit the kernel or parent reported, else the sample that saw it gone, else its exited event, else never', () => {
    const [reported, gone, exited, running] = histories(
      record(201, { exit: { t: 90, code: 0, signal: null, source: 'kernel' }, gone: 140 }),
      record(202, { gone: 140, events: [{ t: 120, kind: 'exited' }] }),
      record(203, { events: [{ t: 120, kind: 'exited' }] }),
      record(204),
    );
    expect(endedAt(reported!)).toBe(90);
    expect(endedAt(gone!)).toBe(140);
    expect(endedAt(exited!)).toBe(120);
    expect(endedAt(running!)).toBe(Number.POSITIVE_INFINITY);
    // One still running is together with one that starts later.
    expect(mostAtOnce(histories(record(204), record(205, { firstSeen: 5000, gone: 6000 })))).toBe(2);
  });
});

describe('how a run ended', () => {
  test('exitedCleanly: exit 0 without a signal passes; anything else is said plainly, with the error it printed', () => {
    expect(failure(() => exitedCleanly(run([])))).toBeUndefined();
    expect(failure(() => exitedCleanly(run([], { code: 3 })))).toBe('It exited with code 3.');
    expect(failure(() => exitedCleanly(run([], { code: null, signal: 'SIGKILL' })))).toBe('It was killed by SIGKILL.');
    expect(failure(() => exitedCleanly(run([], { code: 0, signal: 'SIGTERM' })))).toBe('It was killed by SIGTERM.');
    const printed = run([], { code: 1, output: [{ t: 1, stream: 'stderr', text: 'TypeError: x.y is not a function.' }] });
    expect(failure(() => exitedCleanly(printed))).toBe('It exited with code 1: TypeError: x.y is not a function.');
    expect(failure(() => exitedCleanly(run([], { timedOut: true, timeoutMs: 10_000 })))).toMatch(/^It was still running after 10 s, so the check stopped it/);
  });

  test("errorLine: the first line of an error on stderr, cut at 160 characters; stdout's and other lines are not errors", () => {
    const lines = (...texts: Array<[Finished['output'][number]['stream'], string]>) => run([], { output: texts.map(([stream, text], t) => ({ t, stream, text })) });
    expect(errorLine(lines(['stdout', 'Error: printed, not thrown'], ['stderr', '    at main (x.ts:1)'], ['stderr', '  Error [ERR_X]: code  ']))).toBe('Error [ERR_X]: code');
    expect(errorLine(lines(['stderr', 'RangeError: bad'], ['stderr', 'Error: second']))).toBe('RangeError: bad');
    expect(errorLine(lines(['stderr', 'SomeException: odd']))).toBe('SomeException: odd');
    expect(errorLine(lines(['stderr', 'warning: Error: not at the start']))).toBeUndefined();
    expect(errorLine(lines(['stderr', 'Errors: not one']))).toBeUndefined();
    expect(errorLine(lines(['stderr', 'error: lower case']))).toBeUndefined();
    const long = `Error: ${'x'.repeat(200)}`;
    expect(errorLine(lines(['stderr', long]))).toBe(`${long.slice(0, 157)}…`);
    expect(errorLine(lines(['stderr', long.slice(0, 160)]))).toBe(long.slice(0, 160));
    expect(errorLine(run([]))).toBeUndefined();
  });

  test('howEnded', () => {
    expect(howEnded({ code: 3, signal: null })).toBe('exit code 3');
    expect(howEnded({ code: null, signal: 'SIGTERM' })).toBe('killed by SIGTERM');
  });
});

describe('children and who collected them', () => {
  const child = (pid: number, fields: Partial<ProcessRecord> = {}): ProcessRecord => record(pid, { gone: 500, reapedBy: MAIN, ...fields });

  test('childrenOf: the processes the first process started itself (not grandchildren, not itself)', () => {
    const finished = run([record(MAIN, { spans: [{ from: 0, to: 1, stat: 'S', ppid: MAIN }] }), child(201), child(301, { spans: [{ from: 0, to: 1, stat: 'S', ppid: 201 }] })]);
    expect(childrenOf(finished).map((each) => each.pid)).toEqual([201]);
    expect(childrenOf(finished, 201).map((each) => each.pid)).toEqual([301]);
  });

  test('childrenCollected: each ended before its parent and was collected by it', () => {
    const advice = 'wait for every child.';
    const collected = (...records: ProcessRecord[]) => failure(() => childrenCollected(run(records), histories(...records), advice));
    expect(collected(child(201), child(202))).toBeUndefined();
    expect(
      collected(
        child(201, {
          spans: [
            { from: 0, to: 10, stat: 'S', ppid: MAIN },
            { from: 10, to: 20, stat: 'S', ppid: process.pid },
          ],
        }),
      ),
    ).toBe('The child pid 201 (worker 201) was still running when its parent exited (an orphan, adopted by the check): wait for every child.');
    expect(collected(child(201, { reapedBy: 1 }))).toBe('The child pid 201 (worker 201) was collected by init (PID 1), not by its parent: wait for every child.');
    expect(collected(child(201, { reapedBy: undefined }))).toBeUndefined(); // collected, by whom not known
    expect(collected(child(201, { gone: undefined, reapedBy: undefined }))).toBe('The child pid 201 (worker 201) was still there when the run ended: wait for every child.');
  });

  test('who: a short title is shown, a path or a long one is not', () => {
    const [plain, path, long, blank] = histories(record(201, { title: ' copy child ' }), record(202, { title: '/usr/bin/node x.ts' }), record(203, { title: 'x'.repeat(41) }), record(204, { title: '' }));
    expect(who(plain!)).toBe('pid 201 (copy child)');
    expect(who(path!)).toBe('pid 202');
    expect(who(long!)).toBe('pid 203');
    expect(who(blank!)).toBe('pid 204');
    expect(who(histories(record(205, { title: 'x'.repeat(40) }))[0]!)).toBe(`pid 205 (${'x'.repeat(40)})`);
  });

  test('adopter: the check, the sandbox keeper or init, init, or a pid', () => {
    const sandboxed = run([], { insidePid: (pid) => ({ 7001: 2, 7002: 1 })[pid] });
    expect(adopter(process.pid)).toBe('the check');
    expect(adopter(7001, sandboxed)).toBe("the sandbox's keeper (a subreaper that stands in for init)");
    expect(adopter(7002, sandboxed)).toBe("the sandbox's init (PID 1 of its pid namespace)");
    expect(adopter(1)).toBe('init (PID 1)');
    expect(adopter(1, sandboxed)).toBe('init (PID 1)');
    expect(adopter(4242, sandboxed)).toBe('pid 4242');
  });

  test('asSeen: the pid inside the sandbox where there is one', () => {
    expect(asSeen(run([], { insidePid: (pid) => (pid === 7001 ? 3 : undefined) }), 7001)).toBe(3);
    expect(asSeen(run([]), 7001)).toBe(7001);
  });
});

describe('the live table', () => {
  const row = (pid: number, ppid: number, fields: Partial<TableRow> = {}): TableRow => ({ id: `${pid}@1`, pid, ppid, bornTo: ppid, stat: 'S', title: `w ${pid}`, startTicks: 1, firstSeen: 0, ...fields });
  const rows = [
    row(MAIN, 1),
    row(201, MAIN),
    row(202, MAIN, { stat: 'Z' }),
    row(203, MAIN, { gone: 10 }),
    row(204, MAIN, { title: '/bin/sleep 5' }),
    row(301, 201),
    row(401, 301, { stat: 'R' }),
    row(501, 1),
    row(205, MAIN, { stat: 'Zl' }), // a zombie whose threads are still ending
    row(206, MAIN, { title: '  spaced  ' }),
    row(207, MAIN, { title: 'x'.repeat(40) }),
    row(208, MAIN, { title: 'y'.repeat(41) }),
  ];
  const shown = ['pid 201 (w 201)', 'pid 204', 'pid 206 (spaced)', `pid 207 (${'x'.repeat(40)})`, 'pid 208'];

  test('liveChildren: the children alive now (not gone, not zombies)', () => {
    expect(liveChildren(rows, MAIN)).toEqual(shown);
    expect(liveChildren(rows, 999)).toEqual([]);
  });

  test('liveDescendants: alive below it at any depth, itself and strangers left out', () => {
    expect(liveDescendants(rows, MAIN)).toEqual([...shown.slice(0, 2), 'pid 301 (w 301)', 'pid 401 (w 401)', ...shown.slice(2)]);
    expect(liveDescendants(rows, 301)).toEqual(['pid 401 (w 401)']);
    // Listed before its parent: still found.
    expect(liveDescendants([row(401, 301), row(301, MAIN), row(MAIN, 1)], MAIN)).toEqual(['pid 401 (w 401)', 'pid 301 (w 301)']);
  });
});

describe('what the exercise reported', () => {
  test('reportsOf: every report of that name, in order, with time and pid', () => {
    const finished = run([], {
      facts: [
        { t: 5, name: 'spawned', value: 201, pid: MAIN },
        { t: 6, name: 'other', value: 'x', pid: MAIN },
        { t: 7, name: 'spawned', value: 202, pid: 201 },
      ],
    });
    expect(reportsOf(finished, 'spawned')).toEqual([
      { t: 5, pid: MAIN, value: 201 },
      { t: 7, pid: 201, value: 202 },
    ]);
    expect(reportsOf(finished, 'none')).toEqual([]);
  });

  test("exitReports: each process's last words, its parent as the host sees it", () => {
    const finished = run([], {
      hostPid: (pid) => pid + 7000,
      facts: [
        { t: 5, name: 'exercise.io', value: { ppid: 2, wchar: 10, rchar: 20 }, pid: 201 },
        { t: 6, name: 'other', value: { ppid: 3 }, pid: 202 },
      ],
    });
    expect([...exitReports(finished)]).toEqual([[201, { ppid: 7002, wchar: 10, rchar: 20 }]]);
  });
});

test('plural and capital', () => {
  expect(plural(1, 'child', 'children')).toBe('1 child');
  expect(plural(0, 'child', 'children')).toBe('0 children');
  expect(plural(3, 'buyer')).toBe('3 buyers');
  expect(capital('pid 12 (child)')).toBe('Pid 12 (child)');
  expect(capital('')).toBe('');
});
