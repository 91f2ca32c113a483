// What an exercise file imports besides lib/lesson: the inputs its check gives it.
//
// Under `npm run check` the check chooses the inputs (the file to copy, how long each child
// works, the socket path …), so an exercise cannot pass by knowing them in advance. It hands
// them over as JSON in PROCBOOK_EXERCISE. Run by yourself (`npx tsx lessons/01-fork/exercise.ts`),
// an exercise uses the defaults it names.
//
// Under a check, every process of the exercise also tells the check, as it exits, what the kernel
// counted it writing and reading (/proc/self/io). That is how the copy check knows WHICH
// processes wrote the copy, not just that the copy is right.
import { fact } from '../lesson/narrate.js';
import { ENV } from '../lesson/protocol.js';
import { ioCountsOf } from '../proc/read.js';
import { TASK_ENV } from './env.js';


/** What the kernel counted one process reading and writing (the fields of /proc/<pid>/io). */
export interface IoCount {
  /** Bytes passed to write() and similar calls, whatever they wrote to. */
  wchar: number;
  /** Bytes read() returned. */
  rchar: number;
  /** The process's parent as it exits (if it was orphaned, its adopter). */
  ppid: number;
}

/** Whether a check runs this exercise (otherwise a student runs it alone). */
export const underCheck: boolean = process.env[TASK_ENV] !== undefined;

/**
 * The inputs of this run: those the check gave, or `defaults()` when the exercise runs alone.
 * Processes this one starts afterwards (forkSelf) get the same inputs.
 */
export function given<T extends object>(defaults: () => T): T {
  const text = process.env[TASK_ENV];
  if (text) return JSON.parse(text) as T;
  const chosen = defaults();
  process.env[TASK_ENV] = JSON.stringify(chosen);
  return chosen;
}

/** This process's counts, or undefined where there is no /proc. */
export function ioCount(): IoCount | undefined {
  const counts = ioCountsOf('self');
  return counts && { wchar: counts.wchar, rchar: counts.rchar, ppid: process.ppid };
}

// Only under a check (the runner's control socket is there): report the counts at exit.
if (process.env[TASK_ENV] && process.env[ENV.control]) {
  process.on('exit', () => {
    const count = ioCount();
    if (count) fact('exercise.io', count);
  });
}
