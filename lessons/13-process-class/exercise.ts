// Exercise 13 — processes written as classes (用类的方式开启进程).
//
// The course's homework: 多进程的类方法实现. Besides Process(target=f), Python starts a process
// by subclassing Process and overriding run(): p.start() starts a new process, and run() runs in
// it; p.join() waits for it. ./process.ts is that class in TypeScript, with Python's names.
//
// Make:
//   - a subclass of Process whose run() calls ran(person) and then works for `ms` ms (the
//     course's MyProcess: 正在和……聊天);
//   - main make one for each of `names`, start them all so that they run at the same time, join
//     every one, and only then call joined(…) with them.
//
// What the check looks at: one child process per name in the table, each a child of main; every
// ran() report made by such a child, not by main (run() called directly runs in main); the
// children alive at the same time; joined() after every child had ended, with their exit codes.
//
//   try it:   npx tsx lessons/13-process-class/exercise.ts
//   check it: npm run check -- 13         a hint: npm run hint -- 13
import { fact, name, role, say } from '../../lib/lesson/index.js';
import { given } from '../../lib/exercises/kit.js';
import { bootstrap, Process, PROCESS_ROLE } from './process.js';

const { names, workMs } = given(() => ({ names: ['wupeiqi', 'yuanhao', 'nezha'], workMs: 500 }));

// TODO 1: class Chatter extends Process, with a constructor taking the person and the ms, and a
//         run() that calls ran(person) and then waits ms milliseconds.

// TODO 2: bootstrap() must know your class by name: add it to the list.
if (role === PROCESS_ROLE) await bootstrap([]);
else await main();

async function main(): Promise<void> {
  name('main');
  // TODO 3: one Chatter per name; start them all; join them all; then joined(theProcesses).
}

// ---- reports (written for you) ----
/** Called by run(): which person, in which process. */
function ran(person: string): void {
  fact('run', { person, pid: process.pid, ppid: process.ppid });
}

/** Called by main once every process has been joined. */
function joined(processes: Process[]): void {
  say('主进程: every process has been joined');
  fact('joined', processes.map((each) => ({ pid: each.pid, exitcode: each.exitcode })));
}
