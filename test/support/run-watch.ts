// `npm run watch` headless, for tests: see runWatch in run-lesson.ts (one runner driver for both).
export { runWatch, type LessonRun, type RunLessonOptions } from './run-lesson.js';
