// Solution to exercise 06: collect every child, and report each in the order they end.
import type { ChildProcess } from 'node:child_process';
import { exited, fact, forkSelf, name, role, say } from '../lib/lesson/index.js';
import { given } from '../lib/exercises/kit.js';

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
  // One waiter per child, all at once: each reports the moment its child's 'exit' comes (libuv
  // has collected the status by then). Awaiting them one by one in a for loop would report in
  // the order they were started instead.
  await Promise.all(
    kids.map(async (kid) => {
      const { code, signal } = await exited(kid);
      report(kid, code, signal);
    }),
  );
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
