// Decoding one line of /proc/<pid>/stat, and building the STAT column exactly as `ps` prints it.
//
// The line is "pid (comm) state ppid pgrp session tty_nr tpgid flags …". The command name can hold
// spaces and parentheses, so split at the LAST ')'. See proc(5).

export interface ProcStat {
  pid: number;
  comm: string;
  /** R running, S sleeping, D disk wait, T stopped, t traced, Z zombie, X dead, I idle kernel thread. */
  state: string;
  ppid: number;
  pgid: number;
  sid: number;
  ttyNr: number;
  /** The foreground process group of the process's terminal, -1 without one. */
  tpgid: number;
  nice: number;
  threads: number;
  /** Clock ticks after boot: with the pid, the identity of a process (pids are reused). */
  startTicks: number;
  /** For a zombie, its wait status as waitpid(2) would report it; 0 otherwise. */
  exitStatus: number;
  /** CPU time in user and in kernel mode, in clock ticks (USER_HZ, 100 a second on Linux). */
  utime: number;
  stime: number;
}

export function parseStat(line: string): ProcStat | undefined {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  // Stryker disable next-line EqualityOperator: a kernel line starts with its pid, so '(' is never at 0; and one character is never both parentheses
  if (open < 0 || close < open) return undefined;
  const fields = line.slice(close + 2).trim().split(' ');
  if (fields.length < 20) return undefined;
  const at = (index: number): number => Number(fields[index]);
  return {
    // Stryker disable next-line MethodExpression: Number() skips the spaces trim() takes off
    pid: Number(line.slice(0, open).trim()),
    comm: line.slice(open + 1, close),
    // Stryker disable next-line StringLiteral: split() always gives a first field
    state: fields[0] ?? '?',
    ppid: at(1),
    pgid: at(2),
    sid: at(3),
    ttyNr: at(4),
    tpgid: at(5),
    nice: at(16),
    threads: at(17),
    startTicks: at(19),
    utime: at(11),
    stime: at(12),
    exitStatus: fields.length > 49 ? at(49) : 0,
  };
}

/**
 * The STAT column of `ps`, built the way procps builds it (pr_stat): the state letter, then
 * `<` (nice < 0) or `N` (nice > 0), `s` (session leader), `l` (more than one thread),
 * `+` (in the terminal's foreground process group). procps also prints `L` (pages locked in
 * memory, from /proc/<pid>/status); we leave it out: no lesson locks memory.
 */
export function psStat(stat: ProcStat): string {
  let text = stat.state;
  if (stat.nice < 0) text += '<';
  else if (stat.nice > 0) text += 'N';
  if (stat.sid === stat.pid) text += 's';
  if (stat.threads > 1) text += 'l';
  if (stat.pgid === stat.tpgid) text += '+';
  return text;
}

/** What a wait status means: the exit code, or the signal that killed the process. */
export function decodeWaitStatus(status: number): { code: number | null; signal: number | null } {
  const signal = status & 0x7f;
  if (signal === 0) return { code: (status >> 8) & 0xff, signal: null };
  return { code: null, signal };
}
