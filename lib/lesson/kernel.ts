// What the kernel shows of a process, for a lesson that must wait until the table will show it
// too (the state it is about to explain). Read through lib/proc, the one reader of /proc.
import { commandName, readStat, waitChannelOf } from '../proc/read.js';

/** Its STAT letter (R, S, D, Z …); undefined once it is gone, or where there is no /proc. */
export const stateOf = (pid: number): string | undefined => readStat(pid)?.state;
/** The kernel function it sleeps in (/proc/<pid>/wchan). */
export const sleepsIn = waitChannelOf;
/** The name it gave itself (/proc/<pid>/comm). */
export const nameOf = commandName;

/**
 * Waits until `read()` gives what `wanted` accepts (looked at every 10 ms), for 5 s at most.
 * Returns the last value read: undefined at once where there is nothing to read (no /proc, or the
 * process has ended), so a lesson never hangs on it.
 */
export async function whenKernelShows<T>(read: () => T | undefined, wanted: (value: T) => boolean, timeoutMs = 5000): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value === undefined || wanted(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
