// The words the views use for how a process ended and for who a parent is, so the live table,
// the plain log and the summary chart say the same thing the same way.
import type { ExitInfo } from '../../observe/timeline.js';

/** "exit 0", "killed by SIGTERM", or undefined when nobody learnt how it ended. */
export function describeExit(exit: ExitInfo | undefined): string | undefined {
  if (!exit) return undefined;
  if (exit.signal !== null) return `killed by ${exit.signal}`;
  if (exit.code !== null) return `exit ${exit.code}`;
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
  if (pid === family.runnerPid) return 'runner';
  if (pid === 1) return 'init';
  if (pid === family.bornTo) return 'parent';
  return family.titleOf(pid) ?? 'subreaper';
}

/** "adopted by 4711 (runner)". */
export function adoptedBy(pid: number, family: Family): string {
  return `adopted by ${pid} (${whoIs(pid, family)})`;
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
