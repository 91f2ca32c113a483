// Predict mode in Chinese (`--predict --lang zh`): every word the quiz shows is Chinese, while the
// answers stay the English values a person types and the timeline stores ('Z', 'exit 3', …).
import { afterEach, describe, expect, test } from 'vitest';
import type { QuestionRecord } from '../../lib/observe/timeline.js';
import { setLanguage } from '../../lib/words/language.js';
import { choicesFor, describeAnswer, matchChoice, observedAnswer, scoreLine } from '../../lib/present/answers.js';
import { PREDICT_WORDS } from '../../lib/words/predict.js';
import { runPredicting } from '../support/predict.js';
import { stillRunning } from '../support/run-lesson.js';
import { CJK, wordLeaves } from '../support/words.js';

/** Every word, by its path; a function is called with lists, which work for every parameter (a
 * number or a string is only interpolated, a list is joined). */
const leaves = (words: object): Map<string, string> => wordLeaves(words, (parameters) => Array.from({ length: parameters }, () => ['7', '8']));

describe('the quiz’s words in Chinese', () => {
  afterEach(() => setLanguage('en'));

  test('every English word has a Chinese counterpart that is Chinese', () => {
    const en = leaves(PREDICT_WORDS.en);
    const zh = leaves(PREDICT_WORDS.zh);
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
    // What a question is about is empty for two kinds, and STAT is what `ps` prints in every language.
    const neutral = new Set(['property.stat', 'property.alive', 'property.exit']);
    const notChinese = [...zh].filter(([path, text]) => !neutral.has(path) && !CJK.test(text));
    expect(notChinese).toEqual([]);
  });

  test('the choices are labelled in Chinese, while their values stay English and can be typed', () => {
    setLanguage('zh');
    const stat = choicesFor('stat', { about: 22, rows: [], runnerPid: 7 });
    expect(stat.map((choice) => choice.value)).toEqual(['R', 'S', 'T', 'Z', 'gone']);
    expect(stat.find((choice) => choice.value === 'Z')!.label).toBe('Z     僵尸进程：已经退出，退出状态还没有被回收');
    expect(stat.every((choice) => CJK.test(choice.label))).toBe(true);

    const exit = choicesFor('exit', { about: 22, rows: [], runnerPid: 7, codes: [3] });
    expect(exit.map((choice) => choice.value)).toEqual([
      'running', 'exit 0', 'exit 1', 'exit 3', 'killed by SIGINT', 'killed by SIGTERM', 'killed by SIGKILL',
    ]);
    expect(exit.every((choice) => CJK.test(choice.label))).toBe(true);
    expect(matchChoice('Killed by sigkill', exit)).toBe('killed by SIGKILL');

    const row = { id: '20@1', pid: 20, ppid: 1, bornTo: 1, stat: 'Sl', title: 'parent', startTicks: 1, firstSeen: 0 };
    const parent = choicesFor('parent', { about: 22, rows: [row], runnerPid: 7 });
    expect(parent.map((choice) => choice.value)).toEqual(['20', '7', '1', 'gone']);
    expect(parent.find((choice) => choice.value === '7')!.meaning).toBe('运行器');
  });

  test('an answer is described in Chinese, and how a process ended in the views’ words', () => {
    setLanguage('zh');
    const stat = choicesFor('stat', { about: 22, rows: [], runnerPid: 7 });
    expect(describeAnswer('Z', stat)).toBe('Z（僵尸进程）');
    expect(describeAnswer('gone', stat)).toBe('gone（已回收）');
    const exit = choicesFor('exit', { about: 22, rows: [], runnerPid: 7, codes: [3] });
    expect(describeAnswer('exit 3', exit)).toBe('退出码 3');
    expect(describeAnswer('killed by SIGKILL', exit)).toBe('被 SIGKILL 杀死');
    expect(describeAnswer('unknown', exit)).toBe('未知');
    // The value the timeline keeps is the English one, whatever the language.
    const record = {
      id: '10@1', pid: 10, startTicks: 1, firstSeen: 0, title: 'child', executable: 'node', pgid: 1, sid: 1,
      spans: [{ from: 0, to: 200, stat: 'Z', ppid: 5 }], events: [],
      exit: { t: 100, code: 3, signal: null, source: 'kernel' as const },
    };
    expect(observedAnswer('exit', record, 150)).toBe('exit 3');
    expect(observedAnswer('alive', record, 150)).toBe('zombie');
  });

  test('the score line', () => {
    const asked = (right: boolean | undefined): QuestionRecord => ({
      t: 0, pid: 1, ask: 'stat', prompt: '', reveal: 'next-step', choices: [],
      ...(right === undefined ? {} : { revealedAt: 1, actual: 'S', right }),
    });
    setLanguage('zh');
    expect(scoreLine([asked(true), asked(false)])).toBe('预测：2 题中答对 1 题。');
    expect(scoreLine([asked(true), asked(undefined)])).toBe('预测：1 题中答对 1 题。（1 题未揭晓：运行在揭晓前被停止）');
    setLanguage('en');
    expect(scoreLine([asked(true), asked(false)])).toBe('Predictions: 1 of 2 right.');
  });
});

describe('--predict --lang zh, end to end', () => {
  test('05 zombie: the choices, the reveals and the score are Chinese; the answers recorded are the English values', async () => {
    const run = await runPredicting(
      'zombie',
      ({ prompt }) => {
        // The lesson's prompts, in Chinese too (lessons/05-zombie/lesson.zh.json).
        if (prompt.includes('1 s 之后，子进程的 STAT 会是什么')) return 'Z';
        if (prompt.includes('Node 会说子进程是怎样结束的')) return 'killed by SIGKILL';
        throw new Error(`an unexpected question: ${prompt}`);
      },
      { lang: 'zh' },
    );
    expect(run.code).toBe(0);
    expect(run.timeline.leftovers()).toEqual([]);
    expect(stillRunning(run.timeline)).toEqual([]);

    // What the timeline keeps: English values, compared as values.
    expect(run.questions).toHaveLength(2);
    const [stat, exit] = run.questions;
    expect(stat).toMatchObject({ ask: 'stat', answer: 'Z', actual: 'Z', right: true });
    expect(stat!.choices).toEqual(['R', 'S', 'T', 'Z', 'gone']);
    expect(exit).toMatchObject({ ask: 'exit', answer: 'killed by SIGKILL', actual: 'exit 3', right: false });

    // What the student read: Chinese choices, verdicts and score.
    const lines = run.stdout.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^ {6}Z {5}僵尸进程：/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {6}输入一行作答：R、S、T、Z 或 gone$/));
    const child = run.timeline.data.processes.find((each) => each.id === stat!.id)!;
    expect(lines).toContain(`✓ 1. 答对了 — child ${child.pid}：STAT Z（僵尸进程）`);
    const exited = run.timeline.data.processes.find((each) => each.id === exit!.id)!;
    expect(lines).toContain(`✗ 2. 答错了 — child ${exited.pid}：退出码 3；你的答案：被 SIGKILL 杀死`);
    expect(lines).toContain('预测：2 题中答对 1 题。');
    expect(run.stdout).not.toContain('Predictions:');
    expect(run.stdout).not.toMatch(/right —|wrong —|answer with/);
  });
});
