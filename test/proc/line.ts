// Builds a /proc/<pid>/stat line the way the kernel prints it (proc(5)): "pid (comm) state" and
// then 49 numbers, the last one the exit code. Each field a test cares about can be set.
import type { ProcStat } from '../../lib/proc/stat.js';
/** Every field of the line a test may set: the fields parseStat() reads back. */
export type StatFields = ProcStat;

export const defaults: StatFields = {
  pid: 4242,
  comm: 'node',
  state: 'S',
  ppid: 4000,
  pgid: 4100,
  sid: 4200,
  ttyNr: 34816,
  tpgid: 4300,
  utime: 17,
  stime: 3,
  nice: 0,
  threads: 1,
  startTicks: 284453,
  exitStatus: 0,
};

/** The numbers after the state, 49 of them (fields 4 to 52 of proc(5)); `count` cuts them short. */
export function statLine(fields: Partial<StatFields> = {}, count = 49): string {
  const f = { ...defaults, ...fields };
  // Every field the parser does not read gets a value of its own (900 + its index), so a parser
  // that reads the wrong column gets a number no test expects.
  const numbers = Array.from({ length: 49 }, (_, index) => 900 + index);
  const set = (field: number, value: number): void => {
    numbers[field - 4] = value;
  };
  set(4, f.ppid);
  set(5, f.pgid);
  set(6, f.sid);
  set(7, f.ttyNr);
  set(8, f.tpgid);
  set(14, f.utime);
  set(15, f.stime);
  set(19, f.nice);
  set(20, f.threads);
  set(22, f.startTicks);
  set(52, f.exitStatus);
  return `${f.pid} (${f.comm}) ${f.state} ${numbers.slice(0, count).join(' ')}\n`;
}
