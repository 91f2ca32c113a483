// The homework commands: `npm run check`, `npm run hint`, `npm run reset` (check.ts, hint.ts,
// reset.ts), and what they share: finding an exercise, and one sentence for a mistake.
import { currentLanguage } from '../words/language.js';
import { homeworkWords, type HomeworkWords } from '../words/homework.js';
import { UserError } from '../words/user-error.js';
import type { Exercise } from '../exercises/catalogue.js';
import { availableExercises, describeExercises, findExercise } from './exercise-catalogue.js';
import { didYouMean, parseOptions } from './show.js';
import type { ParseArgsConfig } from 'node:util';

export function said(): HomeworkWords {
  return homeworkWords(currentLanguage());
}

export type HomeworkCommand = 'check' | 'hint' | 'reset';

/** parseArgs with the homework's usage line; `--lang` is taken by the runner before. */
export function parseHomework<T extends NonNullable<ParseArgsConfig['options']>>(command: HomeworkCommand, args: string[], options: T) {
  return parseOptions(args, { ...options, lang: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, said().usage[command]);
}

export function findOne(query: string): Exercise {
  const found = findExercise(query);
  if (found) return found;
  const exercises = availableExercises();
  const guess = didYouMean(query.toLowerCase(), exercises.map((exercise) => exercise.slug));
  throw new UserError(said().noSuchExercise(query, describeExercises(), guess));
}

/** The one exercise a command names; none or several is a mistake. */
export function exactlyOne(command: HomeworkCommand, positionals: string[]): Exercise {
  if (positionals.length !== 1) throw new UserError(said().nameOneExercise(positionals.length === 0, said().usage[command], describeExercises()));
  return findOne(positionals[0]!);
}

export async function exerciseCommand(command: HomeworkCommand, args: string[]): Promise<void> {
  if (command === 'check') await (await import('./check.js')).checkCommand(args);
  else if (command === 'hint') (await import('./hint.js')).hintCommand(args);
  else await (await import('./reset.js')).resetCommand(args);
}
