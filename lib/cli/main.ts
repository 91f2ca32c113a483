// The runner's commands: `lesson`, `watch`, `check`, `hint`, `reset`.
import { installStopSignals } from './stop.js';
import { chooseLanguage, languageFlag, languageFromEnvironment, setLanguage } from '../words/language.js';
import { says } from '../words/cli.js';
import { UserError, failWith } from '../words/user-error.js';

installStopSignals();
const [command, ...rest] = process.argv.slice(2);
try {
  setLanguage(languageFromEnvironment());
  // The language first (--lang, else the locale): every sentence after this one is in it.
  const watch = command === 'watch' ? await import('./watch.js') : undefined;
  const flag = languageFlag(watch ? watch.splitAtCommand(rest).options : rest);
  const language = chooseLanguage(flag);
  if (language === undefined) throw new UserError(says().langChoices(flag ?? ''));
  setLanguage(language);
  // Each command loads only what it needs (a lesson never loads the exercises' checks): the
  // runner's start is on the way to a lesson's first line.
  if (command === 'lesson') process.exitCode = await (await import('./lesson.js')).lessonCommand(rest);
  else if (watch) process.exitCode = await watch.watchCommand(rest);
  else if (command === 'check' || command === 'hint' || command === 'reset') await (await import('./homework.js')).exerciseCommand(command, rest);
  else throw new UserError(says().noSuchCommand(command ?? '', (await import('./lesson.js')).LESSON_USAGE));
} catch (error) {
  failWith(error);
}
