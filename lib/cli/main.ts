// The runner's commands: `lesson`, `watch`, `check`, `hint`, `reset`.
import { lessonCommand, LESSON_USAGE } from './lesson.js';
import { installStopSignals } from './stop.js';
import { splitAtCommand, watchCommand } from './watch.js';
import { chooseLanguage, languageFlag, languageFromEnvironment, setLanguage } from '../words/language.js';
import { says } from '../words/cli.js';
import { UserError, failWith } from '../words/user-error.js';

installStopSignals();
const [command, ...rest] = process.argv.slice(2);
try {
  setLanguage(languageFromEnvironment());
  // The language first (--lang, else the locale): every sentence after this one is in it.
  const flag = languageFlag(command === 'watch' ? splitAtCommand(rest).options : rest);
  const language = chooseLanguage(flag);
  if (language === undefined) throw new UserError(says().langChoices(flag ?? ''));
  setLanguage(language);
  if (command === 'lesson') process.exitCode = await lessonCommand(rest);
  // What only some commands need is loaded when asked for: every `npm run lesson` starts faster.
  else if (command === 'watch') process.exitCode = await watchCommand(rest);
  else if (command === 'check' || command === 'hint' || command === 'reset') await (await import('./homework.js')).exerciseCommand(command, rest);
  else throw new UserError(says().noSuchCommand(command ?? '', LESSON_USAGE));
} catch (error) {
  failWith(error);
}
