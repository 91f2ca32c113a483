// The words of predict mode (`--predict`), in each language the runner speaks: what the offered
// answers mean, the reveal lines, the score, and what a prompt on a pipe asks for.
//
// Only words live here. The answers themselves ('Z', 'gone', 'zombie', 'exit 3', 'killed by
// SIGKILL', a pid) stay English in every language: they are what a person types, what is compared
// and what the timeline stores. The question's prompt is the lesson's narration, and stays English.
//
// Chinese uses the course's terms (僵尸进程, 父进程, 回收 …) and full-width punctuation, as views/words.ts does.
import type { QuestionRecord } from '../observe/timeline.js';
import { currentLanguage, type Language } from './language.js';
import { VIEW_WORDS } from './views.js';

/** What an answer means, in a word or two, and (for the menu) a little more. */
export interface Meaning {
  meaning: string;
  more?: string;
}

export interface PredictWords {
  // The offered answers: what each one means.
  stat: { R: Meaning; S: Meaning; T: Meaning; Z: Meaning; gone: Meaning };
  alive: { alive: Meaning; zombie: Meaning; gone: Meaning };
  /** 'running', the exit question's answer for a process that has not ended. */
  notEnded: Meaning;
  /** The meaning of 'exit 3'. */
  exitedWith(code: number): string;
  /** The meaning of 'killed by SIGTERM'. */
  killedBySignal(signal: string): string;
  /** The adopters an orphan may get, and nobody. */
  parent: { runner: Meaning; init: Meaning; gone: Meaning };
  /** A choice's meaning as the menu shows it after the value: "zombie: dead, not yet collected". */
  meaningAndMore(meaning: string, more: string): string;

  // The reveal.
  /** How a process ended, for an answer 'exit 3' or 'killed by SIGKILL' (the views' own words). */
  exitCode(code: number): string;
  killedBy(signal: string): string;
  /** An answer with its meaning: "Z (zombie)", "4711 (the runner)". */
  withMeaning(value: string, meaning: string): string;
  /** Answers the table may give that were never offered, by value. */
  notOffered: { unknown: string; 'ended, status unknown': string };
  /** What the question was about, before the answer: "STAT Z", "parent 4711". */
  property: Record<QuestionRecord['ask'], string>;
  /** A process the timeline has no record of. */
  process(pid: number): string;
  /** "child 4712: STAT Z (zombie)". */
  seen(who: string, what: string): string;
  right(number: number, seen: string): string;
  wrong(number: number, seen: string, said: string): string;
  noAnswer(number: number, seen: string): string;
  /** After "? ": a question about a process that was never seen. */
  skipped(pid: number): string;
  /** "Predictions: 4 of 6 right." */
  score(right: number, revealed: number): string;
  /** After the score, if some answers were never revealed. */
  notRevealed(count: number): string;

  // Asking on a pipe (a terminal shows a menu, which needs no instructions).
  /** "R, S, T, Z or gone". */
  oneOf(values: readonly string[]): string;
  answerWith(listed: string): string;
  notOneOfThem(line: string, listed: string): string;
}

const en: PredictWords = {
  stat: {
    R: { meaning: 'running', more: 'on a CPU, or ready for one' },
    S: { meaning: 'sleeping', more: 'waiting for something (a timer, input, a child)' },
    T: { meaning: 'stopped', more: 'frozen by a signal (SIGSTOP)' },
    Z: { meaning: 'zombie', more: 'dead, its exit status not yet collected' },
    gone: { meaning: 'reaped', more: 'no longer in the table' },
  },
  alive: {
    alive: { meaning: 'not dead', more: 'running, sleeping or stopped' },
    zombie: { meaning: 'dead, not yet collected', more: 'STAT Z' },
    gone: { meaning: 'dead and reaped', more: 'no longer in the table' },
  },
  notEnded: { meaning: 'not ended', more: 'running, sleeping or stopped' },
  exitedWith: (code) => `it exited with code ${code}`,
  killedBySignal: () => 'the signal ended it',
  parent: {
    runner: { meaning: 'the runner', more: 'procbook, a child subreaper' },
    init: { meaning: 'init', more: 'PID 1, the first process of the system' },
    gone: { meaning: 'no parent', more: 'it is no longer in the table' },
  },
  meaningAndMore: (meaning, more) => `${meaning}: ${more}`,

  exitCode: VIEW_WORDS.en.exitCode,
  killedBy: VIEW_WORDS.en.killedBy,
  withMeaning: (value, meaning) => `${value} (${meaning})`,
  notOffered: { unknown: 'unknown', 'ended, status unknown': 'ended, status unknown' },
  property: { stat: 'STAT ', parent: 'parent ', alive: '', exit: '' },
  process: (pid) => `process ${pid}`,
  seen: (who, what) => `${who}: ${what}`,
  right: (number, seen) => `✓ ${number}. right — ${seen}`,
  wrong: (number, seen, said) => `✗ ${number}. wrong — ${seen}; you said ${said}`,
  noAnswer: (number, seen) => `– ${number}. no answer — ${seen}`,
  skipped: (pid) => `(a question about ${pid} is skipped: no such process was seen)`,
  score: (right, revealed) => `Predictions: ${right} of ${revealed} right.`,
  notRevealed: (count) => ` (${count} not revealed: the run was stopped first)`,

  oneOf: (values) => `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`,
  answerWith: (listed) => `answer with one line: ${listed}`,
  notOneOfThem: (line, listed) => `"${line}" is not one of them: answer with ${listed}`,
};

const zh: PredictWords = {
  stat: {
    R: { meaning: '运行', more: '正在 CPU 上运行，或已就绪等待 CPU' },
    S: { meaning: '睡眠', more: '在等待某件事（定时器、输入、子进程）' },
    T: { meaning: '暂停', more: '被信号停下（SIGSTOP）' },
    Z: { meaning: '僵尸进程', more: '已经退出，退出状态还没有被回收' },
    gone: { meaning: '已回收', more: '已消失，不在进程表中' },
  },
  alive: {
    alive: { meaning: '还活着', more: '运行、睡眠或暂停' },
    zombie: { meaning: '已退出，尚未回收', more: 'STAT 为 Z' },
    gone: { meaning: '已退出并被回收', more: '已消失，不在进程表中' },
  },
  notEnded: { meaning: '还没有结束', more: '运行、睡眠或暂停' },
  exitedWith: (code) => `以退出码 ${code} 退出`,
  killedBySignal: () => '被这个信号杀死',
  parent: {
    runner: { meaning: '运行器', more: 'procbook，一个 child subreaper' },
    init: { meaning: 'init 进程', more: 'PID 1，系统的第一个进程' },
    gone: { meaning: '没有父进程', more: '它已消失，不在进程表中' },
  },
  meaningAndMore: (meaning, more) => `${meaning}：${more}`,

  exitCode: VIEW_WORDS.zh.exitCode,
  killedBy: VIEW_WORDS.zh.killedBy,
  withMeaning: (value, meaning) => `${value}（${meaning}）`,
  notOffered: { unknown: '未知', 'ended, status unknown': '已结束，退出状态未知' },
  property: { stat: 'STAT ', parent: '父进程 ', alive: '', exit: '' },
  process: (pid) => `进程 ${pid}`,
  seen: (who, what) => `${who}：${what}`,
  right: (number, seen) => `✓ ${number}. 答对了 — ${seen}`,
  wrong: (number, seen, said) => `✗ ${number}. 答错了 — ${seen}；你的答案：${said}`,
  noAnswer: (number, seen) => `– ${number}. 未作答 — ${seen}`,
  skipped: (pid) => `（关于 ${pid} 的问题已跳过：没有看到这个进程）`,
  score: (right, revealed) => `预测：${revealed} 题中答对 ${right} 题。`,
  notRevealed: (count) => `（${count} 题未揭晓：运行在揭晓前被停止）`,

  oneOf: (values) => `${values.slice(0, -1).join('、')} 或 ${values.at(-1)}`,
  answerWith: (listed) => `输入一行作答：${listed}`,
  notOneOfThem: (line, listed) => `“${line}”不在选项中，请输入一行作答：${listed}`,
};

export const PREDICT_WORDS: Record<Language, PredictWords> = { en, zh };

/** The quiz's words in the language the runner speaks now (see ./language.ts). */
export function predictWords(language: Language = currentLanguage()): PredictWords {
  return PREDICT_WORDS[language];
}
