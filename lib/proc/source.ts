// Where the observer reads processes from: /proc on Linux, `ps` elsewhere.
//
// /proc is cheap when you keep one open file descriptor per tracked process: re-reading an open
// /proc/<pid>/stat costs ~25 µs, and once the process is gone that descriptor answers ESRCH for
// ever, even if the pid is given to a new process. So an open descriptor IS the process's identity.
import { closeSync, openSync, readFileSync, readSync, readdirSync, readlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { parseStat, type ProcStat } from './stat.js';
import { onLinux } from './platform.js';

export interface ProcessSource {
  /** The pids that exist now. */
  listPids(): number[];
  /**
   * The children of a process that its main thread started (/proc/<pid>/task/<pid>/children),
   * without listing all of /proc. Optional: a source without it is listed in full every sample.
   */
  children?(pid: number): number[];
  /** Reads a process for the first time; undefined if it is gone already. */
  open(pid: number): ProcStat | undefined;
  /** Reads a process opened before; undefined once THAT process is gone (not a newer one with its pid). */
  reread(pid: number): ProcStat | undefined;
  /** Its command line as one string (empty for a zombie). */
  commandLine(pid: number): string;
  /** The executable's path, or '' if it cannot be read. */
  executable(pid: number): string;
  /** A variable of the environment it started with, if it can be read. */
  environment(pid: number, name: string): string | undefined;
  forget(pid: number): void;
  close(): void;
}

const statBuffer = Buffer.alloc(4096);

/**
 * A stat line of a process that still counts: parsed, and undefined for X. A descriptor held open
 * can be read while the parent's waitpid() is removing the process: the state is then X (dead) and
 * the parent often 0, as the parent link is already cut. Measured: 130 such reads in 300 reaps.
 * For the table that process is gone, reaped; its last real read (Z) is what it was.
 */
export function liveStat(line: string): ProcStat | undefined {
  const stat = parseStat(line);
  return stat?.state === 'X' ? undefined : stat;
}

export class ProcfsSource implements ProcessSource {
  private readonly descriptors = new Map<number, number>();

  listPids(): number[] {
    const pids: number[] = [];
    for (const name of readdirSync('/proc')) {
      const code = name.charCodeAt(0);
      if (code >= 48 && code <= 57) pids.push(Number(name));
    }
    return pids;
  }

  children(pid: number): number[] {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1');
    } catch {
      return [];
    }
    const pids: number[] = [];
    for (const each of text.split(' ')) if (each !== '' && each !== '\n') pids.push(Number(each));
    return pids;
  }

  open(pid: number): ProcStat | undefined {
    let fd: number;
    try {
      fd = openSync(`/proc/${pid}/stat`, 'r');
    } catch {
      return undefined;
    }
    const stat = this.readFd(fd);
    // Stryker disable next-line ConditionalExpression: a stat line the kernel wrote always parses
    if (stat) this.descriptors.set(pid, fd);
    else closeSync(fd);
    return stat;
  }

  reread(pid: number): ProcStat | undefined {
    const fd = this.descriptors.get(pid);
    // Stryker disable next-line ConditionalExpression: reading no descriptor throws into readFd's catch, which answers the same
    return fd === undefined ? undefined : this.readFd(fd);
  }

  private readFd(fd: number): ProcStat | undefined {
    try {
      const length = readSync(fd, statBuffer, 0, statBuffer.length, 0);
      return liveStat(statBuffer.toString('latin1', 0, length));
    } catch {
      return undefined; // ESRCH: that process is gone
    }
  }

  commandLine(pid: number): string {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').split('\0').join(' ');
    } catch {
      return '';
    }
  }

  executable(pid: number): string {
    try {
      return readlinkSync(`/proc/${pid}/exe`);
    } catch {
      return '';
    }
  }

  environment(pid: number, name: string): string | undefined {
    try {
      const prefix = `${name}=`;
      for (const entry of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
        if (entry.startsWith(prefix)) return entry.slice(prefix.length);
      }
    } catch {
      // not ours to read, or gone
    }
    return undefined;
  }

  forget(pid: number): void {
    const fd = this.descriptors.get(pid);
    if (fd !== undefined) closeSync(fd);
    this.descriptors.delete(pid);
  }

  close(): void {
    for (const pid of [...this.descriptors.keys()]) this.forget(pid);
  }
}

/**
 * The fallback where there is no /proc (macOS, the BSDs): one `ps` per sample for the whole
 * system. Slower (~50 ms a call on macOS) and with less detail: no session id, so the observer
 * admits by parent and process group; start time from `lstart` (one-second resolution).
 */
export class PsSource implements ProcessSource {
  private table = new Map<number, ProcStat & { args: string }>();
  private readonly known = new Map<number, number>();

  listPids(): number[] {
    this.table = new Map();
    const text = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat=,lstart=,args='], { encoding: 'utf8' });
    for (const line of text.split('\n')) {
      // lstart is five words: "Mon Nov 23 19:36:01 2026"
      const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+\s+\S+\s+\d+\s+[\d:]+\s+\d+)\s+(.*)$/.exec(line);
      if (!match) continue;
      const [, pid, ppid, pgid, stat, lstart, args] = match as unknown as string[];
      // Stryker disable next-line StringLiteral: a matched line has every group
      const flags = stat ?? '';
      this.table.set(Number(pid), {
        pid: Number(pid),
        comm: (args ?? '').split(' ')[0] ?? '',
        // Stryker disable next-line StringLiteral: a matched STAT has a first letter
        state: flags[0] ?? '?',
        ppid: Number(ppid),
        pgid: Number(pgid),
        sid: flags.includes('s') ? Number(pid) : -1,
        ttyNr: 0,
        tpgid: flags.includes('+') ? Number(pgid) : -1,
        nice: flags.includes('<') ? -1 : flags.includes('N') ? 1 : 0,
        threads: flags.includes('l') ? 2 : 1,
        // Stryker disable next-line StringLiteral: a matched line has every group
        startTicks: Date.parse(lstart ?? '') / 1000,
        exitStatus: 0,
        utime: 0,
        stime: 0,
        // Stryker disable next-line StringLiteral: a matched line has every group
        args: args ?? '',
      });
    }
    return [...this.table.keys()];
  }

  open(pid: number): ProcStat | undefined {
    const row = this.table.get(pid);
    if (row) this.known.set(pid, row.startTicks);
    return row;
  }

  reread(pid: number): ProcStat | undefined {
    const row = this.table.get(pid);
    return row && row.startTicks === this.known.get(pid) ? row : undefined;
  }

  commandLine(pid: number): string {
    return this.table.get(pid)?.args ?? '';
  }

  executable(pid: number): string {
    return this.table.get(pid)?.comm ?? '';
  }

  // Stryker disable next-line BlockStatement: an empty body answers undefined too
  environment(): string | undefined {
    return undefined;
  }

  forget(pid: number): void {
    this.known.delete(pid);
  }

  close(): void {
    this.known.clear();
  }
}

export function defaultSource(): ProcessSource {
  // Elsewhere (or pretending to be elsewhere, PROCBOOK_PLATFORM=darwin): the `ps` fallback.
  if (!onLinux()) return new PsSource();
  try {
    readdirSync('/proc/self/fd');
    return new ProcfsSource();
  } catch {
    return new PsSource();
  }
}
