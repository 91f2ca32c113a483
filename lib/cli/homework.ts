// The homework commands:
//   npm run check [-- <number or name> …] [--dir FOLDER] [--json] [--junit FILE] [--show-solution] [--verbose]
//   npm run hint -- <number or name>
//   npm run reset -- <number or name> [--yes]
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { becomeSubreaper } from '../posix/index.js';
import { UserError } from '../words/user-error.js';
import { projectRoot } from '../run/paths.js';
import { exerciseId, pathsOf, type Exercise } from '../exercises/catalogue.js';
import { availableExercises, describeExercises, findExercise } from './catalogue.js';
import { pristineStarter } from '../exercises/starters.js';
import { whenStopped } from './stop.js';
import { shortPath, stopCompiler } from '../exercises/compile.js';
import { stopAllExercises, stoppingAll } from '../exercises/harness.js';
import { digestOf, forget, recordResults } from '../exercises/progress.js';
import { gradingNeedsSandbox, sandboxProblem } from '../exercises/sandbox.js';
import { json, junit, table } from '../exercises/report.js';
import { runCheck, type CheckResult, type CheckSource } from '../exercises/run-check.js';

const USAGE = {
  check: 'usage: npm run check [-- <number or name> …] [--dir FOLDER] [--json] [--junit FILE] [--show-solution] [--verbose]',
  hint: 'usage: npm run hint -- <number or name>',
  reset: 'usage: npm run reset -- <number or name> [--yes]',
};

/** Parses the command line; a mistake in it becomes one sentence with the usage. */
function parse<T>(command: keyof typeof USAGE, parseThem: () => T): T {
  try {
    return parseThem();
  } catch (error) {
    const option = /'(-[^']*)'/.exec((error as Error).message)?.[1];
    throw new UserError(`${option ? `there is no option ${option}` : 'those options do not fit together'} (${USAGE[command]}).`);
  }
}

function find(query: string): Exercise {
  const found = findExercise(query);
  if (!found) throw new UserError(`there is no exercise "${query}". The exercises are: ${describeExercises()}.`);
  return found;
}

/** The one exercise a command names; none or several is a mistake. */
function one(command: keyof typeof USAGE, positionals: string[]): Exercise {
  if (positionals.length !== 1) {
    throw new UserError(`name ${positionals.length === 0 ? 'an' : 'one'} exercise (${USAGE[command]}). The exercises are: ${describeExercises()}.`);
  }
  return find(positionals[0]!);
}

export async function exerciseCommand(command: 'check' | 'hint' | 'reset', args: string[]): Promise<void> {
  if (command === 'check') await checkCommand(args);
  else if (command === 'hint') hintCommand(args);
  else await resetCommand(args);
}

// ---------------------------------------------------------------- check

/** Runs `task` on every item, at most `limit` at a time; results in the items' order. */
async function inParallel<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
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

/** Where each exercise's file is in a submission laid out like lessons/ (FOLDER/NN-slug/exercise.ts). */
function submissionSources(folder: string, selected: Exercise[]): Map<Exercise, CheckSource | undefined> {
  const dir = resolve(folder);
  if (!existsSync(dir)) throw new UserError(`there is no folder ${folder}.`);
  if (!statSync(dir).isDirectory()) throw new UserError(`${folder} is a file: --dir takes a folder laid out like lessons/ (e.g. ${join(folder, '01-fork', 'exercise.ts')}).`);
  const sources = new Map<Exercise, CheckSource | undefined>();
  for (const exercise of selected) {
    const file = join(dir, exerciseId(exercise), 'exercise.ts');
    // Its imports (../../lib/…) are resolved as if it stood in this project's lesson folder.
    // It runs in a sandbox, never outside one (sandbox.ts).
    sources.set(exercise, existsSync(file) ? { file, resolveDir: pathsOf(exercise).folder, sandbox: true } : undefined);
  }
  if ([...sources.values()].every((source) => source === undefined)) {
    const wanted = join(folder, exerciseId(selected[0]!), 'exercise.ts');
    throw new UserError(`${folder} holds no exercise file to check: a submission is laid out like lessons/, e.g. ${wanted}.`);
  }
  return sources;
}

async function checkCommand(args: string[]): Promise<void> {
  const { values, positionals } = parse('check', () =>
    parseArgs({
      args,
      allowPositionals: true,
      options: {
        dir: { type: 'string' },
        json: { type: 'boolean' },
        junit: { type: 'string' },
        'show-solution': { type: 'boolean' },
        verbose: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help) {
    process.stdout.write(`${USAGE.check}\nThe exercises are: ${describeExercises()}.\n`);
    return;
  }
  const selected = positionals.length === 0 ? availableExercises() : [...new Set(positionals.map(find))];
  const showSolution = values['show-solution'] === true;
  if (showSolution && (selected.length !== 1 || values.dir !== undefined)) {
    throw new UserError('--show-solution takes one exercise of your own, e.g. npm run check -- 1 --show-solution.');
  }
  const junitFile = typeof values.junit === 'string' ? resolve(values.junit) : undefined;
  if (junitFile !== undefined && !existsSync(dirname(junitFile))) throw new UserError(`cannot write ${values.junit}: there is no folder ${dirname(values.junit as string)}.`);
  const submission = typeof values.dir === 'string' ? submissionSources(values.dir, selected) : undefined;
  // A submission is hostile until checked: without a sandbox it is not run at all. A student's own
  // files are theirs (they run them with node anyway): a notice, and they run as they are.
  const noSandbox = sandboxProblem();
  if (noSandbox && submission) throw new UserError(gradingNeedsSandbox(noSandbox));
  if (noSandbox) process.stderr.write(`procbook: bubblewrap cannot be used here (${noSandbox}), so your own exercises run without a sandbox.\n`);

  // Orphans an exercise leaves come to us, not to PID 1, as under the lesson runner.
  becomeSubreaper();
  let interrupted = false;
  whenStopped(() => {
    interrupted = true;
    stopAllExercises();
  });
  const toTerminal = process.stdout.isTTY === true && !values.json;
  if (toTerminal) process.stderr.write(`Checking ${selected.length === 1 ? `exercise ${selected[0]!.number}` : `${selected.length} exercises`}…\n`);

  const digests = new Map<number, string | undefined>();
  const results = await inParallel(selected, Math.max(2, Math.min(3, availableParallelism() + 1)), async (exercise): Promise<CheckResult> => {
    if (submission) {
      const source = submission.get(exercise);
      if (!source) {
        return { number: exercise.number, slug: exercise.slug, title: exercise.title, file: join(values.dir as string, exerciseId(exercise), 'exercise.ts'), passed: false, message: `There is no ${exerciseId(exercise)}/exercise.ts in the submission.`, ms: 0 };
      }
      return runCheck(exercise, source);
    }
    digests.set(exercise.number, digestOf(pathsOf(exercise).exercise));
    return runCheck(exercise);
  });
  await stopCompiler();
  if (interrupted) {
    // Said as a UserError would be, but without process.exit(): the esbuild service this process
    // started is still ending, and is collected only if we let the event loop run dry.
    process.stderr.write('procbook: the check was interrupted; every exercise it had started was stopped.\n');
    process.exitCode = 130;
    return;
  }

  if (!submission) recordResults(results.map((result) => ({ number: result.number, passed: result.passed, sha256: digests.get(result.number) })));
  if (junitFile) writeFileSync(junitFile, junit(results));
  if (values.json) process.stdout.write(`${JSON.stringify(json(results), null, 2)}\n`);
  else {
    const width = Math.min(process.stdout.columns || 100, 120);
    process.stdout.write(table(results, { color: process.stdout.isTTY === true, width }));
    if (values.verbose) for (const result of results) if (!result.passed) process.stdout.write(details(result));
    if (!submission && !showSolution) {
      const solved = results.filter((result) => result.passed);
      if (solved.length > 0) {
        const example = solved[0]!.number;
        process.stdout.write(`Compare with the reference solution once you pass: npm run check -- ${example} --show-solution\n`);
      }
      if (results.some((result) => !result.passed)) process.stdout.write('Stuck? npm run hint -- <number>. More detail on a failure: npm run check -- <number> --verbose\n');
    }
  }
  if (showSolution) {
    const [result] = results;
    const exercise = selected[0]!;
    if (result?.passed) {
      const solution = pathsOf(exercise).solution;
      process.stdout.write(`\nThe reference solution (${shortPath(solution)}):\n\n${readFileSync(solution, 'utf8')}`);
    } else {
      process.stdout.write(`\nThe solution is shown once your exercise passes. Hint: npm run hint -- ${exercise.number}\n`);
    }
  }
  process.exitCode = results.every((result) => result.passed) ? 0 : 1;
}

/** For --verbose: what the exercise printed and what the kernel showed, for one failure. */
function details(result: CheckResult): string {
  const run = result.lastRun;
  if (!run) return '';
  const lines = [``, `── ${result.number} ${result.slug}: the last run of the exercise`];
  const output = run.output.slice(-30);
  if (run.output.length > output.length) lines.push(`   … (${run.output.length - output.length} earlier lines)`);
  for (const line of output) lines.push(`   ${line.stream === 'stderr' ? '!' : '|'} ${line.text}`);
  lines.push('   what the kernel showed:');
  for (const history of run.timeline.processes()) {
    const exit = history.record.exit;
    const ended = exit ? (exit.signal ? `killed by ${exit.signal}` : `exit ${exit.code}`) : 'still running at the end';
    const collected = history.record.reapedBy !== undefined ? `, collected by ${history.record.reapedBy === process.pid ? 'the check' : history.record.reapedBy}` : '';
    lines.push(`   pid ${String(history.pid).padEnd(7)} parent ${String(history.firstParent).padEnd(7)} ${history.title.slice(0, 28).padEnd(28)} ${history.statSequence().join(' → ')}; ${ended}${collected}`);
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------- hint

function hintCommand(args: string[]): void {
  const { values, positionals } = parse('hint', () => parseArgs({ args, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } }));
  if (values.help) {
    process.stdout.write(`${USAGE.hint}\nThe exercises are: ${describeExercises()}.\n`);
    return;
  }
  const exercise = one('hint', positionals);
  const text = readFileSync(pathsOf(exercise).hint, 'utf8');
  process.stdout.write(`Exercise ${exercise.number} (${exercise.slug}): ${exercise.title}\n\n${text.trimEnd()}\n`);
}

// ---------------------------------------------------------------- reset

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

async function confirm(question: string): Promise<boolean> {
  const { default: Enquirer } = await import('enquirer');
  try {
    const answer = (await Enquirer.prompt({ type: 'confirm', name: 'yes', message: question, initial: false })) as { yes: boolean };
    return answer.yes;
  } catch {
    return false; // Esc or Ctrl-C
  }
}

export interface ResetFiles {
  /** The student's file. */
  exercise: string;
  /** The pristine starter's text. */
  starter: string;
  /** Where the student's version is kept before it is replaced. */
  backups: string;
  /** How the student's file is named to them. */
  shown: string;
}

/**
 * Puts the starter back. The student's version, if it differs, is saved first, and replaced only
 * when `yes` or `confirm()` says so; without a terminal to ask in (`interactive` false) and
 * without `yes`, it refuses with a sentence. Returns the lines to print.
 */
export async function resetExercise(files: ResetFiles, how: { yes: boolean; interactive: boolean; confirm: (question: string) => Promise<boolean>; backupName: string }): Promise<string[]> {
  const lines: string[] = [];
  const starter = Buffer.from(files.starter);
  if (existsSync(files.exercise)) {
    const current = readFileSync(files.exercise);
    if (current.equals(starter)) return [`${files.shown} is already the starter, as shipped: nothing to do.`];
    if (!how.yes) {
      if (!how.interactive) {
        throw new UserError(`reset replaces your ${files.shown} with the starter: confirm in a terminal, or add --yes (your version is saved in .procbook/backups/ either way).`);
      }
      if (!(await how.confirm(`Replace your ${files.shown} with the starter? (your version is saved first)`))) {
        throw new UserError('nothing was changed.', 1);
      }
    }
    // Never lose a student's work: their version is kept, whatever they answered to get here.
    const backup = join(files.backups, how.backupName);
    mkdirSync(files.backups, { recursive: true });
    writeFileSync(backup, current);
    lines.push(`Your version is saved as ${relative(projectRoot, backup)}.`);
  }
  mkdirSync(dirname(files.exercise), { recursive: true });
  writeFileSync(files.exercise, files.starter);
  lines.push(`${files.shown} is the starter again.`);
  return lines;
}

/** The shipped starter, or one sentence saying it cannot be found. */
function starterText(file: string): string {
  const text = pristineStarter(file);
  if (text === undefined) throw new UserError(`the shipped ${relative(projectRoot, file)} cannot be found (this is not a git checkout and dist/starters/ has no copy): download the project again to get it.`, 1);
  return text;
}

async function resetCommand(args: string[]): Promise<void> {
  const { values, positionals } = parse('reset', () =>
    parseArgs({ args, allowPositionals: true, options: { yes: { type: 'boolean', short: 'y' }, help: { type: 'boolean', short: 'h' } } }),
  );
  if (values.help) {
    process.stdout.write(`${USAGE.reset}\nThe exercises are: ${describeExercises()}.\n`);
    return;
  }
  const exercise = one('reset', positionals);
  const paths = pathsOf(exercise);
  const lines = await resetExercise(
    { exercise: paths.exercise, starter: starterText(paths.exercise), backups: join(projectRoot, '.procbook', 'backups'), shown: relative(projectRoot, paths.exercise) },
    {
      yes: values.yes === true,
      interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
      confirm,
      backupName: `${exerciseId(exercise)}-exercise-${stamp()}.ts`,
    },
  );
  if (lines.length > 1) forget(exercise.number);
  process.stdout.write(`${lines.join('\n')}\n`);
}
