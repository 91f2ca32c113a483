// What the homework commands say (`npm run check`, `hint`, `reset`), in English and Chinese.
// The checks' own failure sentences are translated separately (check-sentences.ts).
import type { Language } from './language.js';

export interface HomeworkWords {
  usage: { check: string; hint: string; reset: string };
  exercisesAre(list: string): string;
  noSuchExercise(query: string, list: string, guess?: string): string;
  nameOneExercise(none: boolean, usage: string, list: string): string;
  showSolutionTakesOne: string;
  noFolder(option: string, folder: string): string;
  folderIsFile(option: string, folder: string, example: string): string;
  submissionEmpty(folder: string, example: string): string;
  classEmpty(folder: string, example: string): string;
  missingInSubmission(id: string): string;
  seedRange(given: string): string;
  gradingNeedsSandbox(why: string): string;
  ownWithoutSandbox(why: string): string;
  watchTakesOne: string;
  optionsDoNotFit(option: string, other: string): string;
  checking(count: number, number?: number): string;
  interrupted: string;
  compareSolution(example: number): string;
  stuck: string;
  solutionHeader(path: string): string;
  solutionAfterPass(number: number): string;
  // the table
  pass: string;
  fail: string;
  passedOf(passed: number, total: number): string;
  seed(seed: number): string;
  // --verbose
  lastRun(number: number, slug: string): string;
  earlierLines(count: number): string;
  kernelShowed: string;
  killedBy(signal: string): string;
  exitCode(code: number | null): string;
  stillRunning: string;
  collectedBy(who: string): string;
  theCheck: string;
  processLine(pid: string, parent: string, title: string, states: string, ended: string, collected: string): string;
  // --class
  student: string;
  classSummary(students: number, exercises: number, passed: number, total: number, seconds: string): string;
  grading(students: number, exercises: number): string;
  // --watch
  watching(file: string): string;
  howToLeave: string;
  recheck(file: string): string;
  allPass(number: number): string;
  // hint
  hintTitle(number: number, slug: string, title: string): string;
  // reset
  alreadyStarter(file: string): string;
  confirmInTerminal(file: string): string;
  replaceQuestion(file: string): string;
  nothingChanged: string;
  savedAs(path: string): string;
  starterAgain(file: string): string;
  starterMissing(file: string): string;
}

const en: HomeworkWords = {
  usage: {
    check:
      'usage: npm run check [-- <number or name> …] [--watch] [--seed N] [--dir FOLDER | --class FOLDER] [--json] [--junit FILE] [--csv FILE] [--gradescope FILE] [--show-solution] [--verbose] [--lang en|zh]',
    hint: 'usage: npm run hint -- <number or name> [--lang en|zh]',
    reset: 'usage: npm run reset -- <number or name> [--yes] [--lang en|zh]',
  },
  exercisesAre: (list) => `The exercises are: ${list}.`,
  noSuchExercise: (query, list, guess) => `there is no exercise "${query}"${guess ? ` (did you mean ${guess}?)` : ''}. The exercises are: ${list}.`,
  nameOneExercise: (none, usage, list) => `name ${none ? 'an' : 'one'} exercise (${usage}). The exercises are: ${list}.`,
  showSolutionTakesOne: '--show-solution takes one exercise of your own, e.g. npm run check -- 1 --show-solution.',
  noFolder: (option, folder) => `${option}: there is no folder ${folder}.`,
  folderIsFile: (option, folder, example) => `${option}: ${folder} is a file, and it takes a folder laid out like lessons/ (e.g. ${example}).`,
  submissionEmpty: (folder, example) => `${folder} holds no exercise file to check: a submission is laid out like lessons/, e.g. ${example}.`,
  classEmpty: (folder, example) => `${folder} holds no student folder: --class takes a folder with one folder per student, each laid out like lessons/ (e.g. ${example}).`,
  missingInSubmission: (id) => `There is no ${id}/exercise.ts in the submission.`,
  seedRange: (given) => `--seed takes a whole number between 0 and 4294967295, not "${given}".`,
  gradingNeedsSandbox: (why) => `grading needs bubblewrap (apt-get install bubblewrap) to run each submission in a sandbox, and ${why}.`,
  ownWithoutSandbox: (why) => `bubblewrap cannot be used here (${why}), so your own exercises run without a sandbox.`,
  watchTakesOne: '--watch checks one exercise of your own as you save it, e.g. npm run check -- 6 --watch.',
  optionsDoNotFit: (option, other) => `${option} and ${other} do not go together.`,
  checking: (count, number) => (count === 1 ? `Checking exercise ${number}…` : `Checking ${count} exercises…`),
  interrupted: 'the check was interrupted; every exercise it had started was stopped.',
  compareSolution: (example) => `Compare with the reference solution once you pass: npm run check -- ${example} --show-solution`,
  stuck: 'Stuck? npm run hint -- <number>. More detail on a failure: npm run check -- <number> --verbose',
  solutionHeader: (path) => `The reference solution (${path}):`,
  solutionAfterPass: (number) => `The solution is shown once your exercise passes. Hint: npm run hint -- ${number}`,
  pass: 'pass',
  fail: 'FAIL',
  passedOf: (passed, total) => `${passed} of ${total} passed.`,
  seed: (seed) => `(seed ${seed})`,
  lastRun: (number, slug) => `── ${number} ${slug}: the last run of the exercise`,
  earlierLines: (count) => `… (${count} earlier lines)`,
  kernelShowed: 'what the kernel showed:',
  killedBy: (signal) => `killed by ${signal}`,
  exitCode: (code) => `exit ${code}`,
  stillRunning: 'still running at the end',
  collectedBy: (who) => `, collected by ${who}`,
  theCheck: 'the check',
  processLine: (pid, parent, title, states, ended, collected) => `pid ${pid} parent ${parent} ${title} ${states}; ${ended}${collected}`,
  student: 'student',
  classSummary: (students, exercises, passed, total, seconds) => `${students} students × ${exercises} exercises: ${passed} of ${total} checks passed (${seconds}).`,
  grading: (students, exercises) => `Grading ${students} students × ${exercises} exercises`,
  watching: (file) => `Watching ${file}: every time you save it, it is checked again.`,
  howToLeave: 'Press q or Ctrl-C to stop watching.',
  recheck: (file) => `${file} changed: checking again…`,
  allPass: (number) => `Exercise ${number} passes. Keep editing to try something else, or press q to stop.`,
  hintTitle: (number, slug, title) => `Exercise ${number} (${slug}): ${title}`,
  alreadyStarter: (file) => `${file} is already the starter, as shipped: nothing to do.`,
  confirmInTerminal: (file) => `reset replaces your ${file} with the starter: confirm in a terminal, or add --yes (your version is saved in .procbook/backups/ either way).`,
  replaceQuestion: (file) => `Replace your ${file} with the starter? (your version is saved first)`,
  nothingChanged: 'nothing was changed.',
  savedAs: (path) => `Your version is saved as ${path}.`,
  starterAgain: (file) => `${file} is the starter again.`,
  starterMissing: (file) => `the shipped ${file} cannot be found (this is not a git checkout and dist/starters/ has no copy): download the project again to get it.`,
};

const zh: HomeworkWords = {
  usage: {
    check:
      '用法：npm run check [-- <编号或名字> …] [--watch] [--seed N] [--dir 文件夹 | --class 文件夹] [--json] [--junit 文件] [--csv 文件] [--gradescope 文件] [--show-solution] [--verbose] [--lang en|zh]',
    hint: '用法：npm run hint -- <编号或名字> [--lang en|zh]',
    reset: '用法：npm run reset -- <编号或名字> [--yes] [--lang en|zh]',
  },
  exercisesAre: (list) => `可选的练习有：${list}。`,
  noSuchExercise: (query, list, guess) => `没有“${query}”这个练习${guess ? `（你是想输入 ${guess} 吗？）` : ''}。可选的练习有：${list}。`,
  nameOneExercise: (none, usage, list) => `请${none ? '指定' : '只指定'}一个练习（${usage}）。可选的练习有：${list}。`,
  showSolutionTakesOne: '--show-solution 只能用于你自己的一个练习，例如 npm run check -- 1 --show-solution。',
  noFolder: (option, folder) => `${option}：没有文件夹 ${folder}。`,
  folderIsFile: (option, folder, example) => `${option}：${folder} 是一个文件，而这里需要一个和 lessons/ 结构相同的文件夹（例如 ${example}）。`,
  submissionEmpty: (folder, example) => `${folder} 里没有可检查的练习文件：提交的作业应当和 lessons/ 结构相同，例如 ${example}。`,
  classEmpty: (folder, example) => `${folder} 里没有学生文件夹：--class 需要每个学生一个文件夹，每个都和 lessons/ 结构相同（例如 ${example}）。`,
  missingInSubmission: (id) => `提交的作业里没有 ${id}/exercise.ts。`,
  seedRange: (given) => `--seed 需要 0 到 4294967295 之间的整数，而不是“${given}”。`,
  gradingNeedsSandbox: (why) => `评分需要 bubblewrap（apt-get install bubblewrap），把每份作业放进沙箱里运行，而这里不行（${why}）。`,
  ownWithoutSandbox: (why) => `这里用不了 bubblewrap（${why}），所以你自己的练习不在沙箱里运行。`,
  watchTakesOne: '--watch 在你每次保存时检查你自己的一个练习，例如 npm run check -- 6 --watch。',
  optionsDoNotFit: (option, other) => `${option} 和 ${other} 不能一起使用。`,
  checking: (count, number) => (count === 1 ? `正在检查练习 ${number}…` : `正在检查 ${count} 个练习…`),
  interrupted: '检查被中断了；它启动的每个练习都已停止。',
  compareSolution: (example) => `通过之后可以和参考答案对照：npm run check -- ${example} --show-solution`,
  stuck: '卡住了？npm run hint -- <编号>。想看失败的详细情况：npm run check -- <编号> --verbose',
  solutionHeader: (path) => `参考答案（${path}）：`,
  solutionAfterPass: (number) => `你的练习通过之后才会显示参考答案。提示：npm run hint -- ${number}`,
  pass: '通过',
  fail: '未通过',
  passedOf: (passed, total) => `${total} 个中通过 ${passed} 个。`,
  seed: (seed) => `（随机种子 ${seed}）`,
  lastRun: (number, slug) => `── ${number} ${slug}：练习最后一次运行的情况`,
  earlierLines: (count) => `…（前面还有 ${count} 行）`,
  kernelShowed: '内核看到的：',
  killedBy: (signal) => `被 ${signal} 杀死`,
  exitCode: (code) => `退出码 ${code}`,
  stillRunning: '到最后还在运行',
  collectedBy: (who) => `，由 ${who} 回收`,
  theCheck: '检查程序',
  processLine: (pid, parent, title, states, ended, collected) => `PID ${pid} 父进程 ${parent} ${title} ${states}；${ended}${collected}`,
  student: '学生',
  classSummary: (students, exercises, passed, total, seconds) => `${students} 名学生 × ${exercises} 个练习：${total} 项检查中通过 ${passed} 项（${seconds}）。`,
  grading: (students, exercises) => `正在批改 ${students} 名学生 × ${exercises} 个练习`,
  watching: (file) => `正在监视 ${file}：每次保存都会重新检查。`,
  howToLeave: '按 q 或 Ctrl-C 停止监视。',
  recheck: (file) => `${file} 改动了：重新检查…`,
  allPass: (number) => `练习 ${number} 通过了。可以继续修改试试别的写法，或者按 q 停止。`,
  hintTitle: (number, slug, title) => `练习 ${number}（${slug}）：${title}`,
  alreadyStarter: (file) => `${file} 已经是原始的初始代码了，不需要重置。`,
  confirmInTerminal: (file) => `reset 会用初始代码替换你的 ${file}：请在终端里确认，或者加上 --yes（无论哪种，你的版本都会先保存到 .procbook/backups/）。`,
  replaceQuestion: (file) => `用初始代码替换你的 ${file} 吗？（会先保存你的版本）`,
  nothingChanged: '什么都没有改。',
  savedAs: (path) => `你的版本已保存为 ${path}。`,
  starterAgain: (file) => `${file} 已恢复为初始代码。`,
  starterMissing: (file) => `找不到原始的 ${file}（这不是 git 仓库，dist/starters/ 里也没有副本）：请重新下载本项目。`,
};

export const HOMEWORK_WORDS: Record<Language, HomeworkWords> = { en, zh };

export function homeworkWords(language: Language): HomeworkWords {
  return HOMEWORK_WORDS[language];
}
