// `npm run lesson [-- <number|slug>] [--step | --auto] [--predict] [--exercise] [--python] [--slow|--fast|--pace N] [--plain] [--json FILE] [--web] [--record FILE] [--lang en|zh]`
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { availableLessons, describeChoices, findLesson, type AvailableLesson } from './catalogue.js';
import { UserError } from '../words/user-error.js';
import { says } from '../words/cli.js';
import { clearStop, stopRequested } from './stop.js';
import { didYouMean, parseInterval, parseOptions, parsePace, show, SHOW_OPTIONS } from './show.js';
import { projectRoot } from '../run/paths.js';
import { pythonCommand } from './programs.js';
import { checkLessonRunsHere } from './platform.js';

export const LESSON_USAGE = `usage: npm run lesson [-- <number or name>] [--step | --auto] [--predict] [--exercise | --python] [--slow | --fast | --pace N] [--plain] [--json FILE] [--web [--web-port N] [--web-host ADDR]] [--record FILE] [--lang en|zh]`;

const LESSON_OPTIONS = { ...SHOW_OPTIONS, step: { type: 'boolean' }, auto: { type: 'boolean' }, predict: { type: 'boolean' }, exercise: { type: 'boolean' }, python: { type: 'boolean' } } as const;

export async function lessonCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, LESSON_OPTIONS, LESSON_USAGE);
  if (values.help) {
    process.stdout.write(`${says().usage(LESSON_USAGE)}\n${says().lessonsAre(describeChoices())}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new UserError(says().oneLessonOnly(positionals.join(' ')));
  if (values.exercise && values.python) throw new UserError(says().optionsDoNotFit(LESSON_USAGE));
  const pace = parsePace(values);
  const intervalMs = parseInterval(values, 50);
  if (values.step && values.auto) throw new UserError(says().optionsDoNotFit(LESSON_USAGE));
  const query = positionals[0];
  if (query !== undefined) {
    const found = findLesson(query);
    if (!found) {
      const guess = didYouMean(query.toLowerCase(), availableLessons().map((each) => each.slug));
      throw new UserError(says().noSuchLesson(query, describeChoices(), guess));
    }
    return runOne(found, values, pace, intervalMs);
  }
  // The menu: pick a lesson, run it, and come back to the menu, until the student leaves it.
  let last: number | undefined;
  for (;;) {
    const lesson = await (await import('./menu.js')).pickFromMenu();
    if (!lesson) {
      if (last === undefined) throw new UserError(says().noLessonChosen, 130); // left before running any
      return last;
    }
    last = await runOne(lesson, values, pace, intervalMs);
    clearStop();
    if (stopRequested()) return last; // a signal to the runner (not a key): it ends, menu and all
  }
}

type LessonValues = ReturnType<typeof parseOptions<typeof LESSON_OPTIONS>>['values'];

/**
 * Whether the lesson waits at each step: with --step; and by default in a terminal, where a
 * person presses space to go on (--auto: on its own). A pipe, a log or a test runs it through.
 */
export function waitsAtSteps(values: { step?: boolean; auto?: boolean; plain?: boolean; quiet?: boolean }, terminal: boolean): boolean {
  if (values.step) return true;
  if (values.auto) return false;
  return terminal && !values.plain && !values.quiet;
}

async function runOne(lesson: AvailableLesson, values: LessonValues, pace: number, intervalMs: number): Promise<number> {
  const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const settings = { pace, stepMode: waitsAtSteps(values, terminal), predict: values.predict === true };
  if (!values.python) checkLessonRunsHere(lesson);

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
    const compiled = await (await import('./exercise-run.js')).compileExerciseForRun(lesson);
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
