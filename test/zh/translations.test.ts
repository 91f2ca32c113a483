// Every sentence a lesson prints has its Chinese in lesson.zh.json beside it, and the file holds
// nothing the lesson no longer prints. Read from the source (test/zh/sentences.ts), so a sentence
// changed in lesson.ts fails here, not in front of a student.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fillTemplate, forgetTranslations, lessonFolderOf, translate, Translator, translationFile, type Translations } from '../../lib/lesson/translate.js';
import { lessonFolders, lessonSentences } from './sentences.js';

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

interface File {
  entries: Translations;
  dynamic: Record<string, string>;
}

function read(folder: string): File {
  const raw = JSON.parse(readFileSync(translationFile(folder), 'utf8')) as Record<string, unknown>;
  const entries: Translations = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith('$')) continue;
    expect(typeof value, key).toBe('string');
    entries[key] = value as string;
  }
  const dynamic = (raw.$dynamic ?? {}) as Record<string, string>;
  return { entries, dynamic };
}

/** How many values a template takes. */
const placeholders = (text: string): number => text.split('{}').length - 1;

/** The values a Chinese template uses: {} in order, or {N}. */
function usedValues(chinese: string): number[] {
  let next = 0;
  return [...chinese.matchAll(/\{(\d*)\}/g)].map((match) => (match[1] === '' ? ++next : Number(match[1])));
}

describe.each(lessonFolders().map((folder) => [basename(folder), folder]))('lesson %s', (_, folder) => {
  const source = lessonSentences(folder);

  test('has lesson.zh.json', () => {
    expect(existsSync(translationFile(folder))).toBe(true);
  });

  test('every sentence it prints is translated, and nothing else is there', () => {
    const { entries } = read(folder);
    const missing = [...source.sentences.keys()].filter((sentence) => !(sentence in entries)).map((sentence) => `${source.sentences.get(sentence)}: ${JSON.stringify(sentence)}`);
    expect(missing, 'sentences printed by the lesson with no Chinese in lesson.zh.json').toEqual([]);
    // A key not printed literally may still be a sentence passed in as data (a task's message).
    const stale = Object.keys(entries).filter((key) => !source.sentences.has(key) && !source.literals.has(key));
    expect(stale, 'entries of lesson.zh.json the lesson no longer prints').toEqual([]);
  });

  test('every sentence it builds at run time, and every other printing, is accounted for', () => {
    const { dynamic } = read(folder);
    const named = new Set(Object.keys(dynamic));
    const found = new Map([...source.dynamic, ...source.otherPrinting]);
    const unnamed = [...found].filter(([text]) => !named.has(text)).map(([text, where]) => `${where}: ${text}`);
    expect(unnamed, 'printed from a value: name it under "$dynamic" in lesson.zh.json with why it needs no entry').toEqual([]);
    expect([...named].filter((text) => !found.has(text)), 'stale "$dynamic" names').toEqual([]);
    for (const [text, why] of Object.entries(dynamic)) expect(why.length, text).toBeGreaterThan(10);
  });

  test('each entry is Chinese, takes the same values, and is the one a printed line finds', () => {
    const { entries } = read(folder);
    const translator = new Translator(entries);
    for (const [english, chinese] of Object.entries(entries)) {
      expect(english.replaceAll('{}', ''), `${english}: a key must hold words, not only values (print values with quote())`).toMatch(/[A-Za-z]/);
      const isCode = /^[\w.]+\(\)$/.test(english); // a step titled by a call, e.g. terminate()
      if (!isCode) expect(chinese, english).toMatch(CJK);
      const count = placeholders(english);
      const used = usedValues(chinese);
      expect(new Set(used), `${english} → ${chinese}: every value once`).toEqual(new Set(Array.from({ length: count }, (__, i) => i + 1)));
      expect(used.length, english).toBe(count);
      // The line the lesson prints finds this entry, not a more general one.
      const values = Array.from({ length: count }, (__, i) => `‹${i + 1}›`);
      expect(translator.lookUp(fillTemplate(english, values)), english).toBe(fillTemplate(chinese, values));
    }
  });
});

describe('where a lesson finds its translation', () => {
  test('from the compiled file the runner starts and from lesson.ts under tsx', () => {
    const root = join(import.meta.dirname, '..', '..');
    expect(lessonFolderOf(join(root, 'dist', 'lessons', '05-zombie', 'lesson.mjs'))).toBe(join(root, 'lessons', '05-zombie'));
    expect(lessonFolderOf(join(root, 'lessons', '05-zombie', 'lesson.ts'))).toBe(join(root, 'lessons', '05-zombie'));
    expect(lessonFolderOf(join(root, 'lessons', '09-pool', 'pool.ts'))).toBe(join(root, 'lessons', '09-pool'));
    expect(lessonFolderOf(join(root, 'chatroom', 'server.mjs'))).toBeUndefined();
    expect(lessonFolderOf(undefined)).toBeUndefined();
  });

  test('templates: values in order, or reordered with {N}; the most specific template wins', () => {
    const words = new Translator({
      'port {} on {} is already in use': '{2} 上的端口 {1} 已被占用',
      'child {} ended: code {}': '子进程 {} 结束了：退出码 {}',
      'child 1 ended: code {}': '第一个子进程结束了：退出码 {}',
      'Exit statuses': '退出状态',
      '{} → code {}': '{} → 退出码 {}',
      'uncaught error': '未捕获的错误',
    });
    expect(words.lookUp('uncaught error   → code 1')).toBe('未捕获的错误   → 退出码 1');
    expect(words.lookUp('exit(4)          → code 4')).toBe('exit(4)          → 退出码 4');
    expect(words.lookUp('port 80 on 127.0.0.1 is already in use')).toBe('127.0.0.1 上的端口 80 已被占用');
    expect(words.lookUp('child 7 ended: code 107')).toBe('子进程 7 结束了：退出码 107');
    expect(words.lookUp('child 1 ended: code 101')).toBe('第一个子进程结束了：退出码 101');
    expect(words.lookUp('Exit statuses')).toBe('退出状态');
    expect(words.lookUp('Exit statuses, decoded')).toBeUndefined();
  });
});

describe.each(lessonFolders().filter((folder) => existsSync(join(folder, 'hint.md'))).map((folder) => [basename(folder), folder]))('the hint of %s', (_, folder) => {
  test('has a Chinese twin, hint.zh.md: the same points, the same code', () => {
    const english = readFileSync(join(folder, 'hint.md'), 'utf8');
    const chinese = readFileSync(join(folder, 'hint.zh.md'), 'utf8');
    const bullets = (text: string): number => text.split('\n').filter((line) => line.startsWith('- ')).length;
    expect(bullets(chinese)).toBe(bullets(english));
    expect(chinese).toMatch(CJK);
    // Code is not translated: every `span` of the English hint is in the Chinese one as it is.
    const code = (text: string): string[] => [...text.replace(/\n\s*/g, ' ').matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
    expect(code(chinese).sort()).toEqual(code(english).sort());
  });
});

describe('a lesson under PROCBOOK_LANG=zh', () => {
  test('prints the Chinese of its sentences, and reports a line it has none for', () => {
    const saved = { lang: process.env.PROCBOOK_LANG, script: process.argv[1] };
    process.env.PROCBOOK_LANG = 'zh';
    process.argv[1] = join(lessonFolders().find((folder) => folder.endsWith('05-zombie'))!, 'lesson.ts');
    forgetTranslations();
    const reported: string[] = [];
    try {
      expect(translate('still busy. Let us try to kill the zombie: kill -9 4242', (line) => reported.push(line))).toBe('还在忙。我们试试杀死这个僵尸进程：kill -9 4242');
      expect(translate('The parent is busy when its child exits', (line) => reported.push(line))).toBe('子进程退出时，父进程正忙');
      expect(reported).toEqual([]);
      // A sentence the file does not have stays English, and is reported, once per line.
      expect(translate('a sentence nobody translated\n4242', (line) => reported.push(line))).toBe('a sentence nobody translated\n4242');
      expect(reported).toEqual(['a sentence nobody translated']);
      // In English nothing is looked up, nothing reported.
      process.env.PROCBOOK_LANG = 'en';
      expect(translate('a sentence nobody translated', (line) => reported.push(line))).toBe('a sentence nobody translated');
      expect(reported).toHaveLength(1);
    } finally {
      if (saved.lang === undefined) delete process.env.PROCBOOK_LANG;
      else process.env.PROCBOOK_LANG = saved.lang;
      process.argv[1] = saved.script!;
      forgetTranslations();
    }
  });
});
