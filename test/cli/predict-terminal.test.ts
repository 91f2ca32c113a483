// --predict in a real terminal (under `script`): the question is a menu on the normal screen.
// Submitting an answer says nothing about whether it is right: no ✔ beside it (enquirer's
// submitted mark); only the reveal, read from the table, says right or wrong.
import { describe, expect, test } from 'vitest';
import { stripAnsi } from '../../lib/present/views/text.js';
import { runnerCli } from '../support/run-lesson.js';
import { hasScript, runInTerminal, untilScreen } from '../support/terminal.js';

describe.skipIf(!hasScript)('--predict in a real terminal', () => {
  test('a submitted answer gets no ✔', async () => {
    const run = runInTerminal([runnerCli, 'lesson', 'zombie', '--predict', '--auto', '--pace', '0.3', '--interval', '50'], { columns: 110, rows: 32 });
    const written = (): string => run.term.written.join('');
    try {
      await untilScreen(async () => written().includes("1. I will block my event loop"), 20_000, 'the first question');
      // The first choice (R) is focused; the table will say Z.
      const before = written().length;
      run.type('\r');
      await untilScreen(async () => written().includes('2. Meanwhile I will kill -9 it'), 20_000, 'the second question');
      const submitted = stripAnsi(written().slice(before));
      // enquirer redrew the first question as submitted, with the answer after it …
      expect(submitted).toMatch(/1\. I will block my event loop[^\n]*\bR\b/);
      // … and no check mark anywhere: the answer is wrong, and nothing may say otherwise.
      expect(submitted).not.toContain('✔');
      run.type('\x03'); // Ctrl-C in the second question's menu stops the run
      expect(await run.exited).toBe(130);
      expect(run.term.written.join('')).not.toContain('✔');
    } finally {
      run.dispose();
    }
  }, 60_000);
});
