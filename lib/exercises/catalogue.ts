// What an exercise is, and where each part of it lives:
//   lessons/NN-slug/exercise.ts          the student's file (a starter with TODOs, as shipped)
//   lessons/NN-slug/hint.md, hint.zh.md  the hint (npm run hint -- N)
//   solutions/NN-slug.ts                 the reference solution (shown once the exercise passes)
//   lib/exercises/checks/NN-slug.ts      the check
// The list of exercises is the lesson catalogue's (lessons/index.ts): the command line joins it
// with the checks (checks/index.ts). The pristine starter is the shipped exercise.ts, restored by
// `reset` from git, or from the copy the build keeps (starters.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lessonFolder, projectRoot } from '../run/paths.js';
import type { Check } from './harness.js';

export interface Exercise {
  number: number;
  /** The lesson's slug. */
  slug: string;
  /** What it asks, in a few words (in the language the student reads). */
  title: string;
  check: Check;
}

/** "01-fork" */
export function exerciseId(exercise: Pick<Exercise, 'number' | 'slug'>): string {
  return `${String(exercise.number).padStart(2, '0')}-${exercise.slug}`;
}

export function pathsOf(exercise: Pick<Exercise, 'number' | 'slug'>): { folder: string; exercise: string; hint: string; hintZh: string; solution: string } {
  const folder = join(projectRoot, lessonFolder(exercise.number, exercise.slug));
  return {
    folder,
    exercise: join(folder, 'exercise.ts'),
    hint: join(folder, 'hint.md'),
    hintZh: join(folder, 'hint.zh.md'),
    solution: join(projectRoot, 'solutions', `${exerciseId(exercise)}.ts`),
  };
}

/**
 * The reference solution as a student would hand it in, in FOLDER/NN-slug/exercise.ts: its imports
 * of the project (../lib/, ../chatroom/) one folder deeper, and of its lesson's own modules
 * (../lessons/NN-slug/x.js) beside it (./x.js). For grading tests and the bench.
 */
export function solutionAsSubmission(exercise: Pick<Exercise, 'number' | 'slug'>): string {
  const lesson = lessonFolder(exercise.number, exercise.slug);
  return readFileSync(pathsOf(exercise).solution, 'utf8')
    .replaceAll(`'../${lesson}/`, "'./")
    .replaceAll("'../lib/", "'../../lib/")
    .replaceAll("'../chatroom/", "'../../chatroom/");
}
