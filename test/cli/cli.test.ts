// The runner as a user meets it: mistakes get one sentence and exit 2; if the runner itself is
// killed, the lesson and everything it started end within 2 s.
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { runLesson, runnerCli, until } from '../support/run-lesson.js';
import { allStats, childrenOf, readStat } from '../../lib/proc/read.js';

function cli(...args: string[]) {
  return spawnSync(process.execPath, [runnerCli, ...args], { encoding: 'utf8', env: { ...process.env }, input: '' });
}

function oneSentence(stderr: string): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^procbook: .+\.$/);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('mistakes a user can make', () => {
  test('an unknown lesson: one sentence listing the lessons, exit 2', () => {
    const result = cli('lesson', 'no-such-lesson');
    expect(result.status).toBe(2);
    oneSentence(result.stderr);
    expect(result.stderr).toContain('there is no lesson "no-such-lesson"');
    expect(result.stderr).toContain('1 fork');
  });

  test('an unknown lesson number', () => {
    const result = cli('lesson', '99');
    expect(result.status).toBe(2);
    oneSentence(result.stderr);
  });

  test('an unknown option, a bad pace', () => {
    for (const args of [['lesson', '1', '--frobnicate'], ['lesson', '1', '--pace', 'fast']]) {
      const result = cli(...args);
      expect(result.status, args.join(' ')).toBe(2);
      oneSentence(result.stderr);
    }
  });

  test('no lesson named and no terminal for the menu', () => {
    const result = cli('lesson');
    expect(result.status).toBe(2);
    oneSentence(result.stderr);
    expect(result.stderr).toContain('npm run lesson -- <number>');
  });
});

/** The pids in a session (the lesson leads its own), read from /proc. */
function processesOfSession(sid: number): number[] {
  return allStats()
    .filter((stat) => stat.sid === sid && stat.state !== 'Z')
    .map((stat) => stat.pid);
}

describe('when the runner is killed', () => {
  test('the lesson and all its processes (detached ones too) end within 2 s', async () => {
    const runner = spawn(process.execPath, [runnerCli, 'lesson', 'pids', '--plain', '--pace', '1'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env },
    });
    let stdout = '';
    runner.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      await until(() => stdout.includes('── 3.'), 10_000, 'the lesson to reach step 3');
      const [lessonPid] = childrenOf(runner.pid!);
      expect(lessonPid).toBeDefined();
      const family = [...processesOfSession(lessonPid!), ...childrenOf(lessonPid!)];
      expect(family.length).toBeGreaterThanOrEqual(3); // the lesson and its two children
      runner.kill('SIGKILL');
      const killedAt = Date.now();
      await until(() => family.every((pid) => !isAlive(pid)), 2000, 'every lesson process to end');
      expect(Date.now() - killedAt).toBeLessThanOrEqual(2000);
    } finally {
      runner.kill('SIGKILL');
    }
  });
});

function isAlive(pid: number): boolean {
  const state = readStat(pid)?.state;
  return state !== undefined && state !== 'Z' && state !== 'X';
}

describe("the runner's own helpers", () => {
  test('no process in the table is the runner itself or a build tool', async () => {
    const run = await runLesson('fork');
    for (const history of run.timeline.processes()) {
      expect(history.pid).not.toBe(run.timeline.data.runnerPid);
      expect(history.title).not.toMatch(/esbuild|tsx|vitest/);
    }
  });
});

describe('one true sentence for each mistake, before anything runs', () => {
  test.each([
    [['lesson', 'zombi'], /there is no lesson "zombi" \(did you mean zombie\?\)/],
    [['lesson', '5', '--speed', '2'], /there is no option --speed \(did you mean --pace\?\)/],
    [['lesson', '5', '--plain=yes'], /--plain is a switch and takes no value/],
    [['lesson', '5', '--pace', '-1'], /--pace needs a value, and what follows it starts with a dash/],
    [['lesson', '5', '--pace=-1'], /--pace takes a number between 0 and 20/],
    [['lesson', '5', '--pace', '0x1'], /--pace takes a number between 0 and 20 \(1 is normal\), not "0x1"/],
    [['lesson', '5', '--json', ''], /--json needs a file name\./],
    [['lesson', '5', '--record', ''], /--record needs a file name\./],
    [['lesson', '5', '--json', '/tmp'], /--json needs a file name, and \/tmp is a folder/],
    [['lesson', '5', '--json', '/nonexistent/dir/x.json'], /--json cannot write \/nonexistent\/dir\/x\.json: the folder \/nonexistent\/dir does not exist/],
    [['lesson', '1', '2'], /name one lesson at a time, not "1 2"/],
  ])('%j', (args, sentence) => {
    const started = Date.now();
    const result = cli(...args);
    expect(result.status).toBe(2);
    oneSentence(result.stderr);
    expect(result.stderr).toMatch(sentence);
    expect(result.stdout).toBe(''); // nothing ran: no lesson line, no table
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('a closed pipe (npm run lesson -- 9 --plain | head -3)', () => {
  test('ends the lesson cleanly: no stack trace, exit 0, nothing left running, no run folder', async () => {
    const { mkdtempSync, readdirSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    // A temporary folder of its own: the checks other test files run at the same time make run
    // folders in the shared one.
    const privateTmp = mkdtempSync(join(tmpdir(), 'procbook-epipe-'));
    const runner = spawn(process.execPath, [runnerCli, 'lesson', '9', '--plain', '--pace', '0.3'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: privateTmp } });
    let stderr = '';
    runner.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let lines = 0;
    let lessonPid: number | undefined;
    await new Promise<void>((resolve) => {
      runner.stdout.on('data', (chunk: Buffer) => {
        lessonPid ??= childrenOf(runner.pid!)[0];
        lines += chunk.toString().split('\n').length - 1;
        if (lines >= 3) {
          runner.stdout.destroy(); // what head does after its third line
          resolve();
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => runner.once('exit', (exitCode) => resolve(exitCode)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(lessonPid).toBeDefined();
    await until(() => readStat(lessonPid!) === undefined, 5000, 'the lesson to end');
    const after = readdirSync(privateTmp);
    rmSync(privateTmp, { recursive: true, force: true });
    expect(after).toEqual([]);
  });
});
