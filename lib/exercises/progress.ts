// What the student has done, remembered in .procbook/progress.json (not in git): for each
// exercise that passed, when, and a digest of the file that passed. A mark counts only while the
// file is still the one that passed: edit it afterwards, and `npm run check` decides again.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { projectRoot } from '../run/paths.js';
import { pathsOf, type Exercise } from './catalogue.js';

/** Where progress is kept (PROCBOOK_PROGRESS moves it, for the tests). */
export const progressFile = process.env.PROCBOOK_PROGRESS ?? join(projectRoot, '.procbook', 'progress.json');

interface Progress {
  version: 1;
  passed: Record<string, { at: string; sha256: string }>;
}

function load(file: string): Progress {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<Progress>;
    if (data.version === 1 && data.passed && typeof data.passed === 'object') return { version: 1, passed: data.passed };
  } catch {
    // none yet, or unreadable: start again
  }
  return { version: 1, passed: {} };
}

function save(progress: Progress, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(progress, null, 2)}\n`);
  renameSync(temporary, file);
}

export function digestOf(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}

/** Remembers how the checks of these exercises went (a failure forgets an earlier pass). */
export function recordResults(results: Array<{ number: number; passed: boolean; sha256?: string | undefined }>, file = progressFile): void {
  const progress = load(file);
  for (const result of results) {
    if (result.passed && result.sha256) progress.passed[String(result.number)] = { at: new Date().toISOString(), sha256: result.sha256 };
    else delete progress.passed[String(result.number)];
  }
  save(progress, file);
}

export function forget(number: number, file = progressFile): void {
  const progress = load(file);
  if (!(String(number) in progress.passed)) return;
  delete progress.passed[String(number)];
  save(progress, file);
}

/**
 * The numbers of the exercises whose file, as it is now, passed its check (the lesson menu marks
 * them). `fileOf` says where each exercise's file is (the student's lessons/ by default).
 */
export function passedExercises(
  exercises: ReadonlyArray<Pick<Exercise, 'number' | 'slug'>>,
  file = progressFile,
  fileOf = (exercise: Pick<Exercise, 'number' | 'slug'>): string => pathsOf(exercise).exercise,
): Set<number> {
  const progress = load(file);
  const passed = new Set<number>();
  for (const exercise of exercises) {
    const mark = progress.passed[String(exercise.number)];
    if (mark && mark.sha256 === digestOf(fileOf(exercise))) passed.add(exercise.number);
  }
  return passed;
}
