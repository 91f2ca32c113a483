// `npm run lesson -- N --exercise`: the student's own exercise for lesson N, compiled as a check
// compiles it, to run beside the live table.
import { join } from 'node:path';
import { compileExercise, type Compiled } from '../exercises/compile.js';
import { CheckFailure } from '../exercises/harness.js';
import { projectRoot } from '../run/paths.js';
import { says } from '../words/cli.js';
import { UserError } from '../words/user-error.js';
import type { AvailableLesson } from './catalogue.js';

export async function compileExerciseForRun(lesson: AvailableLesson): Promise<Compiled & { env?: Record<string, string> }> {
  if (!lesson.exercise) throw new UserError(says().noExercise(lesson.number, lesson.title));
  const folder = join(projectRoot, lesson.folder);
  try {
    return await compileExercise(join(folder, 'exercise.ts'), folder);
  } catch (error) {
    if (error instanceof CheckFailure) throw new UserError(error.message, 1);
    throw error;
  } finally {
    const { stopCompiler } = await import('../exercises/compile.js');
    await stopCompiler();
  }
}
