// Lesson 06 — wait: collecting what a child left behind.
//
// When a process ends, the kernel keeps its exit status until the parent collects it; until then
// the dead child is a zombie (lesson 05). In C or Python the parent collects it itself:
//   pid, status = os.wait()              block until ANY child ends
//   pid, status = os.waitpid(pid, 0)     block until THAT child ends
//   pid, status = os.waitpid(-1, os.WNOHANG)   just ask: (0, 0) if none has ended yet
//
// Node collects it for you: libuv, its event loop, calls waitpid() for each child it started as
// soon as the kernel says one ended (SIGCHLD), and turns the status into the child's 'exit' event,
// (code, signal). What is left to a Node program is how to WAIT for that event. This lesson
// shows each form of wait() in its Node version, and how to read an exit status. One form has
// no Node version: blocking the whole process until a child that already runs ends. spawnSync
// blocks the whole process, but only for a new child it starts itself (step 2).
import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { performance } from 'node:perf_hooks';
// spawnSync as Node's, from the lesson API: it also tells the runner the child's pid and status.
import { checkpoint, exited, explain, fact, forkSelf, name, paced, question, quote, role, say, sentence, sleep, spawnSync, step } from '../../lib/lesson/index.js';

if (role === 'child') await child();
else await parent();

/** Child i works until the time it was given, then exits with code 100 + i: the code says who it was. */
async function child(): Promise<void> {
  const [i = 0, endAt = 0] = process.argv.slice(2).map(Number);
  name(`child ${i}`);
  await new Promise((resolve) => setTimeout(resolve, endAt - Date.now()));
  process.exitCode = 100 + i;
}

async function parent(): Promise<void> {
  name('parent');
  const statuses: Array<{ i: number; code: number | null; signal: NodeJS.Signals | null }> = [];

  await step('Wait for one child (os.waitpid(pid, 0))');
  // --predict: the student guesses, the table answers (lib/lesson/question.ts).
  await question({ about: process.pid, ask: 'stat', reveal: { afterMs: 500 }, prompt: 'I will start child 1, which runs for 1.5 s, and wait for it. What will my own STAT be 0.5 s from now?' });
  const one = start(1, 1500);
  const loop = watchEventLoop();
  const first = await exited(one);
  statuses.push({ i: 1, ...first });
  fact('ticks.await', loop.stop().ticks);
  say(`child 1 ended: code ${first.code}, signal ${first.signal}.`);
  explain('`await exited(child)` is waitpid(pid, 0): the next line runs only once the child ended.');
  explain(`But only this function waited: the event loop went on (a timer fired ${loop.ticks} times`);
  explain('meanwhile), and it was libuv, not this line, that collected the status.');

  await step('spawnSync: the whole process waits');
  const sync = watchEventLoop();
  // A child that exits with 102 after 1.5 s. spawnSync returns only once it has ended and been reaped.
  const result = spawnSync(
    process.execPath,
    ['-e', `process.title = 'child 2'; console.log(process.argv[1]);
      setTimeout(() => process.exit(102), ${paced(1500)})`, sentence('child 2: I run for 1.5 s, then exit 102.')],
    { stdio: 'inherit' },
  );
  fact('lag.spawnSync', sync.stop().longest);
  fact('child', { i: 2, pid: result.pid });
  statuses.push({ i: 2, code: result.status, signal: result.signal });
  say(`spawnSync returned: pid ${result.pid}, status ${result.status}, signal ${result.signal}.`);
  explain(`The whole process waited, as in Python's os.wait(): for ${sync.longest} ms nothing else ran here,`);
  explain('not even a timer. But spawnSync waits only for the child it starts itself: Node has no call');
  explain('that blocks on a child already running. Fine in a script; in a server it would freeze every client.');

  await step('Ask without blocking (os.waitpid(pid, WNOHANG))');
  const three = start(3, 1500);
  let polls = 0;
  while (three.exitCode === null && three.signalCode === null) {
    polls++;
    say(`poll ${polls}: child 3 is still running (exitCode null), so I do something else.`);
    await sleep(400);
  }
  fact('polls', polls);
  statuses.push({ i: 3, code: three.exitCode, signal: three.signalCode });
  say(`poll ${polls + 1}: child 3 has ended with code ${three.exitCode}.`);
  explain('WNOHANG asks the kernel right now. `child.exitCode` tells what libuv has ALREADY collected,');
  explain('and libuv collects only while the event loop runs: a loop that spins without `await`');
  explain('would see null forever. Poll with a pause that lets the loop run.');

  await step('Wait for whichever ends first (os.wait(), CS:APP waitpid1)');
  let running = [{ i: 4, kid: start(4, 3000) }, { i: 5, kid: start(5, 1000) }, { i: 6, kid: start(6, 2000) }];
  const byCompletion: number[] = [];
  while (running.length > 0) {
    // Promise.race settles with the first promise that settles: the first child to end.
    const next = await Promise.race(running.map(async (each) => ({ ...each, ...(await exited(each.kid)) })));
    say(`child ${next.i} (pid ${next.kid.pid}) ended: code ${next.code}`);
    statuses.push({ i: next.i, code: next.code, signal: next.signal });
    byCompletion.push(next.i);
    running = running.filter((each) => each.kid !== next.kid);
  }
  fact('order.any', byCompletion);
  explain('Started 4, 5, 6; reported in the order they ended. That is wait() in a loop.');

  await step('Wait in the order they were started (CS:APP waitpid2)');
  const inOrder = [{ i: 7, kid: start(7, 3000) }, { i: 8, kid: start(8, 1000) }, { i: 9, kid: start(9, 2000) }];
  await question({ about: inOrder[1]!.kid.pid!, ask: 'alive', reveal: 'next-step', prompt: 'I wait for child 7 first (it ends after 3 s), but child 8 ends after 1 s. When I have collected child 7, what is child 8?' });
  const byCreation: number[] = [];
  for (const each of inOrder) {
    const { code, signal } = await exited(each.kid);
    say(`child ${each.i} ended: code ${code}`);
    fact('collected', each.i);
    statuses.push({ i: each.i, code, signal });
    byCreation.push(each.i);
    // The moment C's waitpid2 would show child 8 as a zombie: look at the table now.
    if (each.i === 7) await checkpoint('child 7 collected: where is child 8?');
  }
  fact('order.created', byCreation);
  explain('In C, waitpid(pid[0]) first leaves child 8 a zombie until its turn comes. Here child 8');
  explain('left the table the moment it ended: libuv reaped it; `exited()` hands over a status it');
  explain('already has. In Node the order you ASK in never keeps a dead child in the table.');

  await step('Exit statuses, decoded');
  const victim = start(10, 10_000);
  await sleep(1000);
  victim.kill('SIGTERM');
  await question({ about: victim.pid!, ask: 'exit', codes: [110, 143], reveal: { afterMs: 1000 }, prompt: 'I just sent child 10 a SIGTERM (it has no handler). How will I be told it ended?' });
  const killed = await exited(victim);
  statuses.push({ i: 10, ...killed });
  say(`child 10 was killed: code ${killed.code}, signal ${killed.signal}.`);
  say('child  Node (code, signal)  wait status  Python                shell $?');
  for (const { i, code, signal } of statuses.sort((a, b) => a.i - b.i)) {
    // The raw status wait() gives C and Python: the exit code in bits 8-15, or the signal in bits 0-6.
    const number = signal === null ? 0 : constants.signals[signal];
    const raw = signal === null ? (code ?? 0) << 8 : number;
    const python = signal === null ? `WEXITSTATUS = ${code}` : `WTERMSIG = ${number}`;
    const shell = signal === null ? code : 128 + number;
    fact('status', { i, code, signal, raw, shell });
    const node = `(${code}, ${signal === null ? 'null' : `'${signal}'`})`;
    quote(`${String(i).padEnd(6)} ${node.padEnd(20)} ${`0x${raw.toString(16).padStart(4, '0')}`.padEnd(12)} ${python.padEnd(21)} ${shell}`);
  }
  explain('Node splits the status for you: a code if the child exited, a signal name if it was killed.');
  explain('Only a shell folds both into one number: 128 + the signal (143 = 128 + SIGTERM 15).');
  explain("Python's subprocess says -15 for the same thing. Every child was collected: none is left.");
}

/**
 * Starts child i, which exits with 100 + i after `ms`. It is told WHEN to end rather than for how
 * long: a busy machine may take a while to start a Node process, and that must not change the order.
 */
function start(i: number, ms: number): ChildProcess {
  const kid = forkSelf('child', { args: [String(i), String(Date.now() + paced(ms))] });
  fact('child', { i, pid: kid.pid });
  return kid;
}

/** A timer every 100 ms: how often it fired, and the longest gap (how long the event loop stood still). */
function watchEventLoop(): { ticks: number; longest: number; stop(): { ticks: number; longest: number } } {
  let last = performance.now();
  const watch = {
    ticks: 0,
    longest: 0,
    stop() {
      clearInterval(timer);
      watch.longest = Math.round(Math.max(watch.longest, performance.now() - last));
      return watch;
    },
  };
  const timer = setInterval(() => {
    const now = performance.now();
    watch.ticks++;
    watch.longest = Math.max(watch.longest, Math.round(now - last));
    last = now;
  }, paced(100));
  return watch;
}
