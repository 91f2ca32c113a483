// Nothing outlives a lesson. When a lesson ends, fails, or is interrupted, the runner ends every
// process it left: its process group, and every process the observer followed (orphans that
// left the group or the session included), then collects the exit status of the orphans it
// adopted as a subreaper, so no zombie is left behind either.
import { reapIfExited } from '../posix/index.js';
import type { Observer } from '../observe/observer.js';
import { signalName } from '../proc/signals.js';

function signal(pid: number, name: NodeJS.Signals): void {
  // kill(0) is our own group, kill(-1) every process we may signal, kill(1) / kill(-1) init:
  // never any of those, whatever a caller passes.
  if (!Number.isInteger(pid) || Math.abs(pid) <= 1 || Math.abs(pid) === process.pid) return;
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** Collects the exit status of adopted orphans that have exited (zombies whose parent is us). */
export function reapAdopted(observer: Observer, lessonPid: number): void {
  for (const each of observer.alive()) {
    if (each.ppid !== process.pid || each.pid === lessonPid || each.state !== 'Z') continue;
    try {
      const result = reapIfExited(each.pid);
      if (result) {
        observer.recordExit(each.pid, {
          code: result.code,
          signal: result.signal === null ? null : signalName(result.signal),
          source: 'runner',
        });
      }
    } catch {
      return; // no waitpid on this system: PID 1 will collect them
    }
  }
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How long the end of a run waits for the kernel's exit reports of processes it never read. */
const EXIT_REPORTS_WAIT_MS = 1000;

/**
 * Waits until the observer follows no live process, the deadline passes, or `stop` is aborted.
 * A short wait looks every 25 ms; a long one (`watch` following an orphan for minutes) at the
 * observer's own pace.
 */
export async function settle(observer: Observer, lessonPid: number, deadlineMs: number, stop?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + deadlineMs;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: how often it looks changes how soon it notices, not what it does (the long wait's pace is tested: no more often than the observer)
  const every = deadlineMs > 5000 ? Math.max(25, observer.intervalMs) : 25;
  let emptySince: number | undefined;
  for (;;) {
    observer.sample();
    reapAdopted(observer, lessonPid);
    let reportsDue = false;
    if (observer.alive().length === 0) {
      // With the kernel's reports a sample admits nothing new, and the report of a last fork may
      // still be unread: a child forked just before its parent was killed, an orphan by now (the
      // runner's zombie). Nothing is left only if the runner's children say so too …
      observer.sampleWithChildren();
      reapAdopted(observer, lessonPid);
      // … and once the kernel's exit reports of the processes gone before they could be read have
      // come (a pyenv shim's forks, in a run that ends at once): they end those rows. Not for ever:
      // a report the kernel dropped never comes.
      emptySince ??= Date.now();
      reportsDue = observer.exitReportsAwaited() > 0 && Date.now() - emptySince < EXIT_REPORTS_WAIT_MS;
      if (observer.alive().length === 0 && !reportsDue) return true;
    } else emptySince = undefined;
    // Stryker disable next-line EqualityOperator: one millisecond at the deadline
    if (Date.now() >= deadline || stop?.aborted) return false;
    await wait(reportsDue ? 25 : every);
  }
}

/** SIGTERM (and SIGCONT, so a stopped process can act on it) to everything, then SIGKILL. */
export async function endEverything(
  observer: Observer,
  lessonPid: number,
  /** How long to wait for SIGTERM to work, then for SIGKILL. */
  deadlines: { termMs: number; killMs: number } = { termMs: 1000, killMs: 3000 },
): Promise<void> {
  // One signal per process: the lesson's group at once, then each process that left the group
  // (a second SIGTERM would kill a process whose handler had removed itself after the first).
  const hit = (name: NodeJS.Signals): void => {
    signal(-lessonPid, name);
    for (const each of observer.alive()) {
      if (each.pgid === lessonPid && name !== 'SIGKILL') continue;
      if (observer.isSameProcess(each.pid, each.startTicks)) signal(each.pid, name);
    }
  };
  if (await settle(observer, lessonPid, 0)) return;
  hit('SIGTERM');
  hit('SIGCONT');
  if (await settle(observer, lessonPid, deadlines.termMs)) return;
  hit('SIGKILL');
  await settle(observer, lessonPid, deadlines.killMs);
}
