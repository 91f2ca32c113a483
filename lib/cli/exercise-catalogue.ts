// The exercises: every lesson of the catalogue that has one, with its check. Apart from the
// lessons' catalogue (catalogue.ts) so that running a lesson does not load the checks.
import { catalogue } from '../../lessons/index.js';
import { currentLanguage } from '../words/language.js';
import { exerciseId, type Exercise } from '../exercises/catalogue.js';
import type { Check } from '../exercises/harness.js';
import { checks } from '../exercises/checks/index.js';

/** The exercises: every lesson of the catalogue that has one, with its check. */
export function availableExercises(): Exercise[] {
  const exercises: Exercise[] = [];
  for (const info of catalogue) {
    if (!info.exercise) continue;
    const check = checks[exerciseId(info)] as Check | undefined;
    if (check) exercises.push({ number: info.number, slug: info.slug, title: currentLanguage() === 'zh' ? info.exercise.zh : info.exercise.title, check });
  }
  return exercises;
}

/** Finds an exercise by number ("6", "06"), slug ("wait") or both ("06-wait"). */
export function findExercise(query: string): Exercise | undefined {
  const exercises = availableExercises();
  const text = query.trim().toLowerCase();
  if (/^\d+$/.test(text)) return exercises.find((exercise) => exercise.number === Number(text));
  return exercises.find((exercise) => exercise.slug === text || exerciseId(exercise) === text);
}

export function describeExercises(): string {
  return availableExercises()
    .map((exercise) => `${exercise.number} ${exercise.slug}`)
    .join(', ');
}
