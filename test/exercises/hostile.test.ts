// Grading hostile code. test/fixtures/hostile/ is a submission laid out like lessons/, one hostile
// exercise per folder, each doing what a real one did to the checker before it had a sandbox (see
// the README there). Graded with `check --dir`, none may pass, change a file outside its folder,
// leave a process, or forge the report, and the check must end on its own. Then the sandbox's
// absence: grading refuses in one sentence; a student's own check runs with a notice.
import { spawnSync } from 'node:child_process';
import { createHash, randomInt } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exerciseId, exercises, findExercise, pathsOf } from '../../lib/exercises/catalogue.js';
import { sandboxProblem } from '../../lib/exercises/sandbox.js';
import { allStats, commandLine, environmentOf } from '../../lib/proc/read.js';
import { projectRoot, runnerCli } from '../support/run-lesson.js';

const fixtures = join(projectRoot, 'test', 'fixtures', 'hostile');

/** One digest of every file below `path` (names and contents), or of the file itself. */
function digest(path: string): string {
  const hash = createHash('sha256');
  if (!existsSync(path)) return 'absent';
  if (statSync(path).isFile()) return hash.update(readFileSync(path)).digest('hex');
  for (const name of (readdirSync(path, { recursive: true }) as string[]).sort()) {
    const file = join(path, name);
    if (statSync(file).isFile()) hash.update(`${name}\0`).update(readFileSync(file)).update('\0');
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
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function cli(args: string[], env: Record<string, string>) {
    // SIGKILL at the deadline: a checker that a hostile exercise stopped would ignore a SIGTERM.
    return spawnSync(process.execPath, [runnerCli, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, input: '', timeout: 150_000, killSignal: 'SIGKILL' });
  }

  test('eight hostile submissions: none passes, changes a file outside its folder, leaves a process or forges the report', { timeout: 200_000 }, async () => {
    expect(sandboxProblem(), 'these tests need bubblewrap (apt-get install bubblewrap)').toBeUndefined();
    const tag = String(randomInt(100_000, 999_999));
    const privateTmp = join(dir, 'tmp');
    mkdirSync(privateTmp);
    // Another student, whose starter must stay as it is.
    const other = join(dir, 'bob');
    const wait = findExercise('wait')!;
    mkdirSync(join(other, exerciseId(wait)), { recursive: true });
    writeFileSync(join(other, exerciseId(wait), 'exercise.ts'), readFileSync(pathsOf(wait).starter));
    // The teacher's progress file (a grading run never reads or writes one).
    const progress = join(dir, 'progress.json');
    writeFileSync(progress, `${JSON.stringify({ version: 1, passed: {} })}\n`);
    // The hostile submission, told where everything is: the worst case, an attacker who knows.
    const hostile = join(dir, 'mallory');
    cpSync(fixtures, hostile, { recursive: true });
    const kinds = readdirSync(hostile).filter((name) => statSync(join(hostile, name)).isDirectory());
    expect(kinds.sort()).toEqual(exercises.map(exerciseId).sort());
    for (const kind of kinds) {
      const file = join(hostile, kind, 'exercise.ts');
      const text = readFileSync(file, 'utf8').replaceAll('__PROJECT__', projectRoot).replaceAll('__OTHER__', other).replaceAll('__PROGRESS__', progress).replaceAll('__TAG__', tag);
      writeFileSync(file, text);
    }

    const watched = [join(projectRoot, 'lib'), join(projectRoot, 'solutions'), join(projectRoot, 'lessons'), join(projectRoot, 'dist', '.manifest.json'), join(projectRoot, '.procbook', 'progress.json'), other, progress];
    const before = watched.map(digest);

    const report = join(dir, 'report.xml');
    const graded = cli(['check', '--dir', hostile, '--json', '--junit', report], { TMPDIR: privateTmp, PROCBOOK_PROGRESS: progress });

    // It ended on its own (the stopped one by the time limit the checker keeps), and says failure.
    expect(graded.signal, graded.stderr).toBeNull();
    expect(graded.status, graded.stderr).toBe(1);
    // The report is the checker's alone: it parses, every exercise failed, no forged word in it.
    const json = JSON.parse(graded.stdout) as { passed: number; failed: number; exercises: Array<{ number: number; passed: boolean; message: string | null }> };
    expect(json.passed).toBe(0);
    expect(json.failed).toBe(exercises.length);
    expect(json.exercises.filter((each) => each.passed)).toEqual([]);
    expect(graded.stdout).not.toContain(tag);
    expect(graded.stdout).not.toContain('forged');
    const xml = readFileSync(report, 'utf8');
    expect(xml).toContain(`failures="${exercises.length}"`);
    expect(xml).not.toContain(tag);
    const message = (number: number): string => json.exercises.find((each) => each.number === number)?.message ?? '';
    // The solution was never bundled: the import is refused by name.
    expect(message(6)).toMatch(/^It imports "\.\.\/\.\.\/solutions\/06-wait\.ts", which a check does not allow/);
    // The stopped one was ended by the time limit.
    expect(message(14)).toMatch(/10 s/);

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
});
