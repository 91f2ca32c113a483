// The live view end to end, in a real terminal: the runner runs under `script` (util-linux), which
// gives it a pseudo-terminal of a set size; what it draws there is fed into a headless terminal
// and read back. This is the only test that sees raw mode, the alternate screen and the pty's
// newline handling together.
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { runnerCli } from '../../support/run-lesson.js';
import { TestTerminal, untilScreen } from '../../support/terminal.js';

const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasScript)('live view in a real terminal', () => {
  test('the split view shows the lesson’s child under it; a key ends it and the summary stays', async () => {
    const term = new TestTerminal(120, 30);
    const command = `stty cols 120 rows 30; exec '${process.execPath}' '${runnerCli}' lesson fork --auto --pace 1 --interval 50`;
    const runner = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TERM: 'xterm-256color' } });
    runner.stdout.on('data', (chunk: Buffer) => term.write(chunk.toString('utf8')));
    // 'close', not 'exit': the last output (the summary) may still be in the pipe when it exits.
    const exited = new Promise<number | null>((resolve) => runner.once('close', (code) => resolve(code)));
    try {
      // While it runs: the child's row, nested under the lesson, right of the divider.
      await untilScreen(
        async () => (await term.text()).some((row) => /│ +\d+ +\d+ +\S+ +[\d.]+s [├└]─ child/.test(row)),
        20_000,
        'the child row in the table',
      );
      expect(term.screen.buffer.active.type).toBe('alternate');
      const rows = await term.text();
      expect(rows[0]).toMatch(/^ 01 /);
      const childRow = rows.find((row) => /[├└]─ child/.test(row))!;
      const [lessonPid] = /│ +(\d+)/.exec(rows.find((row) => /│ +\d+ +\d+ +\S+ +[\d.]+s parent/.test(row)) ?? '')?.slice(1) ?? [];
      expect(childRow).toMatch(new RegExp(`│ +\\d+ +${lessonPid} `));

      await untilScreen(async () => (await term.text())[0]!.includes('press any key'), 20_000, 'the lesson to finish');
      runner.stdin.write(' ');
      expect(await exited).toBe(0);
      const after = (await term.text()).join('\n');
      expect(term.screen.buffer.active.type).toBe('normal');
      expect(after).toContain('What the kernel showed:');
      expect(after).toMatch(/[├└]─ child \d+ .*exit 0, reaped by \d+ \(parent\)/);
    } finally {
      runner.kill('SIGKILL');
      term.dispose();
    }
  });
});
