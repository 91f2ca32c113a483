// The legend under the table, on the screens a class uses: at 200×50 each meaning takes one line
// (the table's pane widens for it while the output beside it keeps half the screen), and at 80×24
// nothing is cut: every line is the screen's width and each letter on screen is explained.
import { describe, expect, test } from 'vitest';
import { FrameRenderer, SIDE_BY_SIDE_MIN_COLUMNS } from '../../../lib/present/views/frame.js';
import { lettersOnScreen } from '../../../lib/present/views/legend.js';
import { cellWidth } from '../../../lib/present/views/text.js';
import { words } from '../../../lib/words/views.js';
import { familyRows, viewState } from './fixtures.js';

const plain = (line: string): string => line.replace(/\x1b\[[0-9;]*m/g, '');

function frame(columns: number, rows: number): string[] {
  return new FrameRenderer(false).render(viewState({ rows: familyRows() }), { columns, rows }).map(plain);
}

describe('the legend at the sizes a class uses', () => {
  test('200×50: every meaning on one line of the table pane, and the output keeps at least half the screen', () => {
    const lines = frame(200, 50);
    expect(lines).toHaveLength(50);
    const divider = lines[1]!.indexOf(' │ ');
    expect(divider).toBeGreaterThanOrEqual(100 - 3);
    const pane = lines.slice(1).map((line) => line.slice(divider + 3).trimEnd());
    const w = words();
    const rows = familyRows();
    const meanings = [
      ...lettersOnScreen(rows).map((letter) => w.statMeanings[letter]!),
      w.markMeanings.adopted,
      w.markMeanings.exited,
    ];
    for (const meaning of meanings) expect(pane.some((line) => line.includes(meaning)), meaning).toBe(true);
  });

  test('80×24: stacked, every line 80 cells, each letter on screen still explained', () => {
    expect(80).toBeLessThan(SIDE_BY_SIDE_MIN_COLUMNS);
    const lines = frame(80, 24);
    expect(lines).toHaveLength(24);
    for (const line of lines) expect(cellWidth(line)).toBe(80);
    const text = lines.join('\n');
    for (const letter of lettersOnScreen(familyRows())) expect(text).toMatch(new RegExp(`(^|[ ·])${letter.replace(/[+<]/, '\\$&')} `, 'm'));
  });
});
