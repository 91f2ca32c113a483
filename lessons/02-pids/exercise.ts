// Exercise 02 — every process says who it is; one child leads a session of its own.
//
// The course: os.getpid() and os.getppid(), and `ps -ajx`, whose PPID, PGID and SID columns say
// who started a process, which group it is in (a shell's job: Ctrl-C reaches the whole group) and
// which session (one login, one terminal). A process that calls setsid() leaves its parent's
// session and group and leads new ones, numbered with its own pid: the `s` in STAT.
//
// The parent (written for you) starts `children` children and waits for them. Make:
//   - every process, the parent and each child, call report() with ITS OWN pid, parent's pid,
//     process group and session, as the kernel gives them to it (not as another process sees it);
//   - the child numbered `leader` (counting from 0) start in a session of its own; the others
//     stay in the parent's session and group.
//
// What the check looks at: each report against the table (the process that sent it, its PPID,
// PGID and SID as /proc shows them); that the leader's SID and PGID are its own pid and its STAT
// has an `s`; that the other children share the parent's session and group.
//
//   try it:   npx tsx lessons/02-pids/exercise.ts     (and compare with: ps -ajx)
//   check it: npm run check -- 2          a hint: npm run hint -- 2
import { exited, fact, forkSelf, name, posix, role, say } from '../../lib/lesson/index.js';
import { given } from '../../lib/exercises/kit.js';

const { children, leader } = given(() => ({ children: 3, leader: 1 }));

if (role === 'child') child();
else await parent();

async function parent(): Promise<void> {
  name('pids parent');
  report();
  // TODO 2: start the child numbered `leader` in a session of its own (a forkSelf option).
  const kids = Array.from({ length: children }, (_, index) => forkSelf('child', { args: [String(index)] }));
  await Promise.all(kids.map((kid) => exited(kid)));
}

function child(): void {
  name(`child ${Number(process.argv[2]) + 1}`);
  report();
}

/** Reports this process's own numbers, as the kernel gives them to it. */
function report(): void {
  // TODO 1: this process's pid, its parent's pid, its process group and its session
  //         (process.…, and posix.processGroupOf(), posix.sessionOf()).
  const me = { pid: 0, ppid: 0, pgid: 0, sid: 0 };
  say(`pid ${me.pid}, parent ${me.ppid}, group ${me.pgid}, session ${me.sid}`);
  fact('me', me);
}
