// The menu, as a student meets it: `npm run lesson` with no argument in a real terminal
// (under `script`), arrow keys to choose, Enter to run, q to stop.
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { runnerCli } from '../support/run-lesson.js';
import { TestTerminal, untilScreen } from '../support/terminal.js';

const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasScript)('the lesson menu in a real terminal', () => {
  test('lists the lessons; down, down, Enter runs lesson 3; q stops it with status 130', async () => {
    const term = new TestTerminal(100, 30);
    const command = `stty cols 100 rows 30; exec '${process.execPath}' '${runnerCli}' lesson --interval 50`;
    const runner = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TERM: 'xterm-256color' } });
    runner.stdout.on('data', (chunk: Buffer) => term.write(chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => runner.once('close', (code) => resolve(code)));
    try {
      await untilScreen(async () => (await term.text()).some((row) => row.includes('Which lesson?')), 10_000, 'the menu');
      const menu = await term.text();
      expect(menu.some((row) => /1 +A child process/.test(row))).toBe(true);
      expect(menu.some((row) => /3 +How a process ends/.test(row))).toBe(true);
      // No entry wraps onto a second line: every row of the list starts with a lesson number.
      const start = menu.findIndex((row) => row.includes('Which lesson?'));
      const end = menu.findIndex((row, index) => index > start && row.trim() === '');
      const entries = menu.slice(start + 1, end);
      expect(entries.length).toBeGreaterThanOrEqual(3);
      for (const row of entries) expect(row).toMatch(/^\S?\s+\d+\s{2}\S/);
      runner.stdin.write('\x1b[B\x1b[B\r'); // down, down, Enter
      await untilScreen(async () => (await term.text())[0]!.startsWith(' 03 '), 10_000, 'lesson 3 to start');
      runner.stdin.write('q');
      expect(await exited).toBe(130);
      expect((await term.text()).join('\n')).toContain('What the kernel showed:');
    } finally {
      runner.kill('SIGKILL');
      term.dispose();
    }
  });
});
