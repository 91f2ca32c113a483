// Predict mode in Chinese (`--predict --lang zh`): every word the quiz shows is Chinese, while the
// answers stay the English values a person types and the timeline stores ('Z', 'exit 3', …).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { Timeline, type QuestionRecord } from '../../lib/observe/timeline.js';
import { setLanguage } from '../../lib/runner/language.js';
import { choicesFor, describeAnswer, matchChoice, observedAnswer, scoreLine } from '../../lib/runner/predict-answers.js';
import { PREDICT_WORDS } from '../../lib/runner/predict-words.js';
import { runnerCli, stillRunning, until } from '../support/run-lesson.js';

/** Chinese characters, or the full-width punctuation Chinese text is written with. */
const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

/** Every leaf of a words object, by path; a function is called with sample arguments, so its words show. */
function leaves(words: object, path = ''): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(words)) {
    const at = path ? `${path}.${key}` : key;
    if (typeof value === 'function') {
      // Arrays work for every parameter: a number or a string is only interpolated, a list is joined.
      const args = Array.from({ length: value.length }, () => ['7', '8']);
      found.set(at, String((value as (...args: unknown[]) => unknown)(...args)));
    } else if (typeof value === 'object' && value !== null) {
      for (const [inner, text] of leaves(value as object, at)) found.set(inner, text);
    } else found.set(at, String(value));
  }
  return found;
}

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

/** The Chinese request for an answer: a question's own, and the one after a line that is not a choice. */
const ASKS_FOR_ANSWER = '输入一行作答：';

/** The prompt of the question whose choices were printed last ("? N. prompt"). */
function lastPrompt(stdout: string): string {
  const questions = stdout.split('\n').filter((line) => /^\? \d+\. /.test(line));
  return questions.at(-1)!.replace(/^\? \d+\. /, '');
}

/** Runs a lesson under --predict --plain --lang zh, answering each question as it appears on stdout. */
async function runPredictingInChinese(lesson: string, answer: (prompt: string) => string) {
  const dir = mkdtempSync(join(tmpdir(), 'procbook-predict-zh-'));
  const jsonPath = join(dir, 'timeline.json');
  const runner = spawn(
    process.execPath,
    [runnerCli, 'lesson', lesson, '--predict', '--plain', '--lang', 'zh', '--pace', '0.3', '--interval', '25', '--json', jsonPath],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env } },
  );
  let stdout = '';
  let stderr = '';
  runner.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  runner.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => runner.once('exit', (code) => resolve(code)));
  const finished = (): boolean => runner.exitCode !== null || runner.signalCode !== null;
  try {
    const asked = (): number => stdout.split(ASKS_FOR_ANSWER).length - 1;
    for (let answered = 0; ; answered++) {
      await until(() => asked() > answered || finished(), 20_000, `question ${answered + 1} or the end`);
      if (asked() === answered) break; // the run is over
      runner.stdin.write(`${answer(lastPrompt(stdout))}\n`);
    }
    const code = await exited;
    let timeline: Timeline;
    try {
      timeline = Timeline.fromJSON(readFileSync(jsonPath, 'utf8'));
    } catch {
      throw new Error(`no timeline (exit ${code}).\nstdout:\n${stdout}\nstderr:\n${stderr}`);
    }
    return { timeline, questions: timeline.data.questions ?? [], code, stdout };
  } finally {
    runner.kill('SIGKILL');
    runner.stdin.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('--predict --lang zh, end to end', () => {
  test('05 zombie: the choices, the reveals and the score are Chinese; the answers recorded are the English values', async () => {
    const run = await runPredictingInChinese('zombie', (prompt) => {
      if (prompt.includes("child's STAT be 1 s from now")) return 'Z';
      if (prompt.includes('how will Node say')) return 'killed by SIGKILL';
      throw new Error(`an unexpected question: ${prompt}`);
    });
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
