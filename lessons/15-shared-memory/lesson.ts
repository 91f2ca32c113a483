// Lesson 15 — shared memory: the course's Value and Array, for real.
//
// Every process has its own memory (lesson 01). To share some, two processes ask the kernel to
// map the SAME physical pages into both: mmap(MAP_SHARED) of one file. On Linux such files live
// in /dev/shm, a filesystem in RAM: shm_open() is little more than open("/dev/shm/NAME"). A write
// by one process is then a read by the other: no copy, no message, nothing in between.
//
// Nothing in between means no protection either. `counter += 1` is three steps (read, add,
// write); two processes doing it at once lose updates, as the ticket buyers of lesson 14 did.
// Atomics.add does the three steps as one instruction the CPU will not interleave.
import { once } from 'node:events';
import { closeSync, ftruncateSync, openSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { exited, explain, fact, forkSelf, nextMessage, name, passedFds, posix, question, role, say, sleep, step } from '../../lib/lesson/index.js';

const ADDERS = 4;
// The shared memory: first four 32-bit numbers (an Int32Array: the counter and three flags) …
const COUNTER = 0;
const GO = 1;
const STOP = 2;
const STARTED = 3;
// … then, at these byte offsets, the course's two arrays: Array('i', [1, 2, 3]), three 4-byte
// ints, and Array('c', b"hello"), five bytes.
const INTS = 16;
const CHARS = 28;
const BYTES = 64;

if (role === 'child') await child();
else if (role === 'array child') await arrayChild();
else if (role === 'adder') await adder();
else if (role === 'receiver') await receiver();
else await main();

async function main(): Promise<void> {
  name('lesson');
  try {
    await betweenProcesses();
  } catch (error) {
    if (!(error instanceof posix.PosixUnavailable)) throw error;
    say(`${error.message} What follows is the threads half.`);
  }
  await betweenThreads();
}

async function betweenProcesses(): Promise<void> {
  await step("Memory two processes share: the course's Value");
  const path = join(posix.sharedMemoryDir(), `procbook-shm-${process.pid}`);
  removeOnExit(path);
  const fd = openSync(path, 'wx+'); // shm_open(name, O_CREAT | O_EXCL | O_RDWR)
  ftruncateSync(fd, BYTES); // give it a size
  const memory = posix.mapShared(fd, BYTES); // mmap(NULL, 16, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 0)
  const shared = new Int32Array(memory.buffer);
  say(`${path}: a ${statSync(path).size}-byte file in RAM, mapped into our memory.`);
  unlinkSync(path);
  explain('We removed its name at once, as CPython does: the memory lives on while a process has it');
  explain('open or mapped. Our children get the open file itself (passFds) and map it too.');

  shared[COUNTER] = 5000; // money = Value('i', 5000)
  say(`we wrote ${shared[COUNTER]}; now a child process maps the same file.`);
  await exited(forkSelf('child', { passFds: [fd] }));
  say(`after the child, we read ${shared[COUNTER]}: its write, in our memory.`);
  fact('value.parent.after', shared[COUNTER]);

  await step("The course's Array: numbers and bytes in shared memory");
  const ints = new Int32Array(memory.buffer, INTS, 3); // Array('i', [1, 2, 3])
  const chars = new Uint8Array(memory.buffer, CHARS, 5); // Array('c', b"hello")
  ints.set([1, 2, 3]);
  chars.set(Buffer.from('hello'));
  say(`we wrote Array('i') = [${ints.join(', ')}] and Array('c') = b'${text(chars)}'; a child maps them too.`);
  const arrayKid = forkSelf('array child', { ipc: true, passFds: [fd] });
  // The child tells us nothing. We watch our own memory until its write shows there.
  while (chars[0] === 'h'.charCodeAt(0) && arrayKid.exitCode === null) await sleep(5);
  say(`our memory now says b'${text(chars)}', and [${ints.join(', ')}]: the child's write, while it still runs.`);
  fact('array.parent.saw', { ints: [...ints], chars: text(chars), child: arrayKid.pid });
  await sleep(2000); // look at the table: the array child, still there
  arrayKid.send('seen'); // it may end now
  await exited(arrayKid);
  explain('No message carried it: the child wrote into pages that are ours too. Array is the same');
  explain('shared memory as Value, several items long; Array(\'c\') holds bytes, Array(\'i\') C ints.');

  await step(`${ADDERS} processes add 1 to one counter, without Atomics`);
  let plain = await addTogether('plain', shared, fd, true);
  // An update is lost only when two adders run at the same instant, on two cores. On a busy
  // machine the scheduler may run them in turns on one core, and then nothing is lost. Say so, and
  // try again (at most twice).
  for (let round = 2; plain.total === plain.adds && round <= 3; round++) {
    say(`${plain.adds.toLocaleString('en')} additions, none lost: the adders took turns, never running at the same instant. Again:`);
    plain = await addTogether('plain', shared, fd);
  }
  say(`${plain.adds.toLocaleString('en')} additions, and the counter says ${plain.total.toLocaleString('en')}: ${(plain.adds - plain.total).toLocaleString('en')} lost.`);
  explain('Two adders read the same value, both add 1, both write it back: one addition is lost.');
  explain('Worse, the compiler may keep the counter in a register for a while and write back a value');
  explain('that wipes out many of the others\' additions. Run it again: the loss changes every time.');

  await step('The same with Atomics.add');
  const atomic = await addTogether('atomic', shared, fd);
  say(`${atomic.adds.toLocaleString('en')} additions, and the counter says ${atomic.total.toLocaleString('en')}: none lost.`);
  explain('Atomics.add reads, adds and writes as one indivisible step (a locked instruction on the');
  explain('CPU), so no other core can slip in between. Slower per addition, and exact.');
  memory.unmap(); // munmap: do not touch `shared` after this
  closeSync(fd); // the last reference: the kernel frees the memory
}

/** Starts the adders, lets them add together for half a second, and collects the result. */
async function addTogether(kind: 'plain' | 'atomic', shared: Int32Array, fd: number, ask = false): Promise<{ adds: number; total: number }> {
  shared.fill(0);
  const adders = Array.from({ length: ADDERS }, (_, index) => forkSelf('adder', { ipc: true, passFds: [fd], args: [kind, String(index + 1)] }));
  const ready = adders.map((each) => nextMessage(each, (message) => message === 'ready'));
  const counts = adders.map((each) => nextMessage<number>(each, (message) => typeof message === 'number'));
  await Promise.all(ready);
  // --predict: the student guesses, the table answers (lib/lesson/question.ts).
  if (ask) await question({ about: adders[0]!.pid!, ask: 'stat', reveal: { afterMs: 250 }, prompt: "The adders start now and add as fast as they can, never waiting for anything. What will adder 1's STAT be 0.25 s from now?" });
  Atomics.store(shared, GO, 1); // every adder is waiting for this flag: they start together
  // Each adder counts itself in as it begins (STARTED): the half second below starts once all
  // four are adding, however late a busy machine wakes one of them.
  while (Atomics.load(shared, STARTED) < ADDERS) await sleep(1);
  fact(`${kind}.adding`, adders.map((each) => each.pid));
  // Half a second at any pace: four spinning adders must overlap long enough to lose updates,
  // and the table must get to sample them (a faster pace would leave it no time).
  await new Promise((resolve) => setTimeout(resolve, 500));
  Atomics.store(shared, STOP, 1); // … and stop together
  fact(`${kind}.stopped`, adders.map((each) => each.pid));
  const adds = (await Promise.all(counts)).reduce((sum, count) => sum + count, 0);
  await Promise.all(adders.map(exited));
  const total = Atomics.load(shared, COUNTER);
  fact(`${kind}.adds`, adds);
  fact(`${kind}.total`, total);
  return { adds, total };
}

async function child(): Promise<void> {
  name('child');
  const shared = new Int32Array(posix.mapShared(passedFds()[0]!, BYTES).buffer);
  say(`I read ${shared[COUNTER]} in the memory I mapped.`);
  fact('value.child.saw', shared[COUNTER]);
  await sleep(1000); // look at the table: a second process, its own PID, the same memory
  shared[COUNTER] = shared[COUNTER]! - 736; // money.value -= randint(100, 800)
  say(`I wrote ${shared[COUNTER]}.`);
}

/** The course's fun(): read the arrays (for i in shm: print(i)), then shm[0] = b'H'. */
async function arrayChild(): Promise<void> {
  name('array child');
  const memory = posix.mapShared(passedFds()[0]!, BYTES);
  const ints = new Int32Array(memory.buffer, INTS, 3);
  const chars = new Uint8Array(memory.buffer, CHARS, 5);
  say(`I read [${ints.join(', ')}] and b'${text(chars)}' in the memory I mapped; I write b'H' over b'h'.`);
  fact('array.child.saw', { ints: [...ints], chars: text(chars) });
  chars[0] = 'H'.charCodeAt(0); // shm[0] = b'H'
  await once(process, 'message'); // stay until the lesson has seen it (look at the table: still here)
  process.disconnect();
}

/** The bytes of an Array('c'), as text. */
function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}

async function adder(): Promise<void> {
  const [kind, number] = process.argv.slice(2);
  name(`adder ${number}`);
  const shared = new Int32Array(posix.mapShared(passedFds()[0]!, BYTES).buffer);
  process.send?.('ready');
  while (Atomics.load(shared, GO) === 0) await sleep(1);
  Atomics.add(shared, STARTED, 1);
  let mine = 0; // how many times THIS adder added 1 (its own memory: nobody else touches it)
  if (kind === 'atomic') {
    while (Atomics.load(shared, STOP) === 0) {
      Atomics.add(shared, COUNTER, 1);
      mine++;
    }
  } else {
    while (Atomics.load(shared, STOP) === 0) {
      shared[COUNTER] = shared[COUNTER]! + 1; // read, add, write: three steps
      mine++;
    }
  }
  fact(`adder.${kind}`, { adder: Number(number), adds: mine });
  process.send?.(mine);
  process.disconnect?.();
}

async function betweenThreads(): Promise<void> {
  await step('Threads share a SharedArrayBuffer: one process');
  const buffer = new SharedArrayBuffer(4);
  const counter = new Int32Array(buffer);
  // A worker thread runs JavaScript in this same process, here a few lines of its own.
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const counter = new Int32Array(workerData.buffer);
    for (let i = 0; i < workerData.times; i++) Atomics.add(counter, 0, 1);
    parentPort.postMessage(process.pid);`;
  const TIMES = 1_000_000;
  const threads = [1, 2].map(() => new Worker(code, { eval: true, workerData: { buffer, times: TIMES } }));
  const ended = threads.map((thread) => once(thread, 'exit'));
  const pids = await Promise.all(threads.map(async (thread) => (await once(thread, 'message'))[0] as number));
  await Promise.all(ended);
  say(`2 threads × ${TIMES.toLocaleString('en')} Atomics.add: the counter says ${counter[0]!.toLocaleString('en')}.`);
  say(`their pid: ${pids.join(' and ')}, ours: ${process.pid}. No new row in the table.`);
  fact('threads.pids', pids);
  fact('threads.total', counter[0]);
  fact('threads.expected', 2 * TIMES);
  explain('A SharedArrayBuffer is shared memory between threads of ONE process; worker_threads pass');
  explain('it by reference. It is what Atomics.wait and Atomics.notify were made for.');
  await sleep(2000); // look at the table: only the lesson's own row

  await step('A SharedArrayBuffer cannot go to another process');
  const json = forkSelf('receiver', { ipc: true });
  json.send({ counter: buffer });
  const [arrived] = (await once(json, 'message')) as [unknown];
  say(`sent to a child over the default channel, it arrived as ${JSON.stringify(arrived)}: an empty object, silently.`);
  fact('sab.json', arrived);
  await exited(json);
  const advanced = forkSelf('receiver', { ipc: true, serialization: 'advanced' });
  try {
    advanced.send({ counter: buffer });
    fact('sab.advanced', 'sent');
  } catch (error) {
    say(`with serialization 'advanced' (structured clone), send() throws: "${(error as Error).message}"`);
    fact('sab.advanced', (error as Error).message);
  }
  advanced.disconnect();
  await exited(advanced);
  fact('sab.receivers', [json.pid, advanced.pid]);
  explain('Another process has other memory: a message is always a copy of bytes. To share memory');
  explain('between processes you map the same pages, as in the first steps (Linux: /dev/shm).');
}

async function receiver(): Promise<void> {
  name('receiver');
  process.once('message', (message) => {
    process.send?.(message, () => process.disconnect()); // tell the parent what arrived, then hang up
  });
}

/** The kernel keeps a /dev/shm file until someone removes it, even after every process ended.
 * We remove ours however the lesson ends (it is gone already unless we are interrupted before). */
function removeOnExit(path: string): void {
  const remove = (): void => {
    try {
      unlinkSync(path);
    } catch {
      // gone already
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
