// `npm run lesson [-- <number|slug>] [--step] [--predict] [--exercise] [--python] [--slow|--fast|--pace N] [--plain] [--json FILE] [--web] [--record FILE] [--lang en|zh]`
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { availableLessons, describeChoices, findLesson, type AvailableLesson } from './catalogue.js';
import { UserError } from '../words/user-error.js';
import { says } from '../words/cli.js';
import { pickFromMenu } from './menu.js';
import { didYouMean, parseInterval, parseOptions, parsePace, show, SHOW_OPTIONS } from './show.js';
import { projectRoot } from '../run/paths.js';
import { pythonCommand } from './programs.js';
import { compileExerciseForRun } from './exercise-run.js';

export const LESSON_USAGE = `usage: npm run lesson [-- <number or name>] [--step] [--predict] [--exercise | --python] [--slow | --fast | --pace N] [--plain] [--json FILE] [--web [--web-port N]] [--record FILE] [--lang en|zh]`;

export async function lessonCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    { ...SHOW_OPTIONS, step: { type: 'boolean' }, predict: { type: 'boolean' }, exercise: { type: 'boolean' }, python: { type: 'boolean' } },
    LESSON_USAGE,
  );
  if (values.help) {
    process.stdout.write(`${says().usage(LESSON_USAGE)}\n${says().lessonsAre(describeChoices())}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new UserError(says().oneLessonOnly(positionals.join(' ')));
  if (values.exercise && values.python) throw new UserError(says().optionsDoNotFit(LESSON_USAGE));
  const pace = parsePace(values);
  const intervalMs = parseInterval(values, 50);
  const query = positionals[0];
  let lesson: AvailableLesson;
  if (query === undefined) lesson = await pickFromMenu();
  else {
    const found = findLesson(query);
    if (!found) {
      const guess = didYouMean(query.toLowerCase(), availableLessons().map((each) => each.slug));
      throw new UserError(says().noSuchLesson(query, describeChoices(), guess));
    }
    lesson = found;
  }
  const settings = { pace, stepMode: values.step === true, predict: values.predict === true };

  if (values.python) {
    // The course's own Python beside the Node: real fork() semantics in the same table.
    const file = join(projectRoot, lesson.folder, 'course.py');
    if (!existsSync(file)) throw new UserError(says().noPythonVersion(lesson.number, lesson.title));
    const result = await show({
      values,
      label: { number: lesson.number, slug: `${lesson.slug}-python`, title: `${lesson.title} (Python)` },
      command: pythonCommand(file),
      graceMs: Infinity,
      intervalMs,
      env: { PROCBOOK_PACE: String(pace) },
    });
    return result.exitStatus;
  }
  if (values.exercise) {
    // The student's own exercise, beside the live table, with the check's sample inputs.
    const compiled = await compileExerciseForRun(lesson);
    try {
      const result = await show({ values, label: { number: lesson.number, slug: `${lesson.slug}-exercise`, title: `${lesson.title} (exercise)` }, command: [process.execPath, compiled.file], lesson: settings, graceMs: 1500 * pace, intervalMs, ...(compiled.env ? { env: compiled.env } : {}) });
      return result.exitStatus;
    } finally {
      compiled.remove();
    }
  }
  const result = await show({ values, label: lesson, command: [process.execPath, lesson.compiled], lesson: settings, graceMs: 1500 * pace, intervalMs });
  return result.exitStatus;
}
