// The lesson's own sentences in the student's language.
//
// lesson.ts is a page in English, and stays one. Beside it, `lesson.zh.json` maps every sentence
// the lesson prints (say, explain, warn, step titles, checkpoint names, question prompts) to its
// Chinese. A sentence built with values is a template: `{}` stands where a value goes, e.g.
//   "child {} exited with {}": "子进程 {} 以退出码 {} 结束"
// The Chinese takes the values in the same order with `{}`, or in any order with `{1}`, `{2}`.
// A value that is itself an entry of the file (a label in a list, an error message the lesson's
// folder throws) is put in as its Chinese.
// A key starting with "$" is a note for the checker (test/zh/translations.test.ts), not a sentence.
//
// Under PROCBOOK_LANG=zh (the runner's `--lang zh`), a line with no translation is printed in
// English and reported to the runner as the fact "untranslated", so a test counts it: a missing
// sentence is caught by a test, never seen first by a student.
import { readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { send } from './channel.js';
import { ENV } from './protocol.js';
import { Translator, type Translations } from '../words/templates.js';

export { Translator, fillTemplate, templatePattern, type Translations } from '../words/templates.js';

/** The fact a lesson sends for each line it could not translate. */
export const UNTRANSLATED_FACT = 'untranslated';

/** The language the student reads: the runner says so; a lesson run alone speaks English. */
export function lessonLanguage(env: NodeJS.ProcessEnv = process.env): 'zh' | 'en' {
  return env[ENV.lang] === 'zh' ? 'zh' : 'en';
}

/**
 * The lesson folder a script belongs to: `dist/lessons/NN-slug/lesson.mjs` (run by the runner)
 * and `lessons/NN-slug/lesson.ts` (run with tsx) both give `<root>/lessons/NN-slug`.
 */
export function lessonFolderOf(script: string | undefined): string | undefined {
  if (!script) return undefined;
  const parts = resolve(script).split(sep);
  const at = parts.lastIndexOf('lessons');
  if (at < 0 || at + 2 >= parts.length) return undefined;
  const root = parts[at - 1] === 'dist' ? parts.slice(0, at - 1) : parts.slice(0, at);
  return join(sep, ...root, 'lessons', parts[at + 1]!);
}

/** The translation file of a lesson folder, for a language. */
export function translationFile(folder: string, language = 'zh'): string {
  return join(folder, `lesson.${language}.json`);
}

/** A line no reader needs translated: nothing in it is a word of English. */
export function languageNeutral(line: string): boolean {
  return !/[A-Za-z]{2,}/.test(line);
}

let translator: Translator | undefined | null = null;

function loaded(): Translator | undefined {
  if (translator !== null) return translator;
  const folder = lessonFolderOf(process.argv[1]);
  try {
    translator = folder ? new Translator(JSON.parse(readFileSync(translationFile(folder), 'utf8')) as Translations) : undefined;
  } catch {
    translator = undefined;
  }
  return translator;
}

/**
 * A sentence as the student reads it: itself in English, its Chinese under zh. A text of several
 * lines is looked up whole, then line by line. What has no translation stays English and is
 * reported (see above).
 */
export function translate(text: string, report: (line: string) => void = reportUntranslated): string {
  if (lessonLanguage() !== 'zh') return text;
  const words = loaded();
  const whole = words?.lookUp(text);
  if (whole !== undefined) return whole;
  return text
    .split('\n')
    .map((line) => {
      const found = words?.lookUp(line);
      if (found !== undefined) return found;
      if (!languageNeutral(line)) report(line);
      return line;
    })
    .join('\n');
}

/** Tells the runner (a fact in the timeline, which a test counts). */
function reportUntranslated(line: string): void {
  send({ type: 'fact', name: UNTRANSLATED_FACT, value: line, pid: process.pid });
}

/** For tests: forget the loaded file (a test may change PROCBOOK_LANG or argv). */
export function forgetTranslations(): void {
  translator = null;
}
