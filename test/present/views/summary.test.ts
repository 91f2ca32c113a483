// The summary chart, on a hand-made timeline of the zombie lesson.
import stringWidth from 'string-width';
import { describe, expect, test } from 'vitest';
import { cellsOf, renderSummary } from '../../../lib/present/views/summary.js';
import { stripAnsi } from '../../../lib/present/views/text.js';
import { LESSON, RUNNER, zombieTimeline } from './fixtures.js';

function lines(width: number, color = false): string[] {
  return renderSummary(zombieTimeline(), { width, color }).split('\n');
}

/** The column where the chart starts: where the axis begins. */
function chartStart(summary: string[]): number {
  return summary.find((line) => line.startsWith('checkpoints '))!.search(/[├1]/);
}

describe('renderSummary', () => {
  test('fits 80 columns; one row per process, nested under the parent it was born to', () => {
    const summary = lines(80);
    for (const line of summary) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    const start = chartStart(summary);
    const labels = summary.filter((line) => /[SZ]{3}/.test(line)).map((line) => line.slice(0, start).trimEnd());
    expect(labels).toEqual(['parent 7504', '└─ child 7515', '   └─ orphan 7520']);
  });

  test('states are letters on a shared time axis: the zombie starts under the 1s tick', () => {
    const summary = lines(80);
    const start = chartStart(summary);
    const ticks = summary[1]!;
    const child = summary.find((line) => line.startsWith('└─ child 7515'))!;
    const oneSecond = ticks.indexOf('1s');
    expect(child.indexOf('Z')).toBe(oneSecond);
    expect(child.slice(start, oneSecond)).toMatch(/^S+$/);
    // …and it is a zombie until it is reaped at 3 s, then the row is blank.
    const threeSeconds = ticks.indexOf('3s');
    expect(child.slice(oneSecond, threeSeconds)).toMatch(/^Z+$/);
    expect(child.length).toBeLessThanOrEqual(threeSeconds + 1);
    // The orphan appears at 0.5 s.
    const orphan = summary.find((line) => line.includes('orphan 7520'))!;
    expect(orphan.search(/S/)).toBe(ticks.indexOf('0.5s'));
  });

  test('checkpoints are numbered on the axis and listed with their names', () => {
    const summary = lines(80);
    const axis = summary.find((line) => line.startsWith('checkpoints '))!;
    const ticks = summary[1]!;
    expect(axis[ticks.indexOf('0s')]).toBe('1');
    expect(axis[ticks.indexOf('1s')]).toBe('2');
    expect(axis[ticks.indexOf('3s')]).toBe('3');
    expect(summary.join('\n')).toContain('checkpoints: 1 start a child (0s) · 2 the child exits (1s) · 3 reap it (3s)');
  });

  test('each row ends with how the process ended and who collected it', () => {
    const wide = lines(160);
    const endOf = (label: string): string => wide.find((line) => line.includes(label))!.replace(/^.*[SZ ] {2}/, '');
    expect(endOf('parent 7504')).toBe(`exit 0, reaped by ${RUNNER} (runner)`);
    expect(endOf('child 7515')).toBe(`exit 0, reaped by ${LESSON} (parent)`);
    expect(endOf('orphan 7520')).toBe(`killed by SIGTERM, adopted and reaped by ${RUNNER} (runner)`);
    // At 80 columns the endings go under their rows instead.
    const narrow = lines(80);
    const orphan = narrow.findIndex((line) => line.includes('orphan 7520'));
    expect(narrow[orphan + 1]!.trim()).toBe(`↳ killed by SIGTERM, adopted and reaped by ${RUNNER} (runner)`);
  });

  test('an orphan still a zombie of init at the end says so', () => {
    const timeline = zombieTimeline();
    const orphan = timeline.processes[2]!;
    orphan.spans[1] = { from: 2000, to: 4000, stat: 'Z', ppid: 1 };
    delete orphan.gone;
    delete orphan.reapedBy;
    orphan.exit = { t: 2100, code: 1, signal: null, source: 'kernel' };
    expect(renderSummary(timeline, { width: 160, color: false })).toContain('exit 1, adopted by 1 (init), still a zombie at the end');
  });

  test('in colour, a state is a coloured block: zombie red, sleeping blue', () => {
    const summary = lines(80, true);
    const child = summary.find((line) => line.includes('child 7515'))!;
    expect(child).toMatch(/\x1b\[34m█+\x1b\[39m\x1b\[31m█+\x1b\[39m/);
    expect(stripAnsi(child)).not.toMatch(/[SZ]{2}/);
    expect(summary.at(-1)).toContain('\x1b[31m█\x1b[39m zombie');
  });

  test('a state shorter than a column still shows', () => {
    const spans = [
      { from: 0, to: 5000, stat: 'S', ppid: 1 },
      { from: 5000, to: 5020, stat: 'Z', ppid: 1 },
      { from: 5020, to: 10_000, stat: 'S', ppid: 1 },
    ];
    const cells = cellsOf(spans, 50, 200);
    expect(cells.filter((state) => state === 'Z')).toHaveLength(1);
    expect(cells[25]).toBe('Z');
    expect(cells.filter((state) => state === 'S')).toHaveLength(49);
  });

  test('an empty timeline says so', () => {
    const timeline = zombieTimeline();
    timeline.processes = [];
    expect(renderSummary(timeline, { width: 80, color: false })).toBe('No process of the lesson was seen.');
  });
});

describe('renderSummary, checkpoints close together', () => {
  test('are drawn apart, in order, not run together', () => {
    const timeline = zombieTimeline();
    timeline.checkpoints = [
      { t: 1000, name: 'a', pid: LESSON },
      { t: 1001, name: 'b', pid: LESSON },
      { t: 1002, name: 'c', pid: LESSON },
    ];
    const summary = renderSummary(timeline, { width: 80, color: false }).split('\n');
    const axis = summary.find((line) => line.startsWith('checkpoints '))!;
    const at = summary[1]!.indexOf('1s');
    expect(axis.slice(at, at + 5)).toBe('1─2─3');
  });
});
