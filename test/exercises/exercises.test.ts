// The homework's honesty, both ways (as rustlings' `dev check`): every reference solution passes
// its check, and every starter, as shipped, fails it, for a reason the check states (not because
// it does not compile, and not because the check broke). Then the commands a student and a
// teacher use: check --dir with --json and --junit, hint, reset, progress, and their mistakes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exerciseId, pathsOf } from '../../lib/exercises/catalogue.js';
import { availableExercises, findExercise } from '../../lib/cli/exercise-catalogue.js';
import { pristineStarter } from '../../lib/exercises/starters.js';

const exercises = availableExercises();
import { resetExercise } from '../../lib/cli/reset.js';
import { stopCompiler } from '../../lib/exercises/compile.js';
import { digestOf, passedExercises, recordResults } from '../../lib/exercises/progress.js';
import { junit } from '../../lib/exercises/report.js';
import { runCheck, type CheckResult } from '../../lib/exercises/run-check.js';
import { UserError } from '../../lib/words/user-error.js';
import { checkSentence } from '../../lib/words/check-sentences.js';
import { hasChinese } from '../zh/english.js';
import { becomeSubreaper } from '../../lib/posix/index.js';
import { projectRoot, runnerCli } from '../support/run-lesson.js';

beforeAll(() => {
  becomeSubreaper(); // as `npm run check` does: orphans an exercise leaves come to this process
});
afterAll(async () => {
  await stopCompiler();
});

/** A check's verdict as a line for the failure message of a test. */
const verdict = (result: CheckResult): string => `${result.passed ? 'passed' : 'failed'} in ${result.ms} ms${result.message ? `: ${result.message}` : ''}`;

describe('every exercise, both ways', () => {
  test('the catalogue has at least eight exercises, each with its starter, pristine copy, solution and hint', () => {
    expect(exercises.length).toBeGreaterThanOrEqual(8);
    for (const exercise of exercises) {
      const paths = pathsOf(exercise);
      for (const file of [paths.exercise, paths.solution, paths.hint]) expect(existsSync(file), file).toBe(true);
      // The shipped starter is the pristine copy `npm run reset` restores. (If you are a student
      // who has started the exercises, this one fails for you: it is for the repository as shipped.)
      expect(readFileSync(paths.exercise, 'utf8'), `${exerciseId(exercise)}: exercise.ts differs from its pristine starter`).toBe(pristineStarter(paths.exercise));
      const top = readFileSync(paths.exercise, 'utf8').split('\n').slice(0, 3).join('\n');
      expect(top).toMatch(new RegExp(`^// Exercise ${String(exercise.number).padStart(2, '0')} — `));
      expect(readFileSync(paths.exercise, 'utf8')).toContain('TODO');
    }
  });

  // Each check runs real processes for a second or two; they run side by side.
  test.concurrent.each(exercises.map((exercise) => [exerciseId(exercise), exercise] as const))('%s: the reference solution passes', async (_id, exercise) => {
    const result = await runCheck(exercise, { file: pathsOf(exercise).solution });
    // (A failure names the last run's pids too: twice in a full suite 01's check read its processes'
    // pids inside the sandbox as never seen, and passes alone; this says which ones were known.)
    const last = result.lastRun;
    const pids = last ? ` (last run: pid ${last.pid}, inside ${last.insidePid(last.pid)}; reported by ${[...new Set(last.timeline.data.facts.map((fact) => fact.pid))].map((pid) => `${pid}→${pid > 0 ? last.insidePid(pid) : last.hostPid(-pid)}`).join(', ')}; sources ${last.timeline.data.sources?.join('+')})` : '';
    expect(result.passed, `${verdict(result)}${result.passed ? '' : pids}`).toBe(true);
  });

  test.concurrent.each(exercises.map((exercise) => [exerciseId(exercise), exercise] as const))('%s: the starter, as shipped, fails for a stated reason', async (_id, exercise) => {
    const paths = pathsOf(exercise);
    const result = await runCheck(exercise, { file: paths.exercise, resolveDir: paths.folder });
    expect(result.passed, verdict(result)).toBe(false);
    expect(result.message).not.toMatch(/^The check itself failed|^It does not compile/);
    expect(result.message).toMatch(/^[A-Z].*[.!?]$/s); // one plain sentence
    expect(result.message).not.toMatch(/\n\s+at /); // never a stack trace
    // … and a Chinese student reads it in Chinese (what `check --lang zh` prints).
    expect(hasChinese(result.message!, checkSentence(result.message!, 'zh')), `no Chinese for: ${result.message}`).toBe(true);
  });
});

describe('the commands', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'procbook-exercises-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function cli(...args: string[]) {
    // Progress goes to a private file: the tests never touch a student's .procbook/progress.json.
    const env = { ...process.env, PROCBOOK_PROGRESS: join(dir, 'cli-progress.json') };
    return spawnSync(process.execPath, [runnerCli, ...args], { encoding: 'utf8', env, input: '', timeout: 60_000 });
  }

  function oneSentence(stderr: string): void {
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^procbook: .+\.$/);
  }

  test('check --dir: a teacher grades a submission; --json and --junit for scripts', () => {
    // A submission laid out like lessons/: one exercise solved, one left as the starter, the rest missing.
    const submission = join(dir, 'alice');
    const fork = findExercise('fork')!;
    const pool = findExercise('9')!;
    mkdirSync(join(submission, exerciseId(fork)), { recursive: true });
    mkdirSync(join(submission, exerciseId(pool)), { recursive: true });
    // Its imports are written as in lessons/NN-slug/ (../../lib/…).
    writeFileSync(join(submission, exerciseId(fork), 'exercise.ts'), readFileSync(pathsOf(fork).solution, 'utf8').replaceAll("'../lib/", "'../../lib/"));
    writeFileSync(join(submission, exerciseId(pool), 'exercise.ts'), pristineStarter(pathsOf(pool).exercise)!);
    const report = join(dir, 'alice.xml');
    const result = cli('check', '1', '9', '6', '--dir', submission, '--json', '--junit', report);
    expect(result.status, result.stderr).toBe(1);
    const json = JSON.parse(result.stdout) as { passed: number; failed: number; exercises: Array<{ number: number; passed: boolean; message: string | null }> };
    expect(json.passed).toBe(1);
    expect(json.failed).toBe(2);
    expect(json.exercises.map((each) => [each.number, each.passed])).toEqual([[1, true], [9, false], [6, false]]);
    expect(json.exercises[1]!.message).toMatch(/^The pool's map returned 0 results/);
    expect(json.exercises[2]!.message).toBe('There is no 06-wait/exercise.ts in the submission.');
    const xml = readFileSync(report, 'utf8');
    expect(xml).toContain('<testsuite name="procbook exercises" tests="3" failures="2"');
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml.match(/<failure /g)).toHaveLength(2);
    // A teacher's check leaves the student's progress alone, and nothing behind in dist/.
    expect(readdirSync(join(projectRoot, 'dist', '.exercise-checks')).filter((name) => name.startsWith(`${result.pid}-`))).toEqual([]);
  });

  test('the table: each exercise, pass or FAIL, and the first failing claim in one sentence', () => {
    const submission = join(dir, 'bob');
    const wait = findExercise('wait')!;
    mkdirSync(join(submission, exerciseId(wait)), { recursive: true });
    writeFileSync(join(submission, exerciseId(wait), 'exercise.ts'), pristineStarter(pathsOf(wait).exercise)!);
    const result = cli('check', 'wait', '--dir', submission);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^ +6 +wait +collect every child.* FAIL /m);
    expect(result.stdout).toContain('It reported no status');
    expect(result.stdout).toContain('0 of 1 passed.');
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  test('mistakes: one sentence and exit 2', () => {
    const cases: Array<[string[], RegExp]> = [
      [['check', '99'], /there is no exercise "99"\. The exercises are: 1 fork/],
      [['check', '--frobnicate'], /there is no option --frobnicate/],
      [['check', '--dir', join(dir, 'nowhere')], /there is no folder/],
      [['check', '--dir', dir], /holds no exercise file to check: a submission is laid out like lessons\//],
      [['check', '1', '6', '--show-solution'], /--show-solution takes one exercise/],
      [['hint'], /name an exercise/],
      [['hint', 'zombie-apocalypse'], /there is no exercise "zombie-apocalypse"/],
      [['reset'], /name an exercise/],
    ];
    for (const [args, message] of cases) {
      const result = cli(...args);
      expect(result.status, args.join(' ')).toBe(2);
      oneSentence(result.stderr);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
  });

  test('--show-solution: the solution stays hidden while the exercise fails', () => {
    const fork = findExercise('1')!;
    if (readFileSync(pathsOf(fork).exercise, 'utf8') !== pristineStarter(pathsOf(fork).exercise)) return; // started by a student
    const result = cli('check', '1', '--show-solution');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('The solution is shown once your exercise passes.');
    expect(result.stdout).not.toContain(readFileSync(pathsOf(fork).solution, 'utf8').split('\n')[1]!);
    const progress = JSON.parse(readFileSync(join(dir, 'cli-progress.json'), 'utf8')) as { passed: Record<string, unknown> };
    expect(progress.passed).toEqual({});
  });

  test('hint shows the hint; reset of an untouched exercise changes nothing', () => {
    const hint = cli('hint', '14');
    expect(hint.status).toBe(0);
    expect(hint.stdout).toContain('Exercise 14 (locks)');
    expect(hint.stdout).toContain("openSync(lockFile, 'wx')");
    if (readFileSync(pathsOf(exercises[0]!).exercise, 'utf8') === pristineStarter(pathsOf(exercises[0]!).exercise)) {
      const reset = cli('reset', String(exercises[0]!.number));
      expect(reset.status).toBe(0);
      expect(reset.stdout).toContain('already the starter');
    }
  });

  test("reset never loses a student's work", async () => {
    const student = join(dir, 'reset', 'exercise.ts');
    const starter = '// starter\n';
    const backups = join(dir, 'reset', 'backups');
    mkdirSync(join(dir, 'reset'), { recursive: true });
    writeFileSync(student, '// my work\n');
    const files = { exercise: student, starter, backups, shown: 'exercise.ts' };
    const how = { yes: false, interactive: false, confirm: async () => true, backupName: 'mine.ts' };
    // No terminal to ask in, no --yes: a sentence, and nothing touched.
    await expect(resetExercise(files, how)).rejects.toThrow(UserError);
    await expect(resetExercise(files, how)).rejects.toThrow(/confirm in a terminal, or add --yes/);
    expect(readFileSync(student, 'utf8')).toBe('// my work\n');
    // Asked, and the answer is no.
    await expect(resetExercise(files, { ...how, interactive: true, confirm: async () => false })).rejects.toThrow('nothing was changed.');
    expect(readFileSync(student, 'utf8')).toBe('// my work\n');
    // Asked, and yes: the starter is back, and the work is kept.
    const lines = await resetExercise(files, { ...how, interactive: true });
    expect(readFileSync(student, 'utf8')).toBe('// starter\n');
    expect(readFileSync(join(backups, 'mine.ts'), 'utf8')).toBe('// my work\n');
    expect(lines.at(-1)).toBe('exercise.ts is the starter again.');
  });

  test('progress marks an exercise only while its file is the one that passed', () => {
    const progress = join(dir, 'progress.json');
    const file = join(dir, 'my-exercise.ts');
    writeFileSync(file, 'solved\n');
    const [first, second] = exercises;
    const fileOf = (): string => file;
    const sha256 = 'c1f1e0b8a1a5a0b7f5b3a6d0b9c1f1e0b8a1a5a0b7f5b3a6d0b9c1f1e0b8a1a5';
    recordResults([{ number: first!.number, passed: true, sha256 }], progress);
    expect(passedExercises(exercises, progress, fileOf).size).toBe(0); // a different file passed
    const digest = digestOf(file);
    recordResults([{ number: first!.number, passed: true, sha256: digest }, { number: second!.number, passed: false }], progress);
    expect([...passedExercises(exercises, progress, fileOf)]).toEqual([first!.number]);
    writeFileSync(file, 'edited since\n');
    expect(passedExercises(exercises, progress, fileOf).size).toBe(0);
  });

  test('JUnit XML escapes what a message may hold', () => {
    const xml = junit([{ number: 1, slug: 'fork', title: 'a & b', file: 'x.ts', passed: false, message: 'It said: <"boom"> \u0007', ms: 5 }]);
    expect(xml).toContain('name="01-fork: a &amp; b"');
    expect(xml).toContain('message="It said: &lt;&quot;boom&quot;&gt; \ufffd"');
  });
});
