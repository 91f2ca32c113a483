// Exercise 03: each child ends as it was told, as the kernel reported it (an exit code, or the
// signal that killed it: SIGABRT for abort), and its parent received every byte of its message.
import { childrenCollected, childrenOf, exitedCleanly, howEnded, plural, reportsOf, who } from '../claims.js';
import { fail, type Check } from '../harness.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

type Ending = { code: number } | { signal: NodeJS.Signals } | { abort: true };

function told(ending: Ending): string {
  if ('code' in ending) return `to exit with code ${ending.code}`;
  if ('signal' in ending) return `to be killed by ${ending.signal}`;
  return 'to abort() (killed by SIGABRT)';
}

export const checkExit: Check = async ({ work, run, random }) => {
  const endings: Ending[] = random.shuffle([
    { code: random.int(1, 126) },
    { signal: random.pick(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR2'] as const) },
    { abort: true },
    ...(random.int(2) === 0 ? [{ code: random.int(1, 126) }] : []),
  ]);
  const bytes = random.int(1_500_000, 3_000_000);
  const dir = join(work, 'children'); // where a core dump of abort() would land
  mkdirSync(dir);
  const result = await run({ dir, endings, bytes });
  exitedCleanly(result);

  const children = childrenOf(result);
  if (children.length !== endings.length) fail(`It started ${plural(children.length, 'child', 'children')}; there should be ${endings.length}.`);
  const reports = reportsOf<{ index: number; pid: number; received: number }>(result, 'ended');
  for (const [index, ending] of endings.entries()) {
    const child = children.find((each) => each.title.trim() === `child ${index + 1}`) ?? [...children].sort((a, b) => a.pid - b.pid)[index]!;
    const exit = child.record.exit;
    const whose = `Child ${index + 1}, ${who(child)},`;
    if (!exit) fail(`The kernel gave no exit status for child ${index + 1} (${who(child)}).`);
    const wanted = 'code' in ending ? { code: ending.code, signal: null } : { code: null, signal: 'signal' in ending ? ending.signal : 'SIGABRT' };
    if (exit.code !== wanted.code || exit.signal !== wanted.signal) {
      const shell = 'signal' in ending && exit.code !== null && exit.code > 128 ? ` (${exit.code} = 128 + the signal's number is how a shell shows a death by signal; the status itself says "killed by")` : '';
      fail(`${whose} ended with ${howEnded(exit)}; it was told ${told(ending)}${shell}.`);
    }
    const report = reports.find((each) => each.value.index === index);
    if (!report) fail(`The parent never reported child ${index + 1}.`);
    const received = report.value.received;
    if (received !== bytes) {
      const why = 'code' in ending
        ? 'process.exit() ends the process before Node has written everything; process.exitCode lets it finish first'
        : 'it ended before Node had handed its whole message to the kernel: wait until stdout has written everything, then end';
      fail(`${whose} ended as told, but its parent received only ${received} of its ${bytes} bytes: ${why}.`);
    }
  }
  childrenCollected(result, children, 'the parent waits for every child.');
};
