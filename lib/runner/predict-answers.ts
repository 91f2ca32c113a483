// The answers of predict mode: which ones are offered for a question, and which one the table
// gives at a moment. Pure functions of the table and the timeline, so the runner, the views and
// the tests all read an answer the same way.
//
// An answer is a short value a person can type: a STAT letter or 'gone'; a pid or 'gone'; 'alive',
// 'zombie' or 'gone'; 'running', 'exit 3' or 'killed by SIGTERM'.
import type { TableRow } from '../observe/observer.js';
import type { ProcessRecord, QuestionRecord, Span } from '../observe/timeline.js';
import { describeExit } from './views/words.js';

export type QuestionKind = QuestionRecord['ask'];

export interface Choice {
  value: string;
  /** What the value means, in a word or two, for the reveal: "zombie", "the runner". */
  meaning: string;
  /** The value with what it means, as a menu shows it: "Z     zombie: dead, not yet collected". */
  label: string;
}

/** [value, meaning, more explanation for the menu]. */
type Described = [string, string, string?];

const STAT_CHOICES: Described[] = [
  ['R', 'running', 'on a CPU, or ready for one'],
  ['S', 'sleeping', 'waiting for something (a timer, input, a child)'],
  ['T', 'stopped', 'frozen by a signal (SIGSTOP)'],
  ['Z', 'zombie', 'dead, its exit status not yet collected'],
  ['gone', 'reaped', 'no longer in the table'],
];

const ALIVE_CHOICES: Described[] = [
  ['alive', 'not dead', 'running, sleeping or stopped'],
  ['zombie', 'dead, not yet collected', 'STAT Z'],
  ['gone', 'dead and reaped', 'no longer in the table'],
];

const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGKILL'];

function labelled(described: Described[]): Choice[] {
  const width = Math.max(...described.map(([value]) => value.length));
  return described.map(([value, meaning, more]) => ({
    value,
    meaning,
    label: `${value.padEnd(width)}  ${meaning}${more ? `: ${more}` : ''}`,
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
  if (kind === 'stat') return labelled(STAT_CHOICES);
  if (kind === 'alive') return labelled(ALIVE_CHOICES);
  if (kind === 'exit') {
    const codes = [...new Set([0, 1, ...(context.codes ?? [])])];
    return labelled([
      ['running', 'not ended', 'running, sleeping or stopped'],
      ...codes.map((code): Described => [`exit ${code}`, `it exited with code ${code}`]),
      ...EXIT_SIGNALS.map((signal): Described => [`killed by ${signal}`, `the signal ended it`]),
    ]);
  }
  // 'parent': the processes in the table now, then the adopters an orphan may get, then nobody.
  const parents: Described[] = [];
  for (const row of context.rows) {
    if (row.gone !== undefined || row.pid === context.about || row.stat.startsWith('Z')) continue;
    parents.push([String(row.pid), row.title]);
  }
  parents.push([String(context.runnerPid), 'the runner', 'procbook, a child subreaper']);
  parents.push(['1', 'init', 'PID 1, the first process of the system']);
  parents.push(['gone', 'no parent', 'it is no longer in the table']);
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

/**
 * The answer the timeline gives at time t. The observer samples the table at the moment of a
 * reveal, so "at t" is what the table showed then, not up to one sample interval earlier.
 */
export function observedAnswer(kind: QuestionKind, record: ProcessRecord | undefined, t: number): string {
  if (!record) return 'unknown';
  const state = stateAt(record, t);
  if (state === undefined) return 'unknown'; // not seen yet at t
  if (kind === 'exit') {
    const exit = record.exit && record.exit.t <= t ? describeExit(record.exit, 'en') : undefined; // a value, not words: the choices are English
    if (exit) return exit;
    return state === 'gone' || state.stat.startsWith('Z') ? 'ended, status unknown' : 'running';
  }
  if (state === 'gone') return 'gone';
  if (kind === 'stat') return state.stat.charAt(0);
  if (kind === 'parent') return String(state.ppid);
  return state.stat.startsWith('Z') ? 'zombie' : 'alive';
}

/** An answer with its meaning, for the reveal line: "Z (zombie)", "4711 (the runner)". */
export function describeAnswer(value: string, choices: readonly Choice[]): string {
  const choice = choices.find((each) => each.value === value);
  // "exit 3" and "killed by SIGTERM" say it all already.
  if (!choice || /^(exit|killed by) /.test(value)) return value;
  return `${value} (${choice.meaning})`;
}

/** "Predictions: 4 of 6 right." and, if some were never revealed, why. */
export function scoreLine(questions: readonly QuestionRecord[]): string {
  const revealed = questions.filter((question) => question.revealedAt !== undefined);
  const right = revealed.filter((question) => question.right).length;
  const unrevealed = questions.length - revealed.length;
  const rest = unrevealed > 0 ? ` (${unrevealed} not revealed: the run was stopped first)` : '';
  return `Predictions: ${right} of ${revealed.length} right.${rest}`;
}
