// Hand-made process tables and timelines: the shapes the lessons produce, without running them.
import type { TableRow } from '../../../lib/observe/observer.js';
import type { ProcessRecord, Span, TimelineData } from '../../../lib/observe/timeline.js';
import type { ViewState } from '../../../lib/present/views/types.js';

export const RUNNER = 4711;
export const LESSON = 7504;

export function row(fields: Partial<TableRow> & Pick<TableRow, 'pid' | 'ppid' | 'stat' | 'title'>): TableRow {
  return {
    id: `${fields.pid}@${fields.startTicks ?? fields.pid}`,
    bornTo: fields.ppid,
    startTicks: fields.pid,
    firstSeen: 0,
    ...fields,
  };
}

/** The orphan lesson, mid-run: the lesson, a child that exited, its orphan adopted by the runner, a zombie. */
export function familyRows(): TableRow[] {
  return [
    row({ pid: LESSON, ppid: RUNNER, stat: 'Ssl', title: 'parent', startTicks: 100, firstSeen: 0 }),
    row({ pid: 7515, ppid: LESSON, stat: 'Sl', title: 'child', startTicks: 110, firstSeen: 500 }),
    row({ pid: 7530, ppid: 7515, stat: 'Rl', title: 'grandchild', startTicks: 120, firstSeen: 900 }),
    row({ pid: 7540, ppid: LESSON, stat: 'Z', title: 'zombie-child', startTicks: 130, firstSeen: 1200 }),
    row({ pid: 7550, ppid: RUNNER, bornTo: 7545, stat: 'Sl', title: 'orphan', startTicks: 140, firstSeen: 1300 }),
    row({ pid: 7560, ppid: 1, bornTo: 7545, stat: 'Tl', title: 'stopped-orphan', startTicks: 150, firstSeen: 1400 }),
    row({
      pid: 7570,
      ppid: LESSON,
      stat: 'Z',
      title: 'reaped-child',
      startTicks: 125,
      firstSeen: 1000,
      gone: 2000,
      exit: { t: 1800, code: 3, signal: null, source: 'kernel' },
    }),
  ];
}

export const TABLE_OPTIONS = { width: 100, color: false, now: 2500, lessonPid: LESSON, runnerPid: RUNNER };

function record(pid: number, title: string, startTicks: number, spans: Span[], extra: Partial<ProcessRecord> = {}): ProcessRecord {
  return {
    id: `${pid}@${startTicks}`,
    pid,
    startTicks,
    firstSeen: spans[0]!.from,
    title,
    executable: '/usr/bin/node',
    pgid: LESSON,
    sid: LESSON,
    spans,
    events: [],
    ...extra,
  };
}

/**
 * The zombie lesson over 4 s: the parent sleeps throughout; its child sleeps 1 s, is a zombie
 * 1–3 s, then reaped; an orphan adopted by the runner at 2 s is killed by SIGTERM at 3.5 s.
 */
export function zombieTimeline(): TimelineData {
  return {
    version: 1,
    startedAt: 0,
    lessonPid: LESSON,
    runnerPid: RUNNER,
    sampleIntervalMs: 200,
    sampleCount: 20,
    processes: [
      record(LESSON, 'parent', 100, [{ from: 0, to: 4000, stat: 'Ssl', ppid: RUNNER }], {
        gone: 4000,
        reapedBy: RUNNER,
        exit: { t: 4000, code: 0, signal: null, source: 'parent' },
      }),
      record(
        7515,
        'child',
        110,
        [
          { from: 0, to: 1000, stat: 'Sl', ppid: LESSON },
          { from: 1000, to: 3000, stat: 'Z', ppid: LESSON },
        ],
        { gone: 3000, reapedBy: LESSON, exit: { t: 1000, code: 0, signal: null, source: 'kernel' } },
      ),
      record(
        7520,
        'orphan',
        120,
        [
          { from: 500, to: 2000, stat: 'Sl', ppid: 7515 },
          { from: 2000, to: 3500, stat: 'Sl', ppid: RUNNER },
        ],
        { gone: 3500, reapedBy: RUNNER, exit: { t: 3500, code: null, signal: 'SIGTERM', source: 'runner' } },
      ),
    ],
    checkpoints: [
      { t: 0, name: 'start a child', pid: LESSON },
      { t: 1000, name: 'the child exits', pid: LESSON },
      { t: 3000, name: 'reap it', pid: LESSON },
    ],
    facts: [],
    output: [
      { t: 10, stream: 'stdout', text: 'parent 7504: I am the parent' },
      { t: 20, stream: 'stdout', text: 'child 7515: I am the child' },
    ],
    end: { t: 4000, code: 0, signal: null },
  };
}

export function viewState(overrides: Partial<ViewState> = {}): ViewState {
  return {
    lesson: { number: 5, slug: 'zombie', title: 'zombie: the child dies first' },
    rows: familyRows(),
    output: [],
    now: 2500,
    lessonPid: LESSON,
    runnerPid: RUNNER,
    pace: 1,
    stepMode: false,
    ...overrides,
  };
}
