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
