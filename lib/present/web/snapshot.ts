// What the projector page draws, made from a ViewState: the process tree as a list of boxes
// (each knowing the box it hangs from), the run's status, the timeline chart as SVG, and the
// lesson's output. The page only places and animates; every judgement (who adopted whom, what
// a state is called, how a process ended) is made here, in the same words as the terminal.
import type { TableRow } from '../../observe/observer.js';
import type { OutputLine, TimelineData } from '../../observe/timeline.js';
import { plainLine } from '../views/html.js';
import { isAdopted, isGone, tableTree } from '../views/table.js';
import { renderTimelineSvg } from '../views/timeline-svg.js';
import type { TreeLine } from '../views/tree.js';
import type { LessonLabel, ViewState } from '../views/types.js';
import { describeExit, whoIs, words, type Family } from '../../words/views.js';
import { pageWords } from '../../words/page.js';

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
  /** The box's tooltip: title, pid, state and note in one sentence. */
  tip: string;
}

export interface PageSnapshot {
  lesson: LessonLabel;
  /** The page's heading and the browser tab's title, in the runner's language. */
  heading: string;
  documentTitle: string;
  /** Run time of the picture (ms since the run started). */
  now: number;
  /** Wall-clock time (ms since the epoch) of the oldest sample in this picture, to measure latency. */
  sampledAt: number;
  /** `banner`: what the page says once the lesson has finished ("The lesson finished (exit 0)."). */
  status: { kind: 'running' | 'paused' | 'step' | 'finished'; text: string; banner?: string };
  nodes: DiagramNode[];
  /** `label`: the name and the time, as the page lists it. */
  checkpoints: Array<{ name: string; t: number; label: string }>;
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
/** Between the parts of a box's note ("reaped · exit 3"): the same in every language, like the terminal's "exited · exit 3". */
const NOTE_SEPARATOR = ' · ';

function stateNameOf(stat: string): string {
  return words().stateNames[stat[0] ?? ''] ?? stat;
}

function noteOf(row: TableRow, family: Family): string {
  const said = pageWords().picture;
  if (isGone(row)) return [said.reaped, describeExit(row.exit)].filter((part) => part !== undefined).join(NOTE_SEPARATOR);
  if (row.stat.startsWith('Z')) return [describeExit(row.exit) ?? words().exited, said.notReapedYet].join(NOTE_SEPARATOR);
  if (isAdopted(row)) return [words().adoptedByWho(whoIs(row.ppid, family)), said.bornTo(row.bornTo)].join(NOTE_SEPARATOR);
  return said.parentIs(row.ppid);
}

function statusOf(state: ViewState, final: boolean): PageSnapshot['status'] {
  const said = pageWords().picture;
  if (state.finished || final) {
    const how = state.finished ? describeExit({ t: state.now, source: 'runner', ...state.finished }) : undefined;
    const text = said.finished(how);
    return { kind: 'finished', text, banner: said.lessonEnded(text) };
  }
  if (state.pausedAt !== undefined) return { kind: 'paused', text: said.pausedAt(state.pausedAt) };
  if (state.stepMode) return { kind: 'step', text: said.stepMode };
  return { kind: 'running', text: said.running };
}

/** Seconds as the page shows them: "2.5s". */
function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
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
  const said = pageWords().picture;
  const topBox = (id: string, pid: number, kind: DiagramNode['kind'], title: string, note: string): DiagramNode =>
    ({ id, pid, ppid: 0, depth: 0, title, stat: '', stateName: '', kind, adopted: false, gone: false, note, tip: said.tip(title, pid, '', note) });
  const nodes: DiagramNode[] = [];
  for (const adopter of adopters) {
    const top =
      adopter === runnerPid
        ? topBox('runner', runnerPid, 'runner', said.runnerTitle, said.runnerNote)
        : adopter === 1
          ? topBox('pid:1', 1, 'init', 'init', said.initNote)
          : topBox(`pid:${adopter}`, adopter, 'outside', said.outsideTitle(adopter), said.outsideNote);
    nodes.push(top);
    for (const line of groups.get(adopter) ?? []) {
      const row = line.item;
      const family: Family = {
        runnerPid,
        bornTo: row.bornTo,
        titleOf: (pid) => rows.find((other) => other.pid === pid && !isGone(other))?.title,
      };
      const title = row.pid === lessonPid && !row.title ? said.lesson : row.title.replace(/[\x00-\x1f\x7f]/g, ' ');
      const stateName = isGone(row) ? said.reaped : stateNameOf(row.stat);
      const note = noteOf(row, family);
      nodes.push({
        id: row.id,
        pid: row.pid,
        parentId: line.parent?.id ?? top.id,
        ppid: row.ppid,
        depth: line.depth + 1,
        title,
        stat: isGone(row) ? '-' : row.stat,
        stateName,
        kind: 'process',
        adopted: isAdopted(row),
        gone: isGone(row),
        note,
        tip: said.tip(title, row.pid, stateName, note),
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
  const said = pageWords().picture;
  const { number, slug, title } = state.lesson;
  return {
    lesson: state.lesson,
    heading: said.heading(number, title),
    documentTitle: said.documentTitle(number, slug, title),
    now: state.now,
    sampledAt: options.sampledAt,
    status: statusOf(state, options.final),
    nodes: diagramNodes(state.rows, state.lessonPid, state.runnerPid),
    checkpoints: (timeline?.checkpoints ?? []).map(({ name, shown, t }) => ({ name, t, label: said.checkpoint(shown ?? name, seconds(t)) })),
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
