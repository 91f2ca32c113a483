// The lessons that exist (the exercises are in exercise-catalogue.ts, with their checks: a lesson
// need not load them): the catalogue, less those whose folder has no lesson.ts yet, with
// their title, summary and what to watch in the language the runner speaks (see language.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { catalogue, type LessonInfo } from '../../lessons/index.js';
import { currentLanguage, type Language } from '../words/language.js';
import { distRoot, lessonFolder, projectRoot } from '../run/paths.js';

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
