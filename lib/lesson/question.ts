// Predict, then reveal: a lesson marks the moments where a student should guess what the table
// will show next. The lesson says only WHICH process and WHICH property, and WHEN to look; the
// runner asks, lets the lesson go on, and reads the answer from the real table at that moment.
// The right answer is never written in the lesson: the kernel gives it.
//
// Outside predict mode (`--predict`) a question does nothing at all, so a lesson behaves exactly
// as before: no message, no wait, no checkpoint (step mode's pauses stay the lesson's steps).
import { goAhead, hasRunner, send } from './channel.js';
import { paced } from './pace.js';
import { ENV, type QuestionKind } from './protocol.js';
import { translate } from './translate.js';

export type { QuestionKind } from './protocol.js';

export interface Question {
  /** The pid of the process the question is about. */
  about: number;
  /**
   * What to predict: 'stat' (its STAT letter: R, S, T, Z, or gone), 'parent' (its PPID),
   * 'alive' (alive, zombie or gone) or 'exit' (how it ended, as its parent is told).
   */
  ask: QuestionKind;
  /** The question as the student reads it, e.g. "What will the child's STAT be 1 s from now?" */
  prompt: string;
  /**
   * When the table gives the answer: 'next-step' (when this process reaches its next step, or
   * ends), or `{ afterMs }` after the lesson goes on from the question (paced like `sleep`).
   */
  reveal: 'next-step' | { afterMs: number };
  /** For 'exit': exit codes worth offering besides 0 and 1. */
  codes?: number[];
}

/**
 * In predict mode, the lesson's first process stops here until the student has answered (the
 * event loop keeps running, as at a step-mode checkpoint: freezing the process would change the
 * very states the question is about). Elsewhere it returns at once.
 */
export async function question(q: Question): Promise<void> {
  const asks = process.env[ENV.predict] === '1' && process.env[ENV.role] === undefined && hasRunner();
  if (!asks) return;
  const reveal = q.reveal === 'next-step' ? q.reveal : { afterMs: paced(q.reveal.afterMs) };
  send({
    type: 'question',
    pid: process.pid,
    about: q.about,
    ask: q.ask,
    prompt: translate(q.prompt),
    reveal,
    ...(q.codes ? { codes: q.codes } : {}),
  });
  await goAhead();
}
