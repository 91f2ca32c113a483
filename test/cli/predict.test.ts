// Predict, then reveal (`--predict`): lessons run headless, the questions are read off the
// runner's stdout and answered on its stdin (some right, some wrong, on purpose), and every
// revealed answer is checked against the timeline: what the table showed for that process at the
// moment of the reveal. The score must count the right answers, and a wrong answer must say so.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Timeline, type ProcessRecord, type QuestionRecord } from '../../lib/observe/timeline.js';
import type { Observer } from '../../lib/observe/observer.js';
import { choicesFor, matchChoice, observedAnswer, scoreLine } from '../../lib/present/answers.js';
import { Quiz } from '../../lib/cli/predict.js';
import type { ViewState } from '../../lib/present/views/types.js';
import { type Answerer, type Asked, type PredictRun, PREDICT_PACE, runPredicting } from '../support/predict.js';
import { runnerCli, stillRunning } from '../support/run-lesson.js';

const PACE = PREDICT_PACE;

/**
 * What the timeline shows for the process asked about at the moment of the reveal, worked out
 * here from the spans, independently of the runner's own code.
 */
function shownAt(timeline: Timeline, question: QuestionRecord): string {
  const record = timeline.data.processes.find((each) => each.id === question.id)!;
  const readAt = question.revealedAt!;
  const due = question.dueAt!;
  // Its parent's report of its end (waitpid) says whether it was still there at the due moment.
  const reaped = record.exit && record.exit.source !== 'kernel' ? record.exit.t : undefined;
  const reapedByDue = reaped !== undefined && reaped <= due;
  let t = readAt;
  if (record.gone !== undefined && record.gone <= readAt && reaped !== undefined && reaped > due) t = due;
  const gone = reapedByDue || (record.gone !== undefined && record.gone <= t);
  const span = record.spans.filter((each) => each.from <= t).at(-1)!;
  if (question.ask === 'exit') {
    const exit = record.exit && record.exit.t <= readAt ? record.exit : undefined;
    if (exit) return exit.signal ? `killed by ${exit.signal}` : `exit ${exit.code}`;
    return 'running';
  }
  if (gone) return 'gone';
  if (question.ask === 'stat') return span.stat[0]!;
  if (question.ask === 'parent') return String(span.ppid);
  return span.stat.startsWith('Z') ? 'zombie' : 'alive';
}

/** The checks every predicting run must pass, whatever was answered. */
function checkRevealsAndScore(run: PredictRun, expectedQuestions: number): void {
  expect(run.code).toBe(0);
  expect(run.timeline.leftovers()).toEqual([]);
  expect(stillRunning(run.timeline)).toEqual([]);
  expect(run.questions).toHaveLength(expectedQuestions);
  const interval = run.timeline.data.sampleIntervalMs;
  run.questions.forEach((question, index) => {
    const number = index + 1;
    expect(question.revealedAt, `question ${number} revealed`).toBeDefined();
    expect(question.dueAt!).toBeGreaterThanOrEqual(question.answeredAt ?? question.t);
    expect(question.revealedAt!).toBeGreaterThanOrEqual(question.dueAt!);
    // The table was read at that moment (a sample then), not up to an interval earlier.
    const record = run.timeline.data.processes.find((each) => each.id === question.id)!;
    const readAt = question.revealedAt!;
    if (record.gone === undefined || record.gone > readAt) {
      expect(record.spans.filter((span) => span.from <= readAt).at(-1)!.to).toBeGreaterThanOrEqual(readAt - interval);
    }
    expect(question.actual, `question ${number}: ${question.prompt}`).toBe(shownAt(run.timeline, question));
    expect(question.right).toBe(question.answer === question.actual);
    // The reveal line says right or wrong, and shows the real value.
    const mark = question.answer === undefined ? `– ${number}. no answer — ` : question.right ? `✓ ${number}. right — ` : `✗ ${number}. wrong — `;
    const line = run.stdout.split('\n').find((each) => each.startsWith(mark));
    expect(line, `the reveal of question ${number}`).toBeDefined();
    expect(line!).toContain(question.actual!);
    if (question.answer !== undefined && !question.right) expect(line!).toContain(`you said ${question.answer}`);
  });
  const right = run.questions.filter((question) => question.right).length;
  expect(run.stdout).toContain(`Predictions: ${right} of ${expectedQuestions} right.`);
}

/** An answerer from a list of [words in the prompt, answer] pairs; the answer may depend on the choices. */
function answers(pairs: Array<[string, string | ((question: Asked) => string)]>): Answerer {
  return (question) => {
    const found = pairs.find(([words]) => question.prompt.includes(words));
    if (!found) throw new Error(`an unexpected question: ${question.prompt}`);
    return typeof found[1] === 'string' ? found[1] : found[1](question);
  };
}

const byLabel = (text: string) => (question: Asked): string => {
  const choice = question.choices.find((each) => each.label.includes(text));
  if (!choice) throw new Error(`no choice "${text}" in ${JSON.stringify(question.choices)}`);
  return choice.value;
};

const verdicts = (run: PredictRun): Array<boolean | undefined> => run.questions.map((question) => question.right);

describe.concurrent('--predict, end to end', () => {
  test('05 zombie: a right STAT (Z, while the parent is blocked) and a wrong exit (the kill -9 guess)', async () => {
    const run = await runPredicting('zombie', answers([["child's STAT be 1 s from now", 'Z'], ['how will Node say', 'killed by SIGKILL']]));
    checkRevealsAndScore(run, 2);
    const [stat, exit] = run.questions;
    expect(stat).toMatchObject({ ask: 'stat', answer: 'Z', actual: 'Z', right: true });
    expect(exit).toMatchObject({ ask: 'exit', answer: 'killed by SIGKILL', actual: 'exit 3', right: false });
    expect(run.stdout).toContain('✗ 2. wrong — child');
    expect(run.stdout).toContain('Predictions: 1 of 2 right.');
    // The lesson waited at the questions: its first process said nothing more until the last answer.
    const own = `${run.timeline.data.lessonPid}:`;
    const next = run.timeline.data.output.find((line) => line.t > exit!.t && line.text.includes(own));
    expect(next!.t).toBeGreaterThanOrEqual(exit!.answeredAt!);
    // The STAT was read while the child was a zombie, under the blocked parent.
    expect(stat!.dueAt! - stat!.answeredAt!).toBeGreaterThanOrEqual(1000 * PACE * 0.9);
  });

  test('04 orphan: the adopter is the runner (init is wrong), and the orphan ends up gone', async () => {
    const run = await runPredicting('orphan', answers([["Who will be the child's parent", '1'], ['what is left of it', 'gone']]));
    checkRevealsAndScore(run, 2);
    expect(run.questions[0]).toMatchObject({ ask: 'parent', answer: '1', actual: String(run.timeline.data.runnerPid), right: false });
    expect(run.questions[1]).toMatchObject({ ask: 'alive', actual: 'gone', right: true });
    expect(run.stdout).toContain('Predictions: 1 of 2 right.');
  });

  test('01 fork: the child’s parent, the parent’s STAT while ticking, the reaped child', async () => {
    const run = await runPredicting(
      'fork',
      answers([["Who is the child's parent", byLabel('parent')], ['STAT be 0.6 s', 'R'], ['what is left of it', 'zombie']]),
    );
    checkRevealsAndScore(run, 3);
    expect(run.questions[0]).toMatchObject({ actual: String(run.timeline.data.lessonPid), right: true });
    expect(run.questions[2]).toMatchObject({ actual: 'gone', right: false });
  });

  test('06 wait: the waiting parent’s STAT, child 8 reaped before its turn, how child 10 ended', async () => {
    const run = await runPredicting('wait', answers([['my own STAT', 'S'], ['what is child 8', 'zombie'], ['child 10 a SIGTERM', 'exit 143']]));
    checkRevealsAndScore(run, 3);
    expect(run.questions[1]).toMatchObject({ actual: 'gone', right: false });
    // Read at the moment child 7 had been collected: where C's waitpid2 would still show child 8 as Z.
    const collected7 = run.timeline.data.facts.find((each) => each.name === 'collected' && each.value === 7)!;
    expect(run.questions[1]!.dueAt!).toBeGreaterThanOrEqual(collected7.t);
    expect(run.questions[2]).toMatchObject({ actual: 'killed by SIGTERM', right: false });
  });

  test('07 double fork: the grandchild goes to the runner, the middle is reaped at once', async () => {
    const run = await runPredicting('double-fork', answers([["grandchild's parent", byLabel('the runner')], ['the middle itself', 'gone']]));
    checkRevealsAndScore(run, 2);
    expect(verdicts(run)).toEqual([true, true]);
    expect(run.stdout).toContain('Predictions: 2 of 2 right.');
  });

  test('08 signals: a handled SIGTERM exits 0, SIGINT kills (not "exit 130"), SIGSTOP shows T, SIG_IGN leaves no zombie', async () => {
    const run = await runPredicting('signals', answers([['send the worker SIGTERM', 'exit 0'], ['SIGINT to a child', 'exit 130'], ['just got SIGSTOP', 'T'], ['ignores SIGCHLD and never waits', 'zombie']]));
    checkRevealsAndScore(run, 4);
    expect(run.questions.map((question) => question.actual)).toEqual(['exit 0', 'killed by SIGINT', 'T', 'gone']);
    expect(verdicts(run)).toEqual([true, false, true, false]);
  });

  test('a line that is not a choice is asked again; stdin ending leaves the rest unanswered, and the lesson still ends', async () => {
    let asked = 0;
    const run = await runPredicting('zombie', (question) => {
      asked++;
      if (asked === 1) return 'zombie'; // not a STAT letter: asked again …
      if (asked === 2) return 'z'; // … and a lower-case letter is accepted
      expect(question.number).toBe(2);
      return undefined; // stdin closes
    });
    expect(run.stdout).toContain('"zombie" is not one of them');
    checkRevealsAndScore(run, 2);
    expect(run.questions[0]).toMatchObject({ answer: 'Z', right: true });
    expect(run.questions[1]!.answer).toBeUndefined();
    expect(run.stdout).toContain('– 2. no answer — child');
    expect(run.stdout).toContain('Predictions: 1 of 2 right.');
  });

  test('answers written to stdin before their questions are kept for them: printf … | procbook lesson 5 --predict', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'procbook-predict-'));
    const jsonPath = join(dir, 'timeline.json');
    try {
      const runner = spawn(process.execPath, [runnerCli, 'lesson', 'zombie', '--predict', '--plain', '--pace', String(PACE), '--json', jsonPath], {
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      runner.stdin.end('Z\nkilled by SIGKILL\n'); // all at once, before the lesson has asked anything
      const code = await new Promise<number | null>((resolve) => runner.once('exit', resolve));
      expect(code).toBe(0);
      const questions = Timeline.fromJSON(readFileSync(jsonPath, 'utf8')).data.questions ?? [];
      expect(questions.map((question) => question.answer)).toEqual(['Z', 'killed by SIGKILL']);
      expect(questions.map((question) => question.right)).toEqual([true, false]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('predict answers', () => {
  const span = (from: number, stat: string, ppid: number) => ({ from, to: from + 100, stat, ppid });
  const record = {
    id: '10@1',
    pid: 10,
    startTicks: 1,
    firstSeen: 0,
    title: 'child',
    executable: 'node',
    pgid: 1,
    sid: 1,
    spans: [span(0, 'Sl', 5), span(100, 'Zl', 5), span(200, 'Z', 1)],
    events: [],
    gone: 300,
    exit: { t: 100, code: 3, signal: null, source: 'kernel' as const },
  };

  test('the answer at a moment is read from the span of that moment', () => {
    expect(observedAnswer('stat', record, 50)).toBe('S');
    expect(observedAnswer('stat', record, 150)).toBe('Z');
    expect(observedAnswer('stat', record, 300)).toBe('gone');
    expect(observedAnswer('parent', record, 250)).toBe('1');
    expect(observedAnswer('alive', record, 50)).toBe('alive');
    expect(observedAnswer('alive', record, 120)).toBe('zombie');
    expect(observedAnswer('exit', record, 50)).toBe('running');
    expect(observedAnswer('exit', record, 120)).toBe('exit 3');
    expect(observedAnswer('stat', undefined, 0)).toBe('unknown');
  });

  test('read late, the table is corrected by the status the parent got (waitpid): reaped by the moment is gone, reaped after it was there', () => {
    const reapedAt150 = { ...record, spans: [span(0, 'Sl', 5), span(100, 'Sl', 5)], gone: 300, exit: { t: 150, code: 0, signal: null, source: 'parent' as const } };
    expect(observedAnswer('alive', reapedAt150, 120)).toBe('alive');
    expect(observedAnswer('alive', reapedAt150, 120, 400)).toBe('alive'); // looked at 400: gone, but reaped only at 150
    expect(observedAnswer('alive', reapedAt150, 200)).toBe('gone'); // the samples still said Sl at 200
    expect(observedAnswer('exit', reapedAt150, 200)).toBe('exit 0');
    expect(observedAnswer('stat', record, 150, 250)).toBe('Z'); // no such report: the table as read
  });

  /**
   * A Quiz of lesson pid 5 on a scripted observer whose table holds `processes`; `sample` is what a
   * sample does (given the pid looked at). Every question is answered S; what it says goes to `said`.
   */
  function scriptedQuiz(processes: ProcessRecord[], now: () => number, sample: (look?: number) => boolean = () => false, sources?: string[]) {
    const timeline = { processes, questions: [] as QuestionRecord[], ...(sources ? { sources } : {}) };
    const writer = { addQuestion: (question: QuestionRecord) => (timeline.questions.push(question), question), updateQuestion: (question: QuestionRecord, changes: Partial<QuestionRecord>) => Object.assign(question, changes) };
    const observer = { timeline, record: writer, sample, now, rows: () => [] } as unknown as Observer;
    const said: string[] = [];
    const quiz = new Quiz({
      observer,
      lessonPid: 5,
      runnerPid: 4,
      ask: async () => ({ answer: 'S' }),
      release() {},
      hold() {},
      say: (line: string) => said.push(line),
      state: () => ({}) as ViewState,
      interrupt() {},
      color: false,
    });
    return { quiz, timeline, said };
  }

  test('a reveal reads the table as it stood when the lesson reached its step, not when the runner got the message', async () => {
    let now = 50;
    // Its parent was told at 300 that it had ended (waitpid): at 60 it was still there.
    const reapedAt300 = { ...record, exit: { t: 300, code: 3, signal: null, source: 'parent' as const } };
    const { quiz, timeline } = scriptedQuiz([reapedAt300], () => now);
    await quiz.onQuestion({ type: 'question', pid: 5, about: 10, ask: 'stat', prompt: 'What will its STAT be?', reveal: 'next-step' });
    now = 400; // a busy runner reads the checkpoint late: by now the child is gone
    quiz.onCheckpoint(5, 60); // the lesson sent it at 60, while the child slept
    expect(timeline.questions[0]).toMatchObject({ answer: 'S', actual: 'S', right: true, dueAt: 60, revealedAt: 400 });
  });

  test('a question about a process not yet in the table looks at that pid: its fork report may be unread', async () => {
    // The kernel has not yet told of pid 10: only a look at it finds it.
    const processes: ProcessRecord[] = [];
    const sample = (look?: number): boolean => (look === 10 && processes.length === 0 ? (processes.push(record), true) : false);
    const { quiz, timeline, said } = scriptedQuiz(processes, () => 50, sample);
    await quiz.onQuestion({ type: 'question', pid: 5, about: 10, ask: 'alive', prompt: 'What is left of it?', reveal: 'next-step' });
    expect(said.join('\n')).not.toContain('skipped');
    expect(timeline.questions).toHaveLength(1);
    expect(timeline.questions[0]).toMatchObject({ pid: 10, id: '10@1', answer: 'S' });
  });

  test("a question about a process gone before anything looked waits for the kernel's report of its fork", async () => {
    // Lesson 08's SIG_IGN grandchild lives 150 ms in a test run: a starved runner read the question
    // after it had gone, with its fork report still unread, and skipped the question.
    const processes: ProcessRecord[] = [];
    const { quiz, timeline, said } = scriptedQuiz(processes, () => Date.now(), () => false, ['connector', 'sampling']);
    setTimeout(() => processes.push({ ...record, gone: 40 }), 50); // the report, read a moment later
    await quiz.onQuestion({ type: 'question', pid: 5, about: 10, ask: 'alive', prompt: 'What is left of it?', reveal: 'next-step' });
    expect(said.join('\n')).not.toContain('skipped');
    expect(timeline.questions[0]).toMatchObject({ pid: 10, id: '10@1', answer: 'S' });
    // Without the kernel's reports nothing will come: skipped at once (its clock stands still, so
    // a wait would never end, and the test would time out).
    const sampled = scriptedQuiz([], () => 50);
    await sampled.quiz.onQuestion({ type: 'question', pid: 5, about: 10, ask: 'alive', prompt: 'What is left of it?', reveal: 'next-step' });
    expect(sampled.said.join('\n')).toContain('skipped');
  });

  test('the candidate parents: the living processes of the table, the runner, init, nobody', () => {
    const row = (pid: number, title: string, stat = 'Sl') => ({ id: `${pid}@1`, pid, ppid: 1, bornTo: 1, stat, title, startTicks: 1, firstSeen: 0 });
    const rows = [row(20, 'lesson'), row(21, 'parent'), row(22, 'child'), row(23, 'dead', 'Z')];
    const values = choicesFor('parent', { about: 22, rows, runnerPid: 7 }).map((choice) => choice.value);
    expect(values).toEqual(['20', '21', '7', '1', 'gone']);
    expect(choicesFor('exit', { about: 22, rows, runnerPid: 7, codes: [3, 0] }).map((choice) => choice.value)).toEqual([
      'running', 'exit 0', 'exit 1', 'exit 3', 'killed by SIGINT', 'killed by SIGTERM', 'killed by SIGKILL',
    ]);
  });

  test('typed answers match whatever the case and spacing; the score counts revealed answers', () => {
    const choices = choicesFor('exit', { about: 1, rows: [], runnerPid: 7 });
    expect(matchChoice('  Killed  by sigterm ', choices)).toBe('killed by SIGTERM');
    expect(matchChoice('exit 9', choices)).toBeUndefined();
    const asked = (right: boolean | undefined): QuestionRecord => ({
      t: 0, pid: 1, ask: 'stat', prompt: '', reveal: 'next-step', choices: [],
      ...(right === undefined ? {} : { revealedAt: 1, actual: 'S', right }),
    });
    expect(scoreLine([asked(true), asked(false), asked(true)])).toBe('Predictions: 2 of 3 right.');
    expect(scoreLine([asked(true), asked(undefined)])).toBe('Predictions: 1 of 1 right. (1 not revealed: the run was stopped first)');
  });
});
