// What the kernel shows of a process, for a lesson that must wait until the table will show it
// too (the state it is about to explain). Read through lib/proc, the one reader of /proc.
import { commandName, readStat, waitChannelOf } from '../proc/read.js';
import { psStat } from '../proc/stat.js';

/** Its STAT letter (R, S, D, Z …); undefined once it is gone, or where there is no /proc. */
export const stateOf = (pid: number): string | undefined => readStat(pid)?.state;
/** Its STAT as the table shows it (Z, Zl, Ssl …): with `l` while it has more than one thread. */
export const statOf = (pid: number): string | undefined => {
  const stat = readStat(pid);
  return stat && psStat(stat);
};
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

/**
 * The same, for a lesson whose event loop must stay blocked meanwhile (lesson 05: a free loop
 * would let Node reap the zombie it waits for). Looks every 10 ms, sleeping in between.
 */
export function blockUntilKernelShows<T>(read: () => T | undefined, wanted: (value: T) => boolean, timeoutMs = 5000): T | undefined {
  const deadline = Date.now() + timeoutMs;
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const value = read();
    if (value === undefined || wanted(value) || Date.now() > deadline) return value;
    Atomics.wait(nap, 0, 0, 10);
  }
}
