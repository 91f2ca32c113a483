// Exercise 05: the child was a zombie (Z, PPID = the parent) for about the time asked, then its
// parent collected it and reported the exit code the kernel gave.
import { adopter, asSeen, childrenOf, exitedCleanly, plural, reportsOf, who } from '../claims.js';
import { fail, type Check } from '../harness.js';

export const checkZombie: Check = async ({ run, random }) => {
  const code = random.int(1, 126);
  const holdMs = random.int(700, 1100);
  const result = await run({ code, holdMs }, { timeoutMs: 8000 });
  exitedCleanly(result);

  const children = childrenOf(result);
  if (children.length !== 1) fail(`The parent started ${plural(children.length, 'child', 'children')}; it should start one.`);
  const child = children[0]!;
  const exit = child.record.exit;
  if (exit && (exit.code !== code || exit.signal !== null)) fail(`The child ${who(child)} did not end as written (exit code ${code}): do not change the child.`);
  const zombie = child.timeIn('Z', { ppid: result.pid });
  if (zombie === 0) fail(`The child ${who(child)} was never seen a zombie (STAT Z): its parent collected it at once. Keep it uncollected for about ${holdMs} ms first.`);
  if (zombie < holdMs / 2) fail(`The child ${who(child)} was a zombie for only ${Math.round(zombie)} ms; about ${holdMs} ms were asked.`);
  if (zombie > holdMs + 1500) fail(`The child ${who(child)} stayed a zombie for ${Math.round(zombie)} ms, far longer than the ${holdMs} ms asked.`);
  if (child.reparentings().length > 0 || (child.record.reapedBy !== undefined && child.record.reapedBy !== result.pid)) {
    const by = child.record.reapedBy ?? child.reparentings()[0]!.to;
    fail(`The zombie ${who(child)} was collected by ${adopter(by, result)}, not by its parent: the parent exited without reaping it. Wait for the child before exiting.`);
  }
  const report = reportsOf<{ pid: number; code: number | null }>(result, 'reaped').find((each) => each.pid === result.pid);
  if (!report) fail('The parent never reported the child it reaped.');
  if (result.hostPid(report.value.pid) !== child.pid) fail(`The parent reported pid ${report.value.pid}, but its child was ${asSeen(result, child.pid)}.`);
  if (report.value.code !== code) fail(`The parent reported exit code ${report.value.code}, but the kernel says ${code}: take the status from the child's exit, once it has been reaped.`);
};
