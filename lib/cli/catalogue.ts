// The lessons that exist: the catalogue, less those whose folder has no lesson.ts yet, with
// their title, summary and what to watch in the language the runner speaks (see language.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { catalogue, type LessonInfo } from '../../lessons/index.js';
import { currentLanguage, type Language } from '../words/language.js';
import { distRoot, lessonFolder, projectRoot } from '../run/paths.js';
import { exerciseId, type Exercise } from '../exercises/catalogue.js';
import type { Check } from '../exercises/harness.js';
import { checks } from '../exercises/checks/index.js';

export interface AvailableLesson extends LessonInfo {
  folder: string;
  /** The compiled lesson the runner starts. */
  compiled: string;
}

/** The lesson's title, summary and what to watch, in one language. */
export function inLanguage(info: LessonInfo, language: Language = currentLanguage()): LessonInfo {
  return language === 'zh' ? { ...info, ...info.zh } : info;
}

export function availableLessons(): AvailableLesson[] {
  return catalogue
    .map((info) => {
      const folder = lessonFolder(info.number, info.slug);
      return { ...inLanguage(info), folder, compiled: join(distRoot, folder, 'lesson.mjs') };
    })
    .filter((lesson) => existsSync(join(projectRoot, lesson.folder, 'lesson.ts')));
}

/** Finds a lesson by number ("5", "05") or slug ("zombie"). */
export function findLesson(query: string): AvailableLesson | undefined {
  const lessons = availableLessons();
  const text = query.trim().toLowerCase();
  if (/^\d+$/.test(text)) return lessons.find((lesson) => lesson.number === Number(text));
  return lessons.find((lesson) => lesson.slug === text || `${String(lesson.number).padStart(2, '0')}-${lesson.slug}` === text);
}

export function describeChoices(): string {
  return availableLessons()
    .map((lesson) => `${lesson.number} ${lesson.slug}`)
    .join(', ');
}

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
