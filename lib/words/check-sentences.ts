// The checks' failure sentences in Chinese. A check writes its one sentence in English, with the
// values of the run in it; this table gives each English template (values as {0}, {1} …) its
// Chinese. test/words/check-sentences.test.ts lists every sentence the checks can write and fails
// on one without a translation here.
import type { Language } from './language.js';
import { translateWith, type TemplateTable } from './templates.js';

export const CHECK_SENTENCES_ZH: TemplateTable = {
  'It was still running after {0}, so the check stopped it (is it waiting for something that never comes, or is a child keeping it alive?).':
    '过了 {0} 它还在运行，检查程序把它停掉了（它是在等一个永远不会来的东西，还是有子进程让它一直活着？）。',
  'There is no file {0} to check.': '没有要检查的文件 {0}。',
  'It does not compile: {0}.': '它编译不通过：{0}。',
};

/** A check's sentence in the student's language (English where no translation is known yet). */
export function checkSentence(message: string, language: Language): string {
  if (language !== 'zh') return message;
  return translateWith(CHECK_SENTENCES_ZH, message) ?? message;
}
