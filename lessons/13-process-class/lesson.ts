// Lesson 13 — the Process class: start, join, is_alive, exitcode, kwargs, join(timeout), terminate, daemon.
//
// Python's multiprocessing wraps "create a process, wait for it, read how it ended" in an object:
// a Process is created (initial), start()ed (a child process now runs its run() method), and
// join()ed (its parent waits for it and collects its exit status). exitcode says how it ended:
// 0, the code it exited with, or -N when signal N killed it. A daemon child is ended by its parent
// when the parent's own code is done.
//
// The class is in ./process.ts. Node has no fork(): start() runs this same file again in the role
// "process", which rebuilds the object and calls its run() (as Python's "spawn" method does).
import { explain, fact, name, question, quote, role, say, sleep, step } from '../../lib/lesson/index.js';
import { bootstrap, Process, PROCESS_ROLE } from './process.js';

// The course's second way: subclass Process and override run().
class Greeter extends Process {
  constructor(readonly person: string) {
    super();
  }
  override async run(): Promise<void> {
    say(`hello ${this.person}: I am ${this.name}, pid ${process.pid}, my parent is ${process.ppid}`);
    fact('greeter.run', { name: this.name, person: this.person, pid: process.pid, ppid: process.ppid });
    await sleep(1000);
  }
}

// A child finds its class or target function by NAME in this list (Python imports it by name).
if (role === PROCESS_ROLE) await bootstrap([Greeter, work, exitWith, crash, nap, snooze, daemonWork, parentOfTwo]);
else await main();

// ── What the children run (targets) ────────────────────────────────────────────────────────────

async function work(who: string): Promise<void> {
  say(`hello ${who}: I run in pid ${process.pid}, my parent is ${process.ppid}`);
  await sleep(2000);
}

/** Works a moment, then ends with this exit code (Python: sys.exit(code)). */
async function exitWith(code: number): Promise<void> {
  await sleep(500);
  process.exitCode = code;
}

async function crash(): Promise<void> {
  await sleep(500);
  throw new Error('something went wrong');
}

async function nap(ms: number): Promise<void> {
  await sleep(ms);
}

/** Takes its arguments by keyword: Python's snooze(ms=…) is snooze({ ms }) here (see kwargs). */
async function snooze({ ms }: { ms: number }): Promise<void> {
  say(`kwargs gave me ms = ${ms}: I nap that long.`);
  fact('snooze.kwargs', { ms });
  process.kill(process.ppid, 'SIGUSR2'); // tell the parent we nap (a signal as a notification)
  await sleep(ms);
}

async function daemonWork(): Promise<void> {
  try {
    new Process({ target: work, args: ['grandchild'] }).start();
  } catch (error) {
    say(`start() in a daemon: ${(error as Error).message}`);
    fact('daemon.start.error', (error as Error).message);
  }
  say('I am the daemon: I mean to work for 30 seconds.');
  process.kill(process.ppid, 'SIGUSR2'); // tell the parent we run (a signal as a notification)
  await sleep(30_000);
  say('the daemon finished its work'); // never printed: the daemon is ended first
}

/** A parent with a daemon child and an ordinary one. */
async function parentOfTwo(): Promise<void> {
  const daemon = new Process({ target: daemonWork, name: 'daemon child', daemon: true });
  const ordinary = new Process({ target: nap, args: [4000], name: 'ordinary child' });
  const daemonRuns = new Promise((resolve) => process.once('SIGUSR2', resolve));
  daemon.start();
  ordinary.start();
  fact('daemon.family', { parent: process.pid, daemon: daemon.pid, ordinary: ordinary.pid });
  await daemonRuns;
  await sleep(2000); // the three rows, together
  say("my code is done: my daemon child is ended now; my ordinary child I wait for.");
  fact('daemon.parentCodeDone', process.pid);
}

// ── The lesson ─────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  name('main');

  await step('start, is_alive, join');
  const p = new Process({ target: work, args: ['bob'] });
  say(`created:  ${p}   is_alive() = ${p.is_alive()}`);
  const aliveBefore = p.is_alive();
  p.start();
  say(`started:  ${p}   is_alive() = ${p.is_alive()}, exitcode = ${p.exitcode}`);
  fact('start', { pid: p.pid, aliveBefore, aliveAfter: p.is_alive(), exitcodeWhileRunning: p.exitcode });
  explain('The table shows the child, PPID = main, asleep (S) in its work.');
  await p.join();
  say(`joined:   ${p}   is_alive() = ${p.is_alive()}`);
  fact('join', { pid: p.pid, exitcode: p.exitcode, alive: p.is_alive() });
  explain('join() waited until the child ended and its exit status was collected: its row is gone.');

  await step('exitcode: how a child ended');
  const endings = [
    new Process({ target: exitWith, args: [0], name: 'ends normally' }),
    new Process({ target: exitWith, args: [3], name: 'exits with 3' }),
    new Process({ target: crash, name: 'throws' }),
  ];
  for (const each of endings) each.start();
  for (const each of endings) await each.join();
  for (const each of endings) quote(`${each}`); // each object's repr, as Python prints one
  fact('exitcodes', endings.map((each) => ({ name: each.name, pid: each.pid, exitcode: each.exitcode })));
  explain('0 is success; sys.exit(3) in Python is process.exitCode = 3 here; an uncaught error');
  explain('ends the child with 1, as an uncaught exception does in Python.');

  await step('kwargs, join(timeout), then terminate()');
  // Python: Process(target=snooze, kwargs={'ms': 30000}). JavaScript has no keyword arguments,
  // so kwargs reach the target as one object, its last argument.
  const sleeper = new Process({ target: snooze, kwargs: { ms: 30_000 }, name: 'sleeper' });
  const napping = new Promise((resolve) => process.once('SIGUSR2', resolve));
  sleeper.start();
  await napping; // it tells us once it naps
  await question({ about: sleeper.pid!, ask: 'alive', reveal: { afterMs: 1200 }, prompt: 'I call join(1.2 s) on a child that naps for 30 s. When join() returns, what is the child?' });
  fact('join.timeout.called', sleeper.pid);
  await sleeper.join(1200); // Python: p.join(1.2): wait at most 1.2 s
  say(`join(1200) returned: is_alive() = ${sleeper.is_alive()}, exitcode = ${sleeper.exitcode}`);
  fact('join.timeout', { pid: sleeper.pid, alive: sleeper.is_alive(), exitcode: sleeper.exitcode });
  explain('join(timeout) waits at most that long, then returns whether or not the child has ended:');
  explain('the sleeper still naps, its row is still there. Ask is_alive() to know which it was.');
  await sleep(2000); // the table shows it napping while you read that
  say(`before:   ${sleeper}`);
  sleeper.terminate();
  await sleeper.join();
  say(`after:    ${sleeper}   exitcode = ${sleeper.exitcode}`);
  fact('terminate', { pid: sleeper.pid, exitcode: sleeper.exitcode });
  explain('terminate() sends SIGTERM. Nothing in the child handles it, so the kernel ends the child');
  explain('at once (no cleanup, no finally). exitcode -15 means "killed by signal 15".');

  await step('daemon: ended when its parent is done');
  const parent = new Process({ target: parentOfTwo, name: 'parent' });
  parent.start();
  explain('Watch the three rows: the daemon child will vanish as soon as its parent\'s code is done,');
  explain('the ordinary child runs to its end, and the parent waits for it before exiting itself.');
  await parent.join();
  quote(`${parent}`);

  await step('A subclass with run()');
  const greeters = ['alex', 'wupeiqi', 'yuanhao'].map((person) => new Greeter(person));
  for (const each of greeters) each.start();
  fact('greeters', greeters.map((each) => ({ name: each.name, pid: each.pid })));
  for (const each of greeters) await each.join();
  say('and run() called directly, without start():');
  await greeters[0]!.run();
  fact('greeter.direct', process.pid);
  explain('start() ran run() in a NEW process (each greeter printed its own pid); calling run()');
  explain('yourself just runs it here, in main, like any method.');

  await step('Forgetting join()');
  const forgotten = new Process({ target: exitWith, args: [0], name: 'never joined' });
  forgotten.start();
  fact('unjoined', forgotten.pid);
  while (forgotten.is_alive()) await sleep(100); // only looks: libuv reaps it, not is_alive()
  fact('unjoined.reaped', forgotten.pid);
  await sleep(1500);
  say(`${forgotten}   (never joined)`);
  explain('The course warns that a child never joined stays a zombie. In Python it does (until the');
  explain("next start()). In Node, libuv reaps every child as soon as it exits: the row is gone, no Z.");
}
