// What the runner says to a person outside the views: the menu, and one sentence for each mistake
// a user can make (exit status 2, never a stack trace), in each language the runner speaks.
import { currentLanguage, type Language } from './language.js';

export interface RunnerSentences {
  /** The menu's question. */
  whichLesson: string;
  /** Under the menu: how to choose and how to leave. */
  menuKeys: string;
  /** Before a lesson's summary in the menu. */
  hintDash: string;
  noLessonChosen: string;
  noTerminalForMenu(choices: string): string;
  /** The usage line: its options are code and stay as they are; only the word "usage" changes. */
  usage(usage: string): string;
  lessonsAre(choices: string): string;
  noSuchOption(option: string, usage: string, guess?: string): string;
  optionsDoNotFit(usage: string): string;
  noSuchLesson(query: string, choices: string, guess?: string): string;
  noSuchCommand(command: string, usage: string): string;
  paceRange(given: string): string;
  intervalRange(given: string): string;
  langChoices(given: string): string;
  oneLessonOnly(given: string): string;
  noPythonVersion(number: number, title: string): string;
  watchWhat(usage: string): string;
  programNotFound(name: string): string;
  programNotExecutable(name: string): string;
  noPython: string;
  noExercise(number: number, title: string): string;
  outputNeedsName(option: string): string;
  outputIsFolder(option: string, path: string): string;
  outputFileNotWritable(option: string, path: string): string;
  outputNoFolder(option: string, path: string, folder: string): string;
  outputNotAFolder(option: string, path: string, folder: string): string;
  outputFolderNotWritable(option: string, path: string, folder: string): string;
  outputCouldNotWrite(option: string, path: string, why: string): string;
  optionNeedsNoValue(option: string): string;
  optionNeedsValue(option: string, usage: string): string;
  optionValueLooksLikeOption(option: string): string;
}

const en: RunnerSentences = {
  whichLesson: 'Which lesson?',
  menuKeys: '↑/↓ or type its number, then Enter to start it · Esc or q to leave',
  hintDash: '— ',
  noLessonChosen: 'no lesson was chosen.',
  noTerminalForMenu: (choices) => `name a lesson to run (no terminal for the menu): npm run lesson -- <number>. The lessons are: ${choices}.`,
  usage: (usage) => usage,
  lessonsAre: (choices) => `The lessons are: ${choices}.`,
  noSuchOption: (option, usage, guess) => `there is no option ${option}${guess ? ` (did you mean ${guess}?)` : ''} (${usage}).`,
  optionsDoNotFit: (usage) => `those options do not fit together (${usage}).`,
  noSuchLesson: (query, choices, guess) => `there is no lesson "${query}"${guess ? ` (did you mean ${guess}?)` : ''}. The lessons are: ${choices}.`,
  noSuchCommand: (command, usage) => `there is no command "${command}" (${usage}).`,
  paceRange: (given) => `--pace takes a number between 0 and 20 (1 is normal), not "${given}".`,
  intervalRange: (given) => `--interval takes milliseconds between 10 and 5000, not "${given}".`,
  langChoices: (given) => `--lang takes en or zh, not "${given}".`,
  oneLessonOnly: (given) => `name one lesson at a time, not "${given}".`,
  noPythonVersion: (number, title) => `lesson ${number} (${title}) has no Python version: --python runs the course's Python where Node differs (lessons 1 and 3 to 8).`,
  watchWhat: (usage) => `name the program to watch, e.g. npm run watch -- python3 fork.py (${usage}).`,
  programNotFound: (name) => `there is no program "${name}" (not in this folder, nor on the PATH).`,
  programNotExecutable: (name) => `"${name}" is not executable: run it through its interpreter (python3 ${name}, node ${name}) or chmod +x it.`,
  noExercise: (number, title) => `lesson ${number} (${title}) has no exercise yet.`,
  outputNeedsName: (option) => `${option} needs a file name.`,
  outputIsFolder: (option, path) => `${option} needs a file name, and ${path} is a folder.`,
  outputFileNotWritable: (option, path) => `${option} cannot write ${path}: the file is not writable.`,
  outputNoFolder: (option, path, folder) => `${option} cannot write ${path}: the folder ${folder} does not exist.`,
  outputNotAFolder: (option, path, folder) => `${option} cannot write ${path}: ${folder} is not a folder.`,
  outputFolderNotWritable: (option, path, folder) => `${option} cannot write ${path}: the folder ${folder} is not writable.`,
  outputCouldNotWrite: (option, path, why) => `${option} could not write ${path}: ${why}.`,
  optionNeedsNoValue: (option) => `${option} is a switch and takes no value: write ${option} alone.`,
  optionNeedsValue: (option, usage) => `${option} needs a value after it (${usage}).`,
  optionValueLooksLikeOption: (option) => `${option} needs a value, and what follows it starts with a dash: write ${option}=VALUE if you mean it.`,
  noPython: 'this needs python3, and there is none on the PATH: install Python 3 (apt-get install python3, or python.org), or run the Node lesson without --python.',
};

const zh: RunnerSentences = {
  whichLesson: '选哪一课？',
  menuKeys: '用 ↑/↓ 或输入课号选择，回车开始 · Esc 或 q 离开',
  hintDash: '— ',
  noLessonChosen: '没有选择任何一课。',
  noTerminalForMenu: (choices) => `请指定要运行的课（没有终端，无法显示菜单）：npm run lesson -- <编号>。可选的课有：${choices}。`,
  usage: (usage) => usage.replace(/^usage: /, '用法：'),
  lessonsAre: (choices) => `可选的课有：${choices}。`,
  noSuchOption: (option, usage, guess) => `没有 ${option} 这个选项${guess ? `（你是想输入 ${guess} 吗？）` : ''}（${zh.usage(usage)}）。`,
  optionsDoNotFit: (usage) => `这些选项不能一起使用（${zh.usage(usage)}）。`,
  noSuchLesson: (query, choices, guess) => `没有“${query}”这一课${guess ? `（你是想输入 ${guess} 吗？）` : ''}。可选的课有：${choices}。`,
  noSuchCommand: (command, usage) => `没有“${command}”这个命令（${zh.usage(usage)}）。`,
  paceRange: (given) => `--pace 需要 0 到 20 之间的数字（1 为正常速度），而不是“${given}”。`,
  intervalRange: (given) => `--interval 需要 10 到 5000 之间的毫秒数，而不是“${given}”。`,
  langChoices: (given) => `--lang 只能是 en 或 zh，而不是“${given}”。`,
  oneLessonOnly: (given) => `一次只能运行一课，而不是“${given}”。`,
  noPythonVersion: (number, title) => `第 ${number} 课（${title}）没有 Python 版本：--python 只在 Node 与课程不同的地方运行课程的 Python（第 1 课和第 3 到 8 课）。`,
  watchWhat: (usage) => `请给出要观察的程序，例如 npm run watch -- python3 fork.py（${zh.usage(usage)}）。`,
  programNotFound: (name) => `找不到程序“${name}”（当前文件夹和 PATH 里都没有）。`,
  programNotExecutable: (name) => `“${name}”不可执行：请用解释器运行它（python3 ${name}、node ${name}），或者 chmod +x。`,
  noExercise: (number, title) => `第 ${number} 课（${title}）还没有练习。`,
  outputNeedsName: (option) => `${option} 需要一个文件名。`,
  outputIsFolder: (option, path) => `${option} 需要一个文件名，而 ${path} 是一个文件夹。`,
  outputFileNotWritable: (option, path) => `${option} 无法写入 ${path}：这个文件不可写。`,
  outputNoFolder: (option, path, folder) => `${option} 无法写入 ${path}：文件夹 ${folder} 不存在。`,
  outputNotAFolder: (option, path, folder) => `${option} 无法写入 ${path}：${folder} 不是文件夹。`,
  outputFolderNotWritable: (option, path, folder) => `${option} 无法写入 ${path}：文件夹 ${folder} 不可写。`,
  outputCouldNotWrite: (option, path, why) => `${option} 没能写入 ${path}：${why}。`,
  optionNeedsNoValue: (option) => `${option} 是开关，不带值：单独写 ${option} 即可。`,
  optionNeedsValue: (option, usage) => `${option} 后面需要一个值（${zh.usage(usage)}）。`,
  optionValueLooksLikeOption: (option) => `${option} 需要一个值，而它后面的内容以减号开头：如果确实如此，请写成 ${option}=值。`,
  noPython: '这需要 python3，但 PATH 里没有：请安装 Python 3（apt-get install python3，或 python.org），或者不加 --python 运行 Node 版本。',
};

export const SENTENCES: Record<Language, RunnerSentences> = { en, zh };

/** The sentences in the language the runner speaks now. */
export function says(language: Language = currentLanguage()): RunnerSentences {
  return SENTENCES[language];
}
