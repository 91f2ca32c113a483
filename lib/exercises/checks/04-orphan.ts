// Exercise 04: the parent exits first, without waiting; the child's PPID changes to its adopter
// in the table, the child reports that change, sleeps (not R) while it waits, and ends with 0.
import { adopter, asSeen, childrenOf, endedAt, plural, reportsOf, who } from '../claims.js';
import { describeEnd, fail, waitUntil, type Check } from '../harness.js';

/** A child seen R (running) for more than this share of its wait was spinning, not sleeping. */
const BUSY_SHARE = 0.75;

export const checkOrphan: Check = async ({ start, random }) => {
  const parentMs = random.int(700, 1100);
  const running = start({ parentMs }, { timeoutMs: 10_000, graceMs: 3000 });
  const parentGone = await waitUntil(() => running.exited() !== undefined, parentMs + 2500);
  if (!parentGone) running.kill('SIGKILL');
  const result = await running.done;
  if (!parentGone) fail(`The parent was still running ${((parentMs + 2500) / 1000).toFixed(1)} s after it started, ${parentMs} ms were asked: let it exit without waiting for its child (what keeps a Node parent alive while a child runs?).`);
  if (result.code !== 0 || result.signal !== null) fail(`The parent ${describeEnd(result.code, result.signal)}; it should exit with code 0.`);

  const children = childrenOf(result);
  if (children.length !== 1) fail(`The parent started ${plural(children.length, 'child', 'children')}; it should start one.`);
  const child = children[0]!;
  const adoption = child.reparentings()[0];
  if (!adoption) fail(`The child ${who(child)} was never adopted: it ended while its parent was still there. The parent must exit first.`);
  const parentExit = endedAt(result.timeline.process(result.pid)!);

  // While it waited for its parent to go, was it sleeping or spinning? Counted from the moment
  // its own code ran (it named itself): Node's start-up before that is R too, and on a loaded
  // machine it can fill most of the wait.
  const from = child.record.events.find((event) => event.kind === 'title')?.t ?? child.record.firstSeen;
  const within = (span: { from: number; to: number }): number => Math.max(0, Math.min(span.to, adoption.t) - Math.max(span.from, from));
  const total = child.record.spans.reduce((sum, span) => sum + within(span), 0);
  const busy = child.record.spans.filter((span) => span.stat.startsWith('R')).reduce((sum, span) => sum + within(span), 0);
  if (total >= 200 && busy / total > BUSY_SHARE) {
    fail(`While it waited for its parent to go, the child ${who(child)} was running (STAT R) ${Math.round((100 * busy) / total)}% of the time: it spins in a loop. Sleep between looks (a timer), so the event loop waits in the kernel.`);
  }

  const reports = reportsOf<{ from: number; to: number }>(result, 'adopted').filter((report) => report.pid === child.pid);
  const report = reports[0];
  if (!report) fail(`The orphan ${who(child)} never reported its adoption: report who it was born to and who adopted it.`);
  // The pids it reported are those it knows (its sandbox's): the host's pids they stand for.
  if (result.hostPid(report.value.from) !== result.pid) fail(`The orphan reported it was born to ${report.value.from}, but its parent was ${asSeen(result, result.pid)}.`);
  if (result.hostPid(report.value.to) !== adoption.to) {
    fail(`The orphan reported it was adopted by ${report.value.to}, but the kernel shows ${adopter(adoption.to, result)} (pid ${asSeen(result, adoption.to)}) as its new parent: read process.ppid again once the parent is gone.`);
  }
  if (report.t + 50 < parentExit) fail(`The orphan reported its adoption before its parent had exited.`);
  const exit = child.record.exit;
  if (!exit || child.record.gone === undefined) fail(`The orphan ${who(child)} was still running ${3} s after its parent exited: once adopted, it should report and end.`);
  if (exit.code !== 0 || exit.signal !== null) fail(`The orphan ${who(child)} ${describeEnd(exit.code, exit.signal)}; it should end with code 0.`);
};
