// Solution to exercise 04: the parent exits first; its child notices it has been adopted.
import { fact, forkSelf, name, role, say } from '../lib/lesson/index.js';
import { given } from '../lib/exercises/kit.js';

const { parentMs } = given(() => ({ parentMs: 1000 }));

if (role === 'child') await child();
else parent();

function parent(): void {
  name('orphan parent');
  const kid = forkSelf('child');
  say(`started child ${kid.pid}; I exit in ${parentMs} ms without waiting for it`);
  // A ChildProcess keeps Node's event loop alive until the child exits: unref() lets the parent
  // end without it. Nobody waits for the child any more: when the parent exits, it is an orphan.
  kid.unref();
  setTimeout(() => say('exiting now'), parentMs);
}

async function child(): Promise<void> {
  name('orphan');
  const born = process.ppid; // the parent it was born to
  // process.ppid is read from the kernel each time. Look every 20 ms, sleeping in between: the
  // event loop waits in the kernel, the process shows S, not R.
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (process.ppid === born) return;
      clearInterval(timer);
      resolve();
    }, 20);
  });
  say(`my parent ${born} is gone; I was adopted by ${process.ppid}`);
  fact('adopted', { from: born, to: process.ppid });
}
