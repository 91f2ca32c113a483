// Predict, then reveal (`--predict`): the runner's side of a lesson's questions.
//
// A question arrives on the control socket while the lesson's first process waits for its
// go-ahead. The quiz offers plausible answers, holds the view still while the student thinks (so
// nothing that happens meanwhile gives the answer away), lets the lesson go on once they have
// answered, and at the moment the lesson named (its next step, or a delay) samples the table and
// reads the answer from it. Every question, answer and observed value goes into the timeline, and
// the run ends with a score.
import type { QuestionMessage } from '../lesson/protocol.js';
import type { Observer } from '../observe/observer.js';
import type { ProcessRecord, QuestionRecord } from '../observe/timeline.js';
import type { Asker, AskResult } from './ask.js';
import { choicesFor, describeAnswer, observedAnswer, scoreLine, type Choice } from '../present/answers.js';
import { predictWords } from '../words/predict.js';
import { colors, type Colors } from '../present/views/palette.js';
import type { RoomHooks } from '../present/web/web-view.js';
import { pageWords } from '../words/page.js';
import type { ViewState } from '../present/views/types.js';

/** How long a question about a process not in the table waits for the kernel's report of its fork. */
const FORK_REPORT_WAIT_MS = 2000;

export interface QuizOptions {
  observer: Observer;
  lessonPid: number;
  runnerPid: number;
  ask: Asker;
  /** Lets the lesson's first process go on from the question. */
  release(): void;
  /** Holds the view still while a question is open, and lets it go. */
  hold(held: boolean): void;
  /** Adds a line among the lesson's output, marked as the runner's. */
  say(text: string): void;
  /** The state the view last drew (for the table above a terminal prompt). */
  state(): ViewState;
  /** The student asked to stop. */
  interrupt(): void;
  color: boolean;
  /** With --web: the room answers each question on the page too (peer instruction). */
  room?: RoomHooks;
}

/** A reveal after a delay. The delay is lesson time: it stands still while the lesson waits at another question. */
interface TimedReveal {
  question: QuestionRecord;
  remainingMs: number;
  startedAt: number;
  timer?: NodeJS.Timeout;
}

export class Quiz {
  private readonly asked: QuestionRecord[] = [];
  private readonly offered = new Map<QuestionRecord, Choice[]>();
  private atNextStep: QuestionRecord[] = [];
  private timed: TimedReveal[] = [];
  private readonly ended = new AbortController();
  private readonly c: Colors;

  constructor(private readonly options: QuizOptions) {
    this.c = colors(options.color);
  }

  /** The lesson asks: ask the student, then let the lesson go on and wait for the moment of the answer. */
  async onQuestion(message: QuestionMessage): Promise<void> {
    const { observer } = this.options;
    this.pauseTimers();
    const t = observer.now();
    // The table as the student last saw it: no fresh sample, which could show the very change the
    // question is about (a SIGSTOP just sent). Only a process started since the last sample needs
    // one, and it looks at that pid: the kernel's report of its fork may still be unread (once, at
    // four files at once, a run of lesson 08 skipped a question about a child just started).
    const latest = (): ProcessRecord | undefined => observer.timeline.processes.filter((each) => each.pid === message.about).at(-1);
    if (!latest()) observer.sample(message.about);
    // Gone before any look could find it (lesson 08's SIG_IGN grandchild lives 150 ms in a test run,
    // and a starved runner read the question later than that): the kernel's report of its fork,
    // still unread, gives it its row. The lesson waits for the answer meanwhile.
    if (!latest() && observer.timeline.sources?.includes('connector')) {
      const deadline = observer.now() + FORK_REPORT_WAIT_MS;
      while (!latest() && observer.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const record = latest();
    // Gone already is fine (a child just killed may be reaped before the question is read): the
    // answer is then known, but the held view keeps it from the student until they have answered.
    if (!record) {
      this.options.say(this.c.dim(`? ${predictWords().skipped(message.about)}`));
      this.goOn();
      return;
    }
    const choices = choicesFor(message.ask, {
      about: message.about,
      rows: observer.rows(),
      runnerPid: this.options.runnerPid,
      ...(message.codes ? { codes: message.codes } : {}),
    });
    const question: QuestionRecord = {
      t,
      id: record.id,
      pid: message.about,
      ask: message.ask,
      prompt: message.prompt,
      reveal: message.reveal,
      choices: choices.map((choice) => choice.value),
    };
    this.asked.push(observer.record.addQuestion(question));
    this.offered.set(question, choices);
    const number = this.asked.length;
    this.options.say(this.c.cyan(`? ${number}. ${message.prompt}`));
    this.options.room?.ask(number, message.prompt, choices);

    this.options.hold(true);
    let result: AskResult;
    try {
      result = await this.options.ask({ number, prompt: message.prompt, choices, state: this.options.state(), signal: this.ended.signal });
    } catch {
      result = {}; // a prompt that failed is a question not answered: the lesson must not stay waiting
    } finally {
      this.options.hold(false);
    }
    if (result.answer !== undefined) observer.record.updateQuestion(question, { answer: result.answer, answeredAt: observer.now() });
    if (this.options.room) {
      // The terminal has answered: the room's answers close, are recorded, and are said beside it.
      const counts = this.options.room.close(number, result.answer);
      const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
      observer.record.setRoomAnswers(question, counts);
      const listed = Object.entries(counts).filter(([, count]) => count > 0).map(([value, count]) => `${value} ${count}`).join(' · ');
      this.options.say(this.c.dim(pageWords().terminal.roomAnswers(listed, total)));
    }
    if (this.ended.signal.aborted) return;
    if (result.quit) {
      this.options.interrupt();
      return;
    }
    if (message.reveal === 'next-step') this.atNextStep.push(question);
    else this.timed.push({ question, remainingMs: message.reveal.afterMs, startedAt: 0 });
    this.goOn();
  }

  /**
   * A checkpoint: if the lesson's first process reached its next step, the answers due then are
   * read, as the table stood at `t`, the moment the lesson sent it (a runner short of CPU may read
   * the message later, when the answer could have changed).
   */
  onCheckpoint(pid: number, t: number): void {
    if (pid !== this.options.lessonPid || this.ended.signal.aborted) return;
    const due = this.atNextStep;
    this.atNextStep = [];
    for (const question of due) this.reveal(question, t);
  }

  /**
   * The run is over. If the lesson ended by itself, answers still due are read now (the lesson's
   * end is the last moment it can be about); if it was stopped, they stay unrevealed. Then the score.
   */
  finish(lessonEnded: boolean): void {
    if (this.ended.signal.aborted) return;
    for (const each of this.timed) clearTimeout(each.timer);
    if (lessonEnded) {
      const due = new Set([...this.atNextStep, ...this.timed.map((each) => each.question)]);
      for (const question of this.asked) if (due.has(question)) this.reveal(question);
    }
    this.atNextStep = [];
    this.timed = [];
    this.ended.abort(); // closes a prompt still open
    if (this.asked.length > 0) this.options.say(this.c.bold(scoreLine(this.asked)));
  }

  private goOn(): void {
    this.options.release();
    this.resumeTimers();
  }

  /** Reads the answer from the table as it stood at `at` (default: now). */
  private reveal(question: QuestionRecord, at?: number): void {
    const { observer } = this.options;
    observer.sample(); // the table up to this very moment, not as it was up to one interval ago
    const now = observer.now();
    const t = Math.min(at ?? now, now);
    const record = observer.timeline.processes.find((each) => each.id === question.id);
    const actual = observedAnswer(question.ask, record, t, now);
    observer.record.updateQuestion(question, { dueAt: t, revealedAt: now, actual, right: question.answer === actual });
    this.options.room?.reveal(this.asked.indexOf(question) + 1, actual);

    const said = predictWords();
    const choices = this.offered.get(question) ?? [];
    const number = this.asked.indexOf(question) + 1;
    const who = record ? `${record.title} ${record.pid}` : said.process(question.pid);
    const seen = said.seen(who, `${said.property[question.ask]}${describeAnswer(actual, choices)}`);
    if (question.answer === undefined) this.options.say(this.c.yellow(said.noAnswer(number, seen)));
    else if (question.right) this.options.say(this.c.green(said.right(number, seen)));
    else this.options.say(this.c.red(said.wrong(number, seen, describeAnswer(question.answer, choices))));
  }

  private pauseTimers(): void {
    const now = Date.now();
    for (const each of this.timed) {
      if (each.timer === undefined) continue;
      clearTimeout(each.timer);
      each.timer = undefined;
      each.remainingMs = Math.max(0, each.remainingMs - (now - each.startedAt));
    }
  }

  private resumeTimers(): void {
    for (const each of this.timed) {
      if (each.timer !== undefined) continue;
      each.startedAt = Date.now();
      const dueAt = this.options.observer.now() + each.remainingMs;
      each.timer = setTimeout(() => {
        this.timed = this.timed.filter((other) => other !== each);
        this.reveal(each.question, dueAt); // the moment it was due, even if the timer fired late
      }, each.remainingMs);
    }
  }
}
