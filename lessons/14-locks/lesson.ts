// Lesson 14 — locks: races, locks and semaphores.
//
// The course's ticket office (抢票): buyers are separate processes, the stock is a number in a
// file. Buying is three steps: read the count, pay (a moment passes), write count - 1. If two
// buyers read before either writes, both see the same count and both get "the last ticket": a
// RACE. The cure is a LOCK around the three steps, so one buyer at a time does them.
//
// Locks between processes live in the kernel, not in a variable (processes share no variables):
//   - a lock FILE made with O_EXCL ('wx'): whoever creates it holds it; simple, and goes stale;
//   - flock(2) on an open file: the kernel holds it, and drops it when the holder dies;
//   - a POSIX named SEMAPHORE (sem_open): a counter in shared memory; at most N holders at once.
// Python's multiprocessing.Lock and Semaphore are exactly such a semaphore underneath.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { exited, explain, fact, forkSelf, nextMessage, pidExists, name, paced, posix, question, role, say, sleep, step, tempDir } from '../../lib/lesson/index.js';

const STOCK = 3; // tickets for sale
const BUYERS = 6; // processes that each try to buy one
const LIMIT = 2; // how many may hold the semaphore at once
const WORKERS = 6;

if (role === 'buyer') await buyer();
else if (role === 'holder') await holder();
else if (role === 'worker') await worker();
else await office();

async function office(): Promise<void> {
  name('ticket office');
  const dir = tempDir('locks');
  const tickets = join(dir, 'tickets.json');

  await step('The race: six buyers, three tickets, no lock');
  const raced = await sell(tickets, 'race');
  say(`sold ${raced} tickets, and only ${STOCK} existed.`);
  fact('sold.race', raced);
  fact('stock', STOCK);
  explain('Every buyer read "3 left" before anyone wrote "2 left". Each then wrote 2 over the');
  explain('others. Here a referee (this process) makes every buyer wait until all have read, so you');
  explain('see the race every time. Without it the kernel decides the order: usually oversold,');
  explain('sometimes not (the course relies on time.sleep(0.1)). A race that shows 1 time in 1000 is');
  explain('still a bug.');

  await step('The same with a lock: flock() around read, pay, write');
  // Said while it happens: as soon as the first buyer holds the lock, while the others wait.
  const locked = await sell(tickets, 'lock', () => {
    explain('flock(fd, LOCK_EX) waits until no other open file of tickets.json holds the lock. Watch');
    explain('the titles in the table: one buyer has the (lock), the others (wait), asleep in the kernel.');
  });
  say(`sold ${locked} tickets of ${STOCK}.`);
  fact('sold.lock', locked);
  explain('With the lock, the referee\'s "everyone reads first" cannot happen: it would deadlock.');

  await step('A lock file goes stale when its holder dies');
  const lockFile = join(dir, 'tickets.lock');
  const first = await startHolder(lockFile, 'lockfile');
  say(`buyer ${first.pid} created ${lockFile.slice(dir.length + 1)} with 'wx' (O_CREAT|O_EXCL): it holds the lock.`);
  const refused = await takeLockFile(lockFile, 0);
  say(`we try too: ${refused.taken ? 'we got it?!' : 'EEXIST, refused: it is taken.'}`);
  fact('lockfile.beforeKill', refused.taken);
  await sleep(2000); // look at the table: the holder's row, while it holds the lock
  say(`now kill -9 ${first.pid} (it never gets to delete its lock file) …`);
  // --predict: the student guesses, the table answers (lib/lesson/question.ts).
  await question({ about: first.pid!, ask: 'alive', reveal: 'next-step', prompt: 'The buyer that holds the lock file is killed now. At the next step, what will be left of it?' });
  first.kill('SIGKILL');
  await exited(first);
  const stale = await takeLockFile(lockFile, paced(1500));
  const owner = Number(readFileSync(lockFile, 'utf8'));
  say(`still refused after ${stale.tries} tries in ${paced(1500)} ms. The file says pid ${owner}: ${pidExists(owner) ? 'alive' : 'no such process'}.`);
  fact('lockfile.afterKill', { taken: stale.taken, tries: stale.tries, holder: first.pid, ownerAlive: pidExists(owner) });
  explain('The kernel knows nothing of this lock: it is just a file, and a dead process cannot');
  explain('remove it. Everyone waits forever (we gave up at a deadline). Someone has to remove it by');
  explain('hand, or check the pid in it, which is a race of its own (pids are reused).');
  rmSync(lockFile);

  await step('flock: the kernel lets go when the holder dies');
  const second = await startHolder(tickets, 'flock');
  const ours = openSync(tickets, 'r'); // our own open file: a lock of its own
  const before = posix.flock(ours, 'exclusive', { wait: false });
  say(`buyer ${second.pid} holds flock on tickets.json; we try (LOCK_NB): ${before ? 'got it?!' : 'EWOULDBLOCK, busy.'}`);
  await sleep(2000); // look at the table: the holder's row, while it holds the lock
  say(`kill -9 ${second.pid} …`);
  second.kill('SIGKILL');
  await exited(second);
  const after = posix.flock(ours, 'exclusive', { wait: false });
  say(`we try again: ${after ? 'got it, at once.' : 'still busy?!'}`);
  fact('flock.beforeKill', before);
  fact('flock.afterKill', { taken: after, holder: second.pid });
  posix.flock(ours, 'unlock');
  closeSync(ours);
  explain("A flock belongs to an open file. When a process dies, the kernel closes its files, and");
  explain('the last close of an open file drops its lock: a dead holder cannot block anyone.');

  await step(`A semaphore: at most ${LIMIT} workers at once`);
  const semName = `/procbook-locks-${process.pid}`;
  removeOnExit(semName);
  const semaphore = posix.createSemaphore(semName, LIMIT); // sem_open(name, O_CREAT|O_EXCL, 0600, 2)
  say(`sem_open("${semName}", value ${LIMIT}); ${WORKERS} workers each take it, work 1.5 s, give it back.`);
  const workers = Array.from({ length: WORKERS }, (_, index) => forkSelf('worker', { ipc: true, args: [semName, String(index + 1)] }));
  const opened = workers.map((each) => once(each, 'message'));
  const held = workers.map((each) => nextMessage<Hold>(each, (message) => typeof message === 'object'));
  await Promise.all(opened);
  posix.unlinkSemaphore(semName); // everyone has it open: the name can go now
  say(`all ${WORKERS} have opened it, so we removed its name (sem_unlink); it lives on while open.`);
  // They all go at once (a worker that started late would otherwise find a unit free).
  const holding = workers.map((each) => nextMessage(each, (message) => message === 'holding'));
  for (const each of workers) each.send('go');
  await firstOf(holding, LIMIT);
  say(`its value now: ${semaphore.value() ?? '(this system does not tell)'}: no unit left, the rest wait.`);
  const holds = await Promise.all(held);
  await Promise.all(workers.map(exited));
  semaphore.close();
  const most = mostAtOnce(holds);
  say(`most workers holding it at the same moment: ${most} (limit ${LIMIT}).`);
  fact('sem.limit', LIMIT);
  fact('sem.maxHolders', most);
  explain('sem_wait() takes one unit, or sleeps in the kernel while the value is 0; sem_post() gives');
  explain('it back and wakes a waiter. A semaphore of value 1 is a lock: that is multiprocessing.Lock.');
  explain('Unlike flock, the kernel does not give a unit back if its holder dies.');
}

/**
 * Starts BUYERS buyers on a fresh stock; returns how many tickets they sold. `whileLocked` runs
 * when the first buyer has taken the lock (lock mode).
 */
async function sell(tickets: string, mode: 'race' | 'lock', whileLocked?: () => void): Promise<number> {
  writeFileSync(tickets, JSON.stringify({ count: STOCK }));
  const buyers = Array.from({ length: BUYERS }, (_, index) => forkSelf('buyer', { ipc: true, args: [tickets, mode, String(index + 1)] }));
  let told = false;
  for (const each of buyers) each.on('message', (message) => message === 'locked' && !told && (told = true) && whileLocked?.());
  // The referee (race only): when every buyer has read, tell them all to go on.
  let read = 0;
  for (const each of buyers) each.on('message', (message) => message === 'read' && ++read === BUYERS && buyers.forEach((one) => one.send('go')));
  const bought = await Promise.all(buyers.map((each) => nextMessage<{ bought: boolean }>(each, (message) => typeof message === 'object')));
  await Promise.all(buyers.map(exited));
  const left = (JSON.parse(readFileSync(tickets, 'utf8')) as { count: number }).count;
  fact(`left.${mode}`, left);
  say(`the file says ${left} left.`);
  return bought.filter((each) => each.bought).length;
}

async function buyer(): Promise<void> {
  const [tickets = '', mode = 'race', number = '?'] = process.argv.slice(2);
  name(`buyer ${number}`);
  let lock: number | undefined;
  if (mode === 'lock') {
    lock = openSync(tickets, 'r'); // each buyer its own open file: flock locks belong to it
    name(`buyer ${number} (wait)`);
    posix.flock(lock, 'exclusive'); // this whole process sleeps here while another holds it
    name(`buyer ${number} (lock)`);
    process.send?.('locked');
  }
  const { count } = JSON.parse(readFileSync(tickets, 'utf8')) as { count: number }; // 1. read
  if (mode === 'race') {
    process.send?.('read');
    await once(process, 'message'); // the referee: everyone has read before anyone writes
  }
  const bought = count > 0;
  if (bought) {
    await sleep(800); // 2. pay: a moment passes (the course's time.sleep(0.1)); long enough to watch
    writeFileSync(tickets, JSON.stringify({ count: count - 1 })); // 3. write
  }
  say(bought ? `saw ${count} left: bought one!` : `saw ${count} left: sold out.`);
  fact('buyer', { mode, buyer: Number(number), saw: count, bought });
  if (lock !== undefined) {
    name(`buyer ${number}`);
    posix.flock(lock, 'unlock');
    closeSync(lock);
  }
  process.send?.({ bought });
  process.disconnect?.();
}

/** Takes a lock (a lock file, or flock on a file), says so, and holds it until killed. */
async function holder(): Promise<void> {
  const [path = '', kind = 'lockfile'] = process.argv.slice(2);
  name(`buyer (holds ${kind === 'flock' ? 'flock' : 'lock file'})`);
  if (kind === 'flock') {
    posix.flock(openSync(path, 'r'), 'exclusive');
  } else {
    const fd = openSync(path, 'wx'); // fails with EEXIST if the file exists: that is the lock
    writeSync(fd, String(process.pid));
    closeSync(fd);
  }
  process.on('message', () => undefined); // an open channel keeps us here, holding it
  process.send?.('holding');
}

async function startHolder(path: string, kind: 'lockfile' | 'flock'): Promise<ChildProcess> {
  const child = forkSelf('holder', { ipc: true, args: [path, kind] });
  await once(child, 'message');
  return child;
}

/** The lock-file lock: whoever creates the file ('wx' = O_CREAT|O_EXCL) holds it. Tries until a deadline. */
async function takeLockFile(path: string, deadlineMs: number): Promise<{ taken: boolean; tries: number }> {
  const deadline = Date.now() + deadlineMs;
  for (let tries = 1; ; tries++) {
    try {
      closeSync(openSync(path, 'wx'));
      return { taken: true, tries };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (Date.now() >= deadline) return { taken: false, tries };
    await sleep(100);
  }
}

interface Hold {
  worker: number;
  from: number;
  to: number;
}

async function worker(): Promise<void> {
  const [semName = '', number = '?'] = process.argv.slice(2);
  name(`worker ${number}`);
  const semaphore = posix.openSemaphore(semName); // sem_open(name, 0): the one the office made
  process.send?.('opened');
  await new Promise((resolve) => process.once('message', resolve)); // the office's go
  name(`worker ${number} (waits)`);
  semaphore.wait(); // sem_wait: value 0? this whole process sleeps in the kernel
  process.send?.('holding');
  // The machine's monotonic clock (process.hrtime): one clock for all the workers, so their
  // times can be compared. (performance.now() counts from each process's own start.)
  const from = Number(process.hrtime.bigint()) / 1e6;
  name(`worker ${number} (holds)`);
  await sleep(1500); // three rounds of two: the others wait 3 s (at 1×), long enough to watch
  name(`worker ${number} (done)`);
  const to = Number(process.hrtime.bigint()) / 1e6;
  semaphore.post(); // sem_post: give the unit back, wake a waiter
  semaphore.close();
  const hold: Hold = { worker: Number(number), from, to };
  fact('sem.hold', hold);
  process.send?.(hold);
  process.disconnect?.();
}

/** Resolves once `count` of the promises have. */
function firstOf(promises: Array<Promise<unknown>>, count: number): Promise<void> {
  let done = 0;
  return new Promise((resolve) => promises.forEach((each) => void each.then(() => ++done === count && resolve())));
}

/** The most intervals that overlap at one moment (an end before a start at the same time). */
function mostAtOnce(holds: Hold[]): number {
  const edges = holds.flatMap((hold): Array<[number, number]> => [[hold.from, 1], [hold.to, -1]]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, change] of edges) most = Math.max(most, (now += change));
  return most;
}

/** A semaphore's name outlives every process (Python runs a "resource tracker" process to
 * remove leaked ones). We remove ours however the lesson ends: normally, on error, on Ctrl-C. */
function removeOnExit(semName: string): void {
  const remove = (): void => {
    try {
      posix.unlinkSemaphore(semName);
    } catch {
      // already gone
    }
  };
  process.on('exit', remove);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      remove();
      process.kill(process.pid, signal);
    });
  }
}
