// Solution to exercise 13: processes written as classes (用类的方式开启进程).
import { fact, name, role, say } from '../lib/lesson/index.js';
import { given } from '../lib/exercises/kit.js';
import { bootstrap, Process, PROCESS_ROLE } from '../lessons/13-process-class/process.js';

const { names, workMs } = given(() => ({ names: ['wupeiqi', 'yuanhao', 'nezha'], workMs: 500 }));

/** The course's MyProcess: a subclass of Process whose run() is what the child does. */
class Chatter extends Process {
  constructor(
    readonly person: string,
    readonly ms: number,
  ) {
    super({ name: `chatter ${person}` });
  }

  // run() is called in the NEW process (start() starts it there); calling p.run() directly would
  // run it here, in the parent, one after the other.
  async run(): Promise<void> {
    say(`${this.person} 正在聊天 (pid ${process.pid}, parent ${process.ppid})`);
    ran(this.person);
    await new Promise((resolve) => setTimeout(resolve, this.ms));
  }
}

if (role === PROCESS_ROLE) await bootstrap([Chatter]);
else await main();

async function main(): Promise<void> {
  name('main');
  const chatters = names.map((person) => new Chatter(person, workMs));
  for (const chatter of chatters) chatter.start(); // all of them first: they run at the same time
  await Promise.all(chatters.map((chatter) => chatter.join())); // then wait for every one
  joined(chatters);
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
