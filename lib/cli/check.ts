// `npm run check [-- <number or name> …]`: checks exercises on what the kernel showed.
//   (nothing)             the student's own files, lessons/NN-slug/exercise.ts; progress remembered
//   --dir FOLDER          one submission laid out like lessons/ (FOLDER/06-wait/exercise.ts)
//   --class FOLDER        every student folder in FOLDER, each laid out like lessons/
//   --watch               one exercise, checked again every time its file is saved
//   --json                the results as JSON on stdout (and nothing else there)
//   --junit/--csv/--gradescope FILE   reports for graders
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { becomeSubreaper } from '../posix/index.js';
import { UserError } from '../words/user-error.js';
import { currentLanguage } from '../words/language.js';
import { checkSentence } from '../words/check-sentences.js';
import { exerciseId, pathsOf, type Exercise } from '../exercises/catalogue.js';
import { shortPath, stopCompiler } from '../exercises/compile.js';
import { stopAllExercises, stoppingAll } from '../exercises/harness.js';
import { digestOf, recordResults } from '../exercises/progress.js';
import { classJson, classJunit, classTable, csv, gradescope, json, junit, table, type StudentResults } from '../exercises/report.js';
import { sandboxProblem } from '../exercises/sandbox.js';
import { runCheck, type CheckResult, type CheckSource } from '../exercises/run-check.js';
import { availableExercises, describeExercises } from './exercise-catalogue.js';
import { findOne, parseHomework, said } from './homework.js';
import { checkOutputPath, writeOutput } from './output-path.js';
import { whenStopped } from './stop.js';

const CHECK_OPTIONS = {
  dir: { type: 'string' },
  class: { type: 'string' },
  watch: { type: 'boolean' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
  junit: { type: 'string' },
  csv: { type: 'string' },
  gradescope: { type: 'string' },
  'show-solution': { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

/** Runs `task` on every item, at most `limit` at a time; results in the items' order. */
export async function inParallel<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length && !stoppingAll()) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** As many checks at once as the cores allow (a check is mostly waiting for its processes). */
export function checksAtOnce(): number {
  return Math.max(2, availableParallelism() + 1);
}

function folderOf(option: string, folder: string, example: string): string {
  const dir = resolve(folder);
  if (!existsSync(dir)) throw new UserError(said().noFolder(option, folder));
  if (!statSync(dir).isDirectory()) throw new UserError(said().folderIsFile(option, folder, example));
  return dir;
}

/** Where each exercise's file is in a submission laid out like lessons/ (FOLDER/NN-slug/exercise.ts). */
export function submissionSources(dir: string, selected: Exercise[]): Map<Exercise, CheckSource | undefined> {
  const sources = new Map<Exercise, CheckSource | undefined>();
  for (const exercise of selected) {
    const file = join(dir, exerciseId(exercise), 'exercise.ts');
    // Its imports (../../lib/…) are resolved as if it stood in this project's lesson folder.
    // It runs in a sandbox, never outside one (lib/exercises/sandbox.ts).
    sources.set(exercise, existsSync(file) ? { file, resolveDir: pathsOf(exercise).folder, sandbox: true } : undefined);
  }
  return sources;
}

/** The student folders of a class: every folder in FOLDER, by name. */
export function classFolders(dir: string): Array<{ student: string; dir: string }> {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => ({ student: entry.name, dir: join(dir, entry.name) }))
    .sort((a, b) => a.student.localeCompare(b.student));
}

/** The check's sentence in the student's language. */
function translated(result: CheckResult): CheckResult {
  return result.message === undefined ? result : { ...result, message: checkSentence(result.message, currentLanguage()) };
}

/** Checks one submission (or the student's own files): every selected exercise. */
async function checkSubmission(selected: Exercise[], sources: Map<Exercise, CheckSource | undefined> | undefined, shownDir: string | undefined, lanes: number, seed?: number): Promise<CheckResult[]> {
  const results = await inParallel(selected, lanes, async (exercise): Promise<CheckResult> => {
    if (sources) {
      const source = sources.get(exercise);
      if (!source) {
        return { number: exercise.number, slug: exercise.slug, title: exercise.title, file: join(shownDir ?? '', exerciseId(exercise), 'exercise.ts'), passed: false, message: said().missingInSubmission(exerciseId(exercise)), ms: 0 };
      }
      return runCheck(exercise, source, { seed });
    }
    return runCheck(exercise, undefined, { seed });
  });
  return results.map(translated);
}

export async function checkCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseHomework('check', args, CHECK_OPTIONS);
  const words = said();
  if (values.help) {
    process.stdout.write(`${words.usage.check}\n${words.exercisesAre(describeExercises())}\n`);
    return;
  }
  // Every mistake is said before anything runs.
  const selected = positionals.length === 0 ? availableExercises() : [...new Set(positionals.map(findOne))];
  const showSolution = values['show-solution'] === true;
  const example = join('alice', exerciseId(selected[0] ?? availableExercises()[0]!), 'exercise.ts');
  if (values.dir !== undefined && values.class !== undefined) throw new UserError(words.optionsDoNotFit('--dir', '--class'));
  if (showSolution && (selected.length !== 1 || values.dir !== undefined || values.class !== undefined)) throw new UserError(words.showSolutionTakesOne);
  if (values.watch && (selected.length !== 1 || values.class !== undefined)) throw new UserError(words.watchTakesOne);
  if (values.gradescope !== undefined && values.class !== undefined) throw new UserError(words.optionsDoNotFit('--gradescope', '--class'));
  if (values.seed !== undefined && !(/^\d{1,10}$/.test(values.seed.trim()) && Number(values.seed) <= 0xffffffff)) throw new UserError(words.seedRange(values.seed));
  // --seed N: the checks' random inputs are those of the run whose failure said "(seed N)".
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  const junitFile = values.junit === undefined ? undefined : checkOutputPath('--junit', values.junit);
  const csvFile = values.csv === undefined ? undefined : checkOutputPath('--csv', values.csv);
  const gradescopeFile = values.gradescope === undefined ? undefined : checkOutputPath('--gradescope', values.gradescope);
  const dir = values.dir === undefined ? undefined : folderOf('--dir', values.dir, example);
  const classDir = values.class === undefined ? undefined : folderOf('--class', values.class, join(values.class, example));
  const sources = dir ? submissionSources(dir, selected) : undefined;
  if (sources && [...sources.values()].every((source) => source === undefined)) throw new UserError(words.submissionEmpty(values.dir!, join(values.dir!, exerciseId(selected[0]!), 'exercise.ts')));
  const students = classDir ? classFolders(classDir) : undefined;
  if (students && students.length === 0) throw new UserError(words.classEmpty(values.class!, join(values.class!, example)));

  // A submission is hostile until checked: without a sandbox it is not run at all. A student's own
  // files are theirs (they run them with node anyway): a notice, and they run as they are.
  const noSandbox = sandboxProblem();
  if (noSandbox && (sources || students || values.gradescope !== undefined)) throw new UserError(words.gradingNeedsSandbox(noSandbox));
  if (noSandbox) process.stderr.write(`procbook: ${words.ownWithoutSandbox(noSandbox)}\n`);

  // Orphans an exercise leaves come to us, not to PID 1, as under the lesson runner.
  becomeSubreaper();
  let interrupted = false;
  whenStopped(() => {
    interrupted = true;
    stopAllExercises();
  });

  if (values.watch) {
    const { watchExercise } = await import('./check-watch.js');
    await watchExercise(selected[0]!, sources?.get(selected[0]!) ?? undefined, (source) => checkSubmission(selected, source ? new Map([[selected[0]!, source]]) : undefined, values.dir, 1, seed));
    await stopCompiler();
    return;
  }

  if (students) {
    await gradeClass(students, selected, { json: values.json === true, verbose: values.verbose === true, junitFile, csvFile, seed });
    await stopCompiler();
    if (interrupted) return stopped();
    return;
  }

  const toTerminal = process.stderr.isTTY === true && !values.json;
  if (toTerminal) process.stderr.write(`${words.checking(selected.length, selected[0]?.number)}\n`);
  const digests = new Map<number, string | undefined>();
  if (!sources) for (const exercise of selected) digests.set(exercise.number, digestOf(pathsOf(exercise).exercise));
  const results = await checkSubmission(selected, sources, values.dir, checksAtOnce(), seed);
  await stopCompiler();
  if (interrupted) return stopped();

  // Progress is the student's own: never read or written for a submission.
  if (!sources) recordResults(results.map((result) => ({ number: result.number, passed: result.passed, sha256: digests.get(result.number) })));
  if (junitFile) writeOutput('--junit', junitFile, junit(results));
  if (csvFile) writeOutput('--csv', csvFile, csv([{ student: values.dir ?? '.', results }]));
  if (gradescopeFile) writeOutput('--gradescope', gradescopeFile, gradescope(results));
  if (values.json) process.stdout.write(`${JSON.stringify(json(results), null, 2)}\n`);
  else {
    const width = Math.min(process.stdout.columns || 100, 120);
    process.stdout.write(table(results, { color: process.stdout.isTTY === true, width, words }));
    if (values.verbose) for (const result of results) if (!result.passed) process.stdout.write(details(result));
    if (!sources && !showSolution) {
      const solved = results.filter((result) => result.passed);
      if (solved.length > 0) process.stdout.write(`${words.compareSolution(solved[0]!.number)}\n`);
      if (results.some((result) => !result.passed)) process.stdout.write(`${words.stuck}\n`);
    }
  }
  if (showSolution) {
    const [result] = results;
    const exercise = selected[0]!;
    if (result?.passed) {
      const solution = pathsOf(exercise).solution;
      process.stdout.write(`\n${words.solutionHeader(shortPath(solution))}\n\n${readFileSync(solution, 'utf8')}`);
    } else process.stdout.write(`\n${words.solutionAfterPass(exercise.number)}\n`);
  }
  process.exitCode = results.every((result) => result.passed) ? 0 : 1;
}

function stopped(): void {
  // Said as a UserError would be, but without process.exit(): the esbuild service this process
  // started is still ending, and is collected only if we let the event loop run dry.
  process.stderr.write(`procbook: ${said().interrupted}\n`);
  process.exitCode = 130;
}

/** Every student × every exercise; a progress bar on a terminal (stderr, never in what a script reads). */
async function gradeClass(
  students: Array<{ student: string; dir: string }>,
  selected: Exercise[],
  options: { json: boolean; verbose: boolean; junitFile?: string | undefined; csvFile?: string | undefined; seed?: number | undefined },
): Promise<void> {
  const words = said();
  const started = Date.now();
  const jobs = students.flatMap(({ student, dir }) => selected.map((exercise) => ({ student, dir, exercise })));
  const bar = process.stderr.isTTY === true ? await progressBar(jobs.length, words.grading(students.length, selected.length)) : undefined;
  const results = await inParallel(jobs, checksAtOnce(), async ({ dir, exercise }) => {
    const [result] = await checkSubmission([exercise], submissionSources(dir, [exercise]), dir, 1, options.seed);
    bar?.increment();
    return result!;
  });
  bar?.stop();
  const byStudent: StudentResults[] = students.map(({ student }) => ({ student, results: results.filter((_, index) => jobs[index]!.student === student) }));
  if (options.junitFile) writeOutput('--junit', options.junitFile, classJunit(byStudent));
  if (options.csvFile) writeOutput('--csv', options.csvFile, csv(byStudent));
  const passed = results.filter((result) => result?.passed).length;
  if (options.json) process.stdout.write(`${JSON.stringify(classJson(byStudent), null, 2)}\n`);
  else {
    const width = Math.min(process.stdout.columns || 100, 160);
    process.stdout.write(classTable(byStudent, { color: process.stdout.isTTY === true, width, words, studentWord: words.student }));
    for (const { student, results: own } of byStudent) {
      for (const result of own) if (!result.passed) process.stdout.write(`  ${student} ${String(result.number).padStart(2, '0')}-${result.slug}: ${result.message ?? ''}\n`);
    }
    process.stdout.write(`${words.classSummary(students.length, selected.length, passed, results.length, `${((Date.now() - started) / 1000).toFixed(1)} s`)}\n`);
  }
  process.exitCode = passed === results.length ? 0 : 1;
}

async function progressBar(total: number, label: string): Promise<{ increment(): void; stop(): void }> {
  const { default: progress } = await import('cli-progress');
  const bar = new progress.SingleBar({ format: `${label} [{bar}] {value}/{total}`, stream: process.stderr, hideCursor: true, clearOnComplete: true }, progress.Presets.shades_classic);
  bar.start(total, 0);
  return { increment: () => bar.increment(), stop: () => bar.stop() };
}

/** For --verbose: what the exercise printed and what the kernel showed, for one failure. */
function details(result: CheckResult): string {
  const words = said();
  const run = result.lastRun;
  if (!run) return '';
  const lines = [``, words.lastRun(result.number, result.slug)];
  const output = run.output.slice(-30);
  if (run.output.length > output.length) lines.push(`   ${words.earlierLines(run.output.length - output.length)}`);
  for (const line of output) lines.push(`   ${line.stream === 'stderr' ? '!' : '|'} ${line.text}`);
  lines.push(`   ${words.kernelShowed}`);
  for (const history of run.timeline.processes()) {
    const exit = history.record.exit;
    const ended = exit ? (exit.signal ? words.killedBy(exit.signal) : words.exitCode(exit.code)) : words.stillRunning;
    const collected = history.record.reapedBy !== undefined ? words.collectedBy(history.record.reapedBy === process.pid ? words.theCheck : String(history.record.reapedBy)) : '';
    lines.push(`   ${words.processLine(String(history.pid).padEnd(7), String(history.firstParent).padEnd(7), history.title.slice(0, 28).padEnd(28), history.statSequence().join(' → '), ended, collected)}`);
  }
  return `${lines.join('\n')}\n`;
}
