// The legend: only what is on screen, in plain words.
import stringWidth from 'string-width';
import { describe, expect, test } from 'vitest';
import { STAT_MEANINGS } from '../../../lib/words/stat-meanings.js';
import { renderLegend } from '../../../lib/present/views/legend.js';
import { LESSON, RUNNER, familyRows, row } from './fixtures.js';

describe('renderLegend', () => {
  test('one line per letter on screen, states before modifiers, nothing for letters not shown', () => {
    const rows = [
      row({ pid: LESSON, ppid: RUNNER, stat: 'Ss', title: 'parent', startTicks: 1 }),
      row({ pid: 8000, ppid: LESSON, stat: 'R+', title: 'child', startTicks: 2 }),
    ];
    expect(renderLegend(rows, { width: 200, color: false })).toEqual([
      `R  ${STAT_MEANINGS.R}`,
      `S  ${STAT_MEANINGS.S}`,
      `s  (after the letter) ${STAT_MEANINGS.s}`,
      `+  (after the letter) ${STAT_MEANINGS['+']}`,
    ]);
  });

  test('a zombie brings its explanation; adoption and exited rows bring theirs', () => {
    const lines = renderLegend(familyRows(), { width: 200, color: false });
    expect(lines.map((line) => line.split(' ')[0])).toEqual(['R', 'S', 'T', 'Z', 's', 'l', 'adopted', 'exited']);
    expect(lines[3]).toBe(`Z        ${STAT_MEANINGS.Z}`);
    expect(lines[6]).toMatch(/^adopted  its parent died first/);
    // The STAT of a gone row ('-') is not a letter: its old Z alone does not explain Z.
    const goneOnly = [row({ pid: 9, ppid: 8, stat: 'Z', title: 'x', gone: 1 })];
    expect(renderLegend(goneOnly, { width: 200, color: false }).map((line) => line.split(' ')[0])).toEqual(['exited']);
  });

  test('wraps under its own text within the width; letters keep their table colour', () => {
    const lines = renderLegend(familyRows(), { width: 44, color: false });
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(44);
    const z = lines.findIndex((line) => line.startsWith('Z '));
    expect(lines[z + 1]).toMatch(/^ {9}\S/);
    const colored = renderLegend(familyRows(), { width: 80, color: true });
    expect(colored.find((line) => line.includes(STAT_MEANINGS.R!.slice(0, 10)))).toMatch(/^\x1b\[32mR/);
    expect(colored.find((line) => line.includes('zombie:'))).toMatch(/^\x1b\[1m\x1b\[31mZ/);
  });

  test('no rows, no legend', () => {
    expect(renderLegend([], { width: 80, color: false })).toEqual([]);
  });
});

describe('renderLegend, compact', () => {
  test('one paragraph of short meanings, for a screen too short for the full legend', () => {
    const lines = renderLegend(familyRows(), { width: 80, color: false, compact: true });
    expect(lines.join(' ')).toBe(
      'R running or ready to run · S sleeping · T stopped by a signal · Z zombie · s session leader · ' +
        'l multi-threaded · adopted (its parent died first) · exited (ended and reaped)',
    );
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(80);
  });
});
