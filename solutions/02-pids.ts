// Solution to exercise 02: every process reports who it is, and one child leads a session of its own.
import { exited, fact, forkSelf, name, posix, role, say } from '../lib/lesson/index.js';
import { given } from '../lib/exercises/kit.js';

const { children, leader } = given(() => ({ children: 3, leader: 1 }));

if (role === 'child') child();
else await parent();

async function parent(): Promise<void> {
  name('pids parent');
  report();
  // detached: true makes the child call setsid() before it runs: a new session, and a new
  // process group, both numbered with its own pid. The others stay in ours.
  const kids = Array.from({ length: children }, (_, index) => forkSelf('child', { args: [String(index)], detached: index === leader }));
  await Promise.all(kids.map((kid) => exited(kid)));
}

function child(): void {
  name(`child ${Number(process.argv[2]) + 1}`);
  report();
}

/** Reports this process's own numbers, as the kernel gives them to it. */
function report(): void {
  const me = { pid: process.pid, ppid: process.ppid, pgid: posix.processGroupOf(), sid: posix.sessionOf() };
  say(`pid ${me.pid}, parent ${me.ppid}, group ${me.pgid}, session ${me.sid}`);
  fact('me', me);
}
