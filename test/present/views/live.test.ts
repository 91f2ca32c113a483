// The live view, drawn into a headless terminal (@xterm/headless) and read back as a person sees
// it: which text is on which row and column, in which colour.
import stringWidth from 'string-width';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { OutputLine } from '../../../lib/observe/timeline.js';
import { createLiveView } from '../../../lib/present/views/live.js';
import type { View } from '../../../lib/present/views/types.js';
import { TestTerminal } from '../../support/terminal.js';
import { RUNNER, row, viewState, zombieTimeline } from './fixtures.js';

const RED = 1;
const GREEN = 2;
const YELLOW = 3;

const OUTPUT: OutputLine[] = [
  { t: 1, stream: 'stdout', text: '\x1b[36mparent 7504\x1b[0m: I am the parent' },
  { t: 2, stream: 'stdout', text: 'child 7515: 我是子进程, my parent is 7504' },
  {
    t: 3,
    stream: 'stdout',
    text: '\x1b[2m  The two processes take turns on the CPUs as the kernel decides: the order of their lines is decided by neither.\x1b[0m',
  },
  { t: 4, stream: 'stderr', text: 'Error: something failed' },
];

let term: TestTerminal | undefined;
let view: View | undefined;

function start(columns: number, rows: number, minFrameMs = 0): { term: TestTerminal; view: View } {
  term = new TestTerminal(columns, rows);
  view = createLiveView({ stdout: term, color: true, minFrameMs });
  return { term, view };
}

afterEach(() => {
  view?.close(zombieTimeline());
  term?.dispose();
  term = undefined;
  view = undefined;
  vi.useRealTimers();
});

/** The cell column where a visible row first shows this text (wide characters count as two). */
function columnOf(terminal: TestTerminal, y: number, text: string): number {
  const line = terminal.screen.buffer.active.getLine(terminal.screen.buffer.active.viewportY + y)!;
  for (let x = 0; x < terminal.columns; x++) if (line.translateToString(true, x).startsWith(text)) return x;
  return -1;
}

describe('live view, side by side (120 columns)', () => {
  test('header on top, output on the left, the table and its legend on the right', async () => {
    const { term, view } = start(120, 30);
    view.update(viewState({ output: OUTPUT }));
    const rows = await term.text();
    expect(term.screen.buffer.active.type).toBe('alternate');
    expect(rows[0]).toMatch(/^ 05 zombie: the child dies first +2\.5s · pace 1× · q: quit$/);

    // One divider column from the first body row to the last.
    const divider = columnOf(term, 1, '│  PID PPID STAT');
    expect(divider).toBeGreaterThan(50);
    for (let y = 1; y < 30; y++) expect(term.cell(divider, y).getChars()).toBe('│');

    // The left pane: the lesson's lines from its top-left corner, in order.
    expect(rows[1]!.startsWith('parent 7504: I am the parent')).toBe(true);
    expect(rows[2]!.startsWith('child 7515: 我是子进程, my parent is 7504')).toBe(true);
    // The long explanation wraps inside the pane, with its indentation kept.
    expect(rows[3]).toMatch(/^ {2}The two processes take turns/);
    expect(rows[4]).toMatch(/^ {2}\S/);

    // The right pane: the table as a tree, then the legend.
    const tableX = divider + 2;
    expect(columnOf(term, 2, '7504 4711 Ssl  2.5s parent')).toBe(tableX);
    expect(columnOf(term, 4, '7530 7515 Rl   1.6s │  └─ grandchild')).toBe(tableX);
    expect(columnOf(term, 7, '7550 4711 Sl   1.2s orphan  adopted by 4711 (runner)')).toBe(tableX);
    expect(rows.findIndex((row) => row.includes('Z        zombie: exited'))).toBeGreaterThan(9);
  });

  test('STAT colours on screen: zombie red and bold, running green, stopped yellow; a gone row dimmed', async () => {
    const { term, view } = start(120, 30);
    view.update(viewState({ output: OUTPUT }));
    const rows = await term.text();
    const statX = columnOf(term, 1, 'STAT');
    const rowOf = (title: string): number => rows.findIndex((row) => row.includes(title));

    const zombie = term.cell(statX, rowOf('zombie-child'));
    expect(zombie.getChars()).toBe('Z');
    expect(zombie.isFgPalette()).toBe(true);
    expect(zombie.getFgColor()).toBe(RED);
    expect(zombie.isBold()).toBeTruthy();

    const running = term.cell(statX, rowOf('grandchild'));
    expect([running.getChars(), running.getFgColor()]).toEqual(['R', GREEN]);
    const stopped = term.cell(statX, rowOf('stopped-orphan'));
    expect([stopped.getChars(), stopped.getFgColor()]).toEqual(['T', YELLOW]);
    const sleeping = term.cell(statX, rowOf('├─ child'));
    expect(sleeping.getChars()).toBe('S');
    expect(sleeping.isFgDefault()).toBe(true);

    const gone = rowOf('reaped-child');
    expect(term.cell(statX, gone).getChars()).toBe('-');
    expect(term.cell(statX - 10, gone).isDim()).toBeTruthy();
    expect(term.cell(statX - 10, rowOf('zombie-child')).isDim()).toBeFalsy();

    // The lesson's stderr in red; its own colours kept.
    const error = rowOf('Error: something failed');
    expect(term.cell(0, error).getFgColor()).toBe(RED);
    expect(term.cell(0, 1).getFgColor()).toBe(6); // cyan, as the lesson printed it
  });

  test('a wide (CJK) line does not push the divider', async () => {
    const { term, view } = start(120, 30);
    const wide: OutputLine = { t: 5, stream: 'stdout', text: '父进程'.repeat(40) };
    view.update(viewState({ output: [wide] }));
    await term.text();
    const divider = columnOf(term, 1, '│  PID');
    expect(divider).toBeGreaterThan(0);
    // The wrapped CJK lines stop short of the divider, and together they are the whole line.
    const buffer = term.screen.buffer.active;
    const left: string[] = [];
    for (let y = 1; y <= 6; y++) {
      expect(term.cell(divider, y).getChars()).toBe('│');
      left.push(buffer.getLine(y)!.translateToString(true, 0, divider).trimEnd());
    }
    expect(left.join('')).toBe(wide.text);
    expect(stringWidth(left[0]!)).toBeGreaterThanOrEqual(divider - 3);
    expect(term.cell(0, 1).getWidth()).toBe(2);
  });

  test('only the last lines that fit are shown', async () => {
    const { term, view } = start(120, 12);
    const many: OutputLine[] = Array.from({ length: 100 }, (_, index) => ({ t: index, stream: 'stdout', text: `line ${index}` }));
    view.update(viewState({ output: many, rows: [] }));
    const rows = await term.text();
    expect(rows[1]!.startsWith('line 89 ')).toBe(true);
    expect(rows[11]!.startsWith('line 99 ')).toBe(true);
  });
});

describe('live view, stacked (80 columns)', () => {
  test('output above, a divider, the table below it at the left edge', async () => {
    const { term, view } = start(80, 40);
    view.update(viewState({ output: OUTPUT }));
    const rows = await term.text();
    expect(rows[0]).toMatch(/^ 05 zombie: the child dies first +2\.5s · pace 1× · q: quit$/);
    expect(rows[1]!.startsWith('parent 7504: I am the parent')).toBe(true);
    const divider = rows.findIndex((row) => row.startsWith('── processes ──'));
    expect(divider).toBeGreaterThan(4);
    expect(rows[divider + 1]).toBe(' PID PPID STAT  AGE TITLE');
    expect(rows[divider + 2]).toBe('7504 4711 Ssl  2.5s parent');
    expect(rows[divider + 6]).toBe('7540 7504 Z    1.3s └─ zombie-child');
    expect(term.cell(10, divider + 6).getFgColor()).toBe(RED);
    // Nothing drawn beside the output: no divider column.
    expect(rows.slice(1, divider).some((row) => row.includes('│'))).toBe(false);
    // Below the table, the legend (full, since there is room).
    expect(rows.slice(divider).some((row) => row.startsWith('Z        zombie'))).toBe(true);
  });

  test('a short screen keeps the table and shortens the legend', async () => {
    const { term, view } = start(80, 24);
    view.update(viewState({ output: OUTPUT }));
    const rows = await term.text();
    const divider = rows.findIndex((row) => row.startsWith('── processes ──'));
    expect(rows[divider + 8]).toBe('7560    1 Tl   1.1s stopped-orphan  adopted by 1 (init), born to 7545');
    expect(rows.slice(divider).join(' ')).toContain('Z zombie');
    expect(rows.some((row) => row.startsWith('Z        zombie'))).toBe(false);
  });
});

describe('live view, over time', () => {
  test('a resize redraws in the layout that fits: 120 → 80 → 130 columns', async () => {
    const { term, view } = start(120, 30);
    view.update(viewState({ output: OUTPUT }));
    await term.text();
    expect(columnOf(term, 1, '│  PID')).toBeGreaterThan(0);

    term.resize(80, 30);
    let rows = await term.text();
    expect(rows.some((row) => row.startsWith('── processes ──'))).toBe(true);
    expect(rows[1]!.startsWith('parent 7504: I am the parent')).toBe(true);
    expect(rows.slice(1).some((row) => row.includes('│  PID'))).toBe(false);
    expect(rows[0]).toMatch(/q: quit$/);

    term.resize(130, 30);
    rows = await term.text();
    expect(rows.some((row) => row.startsWith('── processes'))).toBe(false);
    const divider = columnOf(term, 1, '│  PID PPID STAT');
    expect(divider).toBeGreaterThan(60);
    expect(rows[0]).toMatch(/q: quit$/);
    expect(rows[0]!.length).toBe(130 - 1);
  });

  test('the header tells the teacher what the run waits for', async () => {
    const { term, view } = start(120, 20);
    view.update(viewState({ stepMode: true }));
    // Step mode with nothing waiting: no "press space" (a teacher would press it for nothing).
    expect((await term.text())[0]).toMatch(/step by step · q: quit$/);
    expect((await term.text())[0]).not.toContain('press space');
    view.update(viewState({ stepMode: true, pausedAt: 'the child exits' }));
    expect((await term.text())[0]).toMatch(/paused at: the child exits — press space$/);
    view.update(viewState({ stepMode: true, finished: { code: 0, signal: null } }));
    expect((await term.text())[0]).toMatch(/finished \(exit 0\) — press any key$/);
    view.update(viewState({ finished: { code: null, signal: 'SIGINT' } }));
    expect((await term.text())[0]).toMatch(/finished \(killed by SIGINT\) — press any key$/);
  });

  test('frames are throttled to 25 a second, and the last state is always drawn', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { term, view } = start(120, 20, 40);
    const frames = (): string[] => term.written.filter((text) => text.includes('\x1b[1;1H'));
    view.update(viewState({ now: 1000 }));
    view.update(viewState({ now: 1500 }));
    view.update(viewState({ now: 2000 }));
    expect(frames()).toHaveLength(1);
    expect(frames()[0]).toContain(' 1.0s · pace');
    vi.advanceTimersByTime(39);
    expect(frames()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(frames()).toHaveLength(2);
    // The delayed frame draws the latest state, not the one that asked first.
    expect(frames()[1]).toContain(' 2.0s · pace');
    vi.advanceTimersByTime(1000);
    expect(frames()).toHaveLength(2);
  });

  test('close restores the terminal, then prints the whole output and the summary', async () => {
    const { term, view } = start(100, 30);
    const timeline = zombieTimeline();
    timeline.output = [...OUTPUT];
    view.update(viewState({ output: timeline.output }));
    await term.text();
    expect(term.screen.modes.wraparoundMode).toBe(false);
    view.close(timeline);
    const rows = await term.text();
    expect(term.screen.buffer.active.type).toBe('normal');
    expect(term.screen.modes.wraparoundMode).toBe(true);
    const written = term.written.join('');
    expect(written.lastIndexOf('\x1b[?25h')).toBeGreaterThan(written.lastIndexOf('\x1b[?25l'));
    const all = rows.join('\n');
    expect(all).toContain('parent 7504: I am the parent\nchild 7515: 我是子进程, my parent is 7504\n');
    expect(all).toContain('What the kernel showed: 3 processes over 4s');
    const child = rows.findIndex((row) => row.startsWith('└─ child 7515'));
    expect(rows[child + 1]!.trim()).toBe('↳ exit 0, reaped by 7504 (parent)');
    // Closing twice does nothing more.
    const before = term.written.length;
    view.close(timeline);
    expect(term.written.length).toBe(before);
  });
});

describe('live view, header', () => {
  test('a long checkpoint name is cut before the title, and the key to press stays', async () => {
    const { term, view } = start(90, 20);
    const name = 'The parent is busy when its child exits, and nobody reaps it for a while';
    view.update(viewState({ stepMode: true, pausedAt: name }));
    const header = (await term.text())[0]!;
    expect(header).toMatch(/^ 05 zombie: the… 2\.5s/);
    expect(header).toMatch(/paused at: The parent is busy.*… — press space$/);
    expect(stringWidth(header)).toBeLessThanOrEqual(90);
  });
});

describe('live view, many processes', () => {
  test('a table taller than its pane says how many rows it could not show', async () => {
    const { term, view } = start(120, 10);
    const rows = Array.from({ length: 20 }, (_, index) =>
      row({ pid: 8000 + index, ppid: index === 0 ? RUNNER : 8000, stat: 'S', title: `worker ${index}`, startTicks: index }),
    );
    view.update(viewState({ rows }));
    const screen = await term.text();
    const divider = columnOf(term, 1, '│  PID');
    expect(screen[8]!.slice(divider + 2)).toBe('8006 8000 S    2.5s ├─ worker 6');
    expect(screen[9]!.slice(divider + 2)).toBe('… and 13 more');
  });
});

describe('live view, a steady divider', () => {
  test('the divider does not move back when a wide row leaves the table', async () => {
    const { term, view } = start(140, 20);
    const narrow = [row({ pid: 8000, ppid: RUNNER, stat: 'S', title: 'p', startTicks: 1 })];
    const wide = [...narrow, row({ pid: 8001, ppid: 8000, stat: 'S', title: 'a rather long title for a process, wider than the legend under the table', startTicks: 2 })];
    view.update(viewState({ rows: narrow }));
    await term.text();
    const first = columnOf(term, 1, '│  PID');
    view.update(viewState({ rows: wide }));
    await term.text();
    const widened = columnOf(term, 1, '│  PID');
    expect(widened).toBeLessThan(first);
    view.update(viewState({ rows: narrow }));
    await term.text();
    expect(columnOf(term, 1, '│  PID')).toBe(widened);
  });
});
