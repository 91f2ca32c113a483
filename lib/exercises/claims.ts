// Claims the checks share, each failing with one plain sentence.
import type { TableRow } from '../observe/observer.js';
import type { ProcessHistory } from '../observe/timeline.js';
import { describeEnd, fail, seconds, type Finished } from './harness.js';

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
  fail(`It ${describeEnd(run.code, run.signal)}${said ? `: ${said}` : ''}${said?.endsWith('.') ? '' : '.'}`);
}

/** The processes the exercise's first process started itself. */
export function childrenOf(run: Finished, pid = run.pid): ProcessHistory[] {
  return run.timeline.processes().filter((history) => history.firstParent === pid && history.pid !== pid);
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
 * In a sandbox, no child was still running when the exercise's first process ended. There, an
 * orphan has no time to be adopted: the kernel ends every process of the sandbox's pid namespace
 * as its first process ends. Such a child is one its parent never saw end (no exit reported on
 * the control channel, which forkSelf does for every child it started) that vanished only as the
 * first process ended. A report can be missed (read before its sender was ever sampled, on a
 * starved checker): use it to explain a failure the check has already found, not as a claim.
 */
export function noChildCutShort(run: Finished, children: ProcessHistory[], advice: string): void {
  const end = run.timeline.data.end?.t;
  if (run.insidePid(run.pid) === undefined || end === undefined) return;
  for (const child of children) {
    if (child.record.exit?.source === 'parent') continue;
    if (child.record.gone !== undefined && child.record.gone < end) continue;
    fail(`The child ${who(child)} was still running when its parent exited (an orphan), so the sandbox ended it with the exercise: ${advice}`);
  }
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
 * Who took in an orphan: the check (a subreaper, as the runner is, it stands in for init), init
 * (in a sandbox, its own: PID 1 of its pid namespace), or some pid.
 */
export function adopter(pid: number, run?: Finished): string {
  if (pid === process.pid) return 'the check';
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
