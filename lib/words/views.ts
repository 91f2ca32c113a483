// The words the views use, in each language the runner speaks: how a process ended, who a parent
// is, the table's marks, the legend, the live header, the plain log and the summary chart. The
// live table, the plain log and the summary chart say the same thing the same way because they
// all take their words from here.
//
// Chinese uses the course's own terms (父进程, 僵尸进程, 收养, 回收 …) and full-width punctuation;
// the views measure text in terminal cells, so the columns stay aligned.
import { STAT_MEANINGS, STAT_MEANINGS_ZH } from './stat-meanings.js';
import type { ExitInfo } from '../observe/timeline.js';
import { currentLanguage, type Language } from './language.js';

export interface ViewWords {
  // How a process ended, and who a pid is.
  exitCode(code: number): string;
  killedBy(signal: string): string;
  /** When nobody learnt how it ended. */
  ended: string;
  who: { runner: string; init: string; parent: string; subreaper: string };
  /** "adopted by 4711 (runner)". */
  adoptedBy(pid: number, who: string): string;

  // The table.
  /** Column headings (PID, PPID and STAT are what `ps` prints, in every language). */
  columns: { pid: string; ppid: string; stat: string; age: string; title: string };
  /** ", born to 7545", after "adopted by …". */
  bornTo(pid: number): string;
  /** "adopted by runner": the pid is in the PPID column already. */
  adoptedByWho(who: string): string;
  /** The shortest adoption mark; also the legend's key for it. */
  adopted: string;
  /** The mark of a reaped row; also the legend's key for it. */
  exited: string;
  /** "exited · exit 3". */
  exitedHow(how: string): string;
  /** Between two marks. */
  markSeparator: string;

  // The legend.
  statMeanings: Record<string, string>;
  /** Before the meaning of a modifier (s, l, +), which only means something after a state letter. */
  afterTheLetter: string;
  /** Cuts a meaning to its first words for the compact legend. */
  shortMeaningEnd: RegExp;
  markMeanings: { adopted: string; exited: string };
  markShort: { adopted: string; exited: string };
  /** "(its parent died first)" in the compact legend. */
  inBrackets(text: string): string;

  // The live view's header and panes.
  finished(how: string): string;
  pausedAt(name: string): string;
  stepMode: string;
  quitKey: string;
  pace(pace: number): string;
  andMore(count: number): string;
  /** The stacked layout's divider: "── processes ───…". */
  processesDivider: string;

  // The plain log.
  plainPausedAt(name: string): string;
  lessonFinished(how: string): string;

  // The summary chart.
  noProcess: string;
  kernelShowed(processes: number, total: string): string;
  oneColumn(cell: string): string;
  checkpointsLabel: string;
  checkpointsList(list: string): string;
  /** Short names of the states, for the key under the chart (in the order of STAT_MEANINGS). */
  stateNames: Record<string, string>;
  statesKey(key: string): string;
  adoptedAndReapedBy(pid: number, who: string): string;
  reapedBy(pid: number, who: string): string;
  gone: string;
  stillAZombie: string;
  stillThere: string;
  /** Between the parts of an ending: "exit 0, reaped by …". */
  partSeparator: string;
}

const en: ViewWords = {
  exitCode: (code) => `exit ${code}`,
  killedBy: (signal) => `killed by ${signal}`,
  ended: 'ended',
  who: { runner: 'runner', init: 'init', parent: 'parent', subreaper: 'subreaper' },
  adoptedBy: (pid, who) => `adopted by ${pid} (${who})`,

  columns: { pid: 'PID', ppid: 'PPID', stat: 'STAT', age: 'AGE', title: 'TITLE' },
  bornTo: (pid) => `, born to ${pid}`,
  adoptedByWho: (who) => `adopted by ${who}`,
  adopted: 'adopted',
  exited: 'exited',
  exitedHow: (how) => `exited · ${how}`,
  markSeparator: '; ',

  statMeanings: STAT_MEANINGS,
  afterTheLetter: '(after the letter) ',
  shortMeaningEnd: /:| \(/,
  markMeanings: {
    adopted: 'its parent died first; the kernel gave it to another process (init or a subreaper)',
    exited: 'it has ended and its exit status was collected (reaped); the row fades in a few seconds',
  },
  markShort: { adopted: 'its parent died first', exited: 'ended and reaped' },
  inBrackets: (text) => `(${text})`,

  finished: (how) => `finished (${how}) — press any key`,
  pausedAt: (name) => `paused at: ${name} — press space`,
  stepMode: 'step by step · q: quit',
  quitKey: 'q: quit',
  pace: (pace) => ` · pace ${pace}×`,
  andMore: (count) => `… and ${count} more`,
  processesDivider: '── processes ',

  plainPausedAt: (name) => `paused at: ${name} — press space`,
  lessonFinished: (how) => `the lesson finished (${how})`,

  noProcess: 'No process of the lesson was seen.',
  kernelShowed: (processes, total) => `What the kernel showed: ${processes} process${processes === 1 ? '' : 'es'} over ${total}`,
  oneColumn: (cell) => ` (one column = ${cell})`,
  checkpointsLabel: 'checkpoints',
  checkpointsList: (list) => `checkpoints: ${list}`,
  stateNames: { R: 'running', S: 'sleeping', D: 'disk wait', T: 'stopped', t: 'traced', Z: 'zombie', X: 'dead', I: 'idle' },
  statesKey: (key) => `states: ${key}   (blank: not there)`,
  adoptedAndReapedBy: (pid, who) => `adopted and reaped by ${pid} (${who})`,
  reapedBy: (pid, who) => `reaped by ${pid} (${who})`,
  gone: 'gone',
  stillAZombie: 'still a zombie at the end',
  stillThere: 'still there at the end',
  partSeparator: ', ',
};

/** Chinese puts a space between itself and a Latin word or a number: "被 init 收养", "被运行器收养". */
function spaced(word: string): string {
  return /^[\x20-\x7e]+$/.test(word) ? ` ${word} ` : word;
}

const zh: ViewWords = {
  exitCode: (code) => `退出码 ${code}`,
  killedBy: (signal) => `被 ${signal} 杀死`,
  ended: '已结束',
  who: { runner: '运行器', init: 'init', parent: '父进程', subreaper: 'subreaper' },
  adoptedBy: (pid, who) => `被 ${pid}（${who}）收养`,

  columns: { pid: 'PID', ppid: 'PPID', stat: 'STAT', age: '时长', title: '进程名' },
  bornTo: (pid) => `，原父进程 ${pid}`,
  adoptedByWho: (who) => `被${spaced(who)}收养`,
  adopted: '被收养',
  exited: '已退出',
  exitedHow: (how) => `已退出 · ${how}`,
  markSeparator: '；',

  statMeanings: STAT_MEANINGS_ZH,
  afterTheLetter: '（跟在状态字母后）',
  shortMeaningEnd: /：|（/,
  markMeanings: {
    adopted: '孤儿进程：它的父进程先退出了，内核把它交给另一个进程收养（init 或 subreaper）',
    exited: '已经结束，退出状态已被回收；这一行几秒后淡出',
  },
  markShort: { adopted: '父进程先退出', exited: '已结束并被回收' },
  inBrackets: (text) => `（${text}）`,

  finished: (how) => `已结束（${how}）— 按任意键`,
  pausedAt: (name) => `停在：${name} — 按空格继续`,
  stepMode: '单步模式 · q：退出',
  quitKey: 'q：退出',
  // The pace multiplies every sleep: 2 is slower. "节奏 2×" read as twice as fast, so say the speed.
  pace: (pace) => (pace === 1 ? ' · 正常速度' : pace > 1 ? ` · 速度 1/${pace}（放慢）` : ` · 速度 ${Math.round((1 / pace) * 100) / 100} 倍（加快）`),
  andMore: (count) => `… 还有 ${count} 个`,
  processesDivider: '── 进程 ',

  plainPausedAt: (name) => `停在：${name} — 按空格继续`,
  lessonFinished: (how) => `本课结束（${how}）`,

  noProcess: '没有看到这一课的任何进程。',
  kernelShowed: (processes, total) => `内核所见：${processes} 个进程，共 ${total}`,
  oneColumn: (cell) => `（每列 = ${cell}）`,
  checkpointsLabel: '检查点',
  checkpointsList: (list) => `检查点：${list}`,
  stateNames: { R: '运行', S: '睡眠', D: '不可中断等待', T: '暂停', t: '被跟踪', Z: '僵尸', X: '死亡', I: '空闲' },
  statesKey: (key) => `状态：${key}   （空白：不存在）`,
  adoptedAndReapedBy: (pid, who) => `由 ${pid}（${who}）收养并回收`,
  reapedBy: (pid, who) => `由 ${pid}（${who}）回收`,
  gone: '已消失',
  stillAZombie: '结束时仍是僵尸进程',
  stillThere: '结束时仍然存在',
  partSeparator: '，',
};

export const VIEW_WORDS: Record<Language, ViewWords> = { en, zh };

/** The words in the language the runner speaks now (see ../language.ts). */
export function words(language: Language = currentLanguage()): ViewWords {
  return VIEW_WORDS[language];
}

/**
 * "exit 0", "killed by SIGTERM", or undefined when nobody learnt how it ended. In the language
 * the runner speaks, unless one is given: predict mode compares answers as values, always English.
 */
export function describeExit(exit: ExitInfo | undefined, language: Language = currentLanguage()): string | undefined {
  if (!exit) return undefined;
  if (exit.signal !== null) return words(language).killedBy(exit.signal);
  if (exit.code !== null) return words(language).exitCode(exit.code);
  return undefined;
}

export interface Family {
  runnerPid: number;
  /** The parent the process was born to. */
  bornTo: number;
  /** The title of a process the view knows, by pid (undefined if it does not know it). */
  titleOf(pid: number): string | undefined;
}

/**
 * Who a pid is, from the point of view of one process: its "parent", the "runner", "init", or a
 * process of the lesson by its title. Anything else that adopts an orphan is a subreaper: the
 * kernel hands orphans only to PID 1 or to the nearest subreaper.
 */
export function whoIs(pid: number, family: Family): string {
  const who = words().who;
  if (pid === family.runnerPid) return who.runner;
  if (pid === 1) return who.init;
  if (pid === family.bornTo) return who.parent;
  return family.titleOf(pid) ?? who.subreaper;
}

/** "adopted by 4711 (runner)". */
export function adoptedBy(pid: number, family: Family): string {
  return words().adoptedBy(pid, whoIs(pid, family));
}

/** Seconds for people: "0.35s", "2.4s", "12s", "2m05s". */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  if (seconds < 60) return `${Math.floor(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(Math.floor(seconds % 60)).padStart(2, '0')}s`;
}

/** A run time stamp for the plain log: "[1.20s]". */
export function formatStamp(ms: number): string {
  return `[${(Math.max(0, ms) / 1000).toFixed(2)}s]`;
}
