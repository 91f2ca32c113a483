// A process table a test writes by hand, behind the observer's ProcessSource interface: the test
// sets rows, removes them, gives a pid to a new process, and the observer samples what it says.
// It keeps the real source's rules: a process opened once is re-read only while it is THAT process
// (same pid and start time), as an open /proc descriptor is.
import type { ProcessSource } from '../../lib/proc/source.js';
import type { ProcStat } from '../../lib/proc/stat.js';

export interface Row extends Partial<ProcStat> {
  pid: number;
  /** Its command line ('' like a zombie's when not given: the title falls back to comm). */
  cmdline?: string;
  exe?: string;
  env?: Record<string, string>;
}

export function fullStat(row: Row): ProcStat {
  return {
    comm: 'node',
    state: 'S',
    ppid: 1,
    pgid: row.pid,
    sid: row.pid,
    ttyNr: 0,
    tpgid: -1,
    nice: 0,
    threads: 1,
    startTicks: 1,
    exitStatus: 0,
    utime: 0,
    stime: 0,
    ...Object.fromEntries(Object.entries(row).filter(([key]) => key !== 'cmdline' && key !== 'exe' && key !== 'env')),
  } as ProcStat;
}

export class ScriptedSource implements ProcessSource {
  readonly rows = new Map<number, Row>();
  /** pid → the start ticks of the process opened under it. */
  readonly opened = new Map<number, number>();
  /** What the observer asked, in order: 'list', 'open 12', 'env 12 NAME', 'forget 12', 'close'. */
  readonly calls: string[] = [];
  children?: (pid: number) => number[];

  constructor(options: { children?: boolean } = {}) {
    if (options.children ?? true) {
      this.children = (pid: number): number[] => {
        this.calls.push(`children ${pid}`);
        return [...this.rows.values()].filter((row) => (row.ppid ?? 1) === pid).map((row) => row.pid);
      };
    }
  }

  /** Puts a process in the table (or changes the one there: pass its pid and what changes). */
  set(...rows: Row[]): this {
    for (const row of rows) this.rows.set(row.pid, { ...this.rows.get(row.pid), ...row });
    return this;
  }

  remove(...pids: number[]): this {
    for (const pid of pids) this.rows.delete(pid);
    return this;
  }

  listPids(): number[] {
    this.calls.push('list');
    return [...this.rows.keys()];
  }

  open(pid: number): ProcStat | undefined {
    this.calls.push(`open ${pid}`);
    const row = this.rows.get(pid);
    if (!row) return undefined;
    const stat = fullStat(row);
    this.opened.set(pid, stat.startTicks);
    return stat;
  }

  reread(pid: number): ProcStat | undefined {
    const row = this.rows.get(pid);
    if (!row || !this.opened.has(pid)) return undefined;
    const stat = fullStat(row);
    return stat.startTicks === this.opened.get(pid) ? stat : undefined;
  }

  commandLine(pid: number): string {
    return this.rows.get(pid)?.cmdline ?? '';
  }

  executable(pid: number): string {
    return this.rows.get(pid)?.exe ?? '';
  }

  environment(pid: number, name: string): string | undefined {
    this.calls.push(`env ${pid} ${name}`);
    return this.rows.get(pid)?.env?.[name];
  }

  forget(pid: number): void {
    this.calls.push(`forget ${pid}`);
    this.opened.delete(pid);
  }

  close(): void {
    this.calls.push('close');
    this.opened.clear();
  }
}
