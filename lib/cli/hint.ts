// `npm run hint -- <number or name>`: the exercise's hint, in the student's language
// (hint.zh.md beside hint.md; English where a Chinese hint is missing).
import { existsSync, readFileSync } from 'node:fs';
import { pathsOf } from '../exercises/catalogue.js';
import { currentLanguage } from '../words/language.js';
import { describeExercises } from './exercise-catalogue.js';
import { exactlyOne, parseHomework, said } from './homework.js';

export function hintCommand(args: string[]): void {
  const { values, positionals } = parseHomework('hint', args, {});
  if (values.help) {
    process.stdout.write(`${said().usage.hint}\n${said().exercisesAre(describeExercises())}\n`);
    return;
  }
  const exercise = exactlyOne('hint', positionals);
  const paths = pathsOf(exercise);
  const file = currentLanguage() === 'zh' && existsSync(paths.hintZh) ? paths.hintZh : paths.hint;
  process.stdout.write(`${said().hintTitle(exercise.number, exercise.slug, exercise.title)}\n\n${readFileSync(file, 'utf8').trimEnd()}\n`);
}
