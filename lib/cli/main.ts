// `npm run lesson [-- <number|slug>] [--step] [--predict] [--slow|--fast|--pace N] [--plain] [--json FILE] [--lang en|zh]`
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { exerciseCommand } from './homework.js';
import { becomeSubreaper } from '../posix/index.js';
import { describeChoices, findLesson, type AvailableLesson } from './catalogue.js';
import { UserError, failWith } from '../words/user-error.js';
import { createAsker } from './ask.js';
import { listenForKeys } from './keys.js';
import { chooseLanguage, languageFlag, languageFromEnvironment, setLanguage } from '../words/language.js';
import { pickFromMenu } from './menu.js';
import { projectRoot } from '../run/paths.js';
import { startLesson } from '../run/engine.js';
import { says } from '../words/cli.js';
import { renderHandout } from '../present/handout/handout.js';
import { checkHandoutPath, writeHandout } from '../present/handout/target.js';
import { composeViews } from '../present/views/compose.js';
import { pageWords } from '../words/page.js';
import { openProjector } from '../present/web/projector.js';
import { createLiveView } from '../present/views/live.js';
import { createPlainView } from '../present/views/plain.js';
import type { View } from '../present/views/types.js';

const USAGE = `usage: npm run lesson [-- <number or name>] [--step] [--predict] [--slow | --fast | --pace N] [--plain] [--json FILE] [--web [--web-port N]] [--record FILE] [--lang en|zh]`;

function parsePace(values: { slow?: boolean; fast?: boolean; pace?: string }): number {
  if (values.pace !== undefined) {
    const pace = Number(values.pace);
    if (!(pace > 0 && pace <= 20)) throw new UserError(says().paceRange(values.pace));
    return pace;
  }
  if (values.slow) return 2;
  if (values.fast) return 0.5;
  return 1;
}

async function lessonCommand(args: string[]): Promise<void> {
  // The language first (--lang, else the locale): every sentence after this one is in it.
  const language = chooseLanguage(languageFlag(args));
  if (language === undefined) throw new UserError(says().langChoices(languageFlag(args) ?? ''));
  setLanguage(language);
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        step: { type: 'boolean' },
        predict: { type: 'boolean' },
        slow: { type: 'boolean' },
        fast: { type: 'boolean' },
        pace: { type: 'string' },
        plain: { type: 'boolean' },
        json: { type: 'string' },
        web: { type: 'boolean' },
        'web-port': { type: 'string' },
        record: { type: 'string' },
        interval: { type: 'string' },
        quiet: { type: 'boolean' },
        lang: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    const option = /'(-[^']*)'/.exec((error as Error).message)?.[1];
    throw new UserError(option ? says().noSuchOption(option, USAGE) : says().optionsDoNotFit(USAGE));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${says().usage(USAGE)}\n${says().lessonsAre(describeChoices())}\n`);
    return;
  }
  const query = positionals[0];
  let lesson: AvailableLesson;
  if (query === undefined) lesson = await pickFromMenu();
  else {
    const found = findLesson(query);
    if (!found) throw new UserError(says().noSuchLesson(query, describeChoices()));
    lesson = found;
  }
  const pace = parsePace(values);
  const intervalMs = values.interval === undefined ? 200 : Number(values.interval);
  if (!(intervalMs >= 10 && intervalMs <= 5000)) throw new UserError(says().intervalRange(values.interval ?? ''));

  const live = !values.plain && !values.quiet && process.stdout.isTTY === true;
  const width = process.stdout.columns || 100;
  // Checked before anything runs: a class should not sit through a lesson whose handout cannot be saved.
  const handoutPath = values.record === undefined ? undefined : checkHandoutPath(values.record);
  const web =
    values.web || values['web-port'] !== undefined
      ? await openProjector({ port: values['web-port'], waitForPage: live, write: (text) => process.stdout.write(text) })
      : undefined;
  const terminalView: View = values.quiet
    ? { update() {}, close() {} }
    : live
      ? createLiveView({ stdout: process.stdout })
      : createPlainView({ write: (text) => process.stdout.write(text), color: process.stdout.isTTY === true, width });
  const view: View = web ? composeViews(terminalView, web) : terminalView;

  // Orphans of the lesson come to us, not to PID 1: we can show who adopted them and reap them.
  becomeSubreaper();

  const run = startLesson({
    lesson,
    file: lesson.compiled,
    pace,
    stepMode: values.step === true,
    intervalMs,
    view,
    pathPrefixes: [`${projectRoot}/dist/`, `${projectRoot}/`],
    color: live,
    graceMs: 1500 * pace,
    // Questions come only after the lesson has started, by when `keys` below is set.
    ...(values.predict ? { ask: createAsker({ keys: () => keys, view: terminalView, fullScreen: live, color: live }) } : {}),
  });
  const keys = listenForKeys({
    onGoAhead: () => run.goAhead(),
    onQuit: () => run.interrupt(),
    keepLinesForAnswers: values.predict === true && values.step !== true,
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => run.interrupt());

  const result = await run.done;
  if (live && !result.interrupted) await keys.nextKey(); // the last picture stays until a key
  keys.stop();
  view.close(result.timeline); // the projector page gets the final picture; its server then shuts
  if (handoutPath) {
    writeHandout(handoutPath, renderHandout({ lesson, timeline: result.timeline, interrupted: result.interrupted }));
    process.stdout.write(`${pageWords().terminal.handoutSaved(handoutPath)}\n`);
  }
  if (values.json) writeFileSync(values.json, JSON.stringify(result.timeline));
  process.exitCode = result.exitStatus;
}

const [command, ...rest] = process.argv.slice(2);
try {
  setLanguage(languageFromEnvironment());
  if (command === 'lesson') await lessonCommand(rest);
  else if (command === 'check' || command === 'hint' || command === 'reset') await exerciseCommand(command, rest);
  else throw new UserError(says().noSuchCommand(command ?? '', USAGE));
} catch (error) {
  failWith(error);
}
