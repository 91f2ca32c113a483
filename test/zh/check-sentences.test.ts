// Every sentence a check can fail with has its Chinese (lib/words/check-sentences.ts), so a
// Chinese student who is stuck reads why in Chinese. Read from the checks' source
// (test/zh/sentences.ts): a sentence added to a check without Chinese fails here, not in front of
// a student. So does a value with words in it (how a process ended, what the check waited for,
// "3 children") that the table cannot put in Chinese.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CHECK_DYNAMIC, CHECK_KEPT_AS_WRITTEN, CHECK_SENTENCES_ZH, checkSentence } from '../../lib/words/check-sentences.js';
import { fillTemplate, Translator } from '../../lib/words/templates.js';
import { sentencesIn } from './sentences.js';
import { projectRoot } from '../support/run-lesson.js';

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

const exercisesDir = join(projectRoot, 'lib', 'exercises');
const inFolder = (dir: string): string[] => readdirSync(dir).filter((name) => name.endsWith('.ts')).map((name) => join(dir, name));

/**
 * The files a student's sentence comes from: every check, and every file of lib/exercises that
 * fails a check (claims.ts, harness.ts, compile.ts …) or words its failure (run-check.ts).
 */
export function checkFiles(): string[] {
  const shared = inFolder(exercisesDir).filter((file) => /\bfail\(|new CheckFailure\(/.test(readFileSync(file, 'utf8')) || file.endsWith('run-check.ts'));
  return [...shared, ...inFolder(join(exercisesDir, 'checks'))];
}

/** How many values a template takes. */
const placeholders = (text: string): number => text.split('{}').length - 1;

/** The values a Chinese template uses: {} in order, or {N}. */
function usedValues(chinese: string): number[] {
  let next = 0;
  return [...chinese.matchAll(/\{(\d*)\}/g)].map((match) => (match[1] === '' ? ++next : Number(match[1])));
}

const found = sentencesIn(checkFiles(), new Set(['fail']), { parts: true });
const entries = Object.entries(CHECK_SENTENCES_ZH);

describe("the checks' sentences in Chinese", () => {
  test('reads the checks: it finds their sentences and the words that go into them', () => {
    expect(found.sentences.size).toBeGreaterThan(150);
    expect(found.sentences.has('It reported no status: call report(child, code, signal) once for each child, as it ends.')).toBe(true);
    // A phrase in a helper (describeEnd), a noun counted with plural(), a word inside a sentence's argument.
    for (const part of ['exited with code {}', '{} children', 'ended']) expect(found.parts.has(part), part).toBe(true);
  });

  test('every sentence a check writes has a translation', () => {
    const missing = [...found.sentences].filter(([sentence]) => !(sentence in CHECK_SENTENCES_ZH)).map(([sentence, where]) => `${where}: ${sentence}`);
    expect(missing, 'sentences a check can fail with that have no Chinese in lib/words/check-sentences.ts').toEqual([]);
  });

  test('every value with words in it is translated, or named as shown as it is', () => {
    const missing = [...found.parts].filter(([part]) => !(part in CHECK_SENTENCES_ZH) && !(part in CHECK_KEPT_AS_WRITTEN)).map(([part, where]) => `${where}: ${part}`);
    expect(missing, 'words a check puts into its sentences: translate them, or name them in CHECK_KEPT_AS_WRITTEN with the reason').toEqual([]);
    for (const [kept, why] of Object.entries(CHECK_KEPT_AS_WRITTEN)) expect(why.length, kept).toBeGreaterThan(10);
  });

  test('every entry is a sentence or a part a check can write (no stale entries)', () => {
    const stale = Object.keys(CHECK_SENTENCES_ZH).filter((key) => !found.sentences.has(key) && !found.parts.has(key));
    expect(stale, 'entries no check writes any more').toEqual([]);
    const staleKept = Object.keys(CHECK_KEPT_AS_WRITTEN).filter((key) => !found.parts.has(key));
    expect(staleKept, 'CHECK_KEPT_AS_WRITTEN names a string no check has any more').toEqual([]);
  });

  test('a sentence built in code is named in CHECK_DYNAMIC with the reason it needs no entry', () => {
    const unexplained = [...found.dynamic].filter(([source]) => !(source in CHECK_DYNAMIC)).map(([source, where]) => `${where}: ${source}`);
    expect(unexplained).toEqual([]);
    expect(Object.keys(CHECK_DYNAMIC).filter((source) => !found.dynamic.has(source)), 'stale CHECK_DYNAMIC names').toEqual([]);
    for (const [source, why] of Object.entries(CHECK_DYNAMIC)) expect(why.length, source).toBeGreaterThan(10);
  });

  test('each entry is Chinese, takes the same values, and is the one its sentence finds', () => {
    const translator = new Translator(CHECK_SENTENCES_ZH);
    for (const [english, chinese] of entries) {
      expect(chinese, english).toMatch(CJK);
      const count = placeholders(english);
      const used = usedValues(chinese);
      expect(new Set(used), `${english} → ${chinese}: every value once`).toEqual(new Set(Array.from({ length: count }, (_, i) => i + 1)));
      expect(used.length, english).toBe(count);
      const values = Array.from({ length: count }, (_, i) => `‹${i + 1}›`);
      expect(translator.lookUp(fillTemplate(english, values)), english).toBe(fillTemplate(chinese, values));
    }
  });

  test('the values land where the Chinese puts them, and values with words are put in Chinese too', () => {
    expect(checkSentence('It was still running after 10 s, so the check stopped it (is it waiting for something that never comes, or is a child keeping it alive?).', 'zh')).toMatch(/^过了 10 s 它还在运行/);
    expect(checkSentence('There is no file x.ts to check.', 'zh')).toBe('没有要检查的文件 x.ts。');
    expect(checkSentence('There is no file x.ts to check.', 'en')).toBe('There is no file x.ts to check.');
    // Reordered values.
    expect(checkSentence("The copy has 12 bytes, 2 more than the source's 10.", 'zh')).toBe('副本有 12 字节，比源文件的 10 字节多了 2 字节。');
    // A value that is a part (describeEnd), and a part inside a part (plural inside what the check waited for).
    expect(checkSentence('It exited with code 3: Error: boom.', 'zh')).toBe('它以退出码 3 退出了：Error: boom。');
    expect(checkSentence('It was killed by SIGKILL while the check was waiting for its 3 workers to be at work (in the table, each with a "start" line in the log).', 'zh')).toBe(
      '检查程序还在等它的 3 个工作进程开始工作（都出现在进程表里，日志里各有一行 "start"）的时候，它就被 SIGKILL 杀死了。',
    );
    // A part capitalised to start a sentence (capital() in claims.ts), and a pid that starts one.
    expect(checkSentence('The parent made no report: every process calls report() itself.', 'zh')).toBe('父进程没有报告：每个进程都要自己调用 report()。');
    expect(checkSentence('Pid 41 (child 2) was reported 900 ms after it ended: report each child as soon as it ends, not all at the end.', 'zh')).toBe(
      'pid 41 (child 2) 结束 900 ms 之后才被报告：每个子进程一结束就报告，而不是最后一起报告。',
    );
    // A pid and its title stay as the table shows them.
    expect(checkSentence('The child pid 7 (child 1) was collected by the check, not by its parent: the parent waits for every child.', 'zh')).toBe(
      '子进程 pid 7 (child 1) 是被检查程序回收的，而不是被它的父进程回收：父进程要等待每一个子进程。',
    );
  });
});
