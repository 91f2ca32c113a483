// The menu, as a student meets it: `npm run lesson` with no argument in a real terminal (under
// `script`): a lesson is chosen by its number or with the arrows; after it, the menu again; Esc
// or q leaves.
import { describe, expect, test } from 'vitest';
import { lessonForDigits } from '../../lib/cli/menu.js';
import { runnerCli } from '../support/run-lesson.js';
import { hasScript, runInTerminal } from '../support/terminal.js';

const LESSON_HEADER = (number: number): RegExp => new RegExp(`^ ${String(number).padStart(2, '0')} `);

describe('the digits typed in the menu', () => {
  test('make the lesson number: 5 is lesson 5, 1 then 2 is lesson 12, a number with no lesson starts again', () => {
    const numbers = Array.from({ length: 19 }, (_, index) => index + 1);
    expect(lessonForDigits('5', numbers)).toEqual({ number: 5, typed: '5' });
    expect(lessonForDigits('1', numbers)).toEqual({ number: 1, typed: '1' });
    expect(lessonForDigits('12', numbers)).toEqual({ number: 12, typed: '12' });
    expect(lessonForDigits('53', numbers)).toEqual({ number: 3, typed: '3' });
    expect(lessonForDigits('0', numbers)).toBeUndefined();
  });
});

/** The menu's last row, drawn after its list: a screen that has it has the whole menu. */
const MENU_HINT = /Esc or q to leave/;

describe.skipIf(!hasScript)('the lesson menu in a real terminal', () => {
  test('lists the lessons and says how to choose; down, down, Enter runs lesson 3; q stops it and the menu is back', async () => {
    const run = runInTerminal([runnerCli, 'lesson', '--interval', '50'], { columns: 100, rows: 30 });
    try {
      // The whole menu: the hint under the list is drawn last (a screen caught between two writes has the list alone).
      const menu = await run.untilRow(MENU_HINT, 10_000, 'the menu with its hint');
      expect(menu.some((row) => /Which lesson\?/.test(row))).toBe(true);
      expect(menu.some((row) => /1 +A child process/.test(row))).toBe(true);
      expect(menu.some((row) => /3 +How a process ends/.test(row))).toBe(true);
      // How to choose and how to leave, under the list.
      expect(menu.some((row) => /↑\/↓ or type its number, then Enter .* Esc or q to leave/.test(row))).toBe(true);
      // No entry wraps onto a second line: every row of the list starts with a lesson number.
      const start = menu.findIndex((row) => row.includes('Which lesson?'));
      const end = menu.findIndex((row, index) => index > start && (row.trim() === '' || row.includes('↑/↓')));
      const entries = menu.slice(start + 1, end);
      expect(entries.length).toBeGreaterThanOrEqual(3);
      for (const row of entries) expect(row).toMatch(/^\S?\s+\d+\s{2}\S/);
      run.type('\x1b[B\x1b[B\r'); // down, down, Enter
      await run.untilRow(LESSON_HEADER(3), 10_000, 'lesson 3 to start');
      run.type('q');
      // Stopped: the summary chart on the normal screen, and the menu under it.
      // The new menu, drawn whole (its hint row): the answered one above says "✔ Which lesson? · 3".
      const back = await run.untilRow(MENU_HINT, 10_000, 'the menu again');
      expect(back.join('\n')).toContain('What the kernel showed:');
      expect(run.ended()).toBe(false);
      run.type('\x1b'); // Esc leaves
      expect(await run.exited).toBe(130); // the last lesson was stopped
    } finally {
      run.dispose();
    }
  });

  test('typing 5 starts lesson 5; back in the menu after it; 1, 2, Enter starts lesson 12; q leaves', async () => {
    const run = runInTerminal([runnerCli, 'lesson', '--interval', '50'], { columns: 120, rows: 32 });
    try {
      await run.untilRow(/Which lesson\?/, 10_000, 'the menu');
      run.type('5');
      // The focused entry is lesson 5 (enquirer draws its pointer before it) …
      await run.untilRow(/^[▸❯]\s+5\s{2}/, 5000, 'lesson 5 focused');
      run.type('\r');
      const started = await run.untilRow(LESSON_HEADER(5), 10_000, 'lesson 5 to start');
      expect(started[0]).toMatch(/^ 05 /);
      run.type('q');
      await run.untilRow(MENU_HINT, 10_000, 'the menu after lesson 5');
      run.type('1');
      run.type('2');
      await run.untilRow(/^[▸❯]\s+12\s{2}/, 5000, 'lesson 12 focused');
      run.type('\r');
      await run.untilRow(LESSON_HEADER(12), 10_000, 'lesson 12 to start');
      run.type('q');
      await run.untilRow(MENU_HINT, 15_000, 'the menu after lesson 12');
      run.type('q'); // q leaves the menu too
      expect(await run.exited).toBe(130);
    } finally {
      run.dispose();
    }
  });
});
