// What the projector page draws, made from a ViewState: the process tree as a list of boxes
// (each knowing the box it hangs from), the run's status, the timeline chart as SVG, and the
// lesson's output. The page only places and animates; every judgement (who adopted whom, what
// a state is called, how a process ended) is made here, in the same words as the terminal.
import type { TableRow } from '../../observe/observer.js';
import type { OutputLine, TimelineData } from '../../observe/timeline.js';
import { plainLine } from '../views/html.js';
import { isAdopted, isGone, tableTree } from '../views/table.js';
import { renderTimelineSvg, STATE_NAMES } from '../views/timeline-svg.js';
import type { TreeLine } from '../views/tree.js';
import type { LessonLabel, ViewState } from '../views/types.js';
import { describeExit, whoIs, type Family } from '../views/words.js';

export interface DiagramNode {
  /** Stable across samples: pid@starttime for a process, 'runner' or 'pid:N' for the others. */
  id: string;
  pid: number;
  /** The box it hangs from (its current parent); undefined for a top box. */
  parentId?: string;
  /** Its parent's pid now: the arrow points there. */
  ppid: number;
  depth: number;
  title: string;
  /** STAT as ps prints it; '' for the boxes that are not the lesson's (runner, init). */
  stat: string;
  /** The state letter as a word: running, sleeping, zombie … */
  stateName: string;
  kind: 'process' | 'runner' | 'init' | 'outside';
  adopted: boolean;
  gone: boolean;
  /** The second line of the box: its parent, an adoption, an ending. */
  note: string;
}

export interface PageSnapshot {
  lesson: LessonLabel;
  /** Run time of the picture (ms since the run started). */
  now: number;
  /** Wall-clock time (ms since the epoch) of the oldest sample in this picture, to measure latency. */
  sampledAt: number;
  status: { kind: 'running' | 'paused' | 'step' | 'finished'; text: string };
  nodes: DiagramNode[];
  checkpoints: Array<{ name: string; t: number }>;
  chart: string;
  runnerPid: number;
  lessonPid: number;
}

export interface PageLine {
  stream: OutputLine['stream'];
  text: string;
}

/** The chart's size in SVG units; the page scales it to its column. */
const CHART_WIDTH = 640;
const CHART_FONT = 20;

function stateNameOf(stat: string): string {
  return STATE_NAMES[stat[0] ?? ''] ?? stat;
}

function noteOf(row: TableRow, family: Family): string {
  const parts: string[] = [];
  if (isGone(row)) {
    parts.push('reaped');
    const how = describeExit(row.exit);
    if (how) parts.push(how);
    return parts.join(' · ');
  }
  if (row.stat.startsWith('Z')) {
    const how = describeExit(row.exit);
    return how ? `${how} · not reaped yet` : 'exited · not reaped yet';
  }
  if (isAdopted(row)) return `adopted by ${whoIs(row.ppid, family)} · born to ${row.bornTo}`;
  return `PPID ${row.ppid}`;
}

function statusOf(state: ViewState, final: boolean): PageSnapshot['status'] {
  if (state.finished || final) {
    const how = state.finished ? describeExit({ t: state.now, source: 'runner', ...state.finished }) : undefined;
    return { kind: 'finished', text: `finished${how ? ` (${how})` : ''}` };
  }
  if (state.pausedAt !== undefined) return { kind: 'paused', text: `paused at: ${state.pausedAt} — press space in the terminal` };
  if (state.stepMode) return { kind: 'step', text: 'step mode' };
  return { kind: 'running', text: 'running' };
}

/**
 * The boxes in drawing order. The runner is drawn on top, since the lesson is its child and the
 * lesson's orphans come to it; PID 1 (or any other adopter outside the lesson) gets a box of its
 * own when a process hangs from it.
 */
export function diagramNodes(rows: readonly TableRow[], lessonPid: number, runnerPid: number): DiagramNode[] {
  const lines = tableTree(rows);
  // Split the tree into the subtrees of its top rows, grouped by the pid they hang from.
  const groups = new Map<number, Array<TreeLine<TableRow>>>();
  let current: Array<TreeLine<TableRow>> = [];
  for (const line of lines) {
    if (line.depth === 0) {
      current = groups.get(line.item.ppid) ?? [];
      groups.set(line.item.ppid, current);
    }
    current.push(line);
  }
  const adopters = [...groups.keys()].sort((a, b) => (a === runnerPid ? -1 : b === runnerPid ? 1 : a - b));
  if (!groups.has(runnerPid)) adopters.unshift(runnerPid);
  const nodes: DiagramNode[] = [];
  for (const adopter of adopters) {
    const top: DiagramNode =
      adopter === runnerPid
        ? { id: 'runner', pid: runnerPid, ppid: 0, depth: 0, title: 'procbook runner', stat: '', stateName: '', kind: 'runner', adopted: false, gone: false, note: 'subreaper: takes the lesson’s orphans' }
        : adopter === 1
          ? { id: 'pid:1', pid: 1, ppid: 0, depth: 0, title: 'init', stat: '', stateName: '', kind: 'init', adopted: false, gone: false, note: 'PID 1: takes orphans nobody else takes' }
          : { id: `pid:${adopter}`, pid: adopter, ppid: 0, depth: 0, title: `process ${adopter}`, stat: '', stateName: '', kind: 'outside', adopted: false, gone: false, note: 'outside the lesson' };
    nodes.push(top);
    for (const line of groups.get(adopter) ?? []) {
      const row = line.item;
      const family: Family = {
        runnerPid,
        bornTo: row.bornTo,
        titleOf: (pid) => rows.find((other) => other.pid === pid && !isGone(other))?.title,
      };
      nodes.push({
        id: row.id,
        pid: row.pid,
        parentId: line.parent?.id ?? top.id,
        ppid: row.ppid,
        depth: line.depth + 1,
        title: row.pid === lessonPid && !row.title ? 'lesson' : row.title.replace(/[\x00-\x1f\x7f]/g, ' '),
        stat: isGone(row) ? '-' : row.stat,
        stateName: isGone(row) ? 'reaped' : stateNameOf(row.stat),
        kind: 'process',
        adopted: isAdopted(row),
        gone: isGone(row),
        note: noteOf(row, family),
      });
    }
  }
  return nodes;
}

export interface SnapshotOptions {
  /** The run is over: the chart tells every ending. */
  final: boolean;
  /** When the oldest sample in this picture was taken (Date.now()). */
  sampledAt: number;
  /** The whole record, at the end (during the run the state's own record is used). */
  timeline?: TimelineData;
}

export function pageSnapshot(state: ViewState, options: SnapshotOptions): PageSnapshot {
  const timeline = options.timeline ?? state.timeline;
  return {
    lesson: state.lesson,
    now: state.now,
    sampledAt: options.sampledAt,
    status: statusOf(state, options.final),
    nodes: diagramNodes(state.rows, state.lessonPid, state.runnerPid),
    checkpoints: (timeline?.checkpoints ?? []).map(({ name, t }) => ({ name, t })),
    chart: timeline
      ? renderTimelineSvg(timeline, options.final ? { width: CHART_WIDTH, fontSize: CHART_FONT } : { width: CHART_WIDTH, fontSize: CHART_FONT, now: state.now })
      : '',
    runnerPid: state.runnerPid,
    lessonPid: state.lessonPid,
  };
}

/** Output lines from `from` on, as plain text (the page has no terminal colours). */
export function pageLines(output: ViewState['output'], from: number): PageLine[] {
  return output.slice(from).map((line) => ({ stream: line.stream, text: plainLine(line.text) }));
}
