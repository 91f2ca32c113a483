// Step mode, as a teacher uses it: the lesson stops at each checkpoint until a key is pressed.
// Here "a key" is a line on the runner's stdin; we hold each pause for a while before pressing,
// and the timeline must show the lesson did not go on meanwhile.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { Timeline } from '../../lib/observe/timeline.js';
import { runnerCli, until } from '../support/run-lesson.js';

const HOLD_MS = 300;

test('--step: the lesson waits at every step until a key, and only then goes on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'procbook-step-'));
  const jsonPath = join(dir, 'timeline.json');
  try {
    const runner = spawn(process.execPath, [runnerCli, 'lesson', 'fork', '--step', '--plain', '--pace', '0.3', '--interval', '25', '--json', jsonPath], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env },
    });
    let stdout = '';
    runner.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => runner.once('exit', resolve));
    let presses = 0;
    try {
      for (;;) {
        const pauses = () => stdout.split('paused at:').length - 1;
        await until(() => pauses() > presses || runner.exitCode !== null, 10_000, `pause ${presses + 1}`);
        if (runner.exitCode !== null) break;
        await new Promise((resolve) => setTimeout(resolve, HOLD_MS)); // the teacher talks for a while
        runner.stdin.write('\n');
        presses++;
        if (stdout.includes('the lesson finished')) break;
        if (presses > 10) throw new Error('more pauses than the lesson has steps');
        // Stop when the lesson has no more steps: it will finish without another pause.
        await until(() => pauses() > presses || stdout.includes('the lesson finished'), 10_000, 'the next pause or the end');
        if (stdout.includes('the lesson finished') && pauses() === presses) break;
      }
      expect(await exited).toBe(0);
    } finally {
      runner.kill('SIGKILL');
      runner.stdin.destroy();
    }
    const timeline = Timeline.fromJSON(readFileSync(jsonPath, 'utf8'));
    const checkpoints = timeline.data.checkpoints.filter((checkpoint) => checkpoint.pid === timeline.data.lessonPid);
    expect(checkpoints.length).toBe(4);
    expect(presses).toBe(checkpoints.length);
    // After each pause the lesson's first process did its next thing only after the hold (its
    // children go on meanwhile: only the process at the checkpoint waits). Facts are stamped by
    // the lesson when it records them, as checkpoints are: one clock for both.
    const lessonPid = timeline.data.lessonPid;
    for (const checkpoint of checkpoints) {
      const next = timeline.data.facts.find((fact) => fact.pid === lessonPid && fact.t > checkpoint.t);
      expect(next, `a fact after "${checkpoint.name}"`).toBeDefined();
      expect(next!.t - checkpoint.t).toBeGreaterThanOrEqual(HOLD_MS * 0.9);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
