// Exercise 05 — keep a zombie on purpose for a while, then reap it.
//
// The course: 僵尸进程. A child that has exited keeps a row in the process table, STAT Z, until
// its parent collects its exit status (wait/waitpid: "reaping" it). In Node, libuv reaps a child
// as soon as the event loop runs after the child exits; a zombie lasts only while the parent's
// event loop is blocked.
//
// The child (written for you) tells its parent "bye" and exits with code `code`. Make the parent:
//   - once the child has said "bye", keep it a zombie for about `holdMs` ms;
//   - then reap it, and report() its pid and the exit code it got from the kernel;
//   - exit only after that, with code 0.
//
// What the check looks at: the child's rows in the table (STAT Z with PPID = the parent, and for
// how long); who collected it (its parent, not an adopter); the code reported against the kernel's.
//
//   try it:   npx tsx lessons/05-zombie/exercise.ts     (and watch: ps -o pid,ppid,stat,comm)
//   check it: npm run check -- 5          a hint: npm run hint -- 5
import { exited, fact, forkSelf, name, nextMessage, role, say } from '../../lib/lesson/index.js';
import { given } from '../../lib/exercises/kit.js';

const { code, holdMs } = given(() => ({ code: 7, holdMs: 1500 }));

if (role === 'child') child();
else await parent();

async function parent(): Promise<void> {
  name('zombie parent');
  const kid = forkSelf('child', { ipc: true });
  await nextMessage(kid, (message) => message === 'bye'); // it is about to exit
  // TODO: keep the child a zombie for about holdMs ms (what stops libuv from reaping it?),
  //       then wait for it and report(kid.pid, the exit code it ended with).
}

function report(pid: number | undefined, status: number | null): void {
  say(`reaped child ${pid}: exit code ${status}`);
  fact('reaped', { pid, code: status });
}

// ---- the child (written for you) ----
function child(): void {
  name('zombie child');
  process.send?.('bye');
  process.disconnect?.();
  process.exitCode = code;
}
