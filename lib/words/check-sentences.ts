// The checks' failure sentences in Chinese. A check writes its one sentence in English, with the
// values of the run in it; this table gives each sentence (values as `{}`, see templates.ts) its
// Chinese. test/zh/check-sentences.test.ts lists every sentence the checks can write and fails on
// one without a translation here.
import type { Language } from './language.js';
import { Translator } from './templates.js';

export const CHECK_SENTENCES_ZH: Record<string, string> = {
  'It was still running after {}, so the check stopped it (is it waiting for something that never comes, or is a child keeping it alive?).':
    '过了 {} 它还在运行，检查程序把它停掉了（它是在等一个永远不会来的东西，还是有子进程让它一直活着？）。',
  'There is no file {} to check.': '没有要检查的文件 {}。',
  'It does not compile: {}.': '它编译不通过：{}。',
};

let translator: Translator | undefined;

/** A check's sentence in the student's language (English where no translation is known yet). */
export function checkSentence(message: string, language: Language): string {
  if (language !== 'zh') return message;
  translator ??= new Translator(CHECK_SENTENCES_ZH);
  return translator.lookUp(message) ?? message;
}
