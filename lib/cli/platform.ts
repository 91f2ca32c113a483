// Which lessons run where. On Linux every lesson runs and the table is read from /proc. Elsewhere
// (macOS; Windows through WSL is Linux) the table comes from `ps`, and a lesson runs there unless
// it is about something only Linux has: then it says so in one sentence, before anything runs,
// and where to go instead (the workbook's container). PROCBOOK_PLATFORM=darwin takes this path on
// Linux (lib/proc/platform.ts).
//
// The rule, per lesson, from what the lesson uses:
//   04 orphan         adoption by the runner as a child subreaper (prctl)          → Linux
//   07 double-fork    a grandchild in its own session, followed by session (ps has none) → Linux
//   12 chatroom       /proc/<pid>/task/*/children, an abstract Unix socket         → Linux
//   15 shared-memory  mmap of a /dev/shm file                                       → Linux
//   the others        only portable calls, or /proc reads guarded for other systems → run on ps
import { runningOn } from '../proc/platform.js';
import { platformWords, type LinuxNeed } from '../words/platform.js';
import { UserError } from '../words/user-error.js';

export const NEEDS_LINUX: Readonly<Record<string, LinuxNeed>> = {
  orphan: 'subreaper',
  'double-fork': 'session',
  chatroom: 'procChildren',
  'shared-memory': 'devShm',
};

/** Whether a lesson runs on this platform (or the one PROCBOOK_PLATFORM names). */
export function lessonRunsHere(slug: string, platform: string = runningOn()): boolean {
  return platform === 'linux' || NEEDS_LINUX[slug] === undefined;
}

/** One sentence and exit status 2 when the lesson cannot run here; nothing when it can. */
export function checkLessonRunsHere(lesson: { number: number; slug: string }, platform: string = runningOn()): void {
  if (lessonRunsHere(lesson.slug, platform)) return;
  const said = platformWords();
  throw new UserError(said.needsLinux(lesson.number, lesson.slug, said.because[NEEDS_LINUX[lesson.slug]!], platform));
}
