// Grading hostile code. test/fixtures/hostile/ is a submission laid out like lessons/, one hostile
// exercise per folder, each doing what a real one did to the checker before it had a sandbox (see
// the README there). Graded with `check --dir`, none may pass, change a file outside its folder,
// leave a process, or forge the report, and the check must end on its own. Then the sandbox's
// absence: grading refuses in one sentence; a student's own check runs with a notice.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomInt } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exerciseId, pathsOf } from '../../lib/exercises/catalogue.js';
import { availableExercises, findExercise } from '../../lib/cli/exercise-catalogue.js';
import { pristineStarter } from '../../lib/exercises/starters.js';
import { compileExercise, stopCompiler } from '../../lib/exercises/compile.js';
import { CheckFailure } from '../../lib/exercises/harness.js';
import { sandboxProblem } from '../../lib/exercises/sandbox.js';
import { allStats, commandLine, environmentOf } from '../../lib/proc/read.js';
import { projectRoot, runnerCli } from '../support/run-lesson.js';

const fixtures = join(projectRoot, 'test', 'fixtures', 'hostile');

/**
 * One digest of everything below `path` (the name and kind of every entry, and what each file
 * holds), or of the file itself: a FIFO or a link put in place of a file changes it too.
 */
function digest(path: string): string {
  const hash = createHash('sha256');
  if (!existsSync(path)) return 'absent';
  const kind = (file: string): string => {
    const stat = lstatSync(file);
    return stat.isFile() ? 'file' : stat.isDirectory() ? 'folder' : stat.isSymbolicLink() ? `link to ${readlinkSync(file)}` : 'other';
  };
  if (lstatSync(path).isFile()) return hash.update(readFileSync(path)).digest('hex');
  for (const name of (readdirSync(path, { recursive: true }) as string[]).sort()) {
    const file = join(path, name);
    const what = kind(file);
    hash.update(`${name}\0${what}\0`);
    if (what === 'file') hash.update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** Processes that carry the tag in their command line or the private folder in their environment. */
function startedByUs(tag: string, privateTmp: string): string[] {
  const found: string[] = [];
  for (const stat of allStats()) {
    if (stat.pid === process.pid) continue;
    const command = commandLine(stat.pid);
    if (command.includes(tag) || environmentOf(stat.pid).some((each) => each.includes(privateTmp))) found.push(`${stat.pid} ${stat.state} ${command}`);
  }
  return found;
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

describe('grading hostile submissions', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'procbook-hostile-'));
  });
  afterAll(async () => {
    await stopCompiler();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A file the checker has open as its fd 250, as it may inherit a CI runner's log: no exercise may write into it. */
  const inheritedLog = (): string => join(dir, 'inherited.log');

  function cli(args: string[], env: Record<string, string>) {
    // SIGKILL at the deadline: a checker that a hostile exercise stopped would ignore a SIGTERM.
    const script = 'exec "$@" 250>>"$INHERITED_LOG"';
    return spawnSync('/bin/bash', ['-c', script, 'bash', process.execPath, runnerCli, ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...env, INHERITED_LOG: inheritedLog() },
      input: '',
      timeout: 150_000,
      killSignal: 'SIGKILL',
    });
  }

  test('a hostile submission for every exercise: none passes, changes a file outside its folder, leaves a process, forges the report or leaks a secret', { timeout: 200_000 }, async () => {
    expect(sandboxProblem(), 'these tests need bubblewrap (apt-get install bubblewrap)').toBeUndefined();
    const tag = String(randomInt(100_000, 999_999));
    const privateTmp = join(dir, 'tmp');
    mkdirSync(privateTmp);
    // Another student, whose starter must stay as it is.
    const other = join(dir, 'bob');
    const wait = findExercise('wait')!;
    mkdirSync(join(other, exerciseId(wait)), { recursive: true });
    writeFileSync(join(other, exerciseId(wait), 'exercise.ts'), pristineStarter(pathsOf(wait).exercise)!);
    // The teacher's progress file (a grading run never reads or writes one).
    const progress = join(dir, 'progress.json');
    writeFileSync(progress, `${JSON.stringify({ version: 1, passed: {} })}\n`);
    // The hostile submission, told where everything is: the worst case, an attacker who knows.
    const hostile = join(dir, 'mallory');
    cpSync(fixtures, hostile, { recursive: true });
    const kinds = readdirSync(hostile).filter((name) => statSync(join(hostile, name)).isDirectory());
    expect(kinds.sort()).toEqual(availableExercises().map(exerciseId).sort());
    for (const kind of kinds) {
      const file = join(hostile, kind, 'exercise.ts');
      const text = readFileSync(file, 'utf8').replaceAll('__PROJECT__', projectRoot).replaceAll('__OTHER__', other).replaceAll('__PROGRESS__', progress).replaceAll('__TAG__', tag);
      writeFileSync(file, text);
    }

    const watched = [join(projectRoot, 'lib'), join(projectRoot, 'solutions'), join(projectRoot, 'lessons'), join(projectRoot, 'dist', '.manifest.json'), join(projectRoot, '.procbook', 'progress.json'), other, progress];
    const before = watched.map(digest);

    const report = join(dir, 'report.xml');
    // A secret in the checker's environment (a CI token would be one): 02 hunts for it.
    const secret = `HOSTILE_TEST_SECRET=secret-${tag}`;
    const graded = cli(['check', '--dir', hostile, '--json', '--junit', report], { TMPDIR: privateTmp, PROCBOOK_PROGRESS: progress, HOSTILE_TEST_SECRET: `secret-${tag}` });

    // It ended on its own (the stopped one by the time limit the checker keeps), and says failure.
    expect(graded.signal, graded.stderr).toBeNull();
    expect(graded.status, graded.stderr).toBe(1);
    // The report is the checker's alone: it parses, every exercise failed, no forged word in it.
    const json = JSON.parse(graded.stdout) as { passed: number; failed: number; exercises: Array<{ number: number; passed: boolean; message: string | null }> };
    expect(json.passed).toBe(0);
    expect(json.failed).toBe(availableExercises().length);
    expect(json.exercises.filter((each) => each.passed)).toEqual([]);
    expect(graded.stdout).not.toContain(tag);
    expect(readFileSync(inheritedLog(), 'utf8')).toBe('');
    expect(graded.stdout).not.toContain('forged');
    // Nothing it read and should not have is in the report: the checker's environment, a solution.
    const solutions = ['exit', 'multiplexing'].map((name) => readFileSync(pathsOf(findExercise(name)!).solution, 'utf8').split('\n')[0]!);
    expect(graded.stdout).not.toContain(secret);
    for (const solution of solutions) expect(graded.stdout).not.toContain(solution);
    const xml = readFileSync(report, 'utf8');
    expect(xml).toContain(`failures="${availableExercises().length}"`);
    expect(xml).not.toContain(tag);
    for (const solution of solutions) expect(xml).not.toContain(solution);
    const message = (number: number): string => json.exercises.find((each) => each.number === number)?.message ?? '';
    // The solution was never bundled: the import is refused by name.
    expect(message(6)).toMatch(/^It imports "\.\.\/\.\.\/solutions\/06-wait\.ts", which a check does not allow/);
    // The stopped one was ended by the time limit.
    expect(message(14)).toMatch(/10 s/);
    // The server that floods its clients was hung up on (the checker's memory is its own).
    expect(message(16)).toMatch(/more than 64 KiB that made no line/);

    // No file outside its folder changed: the project, the other student, the progress file.
    expect(watched.map(digest)).toEqual(before);

    // Nothing it started is left: no sleep in a session of its own, no double-forked grandchild,
    // no exercise process (they had the private temporary folder in their environment).
    const gone = await until(() => startedByUs(tag, privateTmp).length === 0, 3000);
    const left = startedByUs(tag, privateTmp);
    for (const each of left) process.kill(Number(each.split(' ')[0]), 'SIGKILL'); // not to harm the next test
    expect(gone, left.join('\n')).toBe(true);
    expect(readdirSync(privateTmp)).toEqual([]);

    // And the other student's untouched starter still fails, as it should.
    const after = cli(['check', 'wait', '--dir', other, '--json'], { TMPDIR: privateTmp, PROCBOOK_PROGRESS: progress });
    expect(after.status, after.stderr).toBe(1);
    expect((JSON.parse(after.stdout) as { passed: number }).passed).toBe(0);
    expect(digest(progress)).toBe(before.at(-1));
  });

  test('without bubblewrap, grading refuses in one sentence; a student checks their own files with a notice', { timeout: 60_000 }, () => {
    const submission = join(dir, 'carol');
    const wait = findExercise('wait')!;
    mkdirSync(join(submission, exerciseId(wait)), { recursive: true });
    writeFileSync(join(submission, exerciseId(wait), 'exercise.ts'), readFileSync(pathsOf(wait).solution, 'utf8').replaceAll("'../lib/", "'../../lib/"));
    const progress = join(dir, 'carol-progress.json');
    const env = { PROCBOOK_BWRAP: join(dir, 'no-bwrap-here'), PROCBOOK_PROGRESS: progress };

    const graded = cli(['check', 'wait', '--dir', submission], env);
    expect(graded.status).toBe(2);
    expect(graded.stdout).toBe('');
    expect(graded.stderr.trim().split('\n')).toEqual([
      `procbook: grading needs bubblewrap (apt-get install bubblewrap) to run each submission in a sandbox, and there is no ${join(dir, 'no-bwrap-here')}.`,
    ]);

    expect(existsSync(progress)).toBe(false);

    // The student's own lessons/06-wait/exercise.ts (the starter as shipped) runs, unsandboxed.
    const own = cli(['check', 'wait'], env);
    expect(own.status, own.stderr).toBe(1);
    expect(own.stderr.trim().split('\n')).toEqual([`procbook: bubblewrap cannot be used here (there is no ${join(dir, 'no-bwrap-here')}), so your own exercises run without a sandbox.`]);
    expect(own.stdout).toMatch(/FAIL/);
    // Progress is the student's: their own check records it; grading never made the file.
    expect(existsSync(progress)).toBe(true);
  });

  test('a submission compiles from a private copy, and may import only its own folder and the lesson API', async () => {
    const wait = findExercise('wait')!;
    const lessonDir = pathsOf(wait).folder;
    let count = 0;
    /** Compiles `files` as a submission's 06-wait folder: the error sentence, or 'compiled'. */
    const compile = async (files: Record<string, string>, links: Record<string, string> = {}): Promise<string> => {
      const folder = join(dir, `compile-${++count}`, exerciseId(wait));
      mkdirSync(folder, { recursive: true });
      for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
      for (const [name, target] of Object.entries(links)) symlinkSync(target, join(folder, name));
      try {
        const compiled = await compileExercise(join(folder, 'exercise.ts'), lessonDir);
        compiled.remove();
        return 'compiled';
      } catch (error) {
        if (error instanceof CheckFailure) return error.message;
        throw error;
      }
    };
    // What an exercise is meant to import.
    const allowed = [
      "import { readFileSync } from 'node:fs';",
      "import { join } from 'path';",
      "import { forkSelf, name, say } from '../../lib/lesson/index.js';",
      "import { given } from '../../lib/exercises/kit.js';",
      "import { DEFAULT_PORT } from '../../chatroom/protocol.js';",
      "import { helper } from './helper.ts';",
      'void [readFileSync, join, forkSelf, name, say, given, DEFAULT_PORT, helper];',
    ].join('\n');
    expect(await compile({ 'exercise.ts': allowed, 'helper.ts': 'export const helper = 1;\n' })).toBe('compiled');
    // What it must not: each refused by name, in one sentence.
    const refused: Array<[string, string]> = [
      ["import '../../solutions/06-wait.ts';", '../../solutions/06-wait.ts'],
      ["import { checkReapAll } from '../../lib/exercises/checks/06-wait.js';\nvoid checkReapAll;", '../../lib/exercises/checks/06-wait.js'],
      ["import { startExercise } from '../../lib/exercises/harness.js';\nvoid startExercise;", '../../lib/exercises/harness.js'],
      ["import '../05-zombie/lesson.ts';", '../05-zombie/lesson.ts'],
      ["import '/etc/passwd';", '/etc/passwd'],
      ["import koffi from 'koffi';\nvoid koffi;", 'koffi'],
      ["await import('../../solutions/06-wait.ts');", '../../solutions/06-wait.ts'],
    ];
    for (const [source, named] of refused) {
      expect(await compile({ 'exercise.ts': source }), source).toBe(
        `It imports ${JSON.stringify(named)}, which a check does not allow: an exercise may import only files in its own folder, node: modules, lib/lesson, lib/posix, lib/exercises/kit and chatroom/protocol (${join(dir, `compile-${count}`, exerciseId(wait), 'exercise.ts')}:1:${source.indexOf(`'${named}'`) + 1}).`,
      );
    }
    // Through a file of its own folder, the same.
    const through = await compile({ 'exercise.ts': "import './helper.ts';", 'helper.ts': "import '../../solutions/06-wait.ts';" });
    expect(through).toMatch(/^It imports "\.\.\/\.\.\/solutions\/06-wait\.ts", which a check does not allow/);
    // A link is never followed: not as the exercise, not as a file beside it.
    expect(await compile({}, { 'exercise.ts': pathsOf(wait).solution })).toMatch(/exercise\.ts is a link: a check reads only a plain file/);
    expect(await compile({ 'exercise.ts': "import './helper.ts';" }, { 'helper.ts': pathsOf(wait).solution })).toMatch(/^It does not compile: .*Could not resolve "\.\/helper\.ts"/);
  });

  test('the checker killed by SIGKILL: nothing of the sandbox outlives it', { timeout: 60_000 }, async () => {
    expect(sandboxProblem(), 'these tests need bubblewrap (apt-get install bubblewrap)').toBeUndefined();
    const tag = String(randomInt(100_000, 999_999));
    const privateTmp = join(dir, 'tmp-killed');
    mkdirSync(privateTmp);
    const submission = join(dir, 'dave');
    const wait = findExercise('wait')!;
    mkdirSync(join(submission, exerciseId(wait)), { recursive: true });
    // It never ends, and leaves a process in a session of its own with an empty environment.
    writeFileSync(
      join(submission, exerciseId(wait), 'exercise.ts'),
      `import { spawnSync } from 'node:child_process';\nspawnSync('/usr/bin/setsid', ['-f', '/usr/bin/sleep', '7777.${tag}3'], { env: {}, stdio: 'ignore' });\nsetInterval(() => undefined, 1000);\n`,
    );
    const checker = spawn(process.execPath, [runnerCli, 'check', 'wait', '--dir', submission], { env: { ...process.env, TMPDIR: privateTmp }, stdio: 'ignore' });
    const ended = new Promise((resolve) => checker.once('exit', resolve));
    try {
      // Once the sandbox runs (its sleep is there), the checker dies at once.
      expect(await until(() => startedByUs(tag, privateTmp).some((each) => each.includes(`7777.${tag}3`)), 20_000)).toBe(true);
      checker.kill('SIGKILL');
      await ended;
      const gone = await until(() => startedByUs(tag, privateTmp).length === 0, 5000);
      const left = startedByUs(tag, privateTmp);
      for (const each of left) process.kill(Number(each.split(' ')[0]), 'SIGKILL');
      expect(gone, left.join('\n')).toBe(true);
    } finally {
      checker.kill('SIGKILL');
    }
  });
});
