// What a test run may leave behind: nothing. Every process the suite starts carries a marker in
// its environment, and every file it makes lives in a private temporary folder.
import { readFileSync, readdirSync } from 'node:fs';

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
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      const entry = { pid, ppid: Number(fields[1]), state: fields[0] ?? '?', command: command || `(${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))})` };
      all.push(entry);
      if (except.has(pid) || command.includes('node_modules/')) continue;
      const environment = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (environment.split('\0').includes(`${MARK}=${mark}`)) marked.set(pid, entry);
    } catch {
      // gone, or not readable
    }
  }
  for (const entry of all) {
    if (entry.state === 'Z' && marked.has(entry.ppid)) marked.set(entry.pid, entry);
  }
  return [...marked.values()];
}
