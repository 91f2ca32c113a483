// Exercise 06: every child reported once, with the status the kernel gave, in the order the
// kernel saw them end, promptly; no child left a zombie or an orphan.
import type { Random } from '../random.js';
import { childrenCollected, childrenOf, endedAt, exitedCleanly, plural, who } from '../claims.js';
import { fail, type Check, type Finished } from '../harness.js';
import type { ProcessHistory } from '../../observe/timeline.js';

interface Status {
  pid: number;
  code: number | null;
  signal: string | null;
}

/** Two ends closer than this may be reported either way round (the sampling and the runner's clock). */
const SAME_TIME_MS = 60;
/** A report may come this long after the child ended (generous: a loaded machine is slow). */
const PROMPT_MS = 800;
/** A child seen as a zombie for longer than this was not collected at once. */
const ZOMBIE_MS = 600;
/**
 * A child that ended this much after the parent said all were collected was still running then.
 * Generous: where the kernel's exit reports are not available, an end is seen a sample late.
 */
const SAID_EARLY_MS = 300;

function shuffle<T>(items: T[], random: Random): T[] {
  for (let index = items.length - 1; index > 0; index--) {
    const other = random.int(index + 1);
    [items[index], items[other]] = [items[other]!, items[index]!];
  }
  return items;
}

/** The children's planned ends are this far apart at first (doubled at each run again). */
const SPACING_MS = 200;
/** At most this many runs, should the children keep ending in the order they started. */
const RUNS = 3;

export const checkReapAll: Check = async ({ run, random }) => {
  // Four children, ending about 200 ms apart in an order that is never the order they start in:
  // reports in the order of the starts are then seen to be wrong. On a busy machine each child's
  // start may lag enough that they end in the order they started after all: that run shows
  // nothing of the order, and the check runs the exercise again, the ends further apart.
  let plans: Plan[] = [];
  let result!: Finished;
  let children: ProcessHistory[] = [];
  for (let attempt = 0; attempt < RUNS; attempt++) {
    plans = planChildren(random, SPACING_MS * 2 ** attempt);
    result = await run({ children: plans });
    exitedCleanly(result);
    children = childrenOf(result);
    if (children.length !== plans.length) fail(`It started ${plural(children.length, 'child', 'children')}; it should start the ${plans.length} it is given.`);
    if (!endedInStartOrder(children)) break;
  }
  const byPid = new Map(children.map((child) => [child.pid, child]));
  // The pids it reports are its own (in a sandbox, its pid namespace's): the host's are the kernel's.
  const reports = result.timeline.data.facts
    .filter((fact) => fact.name === 'status')
    .map((fact) => ({ ...fact, value: { ...(fact.value as Status), pid: result.hostPid((fact.value as Status).pid) } }));
  if (reports.length === 0) fail('It reported no status: call report(child, code, signal) once for each child, as it ends.');

  const seen = new Set<number>();
  for (const report of reports) {
    const status = report.value as Status;
    const child = byPid.get(status.pid);
    if (!child) fail(`It reported pid ${status.pid}, which is not one of its children.`);
    if (seen.has(status.pid)) fail(`It reported ${who(child)} twice: report each child once.`);
    seen.add(status.pid);
    const exit = child.record.exit;
    if (exit && (exit.code !== status.code || exit.signal !== status.signal)) {
      const said = status.signal ? `killed by ${status.signal}` : `exit code ${status.code}`;
      const truth = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
      fail(`It reported ${who(child)} as ${said}, but the kernel says ${truth}.`);
    }
  }
  const missing = children.filter((child) => !seen.has(child.pid));
  if (missing.length > 0) {
    fail(`It reported ${reports.length} of ${plans.length} children: ${missing.map(who).join(', ')} ${missing.length === 1 ? 'was' : 'were'} never reported.`);
  }

  for (const child of children) {
    const zombie = child.timeIn('Z');
    if (zombie > ZOMBIE_MS) {
      fail(`${capital(who(child))} stayed a zombie (STAT Z) for ${Math.round(zombie)} ms: its status was not collected while the parent's event loop was busy (no busy loop, no blocking sleep).`);
    }
  }
  for (let index = 1; index < reports.length; index++) {
    const before = byPid.get((reports[index - 1]!.value as Status).pid)!;
    const after = byPid.get((reports[index]!.value as Status).pid)!;
    if (endedAt(after) + SAME_TIME_MS < endedAt(before)) {
      fail(`${capital(who(after))} ended before ${who(before)} but was reported after it: report each child as it ends, not in the order they were started.`);
    }
  }
  for (const report of reports) {
    const child = byPid.get((report.value as Status).pid)!;
    const late = report.t - endedAt(child);
    if (late > PROMPT_MS) fail(`${capital(who(child))} was reported ${Math.round(late)} ms after it ended: report each child as soon as it ends, not all at the end.`);
  }

  childrenCollected(result, children, 'the parent must wait for every child before it exits.');

  // reapAll returns only once every child has ended: the parent says so right after it returns.
  const said = result.output.find((line) => line.stream === 'stdout' && line.text.endsWith(COLLECTED));
  if (!said) fail(`The parent never said "${COLLECTED}": reapAll() never returned.`);
  const running = children.filter((child) => endedAt(child) > said.t + SAID_EARLY_MS);
  if (running.length > 0) {
    fail(`The parent said "${COLLECTED}" while ${running.map(who).join(', ')} ${running.length === 1 ? 'was' : 'were'} still running: reapAll() must return only once every child has ended (await them all).`);
  }
};

/** What the parent (written for you) says once reapAll() has returned. */
const COLLECTED = 'every child has been collected';

interface Plan {
  ms: number;
  code?: number;
  signal?: string;
}

/** Four children's plans: the order their work ends in is never the order they are started in. */
function planChildren(random: Random, spacingMs: number): Plan[] {
  let order: number[];
  do order = shuffle([0, 1, 2, 3], random);
  while (order.every((value, index) => value === index));
  const codes = shuffle(Array.from({ length: 120 }, (_, index) => index + 1), random).slice(0, 3);
  const killedBy = (['SIGTERM', 'SIGINT', 'SIGKILL'] as const)[random.int(3)];
  const killed = random.int(4);
  return order.map((slot, index) => ({
    ms: 50 + slot * spacingMs + random.int(30),
    ...(index === killed ? { signal: killedBy } : { code: codes.pop() ?? 0 }),
  }));
}

/** Whether the kernel saw them end in the order they were started (forked), give or take what may be reported either way round. */
function endedInStartOrder(children: ProcessHistory[]): boolean {
  const started = [...children].sort((a, b) => a.record.startTicks - b.record.startTicks || a.record.firstSeen - b.record.firstSeen);
  return started.every((child, index) => index === 0 || endedAt(started[index - 1]!) <= endedAt(child) + SAME_TIME_MS);
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
