// Which language the runner speaks: English, or Chinese for the students of the course this
// workbook ports (`--lang zh`, or a Chinese locale in LANG).
//
// One setting for the whole runner process: the CLI chooses it once, before anything is drawn,
// and the views, the menu and the runner's sentences read it. It starts as English, so a view
// used on its own (a test, the bench) is English whatever the machine's locale.
//
// The runner passes the language on to the lesson (PROCBOOK_LANG): lesson.ts stays an English
// page, and lib/lesson prints its sentences from the lesson.zh.json beside it.

export type Language = 'en' | 'zh';

export const LANGUAGES: readonly Language[] = ['en', 'zh'];

let current: Language = 'en';

export function currentLanguage(): Language {
  return current;
}

export function setLanguage(language: Language): void {
  current = language;
}

/** `--lang` as a person may write it: "zh", "zh-CN", "zh_TW", "cn", "中文"; "en", "en_US". */
export function parseLanguage(text: string): Language | undefined {
  const value = text.trim().toLowerCase();
  if (/^(zh|cn|chinese|中文)([-_.@].*)?$/.test(value)) return 'zh';
  if (/^(en|english|c|posix)([-_.@].*)?$/.test(value)) return 'en';
  return undefined;
}

/**
 * The language of the locale, as POSIX looks messages up: the first of LC_ALL, LC_MESSAGES and
 * LANG that is set decides (so LC_ALL=C wins over LANG=zh_CN.UTF-8). Chinese when it starts
 * with "zh", English otherwise.
 */
export function languageFromEnvironment(env: NodeJS.ProcessEnv = process.env): Language {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const value = env[name];
    if (value) return /^zh/i.test(value) ? 'zh' : 'en';
  }
  return 'en';
}

/** `--lang` if given (undefined when it is not a language we speak), else the locale. */
export function chooseLanguage(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Language | undefined {
  return flag === undefined ? languageFromEnvironment(env) : parseLanguage(flag);
}

/**
 * The value of `--lang X` or `--lang=X` among command-line arguments, found before the others are
 * parsed, so that even a mistake in them is told in the language asked for.
 */
export function languageFlag(args: readonly string[]): string | undefined {
  let found: string | undefined;
  args.forEach((arg, index) => {
    if (arg === '--') return;
    if (arg === '--lang' && index + 1 < args.length) found = args[index + 1];
    else if (arg.startsWith('--lang=')) found = arg.slice('--lang='.length);
  });
  return found;
}
