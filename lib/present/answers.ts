// The answers of predict mode: which ones are offered for a question, and which one the table
// gives at a moment. Pure functions of the table and the timeline, so the runner, the views and
// the tests all read an answer the same way.
//
// An answer is a short value a person can type: a STAT letter or 'gone'; a pid or 'gone'; 'alive',
// 'zombie' or 'gone'; 'running', 'exit 3' or 'killed by SIGTERM'. The values are English in every
// language (they are compared and stored); what they mean is said in the runner's language.
import type { TableRow } from '../observe/observer.js';
import type { ProcessRecord, QuestionRecord, Span } from '../observe/timeline.js';
import { predictWords, type Meaning } from '../words/predict.js';
import { describeExit } from '../words/views.js';

export type QuestionKind = QuestionRecord['ask'];

export interface Choice {
  value: string;
  /** What the value means, in a word or two, for the reveal: "zombie", "the runner". */
  meaning: string;
  /** The value with what it means, as a menu shows it: "Z     zombie: dead, not yet collected". */
  label: string;
}

/** A value with what it means. */
type Described = [string, Meaning];

const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGKILL'];

/** The values are ASCII, so padding them by characters lines the meanings up in any language. */
function labelled(described: Described[]): Choice[] {
  const width = Math.max(...described.map(([value]) => value.length));
  return described.map(([value, { meaning, more }]) => ({
    value,
    meaning,
    label: `${value.padEnd(width)}  ${more ? predictWords().meaningAndMore(meaning, more) : meaning}`,
  }));
}

export interface ChoiceContext {
  /** The process asked about. */
  about: number;
  /** The live table when the question is asked: the candidate parents come from it. */
  rows: readonly TableRow[];
  runnerPid: number;
  /** For 'exit': exit codes the lesson offers besides 0 and 1. */
  codes?: readonly number[];
}

/** The plausible answers to offer: every one a person might expect, not only the right one. */
export function choicesFor(kind: QuestionKind, context: ChoiceContext): Choice[] {
  const said = predictWords();
  if (kind === 'stat') return labelled(Object.entries(said.stat));
  if (kind === 'alive') return labelled(Object.entries(said.alive));
  if (kind === 'exit') {
    const codes = [...new Set([0, 1, ...(context.codes ?? [])])];
    return labelled([
      ['running', said.notEnded],
      ...codes.map((code): Described => [`exit ${code}`, { meaning: said.exitedWith(code) }]),
      ...EXIT_SIGNALS.map((signal): Described => [`killed by ${signal}`, { meaning: said.killedBySignal(signal) }]),
    ]);
  }
  // 'parent': the processes in the table now, then the adopters an orphan may get, then nobody.
  const parents: Described[] = [];
  for (const row of context.rows) {
    if (row.gone !== undefined || row.pid === context.about || row.stat.startsWith('Z')) continue;
    parents.push([String(row.pid), { meaning: row.title }]);
  }
  parents.push([String(context.runnerPid), said.parent.runner]);
  parents.push(['1', said.parent.init]);
  parents.push(['gone', said.parent.gone]);
  const seen = new Set<string>();
  return labelled(parents.filter(([value]) => !seen.has(value) && seen.add(value)));
}

/** The offered answer this typed line means (case and spaces aside), if any. */
export function matchChoice(line: string, choices: readonly Choice[]): string | undefined {
  const typed = line.trim().replace(/\s+/g, ' ').toLowerCase();
  return choices.find((choice) => choice.value.toLowerCase() === typed)?.value;
}

/** The span the process was in at time t, or 'gone' if it had vanished by then. */
function stateAt(record: ProcessRecord, t: number): Span | 'gone' | undefined {
  if (record.gone !== undefined && record.gone <= t) return 'gone';
  return record.spans.filter((span) => span.from <= t).at(-1);
}

/** When its parent (or the runner) was handed its exit status by waitpid(): from then on it is gone. */
function reapedAt(record: ProcessRecord): number | undefined {
  return record.exit && record.exit.source !== 'kernel' ? record.exit.t : undefined;
}

/**
 * The answer the timeline gives for moment `t` (when the lesson reached its step, or a delay was
 * due), read at `lookedAt` (the reveal's own sample: a busy runner may get to it a little later).
 * What the table shows at `lookedAt` is the answer, with the one correction the lesson's own
 * reports allow: a process reaped by `t` is gone, and one reaped only after `t` was still there.
 */
export function observedAnswer(kind: QuestionKind, record: ProcessRecord | undefined, t: number, lookedAt = t): string {
  if (!record) return 'unknown';
  const reaped = reapedAt(record);
  let state: Span | 'gone' | undefined = reaped !== undefined && reaped <= t ? 'gone' : stateAt(record, lookedAt);
  if (state === 'gone' && reaped !== undefined && reaped > t) state = stateAt(record, t);
  if (state === undefined) return 'unknown'; // not seen yet at t
  if (kind === 'exit') {
    const exit = record.exit && record.exit.t <= lookedAt ? describeExit(record.exit, 'en') : undefined; // a value, not words: the choices are English
    if (exit) return exit;
    return state === 'gone' || state.stat.startsWith('Z') ? 'ended, status unknown' : 'running';
  }
  if (state === 'gone') return 'gone';
  if (kind === 'stat') return state.stat.charAt(0);
  if (kind === 'parent') return String(state.ppid);
  return state.stat.startsWith('Z') ? 'zombie' : 'alive';
}

/**
 * An answer with its meaning, for the reveal line: "Z (zombie)", "4711 (the runner)"; in Chinese
 * "Z（僵尸进程）", "4711（运行器）". How a process ended is said in the views' words: "exit 3",
 * "退出码 3".
 */
export function describeAnswer(value: string, choices: readonly Choice[]): string {
  const said = predictWords();
  const exited = /^exit (\d+)$/.exec(value);
  if (exited) return said.exitCode(Number(exited[1]));
  const killed = /^killed by (\S+)$/.exec(value);
  if (killed) return said.killedBy(killed[1]!);
  const choice = choices.find((each) => each.value === value);
  if (choice) return said.withMeaning(value, choice.meaning);
  return Object.hasOwn(said.notOffered, value) ? said.notOffered[value as keyof typeof said.notOffered] : value;
}

/** "Predictions: 4 of 6 right." and, if some were never revealed, why. */
export function scoreLine(questions: readonly QuestionRecord[]): string {
  const said = predictWords();
  const revealed = questions.filter((question) => question.revealedAt !== undefined);
  const right = revealed.filter((question) => question.right).length;
  const unrevealed = questions.length - revealed.length;
  return said.score(right, revealed.length) + (unrevealed > 0 ? said.notRevealed(unrevealed) : '');
}
