// Asking a person one of predict mode's questions, and getting their answer.
//
// In a terminal: a menu (enquirer's select) on the normal screen — a full-screen view steps
// aside for it and shows the table as it was when the question came, so the student answers
// from what they saw. From a pipe (a script, a test): the choices are printed, one per line, and
// the next line on stdin is the answer; a line that is not one of them is asked again.
import { matchChoice, type Choice } from '../present/answers.js';
import { predictWords } from '../words/predict.js';
import type { Keys } from './keys.js';
import { renderTable } from '../present/views/table.js';
import type { View, ViewState } from '../present/views/types.js';

export interface AskRequest {
  number: number;
  prompt: string;
  choices: Choice[];
  /** The run as the view last drew it, for the table shown above a terminal prompt. */
  state: ViewState;
  /** Aborted when the run ends while the question is open. */
  signal: AbortSignal;
}

export interface AskResult {
  /** The value chosen; absent if none was given (stdin ended, the run ended meanwhile). */
  answer?: string;
  /** The person asked to stop (Ctrl-C or Esc in the menu, "q" on stdin). */
  quit?: boolean;
}

export type Asker = (request: AskRequest) => Promise<AskResult>;

export interface AskerOptions {
  /** The keys of the run (read lazily: they are set up after the lesson starts). */
  keys: () => Keys;
  view: View;
  /** Whether the view covered the screen: then the prompt shows the table it hid. */
  fullScreen: boolean;
  color: boolean;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

/** The mark of an answered question: neither right nor wrong yet (dim, so enquirer does not colour it green). */
export const SUBMITTED = '\x1b[2m·\x1b[22m';

/** The prompt enquirer gives us as it starts, so an open menu can be cancelled. */
interface Cancellable {
  cancel(): unknown;
}
function isCancellable(value: unknown): value is Cancellable {
  return typeof value === 'object' && value !== null && typeof (value as { cancel?: unknown }).cancel === 'function';
}

export function createAsker(options: AskerOptions): Asker {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const inTerminal = stdin.isTTY === true && stdout.isTTY === true;
  return async (request) => {
    const keys = options.keys();
    options.view.suspend?.();
    try {
      return inTerminal ? await askWithMenu(request, keys, options, stdout) : await askOnLines(request, keys, stdout);
    } finally {
      options.view.resume?.();
    }
  };
}

async function askWithMenu(request: AskRequest, keys: Keys, options: AskerOptions, stdout: NodeJS.WriteStream): Promise<AskResult> {
  if (options.fullScreen) {
    const { state } = request;
    const table = renderTable(state.rows, {
      width: stdout.columns || 100,
      color: options.color,
      now: state.now,
      lessonPid: state.lessonPid,
      runnerPid: state.runnerPid,
    });
    stdout.write(`\n${table.join('\n')}\n\n`);
  }
  const { default: Enquirer } = await import('enquirer');
  const enquirer = new Enquirer<{ answer: string }>();
  let open: Cancellable | undefined;
  enquirer.on('prompt', (prompt: unknown) => {
    if (isCancellable(prompt)) open = prompt;
  });
  const cancel = (): void => void open?.cancel();
  request.signal.addEventListener('abort', cancel);
  keys.pause();
  try {
    const { answer } = await enquirer.prompt({
      type: 'select',
      name: 'answer',
      // enquirer marks a submitted answer with a green ✔, as if it were right: only the reveal,
      // from the real table, says right or wrong. Submitted, the line gets a plain dim mark.
      // (enquirer takes a prefix per state; its typings list only a string.)
      prefix: { pending: '?', submitted: SUBMITTED, cancelled: '✖' } as unknown as string,
      message: `${request.number}. ${request.prompt}`,
      choices: request.choices.map((choice) => ({ name: choice.value, message: choice.label })),
    });
    return { answer };
  } catch {
    return request.signal.aborted ? {} : { quit: true };
  } finally {
    request.signal.removeEventListener('abort', cancel);
    keys.resume();
  }
}

async function askOnLines(request: AskRequest, keys: Keys, stdout: NodeJS.WriteStream): Promise<AskResult> {
  const said = predictWords();
  // The values, not the labels: a person types the value (English in every language), as matchChoice expects.
  const listed = said.oneOf(request.choices.map((choice) => choice.value));
  stdout.write(`${request.choices.map((choice) => `      ${choice.label}\n`).join('')}      ${said.answerWith(listed)}\n`);
  const ended = new Promise<undefined>((resolve) => request.signal.addEventListener('abort', () => resolve(undefined)));
  for (;;) {
    const line = await Promise.race([keys.nextLine(), ended]);
    if (line === undefined) return {};
    const answer = matchChoice(line, request.choices);
    if (answer !== undefined) return { answer };
    if (line.trim() === 'q') return { quit: true };
    stdout.write(`      ${said.notOneOfThem(line.trim(), listed)}\n`);
  }
}
