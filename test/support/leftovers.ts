// What a test run may leave behind: nothing. Every process the suite starts carries a marker in
// its environment, and every file it makes lives in a private temporary folder.
import { allStats, commandLine, environmentOf } from '../../lib/proc/read.js';

export const MARK = 'PROCBOOK_TEST_MARK';

export interface Leftover {
  pid: number;
  state: string;
  command: string;
}

/** Processes on this machine started with this marker (zombies have no readable environment:
 * they are found through their parent, when the parent is marked). */
export function markedProcesses(mark: string, except: Set<number> = new Set()): Leftover[] {
  const marked = new Map<number, Leftover>();
  const all: Array<{ pid: number; ppid: number; state: string; command: string }> = [];
  for (const stat of allStats()) {
    const pid = stat.pid;
    const command = commandLine(pid).trim();
    const entry = { pid, ppid: stat.ppid, state: stat.state, command: command || `(${stat.comm})` };
    all.push(entry);
    if (except.has(pid) || command.includes('node_modules/')) continue;
    if (environmentOf(pid).includes(`${MARK}=${mark}`)) marked.set(pid, entry);
  }
  for (const entry of all) {
    if (entry.state === 'Z' && marked.has(entry.ppid)) marked.set(entry.pid, entry);
  }
  return [...marked.values()];
}
