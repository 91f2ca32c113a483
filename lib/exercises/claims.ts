// Claims the checks share, each failing with one plain sentence.
import type { TableRow } from '../observe/observer.js';
import type { ProcessHistory } from '../observe/timeline.js';
import { describeEnd, fail, seconds, type Finished } from './harness.js';
import { KEEPER_PID } from './keeper.js';

/** The first line of an error the exercise printed (Node's "Error: …" under the source line). */
export function errorLine(run: Finished): string | undefined {
  for (const line of run.output) {
    if (line.stream !== 'stderr') continue;
    const text = line.text.trim();
    if (/^(?:[A-Z][A-Za-z]*)?(?:Error|Exception)\b(?: \[[A-Z_]+\])?:/.test(text)) return text.length > 160 ? `${text.slice(0, 157)}…` : text;
  }
  return undefined;
}

/** The exercise ran to its end by itself and exited 0. */
export function exitedCleanly(run: Finished): void {
  if (run.timedOut) {
    fail(`It was still running after ${seconds(run.timeoutMs)}, so the check stopped it (is it waiting for something that never comes, or is a child keeping it alive?).`);
  }
  if (run.code === 0 && run.signal === null) return;
  const said = errorLine(run);
  // Each way it can end, written out: a sentence of its own to translate, not "It {}".
  const how = run.signal ? `was killed by ${run.signal}` : `exited with code ${run.code}`;
  fail(`It ${how}${said ? `: ${said.replace(/\.$/, '')}` : ''}.`);
}

/** The processes the exercise's first process started itself. */
export function childrenOf(run: Finished, pid = run.pid): ProcessHistory[] {
  return run.timeline.processes().filter((history) => history.firstParent === pid && history.pid !== pid);
}

/**
 * A pid of the host's as the exercise itself knows it: in a sandbox, its pid namespace's (the
 * numbers it printed and reported); otherwise the same pid.
 */
export function asSeen(run: Pick<Finished, 'insidePid'>, pid: number): number {
  return run.insidePid(pid) ?? pid;
}

/** "pid 1234 (copy child)" */
export function who(history: ProcessHistory): string {
  const title = history.title.trim();
  return title && !title.includes('/') && title.length <= 40 ? `pid ${history.pid} (${title})` : `pid ${history.pid}`;
}

/** When the process was last seen alive (its exit, or its disappearance). */
export function endedAt(history: ProcessHistory): number {
  return history.record.exit?.t ?? history.record.gone ?? history.when('exited') ?? Number.POSITIVE_INFINITY;
}

/**
 * Every child ended before its parent and was collected by it: none was left an orphan (adopted
 * by the runner or PID 1) or a zombie.
 */
export function childrenCollected(run: Finished, children: ProcessHistory[], advice: string): void {
  for (const child of children) {
    const adopted = child.reparentings()[0];
    if (adopted) {
      fail(`The child ${who(child)} was still running when its parent exited (an orphan, adopted by ${adopter(adopted.to, run)}): ${advice}`);
    }
    if (child.record.reapedBy !== undefined && child.record.reapedBy !== run.pid) {
      fail(`The child ${who(child)} was collected by ${adopter(child.record.reapedBy, run)}, not by its parent: ${advice}`);
    }
    if (child.record.gone === undefined) fail(`The child ${who(child)} was still there when the run ended: ${advice}`);
  }
}

/**
 * Who took in an orphan: the check (a subreaper, as the runner is, it stands in for init), in a
 * sandbox its keeper (the same, inside: keeper.ts) or its init (PID 1 of its pid namespace),
 * init, or some pid.
 */
export function adopter(pid: number, run?: Finished): string {
  if (pid === process.pid) return 'the check';
  if (run?.insidePid(pid) === KEEPER_PID) return "the sandbox's keeper (a subreaper that stands in for init)";
  if (run?.insidePid(pid) === 1) return "the sandbox's init (PID 1 of its pid namespace)";
  if (pid === 1) return 'init (PID 1)';
  return `pid ${pid}`;
}

/** The children of `pid` in the live table now (not gone, not zombies), as "pid N (title)". */
export function liveChildren(rows: TableRow[], pid: number): string[] {
  return rows
    .filter((row) => row.ppid === pid && row.gone === undefined && !row.stat.startsWith('Z'))
    .map((row) => {
      const title = row.title.trim();
      return title && !title.includes('/') && title.length <= 40 ? `pid ${row.pid} (${title})` : `pid ${row.pid}`;
    });
}

/** Counts and lists: "1 child", "3 children". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "Pid 12 (child)": a sentence may start with it. */
export function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The most of these processes alive at the same moment, from when each was first and last seen. */
export function mostAtOnce(processes: ProcessHistory[]): number {
  const moments = processes.flatMap((each) => [
    { t: each.record.firstSeen, step: 1 },
    { t: endedAt(each), step: -1 },
  ]);
  moments.sort((a, b) => a.t - b.t || a.step - b.step);
  let alive = 0;
  let most = 0;
  for (const moment of moments) most = Math.max(most, (alive += moment.step));
  return most;
}

/** A report the exercise made (a fact): its value, when, and which process made it. */
export interface Report<T> {
  t: number;
  pid: number;
  value: T;
}

/** Every report of this name, in the order they came. */
export function reportsOf<T>(run: Finished, name: string): Array<Report<T>> {
  return run.timeline.data.facts.filter((fact) => fact.name === name).map((fact) => ({ t: fact.t, pid: fact.pid, value: fact.value as T }));
}

/** "exit code 3", "killed by SIGTERM" */
export function howEnded(end: { code: number | null; signal: string | null }): string {
  return end.signal ? `killed by ${end.signal}` : `exit code ${end.code}`;
}

/** The processes still alive (not gone, not zombies) in the live table, below `pid` at any depth. */
export function liveDescendants(rows: TableRow[], pid: number): string[] {
  const below = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const row of rows) if (!below.has(row.pid) && below.has(row.ppid)) (below.add(row.pid), (grew = true));
  }
  return rows
    .filter((row) => row.pid !== pid && below.has(row.pid) && row.gone === undefined && !row.stat.startsWith('Z'))
    .map((row) => {
      const title = row.title.trim();
      return title && !title.includes('/') && title.length <= 40 ? `pid ${row.pid} (${title})` : `pid ${row.pid}`;
    });
}

/**
 * What each process of the exercise said as it exited (kit.ts): its parent then (as the host's
 * pid: in a sandbox it said its namespace's), and what the kernel counted it reading and writing.
 * A process that lived less than a sample or two may be missing from the table on a loaded
 * machine; its own report at exit is still there.
 */
export function exitReports(run: Finished): Map<number, { ppid: number; wchar: number; rchar: number }> {
  const reports = new Map<number, { ppid: number; wchar: number; rchar: number }>();
  for (const fact of run.timeline.data.facts) {
    if (fact.name !== 'exercise.io') continue;
    const value = fact.value as { ppid: number; wchar: number; rchar: number };
    reports.set(fact.pid, { ...value, ppid: run.hostPid(value.ppid) });
  }
  return reports;
}
