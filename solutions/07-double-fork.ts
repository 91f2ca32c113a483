// Solution to exercise 07: start a daemon with a double fork.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exited, fact, forkSelf, name, posix, role, say, tempDir } from '../lib/lesson/index.js';
import { given } from '../lib/exercises/kit.js';

const { pidFile, workMs } = given(() => ({ pidFile: join(tempDir('daemon'), 'daemon.pid'), workMs: 2000 }));

if (role === 'middle') middle();
else if (role === 'daemon') await daemon();
else await launcher();

async function launcher(): Promise<void> {
  name('launcher');
  const kid = forkSelf('middle');
  // Reap the middle process (it exits at once): it must not stay a zombie.
  const { code } = await exited(kid);
  say(`the middle process ${kid.pid} is gone (code ${code}); the daemon runs on without me`);
}

function middle(): void {
  name('middle');
  // detached: the daemon calls setsid(): a session of its own, no terminal, out of our group.
  const kid = forkSelf('daemon', { detached: true });
  // Do not wait for it: unref() lets this process exit now. Its child is then an orphan, adopted
  // by init (or the nearest subreaper), and nobody here has to reap it.
  kid.unref();
  say(`started the daemon ${kid.pid}; exiting`);
}

// ---- the daemon (written for you) ----
async function daemon(): Promise<void> {
  name('daemon');
  writeFileSync(pidFile, `${process.pid}\n`);
  await new Promise((resolve) => setTimeout(resolve, workMs)); // its work
  say(`done; my parent now is ${process.ppid}, my session ${posix.sessionOf()}`);
  fact('daemon', { pid: process.pid, ppid: process.ppid, sid: posix.sessionOf() });
  rmSync(pidFile, { force: true });
}
