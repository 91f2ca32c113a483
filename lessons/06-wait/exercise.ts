// Exercise 06 — collect every child, and report how each ended in the order they end.
//
// The course: os.wait() in a loop returns the children in the order they END, not the order they
// were started, and a child whose status nobody collects stays a zombie (STAT Z) in the table.
// In Node, libuv collects the status for you as soon as the event loop runs; what is left to you
// is to wait for it the right way.
//
// The parent starts the children listed in `children` (written for you: each works for a while,
// then exits with a code, or is killed by a signal). Write `reapAll`:
//   - call report(child, code, signal) once for every child, AS SOON AS that child has ended, so
//     the reports come in the order the children end, not the order they were started;
//   - return only when every child has been collected;
//   - leave no zombie: keep the event loop free (no busy loop, no blocking sleep), so each ended
//     child is collected at once.
//
// What the check looks at: the order of your reports against the order in which the children
// ended, as the kernel showed it; each reported status against the kernel's; how long each child
// stayed a zombie; that every child was collected by this process before it exited.
//
//   try it:   npx tsx lessons/06-wait/exercise.ts
//   check it: npm run check -- 6          a hint: npm run hint -- 6
import type { ChildProcess } from 'node:child_process';
import { exited, fact, forkSelf, name, role, say } from '../../lib/lesson/index.js';
import { given } from '../../lib/exercises/kit.js';

interface Plan {
  /** How long the child works, in ms. */
  ms: number;
  /** It then exits with this code … */
  code?: number;
  /** … or is killed by this signal. */
  signal?: NodeJS.Signals;
}

const { children } = given((): { children: Plan[] } => ({
  children: [{ ms: 900, code: 3 }, { ms: 300, code: 0 }, { ms: 600, signal: 'SIGTERM' }, { ms: 100, code: 42 }],
}));

if (role === 'child') await child();
else await parent();

async function parent(): Promise<void> {
  name('wait parent');
  const kids = children.map((_plan, index) => forkSelf('child', { args: [String(index)] }));
  say(`started ${kids.length} children: ${kids.map((kid) => kid.pid).join(', ')}`);
  await reapAll(kids);
  say('every child has been collected');
}

/** Waits for every child; reports each one as soon as it ends. */
async function reapAll(kids: ChildProcess[]): Promise<void> {
  // TODO: for every child, as soon as it ends: report(kid, code, signal).
  //       Return once all of them have ended.
}

/** Reports how one child ended. Call it exactly once per child, as soon as that child has ended. */
function report(kid: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
  say(`child ${kid.pid} ended: ${signal ? `killed by ${signal}` : `exit code ${code}`}`);
  fact('status', { pid: kid.pid, code, signal });
}

// ---- the children (written for you) ----
async function child(): Promise<void> {
  const index = Number(process.argv[2]);
  const plan = children[index]!;
  name(`child ${index + 1}`);
  await new Promise((resolve) => setTimeout(resolve, plan.ms));
  if (plan.signal) process.kill(process.pid, plan.signal);
  else process.exitCode = plan.code ?? 0;
}
