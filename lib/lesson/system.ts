// Looking at the whole machine, not just the lesson: every process, as `ps -e` lists them.
// One `ps` run does the reading (fine for one look, too slow for the live table, which reads only
// the lesson's processes: see lib/observe). It is started through the lesson API's reported
// spawn, so even this short-lived `ps` shows in the table, with its exit status.
import { spawn } from './spawn.js';

export interface SystemProcess {
  pid: number;
  ppid: number;
  name: string;
  cmd?: string;
}

/** One line of `ps -A -ww -o pid=,ppid=,comm:16=,args=`: the name is a 16-column field, the command line the rest. */
export function parsePsLine(line: string): SystemProcess | undefined {
  const match = /^\s*(\d+)\s+(\d+)\s(.{16})\s?(.*)$/.exec(line);
  if (!match) return undefined;
  const [, pid, ppid, name, cmd] = match as unknown as [string, string, string, string, string];
  return { pid: Number(pid), ppid: Number(ppid), name: name.trim(), ...(cmd.trim() ? { cmd: cmd.trim() } : {}) };
}

export async function listAllProcesses(): Promise<SystemProcess[]> {
  const ps = spawn('ps', ['-A', '-ww', '-o', 'pid=,ppid=,comm:16=,args='], { stdio: ['ignore', 'pipe', 'ignore'] });
  let text = '';
  ps.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  await new Promise<void>((resolve, reject) => {
    ps.once('error', reject);
    ps.once('close', () => resolve());
  });
  return text.split('\n').flatMap((line) => parsePsLine(line) ?? []);
}
