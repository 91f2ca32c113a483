// The live process table, drawn as a tree: PID, PPID, STAT, AGE, TITLE.
//
// A process sits under its CURRENT parent, so the moment an orphan is re-parented it moves out
// from under the parent that died: that move is the lesson. Siblings keep their order by start
// time whatever their state, so a row never jumps while the student is reading it.
import type { TableRow } from '../../observe/observer.js';
import { colors, statColor, type Colors } from './palette.js';
import { cellWidth, padEnd, padStart, truncate } from './text.js';
import { layOutTree, pickParent, type TreeLine } from './tree.js';
import { adoptedBy, describeExit, formatAge, whoIs, words, type Family } from '../../words/views.js';

export interface TableOptions {
  /** The most cells a line may take. */
  width: number;
  color: boolean;
  /** Milliseconds since the run started (for the AGE column). */
  now: number;
  lessonPid: number;
  runnerPid: number;
  /** Leave out the AGE column: the plain log compares tables without it, since age always ticks. */
  showAge?: boolean;
}

/** Its parent now is not the one it was born to: an orphan that the kernel re-parented. */
export function isAdopted(row: TableRow): boolean {
  return row.ppid !== row.bornTo;
}

/** It has vanished from the kernel's table (reaped); the row stays a few seconds, dimmed. */
export function isGone(row: TableRow): boolean {
  return row.gone !== undefined;
}

/** What the STAT column shows: a gone process has no state any more. */
export function shownStat(row: TableRow): string {
  return isGone(row) ? '-' : row.stat;
}

/** Rows in the order they are drawn, each with its tree prefix. */
export function tableTree(rows: readonly TableRow[]): Array<TreeLine<TableRow>> {
  const byPid = new Map<number, TableRow[]>();
  for (const row of rows) byPid.set(row.pid, [...(byPid.get(row.pid) ?? []), row]);
  return layOutTree(rows, {
    parentOf: (row) => {
      const candidates = (byPid.get(row.ppid) ?? []).filter((candidate) => candidate !== row);
      return pickParent(candidates, row.startTicks, (candidate) => candidate.startTicks);
    },
    compare: (a, b) => a.startTicks - b.startTicks || a.pid - b.pid,
  });
}

function familyOf(row: TableRow, rows: readonly TableRow[], runnerPid: number): Family {
  return {
    runnerPid,
    bornTo: row.bornTo,
    titleOf: (pid) => rows.find((other) => other.pid === pid && !isGone(other))?.title,
  };
}

/** The marks after a title, from the most detailed to the shortest, for as much room as there is. */
function markChoices(row: TableRow, family: Family, c: Colors): string[] {
  const adopted = isAdopted(row);
  const gone = isGone(row);
  if (!adopted && !gone) return [''];
  const w = words();
  const end = describeExit(row.exit);
  const goneLong = gone ? (end ? w.exitedHow(end) : w.exited) : '';
  const goneShort = gone ? w.exited : '';
  const adoptedLong = adopted ? c.magenta(`${adoptedBy(row.ppid, family)}${w.bornTo(row.bornTo)}`) : '';
  const adoptedMid = adopted ? c.magenta(adoptedBy(row.ppid, family)) : '';
  // The PPID column already shows the adopter's pid: when room is short, "by runner" is enough.
  const adoptedShort = adopted ? c.magenta(w.adoptedByWho(whoIs(row.ppid, family))) : '';
  const adoptedShortest = adopted ? c.magenta(w.adopted) : '';
  const join = (...marks: string[]): string => marks.filter(Boolean).join(w.markSeparator);
  return [
    join(adoptedLong, goneLong),
    join(adoptedMid, goneLong),
    join(adoptedMid, goneShort),
    join(adoptedShort, goneShort),
    join(adoptedShortest, goneShort),
  ];
}

/**
 * The TITLE cell: tree prefix, title, marks. When room is short the marks get shorter first and
 * the title is cut (with '…') down to a few characters, because "adopted by 1 (init)" is what
 * the student must not miss.
 */
function titleCell(prefix: string, title: string, marks: string[], room: number): string {
  const minTitle = Math.min(cellWidth(title), 10);
  const base = cellWidth(prefix);
  for (const mark of marks) {
    const markRoom = mark ? cellWidth(mark) + 2 : 0;
    if (base + minTitle + markRoom <= room || mark === marks.at(-1)) {
      const titleRoom = Math.min(room - base, Math.max(minTitle, room - base - markRoom));
      const shownTitle = truncate(title, titleRoom, true);
      return truncate(`${prefix}${shownTitle}${mark ? `  ${mark}` : ''}`, room);
    }
  }
  return truncate(prefix + title, room);
}

/** Titles come from command lines: never let a control character into the picture. */
function cleanTitle(title: string): string {
  return title.replace(/[\x00-\x1f\x7f]/g, ' ');
}

/**
 * Everything of the rows that renderTable draws, but their age, as one string: rows with the same
 * signature are drawn alike at the same width. The plain view compares these at every sample
 * rather than drawing the table to see whether it changed.
 */
export function tableSignature(rows: readonly TableRow[]): string {
  let signature = '';
  for (const row of rows) signature += `${row.pid} ${row.ppid} ${row.bornTo} ${row.startTicks} ${shownStat(row)} ${row.exit?.code} ${row.exit?.signal} ${row.title}\n`;
  return signature;
}

export function renderTable(rows: TableRow[], options: TableOptions): string[] {
  const c = colors(options.color);
  const showAge = options.showAge ?? true;
  const lines = tableTree(rows);
  const ageOf = (row: TableRow): string => formatAge((row.gone ?? options.now) - row.firstSeen);

  const heading = words().columns;
  // Widths in cells, headings included: a Chinese heading ("时长") is wider than its characters.
  const pidWidth = Math.max(cellWidth(heading.pid), ...lines.map(({ item }) => String(item.pid).length));
  const ppidWidth = Math.max(cellWidth(heading.ppid), ...lines.map(({ item }) => String(item.ppid).length));
  const statWidth = Math.max(cellWidth(heading.stat), ...lines.map(({ item }) => cellWidth(shownStat(item))));
  const ageWidth = Math.max(cellWidth(heading.age), ...lines.map(({ item }) => ageOf(item).length));
  const fixed = pidWidth + 1 + ppidWidth + 1 + statWidth + 1 + (showAge ? ageWidth + 1 : 0);
  const titleRoom = Math.max(0, options.width - fixed);

  const columns = (pid: string, ppid: string, stat: string, age: string): string =>
    `${padStart(pid, pidWidth)} ${padStart(ppid, ppidWidth)} ${stat} ${showAge ? `${padStart(age, ageWidth)} ` : ''}`;

  const header = truncate(`${columns(heading.pid, heading.ppid, padEnd(heading.stat, statWidth), heading.age)}${heading.title}`, options.width);
  const out = [c.bold(header)];
  for (const { item: row, prefix } of lines) {
    const stat = shownStat(row);
    const marks = markChoices(row, familyOf(row, rows, options.runnerPid), c);
    const title = titleCell(prefix, cleanTitle(row.title), marks, titleRoom);
    const line = truncate(
      `${columns(String(row.pid), String(row.ppid), statColor(c, stat)(padEnd(stat, statWidth)), ageOf(row))}${title}`,
      options.width,
    );
    out.push(isGone(row) ? c.dim(line) : line);
  }
  return out;
}
