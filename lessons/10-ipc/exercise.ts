// Exercise 10 — a producer and a consumer, two siblings joined by a named FIFO.
//
// The course: processes share no memory, so they talk through the kernel (IPC): Pipe(), Queue().
// A pipe made by a parent joins it to a child; to join two SIBLINGS, the parent must hand both of
// them an end. Node cannot make a pipe(2) nor hand its ends around, but a FIFO (a pipe with a
// name in the filesystem, mkfifo) can be opened by any process that knows its name.
//
// Make:
//   - main create the FIFO at `fifo` (posix.makeFifo), start a producer and a consumer, wait for
//     both, then remove the FIFO;
//   - the producer open the FIFO for writing and write each of `items`, one per line, `gapMs`
//     apart, then close it;
//   - the consumer open it for reading, call got(item) for every item as it reads it, in order,
//     and end by itself when the producer is done (read() returns 0 at the end).
//
// What the check looks at: the two processes in the table, both children of main; every item
// reported, in order, by the consumer (not by main, not by the producer); that both ended by
// themselves with code 0; that the FIFO is gone afterwards.
//
//   try it:   npx tsx lessons/10-ipc/exercise.ts     (and: ls -l on the FIFO while it runs)
//   check it: npm run check -- 10         a hint: npm run hint -- 10
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { exited, fact, forkSelf, name, posix, role, say, tempDir } from '../../lib/lesson/index.js';
import { given } from '../../lib/exercises/kit.js';

const { fifo, items, gapMs } = given(() => ({ fifo: join(tempDir('ipc'), 'numbers'), items: [3, 14, 15, 92, 65], gapMs: 100 }));

if (role === 'producer') await producer();
else if (role === 'consumer') consumer();
else await main();

async function main(): Promise<void> {
  name('ipc main');
  // TODO 1: create the FIFO, start the producer and the consumer, wait for both, remove the FIFO.
}

async function producer(): Promise<void> {
  name('producer');
  // TODO 2: open the FIFO for writing; write each item on its own line, gapMs apart; close it.
}

function consumer(): void {
  name('consumer');
  // TODO 3: open the FIFO for reading; read until the end, calling got(item) for each line.
}

/** The consumer reports each item it read, as it reads it. */
function got(item: number): void {
  say(`got ${item}`);
  fact('got', item);
}
