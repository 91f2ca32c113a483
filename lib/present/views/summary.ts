// The summary chart printed after a lesson: what the kernel showed, as one picture.
//
//                        0s        1s        2s        3s
//                        ├──1──────┼─────2───┼─────────┼──3──
//   parent 7504          SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS  exit 0, reaped by 4711 (runner)
//   └─ child 7515          SSSSSSSSSSSSZZZZZZ                  exit 0, reaped by 7504 (parent)
//
// One row per process, nested under the parent it was BORN to (the live table nests by the
// current parent; here the family history matters, and an adoption is told at the row's end).
// Every row shares one time axis, so "the child was a zombie while the parent slept" is read
// straight down a column. The checkpoints are numbered on the axis and listed below.
import type { ProcessRecord, Span, TimelineData } from '../../observe/timeline.js';
import { chartColor, colors, type Colors } from './palette.js';
import { cellWidth, padEnd, truncate, wrapLine } from './text.js';
import { birthTree, bornTo, titleOfPid } from './tree.js';
import { adoptedBy, describeExit, whoIs, words, type Family } from '../../words/views.js';

export interface SummaryOptions {
  width: number;
  color: boolean;
}

/** The narrowest chart worth drawing beside the endings; below that they go under each row. */
const MIN_CHART_BESIDE_ENDINGS = 40;
/** The widest a label column gets, as a share of the width. */
const LABEL_SHARE = 0.3;

function stateOf(span: Span): string {
  return span.stat[0] ?? '?';
}

/** The end of the time axis: the last moment anything was recorded. */
export function runLength(timeline: TimelineData): number {
  let last = timeline.end?.t ?? 0;
  for (const record of timeline.processes) {
    for (const span of record.spans) last = Math.max(last, span.to);
    if (record.gone !== undefined) last = Math.max(last, record.gone);
  }
  for (const checkpoint of timeline.checkpoints) last = Math.max(last, checkpoint.t);
  return Math.max(last, 100);
}

/**
 * The state shown in each cell: the state the process spent most of that cell's time in. A
 * state too short to win any cell (a zombie seen for one sample) still gets the cell holding its
 * middle, because a chart that hides the zombie would hide the lesson.
 */
export function cellsOf(spans: readonly Span[], cellCount: number, msPerCell: number): Array<string | undefined> {
  const cells: Array<string | undefined> = new Array<string | undefined>(cellCount).fill(undefined);
  for (let index = 0; index < cellCount; index++) {
    const start = index * msPerCell;
    const end = start + msPerCell;
    const time = new Map<string, number>();
    for (const span of spans) {
      const overlap = Math.min(span.to, end) - Math.max(span.from, start);
      if (overlap > 0) time.set(stateOf(span), (time.get(stateOf(span)) ?? 0) + overlap);
    }
    let best: string | undefined;
    // On a tie the later state wins: the cell where a change happens shows the new state, so a
    // change at 1 s is drawn from the column under the "1s" tick.
    for (const [state, ms] of time) if (best === undefined || ms >= (time.get(best) ?? 0)) best = state;
    cells[index] = best;
  }
  for (const span of spans) {
    const state = stateOf(span);
    const first = Math.floor(span.from / msPerCell);
    const last = Math.ceil(span.to / msPerCell);
    let shown = false;
    for (let index = Math.max(0, first); index < Math.min(cellCount, last + 1) && !shown; index++) {
      shown = cells[index] === state;
    }
    if (!shown) {
      const middle = Math.min(cellCount - 1, Math.max(0, Math.floor((span.from + span.to) / 2 / msPerCell)));
      cells[middle] = state;
    }
  }
  return cells;
}

function drawCells(cells: ReadonlyArray<string | undefined>, c: Colors, color: boolean): string {
  let out = '';
  let index = 0;
  while (index < cells.length) {
    const state = cells[index];
    let run = 1;
    while (index + run < cells.length && cells[index + run] === state) run++;
    if (state === undefined) out += ' '.repeat(run);
    // In colour a state is a block (reads as a bar); without colour it is its letter: SSSSZZZ.
    else out += color ? chartColor(c, state)('█'.repeat(run)) : state.repeat(run);
    index += run;
  }
  return out;
}

/** "0s", "0.5s", "12s": tick labels and checkpoint times. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))}s`;
}

const TICK_STEPS_MS = [50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000];

/** The time axis: tick labels, and the axis line with the checkpoints numbered on it. */
function drawAxis(
  timeline: TimelineData,
  cellCount: number,
  msPerCell: number,
  overhang: number,
  c: Colors,
): { labels: string; axis: string } {
  const total = cellCount * msPerCell;
  // The finest step whose labels ("0.25s", "0.5s" …) all fit between two ticks with a gap.
  const widestLabel = (step: number): number => {
    let widest = 0;
    for (let t = 0; t <= total; t += step) widest = Math.max(widest, seconds(t).length);
    return widest;
  };
  const step = TICK_STEPS_MS.find((ms) => ms / msPerCell >= widestLabel(ms) + 2) ?? TICK_STEPS_MS.at(-1)!;
  const room = cellCount + overhang;
  const labels: string[] = new Array<string>(room).fill(' ');
  const axis: string[] = new Array<string>(room).fill(' ');
  for (let index = 0; index < cellCount; index++) axis[index] = '─';
  let freeFrom = 0;
  for (let t = 0; t <= total; t += step) {
    const column = Math.floor(t / msPerCell);
    if (column >= cellCount) break;
    axis[column] = column === 0 ? '├' : '┼';
    const label = seconds(t);
    if (column < freeFrom || column + label.length > room) continue;
    for (let k = 0; k < label.length; k++) labels[column + k] = label[k]!;
    freeFrom = column + label.length + 1;
  }
  // Checkpoints in order; two close together are shifted right, one cell apart, rather than
  // drawn over each other or run together ("12" would read as twelve).
  freeFrom = 0;
  timeline.checkpoints.forEach((checkpoint, index) => {
    const number = String(index + 1);
    const column = Math.max(freeFrom, Math.min(cellCount - 1, Math.floor(checkpoint.t / msPerCell)));
    if (column + number.length > room) return;
    axis[column] = c.bold(c.cyan(number[0]!));
    for (let k = 1; k < number.length; k++) axis[column + k] = c.bold(c.cyan(number[k]!));
    freeFrom = column + number.length + 1;
  });
  return { labels: labels.join('').trimEnd(), axis: axis.join('').trimEnd() };
}

/**
 * How the process ended: exit code or signal, then who collected it: "exit 0, reaped by 7504
 * (parent)", "killed by SIGTERM, adopted and reaped by 4711 (runner)".
 */
export function endingOf(record: ProcessRecord, timeline: TimelineData, family: Family): string {
  const w = words();
  const parts: string[] = [];
  const exit =
    record.exit ?? (record.pid === timeline.lessonPid && timeline.end ? { ...timeline.end, source: 'runner' as const } : undefined);
  const how = describeExit(exit);
  if (how) parts.push(how);
  const lastParent = record.spans.at(-1)?.ppid ?? family.bornTo;
  const adopted = lastParent !== family.bornTo;
  const reaper = record.gone === undefined ? undefined : record.reapedBy;
  if (adopted && reaper === lastParent) parts.push(w.adoptedAndReapedBy(lastParent, whoIs(lastParent, family)));
  else {
    if (adopted) parts.push(adoptedBy(lastParent, family));
    if (reaper !== undefined) parts.push(w.reapedBy(reaper, whoIs(reaper, family)));
    else if (record.gone !== undefined) parts.push(w.gone);
    else if (record.spans.at(-1)?.stat.startsWith('Z')) parts.push(w.stillAZombie);
    else parts.push(w.stillThere);
  }
  return parts.join(w.partSeparator);
}

export function renderSummary(timeline: TimelineData, options: SummaryOptions): string {
  const c = colors(options.color);
  const w = words();
  const width = Math.max(20, options.width);
  const records = timeline.processes;
  if (records.length === 0) return w.noProcess;

  const tree = birthTree(records);

  // Labels: tree prefix, title, pid. The pid is never cut; the title is.
  const labelRoom = Math.max(12, Math.floor(width * LABEL_SHARE));
  const labels = tree.map(({ item, prefix }) => {
    const pid = ` ${item.pid}`;
    const title = truncate(item.title.replace(/[\x00-\x1f\x7f]/g, ' '), labelRoom - cellWidth(prefix) - pid.length, true);
    return truncate(`${prefix}${title}${pid}`, labelRoom);
  });
  const labelWidth = Math.max(...labels.map(cellWidth), cellWidth(w.checkpointsLabel));

  const endings = tree.map(({ item }) =>
    endingOf(item, timeline, {
      runnerPid: timeline.runnerPid,
      bornTo: bornTo(item),
      titleOf: (pid) => titleOfPid(records, pid),
    }),
  );
  const endingWidth = Math.max(...endings.map(cellWidth));
  const beside = width - labelWidth - 1 - 2 - endingWidth >= MIN_CHART_BESIDE_ENDINGS;
  const cellCount = Math.max(10, beside ? width - labelWidth - 3 - endingWidth : width - labelWidth - 1);
  const total = runLength(timeline);
  const msPerCell = total / cellCount;
  const indent = ' '.repeat(labelWidth + 1);

  const lines: string[] = [];
  lines.push(
    c.bold(w.kernelShowed(records.length, seconds(total))) + c.dim(w.oneColumn(seconds(msPerCell))),
  );
  const axis = drawAxis(timeline, cellCount, msPerCell, Math.max(0, width - labelWidth - 1 - cellCount), c);
  lines.push(indent + axis.labels);
  lines.push(padEnd(timeline.checkpoints.length > 0 ? w.checkpointsLabel : '', labelWidth) + ' ' + axis.axis);
  const statesSeen = new Set<string>();
  tree.forEach(({ item }, index) => {
    const cells = cellsOf(item.spans, cellCount, msPerCell);
    for (const state of cells) if (state !== undefined) statesSeen.add(state);
    const row = `${padEnd(labels[index]!, labelWidth)} ${drawCells(cells, c, options.color)}`;
    // Beside the endings the row keeps its blanks (they align the endings); alone it is trimmed.
    if (beside) lines.push(`${row}  ${endings[index]!}`);
    else {
      lines.push(row.trimEnd());
      wrapLine(endings[index]!, Math.max(10, width - indent.length - 2)).forEach((part, k) =>
        lines.push(`${indent}${k === 0 ? c.dim('↳') : ' '} ${part}`),
      );
    }
  });

  // Below the chart: the checkpoints by number, and what each colour or letter means.
  if (timeline.checkpoints.length > 0) {
    const list = timeline.checkpoints
      .map((checkpoint, index) => `${c.bold(c.cyan(String(index + 1)))} ${checkpoint.shown ?? checkpoint.name} (${seconds(checkpoint.t)})`)
      .join(' · ');
    lines.push('', ...wrapLine(w.checkpointsList(list), width));
  }
  const key = [...statesSeen]
    .sort((a, b) => Object.keys(w.stateNames).indexOf(a) - Object.keys(w.stateNames).indexOf(b))
    .map((state) => `${options.color ? chartColor(c, state)('█') : state} ${w.stateNames[state] ?? state}`)
    .join(options.color ? '  ' : ' · ');
  lines.push(...wrapLine(w.statesKey(key), width));
  return lines.map((line) => truncate(line, width)).join('\n');
}
