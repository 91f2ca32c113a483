// `npm run watch -- <command>`: any program under the live table, as the kernel showed it.
import { spawn } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { runWatch } from '../support/run-watch.js';
import { runnerCli, stillRunning } from '../support/run-lesson.js';

describe('npm run watch', () => {
  test("the program's own exit status is the runner's, and its children are in the table", async () => {
    const run = await runWatch(['sh', '-c', 'sleep 0.3 & wait; echo done; exit 7']);
    expect(run.code).toBe(7);
    const root = run.timeline.process(run.timeline.data.lessonPid)!;
    expect(root.title).toMatch(/^sh -c /);
    const sleeper = run.timeline.processes().find((each) => each.title.startsWith('sleep'));
    expect(sleeper?.firstParent).toBe(root.pid);
    expect(run.timeline.data.output.map((line) => line.text)).toContain('done');
    expect(stillRunning(run.timeline)).toEqual([]);
  });

  test('the run lasts until the last process has ended: an orphan is followed, adopted, to its end', async () => {
    // The shell exits after 0.2 s; its background child outlives it by 0.6 s and prints after.
    const run = await runWatch(['sh', '-c', '(sleep 0.8; echo late) & sleep 0.2; echo early']);
    expect(run.code).toBe(0);
    const texts = run.timeline.data.output.map((line) => line.text);
    expect(texts).toEqual(['early', 'late']);
    const root = run.timeline.process(run.timeline.data.lessonPid)!;
    const orphan = run.timeline.processes().find((each) => each.pid !== root.pid && each.firstParent === root.pid)!;
    // Adopted by the runner (a child subreaper) when the shell exited, and reaped by it.
    expect(orphan.lastParent).toBe(run.timeline.data.runnerPid);
    expect(orphan.record.reapedBy).toBe(run.timeline.data.runnerPid);
    const late = run.timeline.data.output.find((line) => line.text === 'late')!;
    expect(late.t).toBeGreaterThan(root.record.gone ?? root.record.exit!.t);
    expect(stillRunning(run.timeline)).toEqual([]);
  });

  test('a program killed by a signal: 128 + the signal, as a shell says it', async () => {
    const run = await runWatch(['sh', '-c', 'kill -TERM $$']);
    expect(run.code).toBe(143);
  });

  test('Ctrl-C ends everything and exits 130', async () => {
    const run = await runWatch(['sh', '-c', 'echo "go-$((1 + 1))"; sleep 30 & sleep 30'], { interruptAfter: 'go-2' });
    expect(run.code).toBe(130);
    expect(run.timeline.processes().length).toBeGreaterThanOrEqual(2);
    expect(stillRunning(run.timeline)).toEqual([]);
  });

  test('options end at the first word that is not an option: the rest is the program and its own options', async () => {
    const run = await runWatch(['sh', '-c', 'echo "$@"', 'sh', '--plain', '--pace', '9']);
    expect(run.code).toBe(0);
    expect(run.timeline.data.output.map((line) => line.text)).toEqual(['--plain --pace 9']);
  });

  test.each([
    [['no-such-program'], /there is no program "no-such-program"/, 127],
    [['./package.json'], /"\.\/package\.json" is not executable/, 127],
    [[], /name the program to watch/, 2],
  ])('%j: one sentence, a non-zero exit, nothing run', async (command, sentence, status) => {
    const runner = spawn(process.execPath, [runnerCli, 'watch', '--plain', ...command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    runner.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => runner.once('exit', (exitCode) => resolve(exitCode)));
    expect(code).toBe(status);
    expect(stderr).toMatch(sentence);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
