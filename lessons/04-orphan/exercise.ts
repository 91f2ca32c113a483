// Exercise 04 — make an orphan, and let it notice its adoption.
//
// The course: 孤儿进程. When a parent exits before its child, the child is not killed: it is
// adopted, by init (PID 1) or by the nearest "subreaper" (systemd --user, a container's init,
// procbook's runner; under a check, the checker, or in its sandbox the sandbox's keeper), and its
// PPID changes. Its new parent collects its status when it ends.
//
// Make:
//   - the parent start one child and exit `parentMs` ms later WITHOUT waiting for the child;
//   - the child notice when its parent is gone (its parent's pid changes), then report() who it
//     was born to and who adopted it, and exit with code 0. While it waits, it must sleep, not
//     spin: look again every few milliseconds, with the event loop free.
//
// What the check looks at: the parent exits before its child; the child's PPID changes in the
// table from the parent to its adopter; the child's report against that change; the child's STAT
// while it waits (S, not R: a busy loop shows R); that the child then ends with code 0.
//
//   try it:   npx tsx lessons/04-orphan/exercise.ts
//   check it: npm run check -- 4          a hint: npm run hint -- 4
import { exited, fact, forkSelf, name, role, say } from '../../lib/lesson/index.js';
import { given } from '../../lib/exercises/kit.js';

const { parentMs } = given(() => ({ parentMs: 1000 }));

if (role === 'child') await child();
else await parent();

async function parent(): Promise<void> {
  name('orphan parent');
  const kid = forkSelf('child');
  say(`started child ${kid.pid}`);
  // TODO 1: exit `parentMs` ms from now, without waiting for the child. (What keeps a Node
  //         parent alive while its child runs?)
  await exited(kid);
}

async function child(): Promise<void> {
  name('orphan');
  const born = process.ppid; // the parent it was born to
  // TODO 2: wait, sleeping, until the parent is gone; then report who adopted you.
  report(born, process.ppid);
}

function report(from: number, to: number): void {
  say(`born to ${from}, adopted by ${to}`);
  fact('adopted', { from, to });
}
