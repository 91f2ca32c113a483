// Lesson 08 — signals: tapping a process on the shoulder.
//
// A signal is a small number the kernel delivers to a process: kill(pid, SIGTERM) in C,
// os.kill(pid, signal.SIGTERM) in Python, child.kill('SIGTERM') or process.kill(pid, …) in Node.
// Each signal has a DEFAULT action (most end the process; SIGSTOP stops it, SIGCHLD is ignored),
// and a process may install a HANDLER to do something else instead, except for SIGKILL and
// SIGSTOP, which the kernel carries out itself. A parent learns how its child ended as
// (code, signal): an exit code, or the signal that killed it.
//
// Node: process.on('SIGTERM', handler) installs a handler. SIGUSR1 is taken by Node (it starts
// the debugger), so the lesson uses SIGUSR2 for "your own" signal.
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { exited, explain, fact, forkSelf, name, pidExists, posix, question, role, say, sleep, spawnSelfWithLibc, step } from '../../lib/lesson/index.js';

// Signals a program may ask for a progress report with: SIGINFO (Ctrl-T) exists only on BSD and macOS.
const REPORT_SIGNALS = ['SIGUSR2', 'SIGINFO'] as const;

if (role === 'worker') await worker();
else if (role === 'ticker') await ticker();
else if (role === 'stubborn') await stubborn();
else if (role === 'child') await quickChild();
else if (role === 'ignorer') await ignorer();
else if (role === 'ignored') await ignoredChild();
else await parent();

async function parent(): Promise<void> {
  name('parent');
  const results: Array<{ who: string; code: number | null; signal: string | null }> = [];
  // The kernel sends SIGCHLD to a parent whenever a child ends, stops or continues.
  process.on('SIGCHLD', () => {
    say('SIGCHLD: a child of mine ended, stopped or continued.');
    fact('sigchld', true);
  });

  await step('A handler: report progress, then stop cleanly');
  const work = await started('worker');
  await sleep(1200);
  for (const report of REPORT_SIGNALS) send(work, report);
  await sleep(1200);
  // --predict: the student guesses, the table answers (lib/lesson/question.ts).
  await question({ about: work.pid!, ask: 'exit', codes: [143], reveal: 'next-step', prompt: 'I now send the worker SIGTERM; it has a handler for it. How will it end?' });
  send(work, 'SIGTERM');
  results.push({ who: 'worker', ...(await ended(work)) });
  say(`the worker ended: (code ${work.exitCode}, signal ${work.signalCode}).`);
  explain('Its handlers replaced the default action (which is to die): it reported, and on SIGTERM it');
  explain('finished its job and exited 0. Stopping services this way (SIGTERM, then wait) is the norm.');

  await step('No handler: SIGINT, what Ctrl-C sends');
  const plain = forkSelf('child', { args: ['child (no handlers)', '10000'] });
  await sleep(1200);
  send(plain, 'SIGINT');
  await question({ about: plain.pid!, ask: 'exit', codes: [130], reveal: 'next-step', prompt: 'I just sent SIGINT to a child with no handlers. How will I be told it ended?' });
  results.push({ who: 'no handlers', ...(await ended(plain)) });
  say(`it ended: (code ${plain.exitCode}, signal ${plain.signalCode}); a shell would print 130 = 128 + 2.`);
  explain('Ctrl-C in a terminal sends SIGINT to every process of the foreground group. With no');
  explain('handler, the default action ends the process. (In Node, merely adding a SIGINT or SIGTERM');
  explain('listener removes that default: the process then stays until it exits by itself.)');

  await step('SIGSTOP and SIGCONT: T in the table');
  const tick = await started('ticker');
  await sleep(1200);
  send(tick, 'SIGSTOP');
  await question({ about: tick.pid!, ask: 'stat', reveal: { afterMs: 1000 }, prompt: 'The ticker just got SIGSTOP. What will its STAT be 1 s from now?' });
  say('SIGSTOP sent: the ticker is frozen, its STAT is T.');
  fact('stopped', tick.pid);
  // A stopped process acts on no signal but SIGKILL and SIGCONT: Ctrl-C now would leave it stopped
  // forever. So if we are interrupted, we end it (SIGTERM), wake it (SIGCONT), and end ourselves.
  const release = (signal: NodeJS.Signals): void => {
    tick.kill('SIGTERM');
    tick.kill('SIGCONT');
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', release).once('SIGTERM', release);
  await sleep(1000);
  say('still stopped: not one tick since. Its timer is due, but a stopped process does not run.');
  await sleep(2000);
  send(tick, 'SIGCONT');
  process.off('SIGINT', release).off('SIGTERM', release);
  say('SIGCONT sent: it runs again, as if nothing happened.');
  fact('continued', tick.pid);
  await sleep(2000);
  send(tick, 'SIGTERM');
  results.push({ who: 'ticker', ...(await ended(tick)) });
  explain('Stopping is not ending: the process keeps its memory and open files, and is just not');
  explain('scheduled (Ctrl-Z in a shell sends SIGTSTP, a catchable SIGSTOP). The kernel told us with');
  explain('SIGCHLD when it stopped and continued, but Node has no event for that (C would use');
  explain('waitpid with WUNTRACED / WCONTINUED): only the table shows it.');

  await step('SIGKILL cannot be caught');
  const stub = await started('stubborn');
  send(stub, 'SIGTERM');
  await sleep(1000);
  say(`after SIGTERM the stubborn child is still running (exitCode ${stub.exitCode}). So: SIGKILL.`);
  await sleep(2000); // look at the table: still there, though it was sent SIGTERM
  send(stub, 'SIGKILL');
  results.push({ who: 'stubborn', ...(await ended(stub)) });
  explain('SIGKILL is carried out by the kernel: no handler runs, nothing is cleaned up. Use it last.');

  await step('SIGCHLD: the kernel tells the parent');
  // Each starts once the one before is running, and lives 0.7 s longer: they end apart, in order,
  // however slowly a busy machine starts Node.
  const kids: ChildProcess[] = [];
  for (const i of [1, 2, 3]) {
    const kid = await started('child', [`child ${i}`, String(i * 700)]);
    kid.on('exit', (code) => say(`'exit': child ${kid.pid} ended with code ${code}.`));
    kids.push(kid);
  }
  await Promise.all(kids.map(ended));
  explain("On each SIGCHLD, Node's own handler (libuv's) runs first: it collects the child's status");
  explain("with waitpid() and fires 'exit'. Our listener runs after it, in the same turn of the event loop.");

  await step('SIG_IGN: the kernel reaps for a parent that never waits');
  // The course's third way to avoid zombies: signal(SIGCHLD, SIG_IGN) before forking tells the
  // kernel "I will never wait()": each child is discarded the moment it exits, status and all.
  // Not here: a disposition is one per process, and in this process SIGCHLD is libuv's, which
  // learns through it that a child it started has ended. SIG_IGN here would let the kernel
  // discard those statuses first: no 'exit' would ever fire. So a child of ours, which starts
  // nothing through Node (libuv installs its handler only at a process's first spawn), ignores
  // SIGCHLD and starts ITS child with the C library's posix_spawn, which libuv never sees.
  say(`SIGCHLD in me: ${posix.childExitDisposition()} (libuv's, since my first child).`);
  const ignoring = forkSelf('ignorer', { ipc: true });
  const { pid: ignored } = await once(ignoring, 'message').then(([message]) => message as { pid: number });
  await question({ about: ignored, ask: 'alive', reveal: 'next-step', prompt: "The ignorer ignores SIGCHLD and never waits. Its child exits in 0.5 s: at the next step, what is left of that child?" });
  await exited(ignoring);
  explain('Its row ended the moment it exited, and never turned Z, though its parent never waited:');
  explain('the kernel reaped it. Node gets the same from libuv without SIG_IGN, as long as its event');
  explain("loop runs: every child it started is reaped and reported with 'exit' (step 5).");

  say('how each child ended, as its parent saw it:');
  for (const { who, code, signal } of results) {
    say(`  ${who.padEnd(12)} (code ${code}, signal ${signal})`);
    fact('result', { who, code, signal });
  }
}

/** Sends a signal, or says in one sentence that this system has no such signal. */
function send(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!(signal in constants.signals)) {
    say(`${signal} does not exist on ${process.platform}: skipped.`);
    fact('skipped', signal);
    return;
  }
  say(`→ ${signal} to pid ${child.pid}`);
  fact('sent', { pid: child.pid, signal });
  child.kill(signal);
}

/** Waits for the child's 'exit', then for the end of this turn of the event loop (our SIGCHLD listener runs in it). */
async function ended(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const how = await exited(child);
  await new Promise((resolve) => setImmediate(resolve));
  return how;
}

/** Starts a child and waits for its "ready": a signal sent before its handler exists would kill it. */
async function started(part: string, args: string[] = []): Promise<ChildProcess> {
  const child = forkSelf(part, { ipc: true, args });
  await once(child, 'message');
  return child;
}

async function worker(): Promise<void> {
  name('worker');
  let jobs = 0;
  let stopping = false;
  for (const report of REPORT_SIGNALS) {
    if (report in constants.signals) {
      process.on(report, () => {
        say(`${report}: progress report: ${jobs} jobs done so far.`);
        fact('worker.report', { signal: report, jobs });
      });
    }
  }
  process.on('SIGTERM', () => {
    say('SIGTERM: I finish the job I am on, then exit.');
    stopping = true;
  });
  process.send?.('ready');
  while (!stopping) {
    await sleep(500); // one job
    jobs++;
  }
  say(`job ${jobs} done; saving my results.`);
  await sleep(500);
  fact('worker.finished', jobs);
  process.exitCode = 0;
}

async function ticker(): Promise<void> {
  name('ticker');
  process.send?.('ready');
  for (let n = 1; n <= 30; n++) {
    say(`tick ${n}`);
    fact('tick', n);
    await sleep(400);
  }
}

async function stubborn(): Promise<void> {
  name('stubborn');
  process.on('SIGTERM', () => say('SIGTERM? I ignore it and carry on.'));
  try {
    process.on('SIGKILL', () => say('this never runs'));
  } catch (error) {
    // Node asks libuv, libuv asks the kernel (sigaction), and the kernel says EINVAL: not allowed.
    say(`process.on('SIGKILL') threw: ${(error as Error).message}`);
    fact('sigkill.handler', (error as Error).message);
  }
  process.send?.('ready');
  await sleep(10_000);
}

/** Ignores SIGCHLD, starts a child without libuv, and never waits for it. */
async function ignorer(): Promise<void> {
  name('ignorer');
  say(`SIGCHLD in me: ${posix.childExitDisposition()} (no handler: libuv never started a child here).`);
  posix.ignoreChildExits(); // signal(SIGCHLD, SIG_IGN)
  say(`signal(SIGCHLD, SIG_IGN) done: SIGCHLD in me is now ${posix.childExitDisposition()}.`);
  fact('ignorer.disposition', posix.childExitDisposition());
  const pid = spawnSelfWithLibc('ignored'); // posix_spawn: a child libuv knows nothing of
  say(`started child ${pid} with posix_spawn. I will not wait() for it: I only ask whether its pid exists.`);
  process.send?.({ pid });
  // kill(pid, 0) answers for a zombie too: the pid stays taken until someone reaps it.
  const deadline = Date.now() + 20_000;
  while (pidExists(pid) && Date.now() < deadline) await sleep(50);
  const gone = !pidExists(pid);
  const waited = posix.waitForChild(pid); // what wait() would get now
  const answer = 'error' in waited ? waited.error : 'exited' in waited ? 'a status' : 'still running';
  say(`pid ${pid} ${gone ? 'is gone' : 'is still there'}; waitpid(${pid}) now: ${answer}.`);
  fact('ignorer.result', { pid, gone, waitpid: answer });
  process.disconnect();
}

async function ignoredChild(): Promise<void> {
  name('child (SIG_IGN)');
  say('my parent ignores SIGCHLD. I exit in half a second.');
  await sleep(500);
}

async function quickChild(): Promise<void> {
  const [title = 'child', ms = '0'] = process.argv.slice(2);
  name(title);
  process.send?.('ready'); // when started with a channel (step 5), the next one starts now
  await sleep(Number(ms));
}
