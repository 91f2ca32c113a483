// What the runner says when a lesson needs Linux and this is not Linux (macOS; Windows runs it in
// WSL, which is Linux): one sentence, with where to go instead. English and Chinese.
import { currentLanguage, type Language } from './language.js';

/** Why a lesson needs Linux: the call or file it uses that macOS does not have. */
export type LinuxNeed = 'subreaper' | 'session' | 'procChildren' | 'devShm';

export interface PlatformWords {
  because: Record<LinuxNeed, string>;
  /** "Lesson 04 (orphan) needs Linux: … Open the workbook in its container …" */
  needsLinux(number: number, slug: string, why: string, platform: string): string;
}

const en: PlatformWords = {
  because: {
    subreaper: "it shows orphans adopted by the runner, a child subreaper (Linux's prctl), which macOS does not have",
    session: 'it follows a process into its own session, and the ps of macOS does not tell sessions apart',
    procChildren: "it reads each process's children and its abstract socket from /proc",
    devShm: 'it maps shared memory from /dev/shm',
  },
  needsLinux: (number, slug, why, platform) =>
    `lesson ${String(number).padStart(2, '0')} (${slug}) needs Linux (${why}; this is ${platform}): open the workbook in its container (VS Code: "Reopen in Container", or a GitHub Codespace) and run it there.`,
};

const zh: PlatformWords = {
  because: {
    subreaper: '它要展示被运行器收养的孤儿进程，而运行器靠的是 Linux 的 prctl（child subreaper），macOS 没有',
    session: '它要跟踪进入自己会话的进程，而 macOS 的 ps 分不出会话',
    procChildren: '它要从 /proc 读取每个进程的子进程和抽象套接字',
    devShm: '它要映射 /dev/shm 里的共享内存',
  },
  needsLinux: (number, slug, why, platform) =>
    `第 ${number} 课（${slug}）需要 Linux（${why}；这里是 ${platform}）：请在容器里打开本工作簿（VS Code：“Reopen in Container”，或者 GitHub Codespace），在那里运行本课。`,
};

export const PLATFORM_WORDS: Record<Language, PlatformWords> = { en, zh };

export function platformWords(language: Language = currentLanguage()): PlatformWords {
  return PLATFORM_WORDS[language];
}
