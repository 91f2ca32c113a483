// A lesson in a real terminal (under `script`) waits at each step by default: the header says
// "press space" while it waits, and lesson 05 holds its zombie there until the key.
import { describe, expect, test } from 'vitest';
import { runnerCli } from '../support/run-lesson.js';
import { hasScript, runInTerminal } from '../support/terminal.js';

const zombieRow = (rows: string[]): string | undefined => rows.find((row) => /│ +\d+ +\d+ +Z +\S+ +└─ child/.test(row));

describe.skipIf(!hasScript)('step by step in a real terminal', () => {
  test('lesson 05 waits at each step without --step, and holds the zombie until space', async () => {
    const run = runInTerminal([runnerCli, 'lesson', 'zombie', '--pace', '0.3', '--interval', '50'], { columns: 120, rows: 30 });
    try {
      await run.untilRow(/^ 05 .*paused at: A child that will finish quickly — press space$/, 15_000, 'the first pause');
      run.type(' ');
      await run.untilRow(/paused at: The parent is busy when its child exits — press space$/, 15_000, 'the second pause');
      run.type(' ');
      const held = await run.untilRow(/paused at: the child is a zombie — press space$/, 15_000, 'the zombie held');
      await run.untilRow(/│ +\d+ +\d+ +Z +\S+ +└─ child/, 5000, 'the child Z in the table');
      // Long after the lesson's own 3.5 s × 0.3 block, it is still held: Z, and still waiting.
      const since = Date.now();
      while (Date.now() - since < 2000) await new Promise((resolve) => setTimeout(resolve, 100));
      const later = await run.term.text();
      expect(zombieRow(later), later.join('\n')).toBeDefined();
      expect(later[0]).toMatch(/paused at: the child is a zombie — press space$/);
      expect(held[0]).toMatch(/^ 05 Zombies/);
      run.type(' ');
      await run.untilRow(/paused at: kill -9 changed nothing — press space$/, 15_000, 'the zombie after kill -9');
      expect(zombieRow(await run.term.text())).toBeDefined();
      run.type('q');
      expect(await run.exited).toBe(130);
    } finally {
      run.dispose();
    }
  }, 90_000);
});
