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
}

export function parseStat(line: string): ProcStat | undefined {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const fields = line.slice(close + 2).trim().split(' ');
  if (fields.length < 20) return undefined;
  const at = (index: number): number => Number(fields[index]);
  return {
    pid: Number(line.slice(0, open).trim()),
    comm: line.slice(open + 1, close),
    state: fields[0] ?? '?',
    ppid: at(1),
    pgid: at(2),
    sid: at(3),
    ttyNr: at(4),
    tpgid: at(5),
    nice: at(16),
    threads: at(17),
    startTicks: at(19),
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

/** Plain words for each STAT letter, for the legend under the table. */
export const STAT_MEANINGS: Record<string, string> = {
  R: 'running or ready to run',
  S: 'sleeping: waiting for an event (a timer, input, a child)',
  D: 'in uninterruptible sleep (usually disk I/O)',
  T: 'stopped by a signal (SIGSTOP, Ctrl-Z)',
  t: 'stopped by a debugger',
  Z: 'zombie: exited, but its parent has not collected its exit status yet',
  X: 'dead (you should never see this)',
  I: 'idle kernel thread',
  '<': 'high priority (nice < 0)',
  N: 'low priority (nice > 0)',
  s: 'session leader',
  l: 'multi-threaded (every Node process is)',
  '+': 'in the foreground process group of its terminal',
};

/**
 * The same, in Chinese, in the course's words: it lists STAT as 运行态, 等待态 (可中断 / 不可中断),
 * 暂停, 僵尸态, 会话组组长, 前台进程, 高/低优先级, 多线程. The part before the first "：" or "（"
 * is the short meaning the compact legend shows.
 */
export const STAT_MEANINGS_ZH: Record<string, string> = {
  R: '运行态：正在运行，或已就绪等待 CPU',
  S: '睡眠：可中断的等待，等一个事件（定时器、输入、子进程）',
  D: '不可中断的等待（通常是磁盘 I/O）',
  T: '暂停：被信号停下（SIGSTOP、Ctrl-Z）',
  t: '被调试器暂停',
  Z: '僵尸进程：已经退出，但父进程还没有回收它的退出状态',
  X: '死亡（你不应该看到它）',
  I: '空闲的内核线程',
  '<': '高优先级（nice < 0）',
  N: '低优先级（nice > 0）',
  s: '会话首进程（会话组组长）',
  l: '多线程（每个 Node 进程都是）',
  '+': '前台进程：在其终端的前台进程组里',
};
