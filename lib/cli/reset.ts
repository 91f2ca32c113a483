// `npm run reset -- <number or name> [--yes]`: the exercise's starter back, as shipped. The
// student's version is saved first: a student's work is never lost.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { exerciseId, pathsOf } from '../exercises/catalogue.js';
import { forget } from '../exercises/progress.js';
import { pristineStarter } from '../exercises/starters.js';
import { projectRoot } from '../run/paths.js';
import { UserError } from '../words/user-error.js';
import { describeExercises } from './exercise-catalogue.js';
import { exactlyOne, parseHomework, said } from './homework.js';

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
  const words = said();
  const lines: string[] = [];
  const starter = Buffer.from(files.starter);
  if (existsSync(files.exercise)) {
    const current = readFileSync(files.exercise);
    if (current.equals(starter)) return [words.alreadyStarter(files.shown)];
    if (!how.yes) {
      if (!how.interactive) throw new UserError(words.confirmInTerminal(files.shown));
      if (!(await how.confirm(words.replaceQuestion(files.shown)))) throw new UserError(words.nothingChanged, 1);
    }
    // Never lose a student's work: their version is kept, whatever they answered to get here.
    const backup = join(files.backups, how.backupName);
    mkdirSync(files.backups, { recursive: true });
    writeFileSync(backup, current);
    lines.push(words.savedAs(relative(projectRoot, backup)));
  }
  mkdirSync(dirname(files.exercise), { recursive: true });
  writeFileSync(files.exercise, files.starter);
  lines.push(words.starterAgain(files.shown));
  return lines;
}

/** The shipped starter, or one sentence saying it cannot be found. */
function starterText(file: string): string {
  const text = pristineStarter(file);
  if (text === undefined) throw new UserError(said().starterMissing(relative(projectRoot, file)), 1);
  return text;
}

export async function resetCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseHomework('reset', args, { yes: { type: 'boolean', short: 'y' } });
  if (values.help) {
    process.stdout.write(`${said().usage.reset}\n${said().exercisesAre(describeExercises())}\n`);
    return;
  }
  const exercise = exactlyOne('reset', positionals);
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
