// One set of words for the whole book: every Chinese text follows lessons/GLOSSARY.zh.md. This test
// reads the glossary's table and fails on any forbidden variant in a Chinese text (the READMEs, the
// lessons' sentences, the hints, the catalogue, the runner's words and page), naming the file,
// the line, and the course's word to use instead.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { chineseTexts, findVariants, glossaryRules, root } from './glossary.js';

describe('the glossary', () => {
  const rules = glossaryRules();

  test('is a table of terms, each with its Chinese, the variants it forbids in backticks', () => {
    expect(rules.length).toBeGreaterThan(15);
    for (const rule of rules) expect(rule.chinese, rule.term).toMatch(/[\u4e00-\u9fff]/);
    const forbidden = rules.flatMap((rule) => rule.forbidden);
    for (const word of ['课程进程', '会话首进程', '中间进程', '本地套接字', '接收方', '接收者', '磁盘等待', '老实写法', '挂起']) expect(forbidden).toContain(word);
    // No term forbids what another one prescribes.
    for (const rule of rules) for (const variant of rule.forbidden) expect(rules.map((each) => each.chinese), variant).not.toContain(variant);
  });

  test('catches a variant, and lets an allowed context through', () => {
    const rules = glossaryRules();
    expect(findVariants('父进程（即课程进程）退出', rules, 'x').map((each) => each.use)).toEqual(['本课进程']);
    expect(findVariants('SIGTERM 会一直挂起', rules, 'x').map((each) => each.variant)).toEqual(['挂起', '挂起']);
    expect(findVariants('Unix 域套接字（课程里叫本地套接字）', rules, 'x')).toEqual([]);
    expect(findVariants('本地套接字：地址是一个文件', rules, 'x').map((each) => each.use)).toEqual(['Unix 套接字']);
  });

  test('every Chinese text of the book follows it', () => {
    const files = chineseTexts();
    expect(files.some((file) => file.endsWith('README.zh.md'))).toBe(true);
    expect(files.some((file) => file.endsWith('lesson.zh.json'))).toBe(true);
    expect(files.some((file) => file.endsWith('hint.zh.md'))).toBe(true);
    const findings = files.flatMap((file) => findVariants(readFileSync(file, 'utf8'), rules, relative(root, file)));
    expect(findings.map((each) => `${each.where}: ${each.variant} → ${each.use} (${each.line})`)).toEqual([]);
  });
});
