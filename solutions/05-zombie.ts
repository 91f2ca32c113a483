// Solution to exercise 05: keep a zombie for a while on purpose, then reap it and report its status.
import { blockEventLoop, exited, fact, forkSelf, name, nextMessage, role, say } from '../lib/lesson/index.js';
import { given } from '../lib/exercises/kit.js';

const { code, holdMs } = given(() => ({ code: 7, holdMs: 1500 }));

if (role === 'child') child();
else await parent();

async function parent(): Promise<void> {
  name('zombie parent');
  const kid = forkSelf('child', { ipc: true });
  await nextMessage(kid, (message) => message === 'bye'); // it is about to exit
  // libuv collects an exited child only while the event loop runs. Block the loop, and the child,
  // once it has exited, stays a zombie (Z, PPID = me): its exit status waits for me in the kernel.
  blockEventLoop(holdMs);
  // The loop runs again: libuv calls waitpid(), the zombie is gone, and 'exit' brings its status.
  const { code: status } = await exited(kid);
  say(`reaped child ${kid.pid}: exit code ${status}`);
  fact('reaped', { pid: kid.pid, code: status });
}

// ---- the child (written for you) ----
function child(): void {
  name('zombie child');
  process.send?.('bye');
  process.disconnect?.();
  process.exitCode = code;
}
