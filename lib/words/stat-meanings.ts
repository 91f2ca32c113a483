// What each STAT letter and modifier means, in plain words, for the legend under the table.

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
  S: '睡眠：可中断等待，等一个事件（定时器、输入、子进程）',
  D: '不可中断等待（通常是磁盘 I/O）',
  T: '暂停：被信号停下（SIGSTOP、Ctrl-Z）',
  t: '被调试器暂停',
  Z: '僵尸进程：已经退出，但父进程还没有回收它的退出状态',
  X: '死亡（你不应该看到它）',
  I: '空闲的内核线程',
  '<': '高优先级（nice < 0）',
  N: '低优先级（nice > 0）',
  s: '会话组组长',
  l: '多线程（每个 Node 进程都是）',
  '+': '前台进程：在其终端的前台进程组里',
};
