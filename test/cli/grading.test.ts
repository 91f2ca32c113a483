// A teacher grading a class, a student checking on save, and the homework in Chinese: the
// commands as their users meet them.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exerciseId, pathsOf, solutionAsSubmission } from '../../lib/exercises/catalogue.js';
import { pristineStarter } from '../../lib/exercises/starters.js';
import { findExercise } from '../../lib/cli/exercise-catalogue.js';
import { projectRoot, runnerCli, until } from '../support/run-lesson.js';
import { untranslatedInCheck } from '../zh/english.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'procbook-grading-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const EXERCISES = ['fork', 'pool', 'wait'].map((name) => findExercise(name)!);

/** A submission's file as a student writes it in lessons/NN-slug/ (imports ../../lib/…). */
function solutionText(id: (typeof EXERCISES)[number]): string {
  return solutionAsSubmission(id);
}

function writeStudent(name: string, solved: (index: number) => boolean, group = 'class'): void {
  EXERCISES.forEach((exercise, index) => {
    const folder = join(dir, group, name, exerciseId(exercise));
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'exercise.ts'), solved(index) ? solutionText(exercise) : pristineStarter(pathsOf(exercise).exercise)!);
  });
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [runnerCli, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, input: '', timeout: 120_000 });
}

describe('check --class: a whole class at once', () => {
  test('three students (all solutions, all starters, half and half) are reported exactly so, in JSON, JUnit and CSV', () => {
    writeStudent('ann', () => true);
    writeStudent('ben', () => false);
    writeStudent('cai', (index) => index % 2 === 0);
    const junit = join(dir, 'class.xml');
    const csvFile = join(dir, 'class.csv');
    const result = cli(['check', '1', '9', '6', '--class', join(dir, 'class'), '--json', '--junit', junit, '--csv', csvFile]);
    expect(result.status, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as { passed: number; failed: number; students: Array<{ student: string; exercises: Array<{ number: number; passed: boolean }> }> };
    const grid = Object.fromEntries(report.students.map((student) => [student.student, student.exercises.map((each) => each.passed)]));
    const said = report.students.map((student) => `${student.student}: ${JSON.stringify(student.exercises)}`).join('\n');
    expect(grid, said).toEqual({ ann: [true, true, true], ben: [false, false, false], cai: [true, false, true] });
    expect(report.passed).toBe(5);
    expect(report.failed).toBe(4);
    const xml = readFileSync(junit, 'utf8');
    expect(xml.match(/<testsuite /g)).toHaveLength(3);
    expect(xml.match(/<failure /g)).toHaveLength(4);
    const lines = readFileSync(csvFile, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('student,exercise,passed,seconds,message');
    expect(lines).toHaveLength(10);
    expect(lines.filter((line) => line.startsWith('cai,') && line.includes(',true,'))).toHaveLength(2);
    // Grading reads no one's progress and writes none.
    expect(result.stderr).toBe('');
  }, 180_000);

  test('--gradescope writes results.json for one submission; mistakes are one sentence before anything runs', () => {
    const file = join(dir, 'results.json');
    writeStudent('eve', (index) => index % 2 === 0, 'single');
    const result = cli(['check', '1', '9', '--dir', join(dir, 'single', 'eve'), '--gradescope', file]);
    expect(result.status).toBe(1);
    const results = JSON.parse(readFileSync(file, 'utf8')) as { score: number; tests: Array<{ score: number; max_score: number; status: string }> };
    expect(results.score).toBe(1);
    expect(results.tests.map((test) => test.status)).toEqual(['passed', 'failed']);
    for (const [args, sentence] of [
      [['check', '--class', join(dir, 'nowhere')], /--class: there is no folder/],
      [['check', '--class', join(dir, 'single'), '--dir', join(dir, 'single', 'eve')], /--dir and --class do not go together/],
      [['check', '--junit', '/tmp'], /--junit needs a file name, and \/tmp is a folder/],
      [['check', '--csv', ''], /--csv needs a file name/],
      [['check', '6', '--seed', 'x'], /--seed takes a whole number/],
      [['check', '1', '6', '--watch'], /--watch checks one exercise/],
    ] as Array<[string[], RegExp]>) {
      const mistake = cli(args);
      expect(mistake.status, args.join(' ')).toBe(2);
      expect(mistake.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(mistake.stderr).toMatch(sentence);
    }
  }, 60_000);
});

describe('check --watch', () => {
  test('a FAIL turns into pass soon after the solution is saved; the first failing claim is shown; q leaves', async () => {
    const wait = findExercise('wait')!;
    const folder = join(dir, 'watching', exerciseId(wait));
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'exercise.ts');
    writeFileSync(file, pristineStarter(pathsOf(wait).exercise)!);
    const watcher = spawn(process.execPath, [runnerCli, 'check', '6', '--watch', '--dir', join(dir, 'watching')], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env } });
    let stdout = '';
    watcher.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      await until(() => /FAIL/.test(stdout) && stdout.includes('q or Ctrl-C'), 60_000, 'the first check to fail');
      expect(stdout).toContain('It reported no status');
      const savedAt = Date.now();
      writeFileSync(file, solutionText(wait));
      await until(() => stdout.includes('changed: checking again'), 10_000, 'the save to be noticed');
      const noticedMs = Date.now() - savedAt;
      await until(() => / pass /.test(stdout), 60_000, 'the second check to pass');
      expect(noticedMs).toBeLessThan(2000); // the promise: re-checked within 2 s of saving
      watcher.stdin.write('q\n');
      const code = await new Promise<number | null>((resolve) => watcher.once('exit', (exitCode) => resolve(exitCode)));
      expect(code).toBe(0);
    } finally {
      watcher.kill('SIGKILL');
    }
  }, 150_000);
});

describe('homework in Chinese', () => {
  test('check, hint and reset speak Chinese with --lang zh and with a Chinese locale', () => {
    writeStudent('dan', () => false, 'single');
    const zhCheck = cli(['check', '6', '--dir', join(dir, 'single', 'dan'), '--lang', 'zh']);
    expect(zhCheck.status).toBe(1);
    expect(zhCheck.stdout).toContain('未通过');
    expect(zhCheck.stdout).toMatch(/1 个中通过 0 个。/);
    const byLocale = cli(['check', '99'], { LANG: 'zh_CN.UTF-8' });
    expect(byLocale.stderr).toMatch(/没有“99”这个练习/);
    const hint = cli(['hint', '6', '--lang', 'zh']);
    expect(hint.status).toBe(0);
    expect(hint.stdout).toMatch(/^练习 6（wait）：/);
    const reset = cli(['reset', '--lang', 'zh']);
    expect(reset.stderr).toMatch(/请指定一个练习/);
  }, 60_000);

  test('starters fail with their sentences in Chinese, lined up in the table, with no English sentence left', () => {
    // Three exercises' starters, as a student has them before writing a line: each check fails.
    // (That EVERY check's sentence has its Chinese, starters' and mistakes' alike, test/exercises/
    // exercises.test.ts and wrong.test.ts assert on the sentences of their own checks.)
    const folder = join(dir, 'starters');
    const exercises = ['wait', 'chatroom', 'locks'].map((name) => findExercise(name)!);
    for (const exercise of exercises) {
      mkdirSync(join(folder, exerciseId(exercise)), { recursive: true });
      writeFileSync(join(folder, exerciseId(exercise), 'exercise.ts'), pristineStarter(pathsOf(exercise).exercise)!);
    }
    const result = cli(['check', ...exercises.map((each) => String(each.number)), '--dir', folder, '--lang', 'zh', '--seed', '7'], { COLUMNS: '100' });
    expect(result.status, result.stderr).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    // One row per exercise, each 未通过 with its sentence under it; the count at the end.
    for (const exercise of exercises) {
      const row = lines.findIndex((line) => new RegExp(`^\\s*${exercise.number}  ${exercise.slug} .*未通过`).test(line));
      expect(row, `the row of exercise ${exercise.number} in:\n${result.stdout}`).toBeGreaterThanOrEqual(0);
      expect(lines[row + 1], `the sentence of exercise ${exercise.number}`).toMatch(/^ {5}\S/);
    }
    expect(lines.at(-1)).toBe(`${exercises.length} 个中通过 0 个。`);
    // The verdicts line up: a Chinese title is padded by the columns a terminal draws it in (two a character).
    const columns = (text: string): number => [...text].reduce((sum, character) => sum + (/[\u2e80-\ua4cf\uff00-\uff60]/.test(character) ? 2 : 1), 0);
    const verdictAt = lines.filter((line) => line.includes('未通过')).map((line) => columns(line.slice(0, line.indexOf('未通过'))));
    expect(new Set(verdictAt).size, result.stdout).toBe(1);
    // What is left in English once code, pids, quoted data, names and the slugs are taken out: nothing.
    const english = lines.map((line) => ({ line, words: untranslatedInCheck(line.replace(/^\s*\d+  [a-z-]+ /, ' ')) })).filter((each) => each.words.length > 0);
    expect(english, result.stdout).toEqual([]);
    // A Chinese locale does the same, and --json carries the Chinese sentence too.
    const byLocale = cli(['check', '6', '--dir', folder, '--json'], { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
    const report = JSON.parse(byLocale.stdout) as { exercises: Array<{ message: string }> };
    expect(report.exercises[0]!.message).toBe('它没有报告任何退出状态：每个子进程结束时，为它调用一次 report(child, code, signal)。');
  }, 120_000);
});
