// Exercise 07 — start a daemon with a double fork.
//
// The course: 二级子进程. A server started from a terminal should not stay the child of that
// terminal's shell, nor in its session. The classic way: fork a child, which forks the daemon
// (the grandchild) in a new session and exits at once. The first process reaps the middle one;
// the grandchild, an orphan now, is adopted by init, which will reap it: nobody has to wait for it.
// (Under a check, a subreaper stands in for init: the checker, or in its sandbox the sandbox's
// keeper, which keeps the sandbox for the daemon after the launcher has exited.)
//
// The daemon itself (written for you) writes its pid to `pidFile`, works for `workMs` ms, and
// removes the pid file. Write the launcher and the middle process:
//   - the launcher starts the middle process, reaps it, and exits with code 0 (not waiting for the
//     daemon: it outlives the launcher);
//   - the middle process starts the daemon in a session of its own, and exits at once, without
//     waiting for it.
//
// What the check looks at: three generations in the table (launcher, middle, daemon); the middle
// process reaped by the launcher; the daemon's PPID changing from the middle process to its
// adopter; the daemon leading its own session (SID = its pid, STAT s); the launcher gone before
// the daemon; the pid file naming the daemon while it ran.
//
//   try it:   npx tsx lessons/07-double-fork/exercise.ts     (and: ps -o pid,ppid,sid,stat,comm)
//   check it: npm run check -- 7          a hint: npm run hint -- 7
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exited, fact, forkSelf, name, posix, role, say, tempDir } from '../../lib/lesson/index.js';
import { given } from '../../lib/exercises/kit.js';

const { pidFile, workMs } = given(() => ({ pidFile: join(tempDir('daemon'), 'daemon.pid'), workMs: 2000 }));

if (role === 'middle') middle();
else if (role === 'daemon') await daemon();
else await launcher();

async function launcher(): Promise<void> {
  name('launcher');
  // TODO 1: start the middle process (role 'middle'), wait until it has exited, and end.
  await daemon(); // (for now the launcher does the daemon's work itself)
}

function middle(): void {
  name('middle');
  // TODO 2: start the daemon (role 'daemon') in a session of its own, and exit at once,
  //         without waiting for it.
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
