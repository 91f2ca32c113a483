// Shows one run — a lesson, an exercise, or any program — the way a person at a terminal (or a
// pipe, or a projector) sees it: the views, the keys, the projector page, the handout and the
// JSON timeline. `lesson` and `watch` differ only in what they start.
import { createRequire } from 'node:module';
import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;
import { becomeSubreaper } from '../posix/index.js';
import type { RunLabel } from '../observe/state.js';
import { startRun, type LessonSettings, type RunControl, type RunResult, type RunSpec } from '../run/engine.js';
import { projectRoot } from '../run/paths.js';
import { checkOutputPath, writeOutput } from './output-path.js';
import type { View } from '../present/views/types.js';
import { says } from '../words/cli.js';
import { currentLanguage } from '../words/language.js';
import { UserError } from '../words/user-error.js';
import { listenForKeys, type Keys } from './keys.js';
import type { Quiz } from './predict.js';
import { outputClosed, whenStopped } from './stop.js';

/** The options every shown run takes (lesson and watch alike). */
export const SHOW_OPTIONS = {
  slow: { type: 'boolean' },
  fast: { type: 'boolean' },
  pace: { type: 'string' },
  plain: { type: 'boolean' },
  json: { type: 'string' },
  web: { type: 'boolean' },
  'web-port': { type: 'string' },
  'web-host': { type: 'string' },
  record: { type: 'string' },
  interval: { type: 'string' },
  quiet: { type: 'boolean' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface ShowValues {
  slow?: boolean;
  fast?: boolean;
  pace?: string;
  plain?: boolean;
  json?: string;
  web?: boolean;
  'web-port'?: string;
  'web-host'?: string;
  record?: string;
  interval?: string;
  quiet?: boolean;
  step?: boolean;
  predict?: boolean;
}

/** parseArgs, with its errors turned into one true sentence (and a guess at what was meant). */
export function parseOptions<T extends ParseArgsOptionsConfig>(args: string[], options: T, usage: string) {
  try {
    return parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>({ args, allowPositionals: true, strict: true, options });
  } catch (error) {
    throw new UserError(optionMistake(error as NodeJS.ErrnoException, Object.keys(options), usage));
  }
}

/** The one sentence for a mistake parseArgs found. */
export function optionMistake(error: NodeJS.ErrnoException, known: string[], usage: string): string {
  const said = says();
  const option = /'(-[^' ]*)/.exec(error.message)?.[1];
  if (!option) return said.optionsDoNotFit(usage);
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const guess = didYouMean(option.replace(/^-+/, ''), known);
    return said.noSuchOption(option, usage, guess && `--${guess}`);
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(error.message)) return said.optionNeedsNoValue(option);
    if (/ambiguous/.test(error.message)) return said.optionValueLooksLikeOption(option);
    return said.optionNeedsValue(option, usage);
  }
  return said.optionsDoNotFit(usage);
}

/** Words people type for an option that has another name here. */
const MEANT: Record<string, string> = { speed: 'pace', tempo: 'pace', slower: 'slow', faster: 'fast', language: 'lang', port: 'web-port', host: 'web-host', browser: 'web', handout: 'record', steps: 'step', predictions: 'predict' };

/** The closest of `choices` to what was typed, if one is close enough to be what was meant. */
export function didYouMean(typed: string, choices: readonly string[]): string | undefined {
  const alias = MEANT[typed];
  if (alias && choices.includes(alias)) return alias;
  // Loaded only for a mistake: importing it cost every runner's start about 10 ms of CPU (38 ms
  // for `node` importing it, 28 ms without).
  const didYouMeanLibrary = (createRequire(import.meta.url)('didyoumean2') as typeof import('didyoumean2')).default;
  const best = didYouMeanLibrary(typed, [...choices], { threshold: 0.5 });
  return typeof best === 'string' ? best : undefined;
}

export function parsePace(values: ShowValues): number {
  if (values.pace !== undefined) {
    const pace = Number(values.pace);
    if (!(values.pace.trim() !== '' && /^[0-9.]+$/.test(values.pace.trim()) && pace > 0 && pace <= 20)) throw new UserError(says().paceRange(values.pace));
    return pace;
  }
  if (values.slow) return 2;
  if (values.fast) return 0.5;
  return 1;
}

export function parseInterval(values: ShowValues, fallback: number): number {
  if (values.interval === undefined) return fallback;
  const interval = Number(values.interval);
  if (!(/^\d+$/.test(values.interval.trim()) && interval >= 10 && interval <= 5000)) throw new UserError(says().intervalRange(values.interval));
  return interval;
}

export interface ShowRequest {
  values: ShowValues;
  label: RunLabel;
  command: string[];
  /** A lesson or an exercise (speaks the control channel); absent for `watch`. */
  lesson?: Omit<LessonSettings, 'color' | 'language'>;
  graceMs: number;
  intervalMs: number;
  env?: Record<string, string>;
  /** Checked before anything runs: every path the run will write. */
  onStartError?: RunSpec['onStartError'];
}

/** Runs it, shows it, writes what was asked for; resolves with the exit status for the runner. */
export async function show(request: ShowRequest): Promise<RunResult> {
  const { values } = request;
  const live = !values.plain && !values.quiet && process.stdout.isTTY === true;
  const width = process.stdout.columns || 100;
  // Checked before anything runs: a class should not sit through a lesson whose outputs cannot be saved.
  const handoutPath = values.record === undefined ? undefined : checkOutputPath('--record', values.record);
  const jsonPath = values.json === undefined ? undefined : checkOutputPath('--json', values.json);
  const web =
    values.web || values['web-port'] !== undefined || values['web-host'] !== undefined
      ? await (await import('../present/web/projector.js')).openProjector({ port: values['web-port'], host: values['web-host'], waitForPage: live, write: (text) => process.stdout.write(text) })
      : undefined;
  // Orphans of the run come to us, not to PID 1: we can show who adopted them and reap them. A
  // lesson waits for us to be ready (see ENV.gate): then, while Node starts it; any other program before it starts.
  if (!request.lesson) becomeSubreaper();

  // The run starts first, the views load while the program starts (Node takes as long to start
  // it as we take to load them): what happens meanwhile waits for them, nothing is lost.
  let view: View | undefined;
  // While a prediction is asked the view stands still: what happens meanwhile must not give it away.
  let viewHeld = false;
  let quiz: Quiz | undefined;
  let keys: Keys | undefined;
  const early: Array<(quiz: Quiz | undefined) => void> = [];
  const toQuiz = (deliver: (quiz: Quiz | undefined) => void): void => (view ? deliver(quiz) : void early.push(deliver));
  const run: RunControl = startRun(
    {
      command: request.command,
      label: request.label,
      intervalMs: request.intervalMs,
      pathPrefixes: [`${projectRoot}/dist/`, `${projectRoot}/`],
      graceMs: request.graceMs,
      ...(request.env ? { env: request.env } : {}),
      ...(request.lesson ? { lesson: { ...request.lesson, color: live, language: currentLanguage() } } : {}),
      ...(request.onStartError ? { onStartError: request.onStartError } : {}),
      beforeStart: becomeSubreaper,
    },
    {
      onState(state) {
        if (view && !viewHeld) view.update(state);
      },
      onQuestion(message) {
        toQuiz((asking) => void asking?.onQuestion(message));
      },
      onCheckpoint(pid, t) {
        toQuiz((asking) => asking?.onCheckpoint(pid, t));
      },
      onFirstEnd(ended) {
        toQuiz((asking) => asking?.finish(ended));
      },
    },
  );
  // Only the modules this run needs: each one loaded is compiled at every start.
  const terminalView: View = values.quiet
    ? { update() {}, close() {} }
    : live
      ? (await import('../present/views/live.js')).createLiveView({ stdout: process.stdout })
      : (await import('../present/views/plain.js')).createPlainView({ write: (text) => process.stdout.write(text), color: process.stdout.isTTY === true, width });
  if (request.lesson?.predict) {
    const [{ createAsker }, { Quiz: QuizClass }] = await Promise.all([import('./ask.js'), import('./predict.js')]);
    quiz = new QuizClass({
      observer: run.observer,
      lessonPid: run.pid,
      runnerPid: process.pid,
      // Questions come only after the lesson has started, by when `keys` below is set.
      ask: createAsker({ keys: () => keys!, view: terminalView, fullScreen: live, color: live }),
      release: () => run.release(),
      hold(held) {
        viewHeld = held;
        if (!held) view!.update(run.state());
      },
      say: (text) => run.note(text),
      ...(web ? { room: web.room } : {}),
      state: () => run.state(),
      interrupt: () => run.interrupt(),
      color: live,
    });
  }
  keys = listenForKeys({
    onGoAhead: () => run.goAhead(),
    onQuit: () => run.interrupt(),
    keepLinesForAnswers: request.lesson?.predict === true && request.lesson.stepMode !== true,
  });
  whenStopped(() => run.interrupt());
  view = web ? (await import('../present/views/compose.js')).composeViews(terminalView, web) : terminalView;
  view.update(run.state());
  for (const deliver of early.splice(0)) deliver(quiz);

  const result = await run.done;
  if (outputClosed()) {
    // Its reader is gone: the run was ended cleanly; write nothing more (but keep the files asked for).
    keys.stop();
    if (jsonPath) writeOutput('--json', jsonPath, JSON.stringify(result.timeline));
    return { ...result, exitStatus: 0 };
  }
  if (live && !result.interrupted && !result.startError) await keys.nextKey(); // the last picture stays until a key
  keys.stop();
  view.close(result.timeline); // the projector page gets the final picture; its server then shuts
  if (handoutPath) {
    const { renderHandout } = await import('../present/handout/handout.js');
    writeOutput('--record', handoutPath, renderHandout({ lesson: request.label, timeline: result.timeline, interrupted: result.interrupted }));
    process.stdout.write(`${(await import('../words/page.js')).pageWords().terminal.handoutSaved(handoutPath)}\n`);
  }
  if (jsonPath) writeOutput('--json', jsonPath, JSON.stringify(result.timeline));
  return result;
}
