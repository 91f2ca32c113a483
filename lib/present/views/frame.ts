// One picture of the live view, as screen lines: a header, the lesson's output, the table.
//
//   01 fork: a child process                          2.4s · pace 1× · q: quit
//   parent 7504: I am the parent …          │  PID  PPID STAT  AGE TITLE
//   child 7515: I am the child …            │ 7504  4711 Ssl  2.3s parent
//                                           │ 7515  7504 Sl   1.1s └─ child
//
// Side by side when the terminal is wide enough for both to be readable, otherwise the output
// above and the table below. Every line is exactly as wide as the screen, so drawing a frame
// overwrites the whole previous one and nothing of it lingers.
import { renderLegend } from './legend.js';
import { colors, type Colors } from './palette.js';
import { OutputPane } from './output-pane.js';
import { renderTable } from './table.js';
import { RESET, cellWidth, fit, truncate } from './text.js';
import type { ViewState } from './types.js';
import { describeExit, words } from '../../words/views.js';

/** From this width on, output and table go side by side: ~55 columns of output beside a ~45-column table. */
export const SIDE_BY_SIDE_MIN_COLUMNS = 100;
/** The table pane gets at least this many columns beside the output … */
const TABLE_MIN_COLUMNS = 40;
/** … and at most this share of the screen, so the output stays readable. */
const TABLE_MAX_SHARE = 0.5;
/** Stacked, the table takes at most this share of the rows; the output keeps the rest. */
const STACKED_TABLE_MAX_SHARE = 0.6;

export interface ScreenSize {
  columns: number;
  rows: number;
}

export type Layout = 'side-by-side' | 'stacked';

export function layoutFor(size: ScreenSize): Layout {
  return size.columns >= SIDE_BY_SIDE_MIN_COLUMNS ? 'side-by-side' : 'stacked';
}

/**
 * What the header says about the run, and in which colour: the one thing a teacher looks for.
 * A long checkpoint name is cut to `nameRoom` cells; the key to press never is.
 */
function statusOf(state: ViewState, c: Colors, nameRoom = Number.POSITIVE_INFINITY): string {
  const w = words();
  if (state.finished) {
    const how = describeExit({ t: state.now, source: 'runner', ...state.finished }) ?? w.ended;
    const paint = state.finished.code === 0 ? c.green : c.red;
    return paint(w.finished(how));
  }
  if (state.pausedAt !== undefined) return c.yellow(w.pausedAt(truncate(state.pausedAt, Math.max(8, nameRoom), true)));
  if (state.stepMode) return c.yellow(w.stepMode);
  return w.quitKey;
}

/** The header keeps at least this much of the lesson's title … */
const HEADER_TITLE_MIN = 16;

function renderHeader(state: ViewState, columns: number, c: Colors): string {
  const number = state.lesson.number === undefined ? '' : `${String(state.lesson.number).padStart(2, '0')} `;
  const left = ` ${c.bold(`${number}${state.lesson.title}`)}`;
  const leftWanted = Math.min(cellWidth(left), HEADER_TITLE_MIN);
  const time = `${(state.now / 1000).toFixed(1)}s`;
  const pace = words().pace(state.pace);
  const rightOf = (withPace: boolean, nameRoom?: number): string =>
    `${time}${withPace ? pace : ''} · ${statusOf(state, c, nameRoom)} `;
  // … so when room is short, the checkpoint name is cut first, then the pace goes.
  const room = columns - leftWanted - 1;
  const nameWidth = cellWidth(state.pausedAt ?? '');
  const overflow = cellWidth(rightOf(true)) - room;
  let right = rightOf(true);
  if (overflow > 0) right = rightOf(true, nameWidth - overflow);
  if (cellWidth(right) > room) right = rightOf(false, nameWidth - overflow + cellWidth(pace));
  const shownLeft = truncate(left, Math.max(0, columns - cellWidth(right) - 1), true);
  const line = `${shownLeft}${' '.repeat(Math.max(1, columns - cellWidth(shownLeft) - cellWidth(right)))}${right}`;
  return c.inverse(fit(line, columns));
}

/**
 * The table and, below it, the legend. When rows are short the legend gives way first: to its
 * compact form (one paragraph of short meanings), then entirely; the table itself comes first.
 */
function tablePane(state: ViewState, width: number, height: number, color: boolean): string[] {
  const options = { width, color, now: state.now, lessonPid: state.lessonPid, runnerPid: state.runnerPid };
  const table = renderTable(state.rows, options);
  for (const compact of [false, true]) {
    const legend = renderLegend(state.rows, { width, color, compact });
    if (legend.length > 0 && table.length + 1 + legend.length <= height) return [...table, '', ...legend];
  }
  if (table.length <= height) return table;
  // Too many processes for the pane: say how many are not shown rather than hide them silently.
  const shown = Math.max(0, height - 1);
  return [...table.slice(0, shown), truncate(words().andMore(table.length - shown), width)].slice(0, Math.max(0, height));
}

/**
 * How wide the table pane wants to be: the widest line of the table, or of the legend under it
 * (one line per meaning), when given all the room in the world. The legend counts too: on a wide
 * screen a meaning should not wrap while the output beside it has columns to spare.
 */
function naturalTableWidth(state: ViewState): number {
  const lines = renderTable(state.rows, {
    width: 1000,
    color: false,
    now: state.now,
    lessonPid: state.lessonPid,
    runnerPid: state.runnerPid,
  });
  const legend = renderLegend(state.rows, { width: 1000, color: false });
  return Math.max(...lines.map(cellWidth), ...legend.map(cellWidth));
}

export class FrameRenderer {
  private readonly c: Colors;
  private readonly output: OutputPane;
  /**
   * The widest the table has wanted to be at this screen width. The divider only ever moves
   * right-to-left (the table grows, never shrinks back) so it does not jump as rows come and go,
   * and the output is not rewrapped at every change of the table.
   */
  private tableWants = { columns: 0, width: 0 };

  constructor(private readonly color: boolean) {
    this.c = colors(color);
    this.output = new OutputPane(this.c);
  }

  /** Exactly `size.rows` lines, each exactly `size.columns` cells wide. */
  render(state: ViewState, size: ScreenSize): string[] {
    const columns = Math.max(1, size.columns);
    const bodyRows = Math.max(0, size.rows - 1);
    const body = layoutFor(size) === 'side-by-side' ? this.sideBySide(state, columns, bodyRows) : this.stacked(state, columns, bodyRows);
    return [renderHeader(state, columns, this.c), ...body].slice(0, Math.max(1, size.rows));
  }

  private sideBySide(state: ViewState, columns: number, rows: number): string[] {
    if (this.tableWants.columns !== columns) this.tableWants = { columns, width: 0 };
    this.tableWants.width = Math.max(this.tableWants.width, naturalTableWidth(state));
    const tableWidth = Math.min(Math.floor(columns * TABLE_MAX_SHARE), Math.max(TABLE_MIN_COLUMNS, this.tableWants.width));
    const outputWidth = columns - tableWidth - 3;
    const left = this.output.lastLines(state.output, outputWidth, rows);
    const right = tablePane(state, tableWidth, rows, this.color);
    const divider = ` ${this.c.dim('│')} `;
    const lines: string[] = [];
    for (let row = 0; row < rows; row++) {
      lines.push(`${fit(left[row] ?? '', outputWidth)}${RESET}${divider}${fit(right[row] ?? '', tableWidth)}${RESET}`);
    }
    return lines;
  }

  private stacked(state: ViewState, columns: number, rows: number): string[] {
    const tableRoom = Math.max(0, Math.min(rows - 1, Math.floor(rows * STACKED_TABLE_MAX_SHARE)));
    const table = tablePane(state, columns, Math.max(0, tableRoom - 1), this.color);
    const divider = this.c.dim(fit(`${words().processesDivider}${'─'.repeat(columns)}`, columns));
    const outputRows = rows - table.length - 1;
    const output = this.output.lastLines(state.output, columns, outputRows);
    const lines: string[] = [];
    for (let row = 0; row < outputRows; row++) lines.push(`${fit(output[row] ?? '', columns)}${RESET}`);
    if (rows > 0) lines.push(divider);
    for (const line of table) lines.push(`${fit(line, columns)}${RESET}`);
    return lines.slice(0, rows);
  }
}
