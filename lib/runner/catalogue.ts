// The lessons that exist: the catalogue, less those whose folder has no lesson.ts yet.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { catalogue, type LessonInfo } from '../../lessons/index.js';
import { distRoot, lessonFolder, projectRoot } from './paths.js';

export interface AvailableLesson extends LessonInfo {
  folder: string;
  /** The compiled lesson the runner starts. */
  compiled: string;
}

export function availableLessons(): AvailableLesson[] {
  return catalogue
    .map((info) => {
      const folder = lessonFolder(info.number, info.slug);
      return { ...info, folder, compiled: join(distRoot, folder, 'lesson.mjs') };
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
