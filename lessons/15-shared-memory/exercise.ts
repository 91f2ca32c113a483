// Exercise 15 — one counter, many processes, no update lost.
//
// The course: Value and Array, memory shared between processes. Processes share no memory unless
// they ask the kernel for it: mmap(MAP_SHARED) of one file (in /dev/shm, the way CPython does it
// on Linux) gives every process that maps it the same bytes. And `counter += 1` is not one step:
// read, add, write back. Two processes that read the same value lose an increment.
//
// The counter is 4 bytes of `file` (main creates it for you). Make:
//   - each worker map the file (posix.mapShared) and add 1 to the counter `increments` times,
//     without losing an update, however the workers interleave;
//   - main, once every worker has ended, read the counter through its own mapping and report() it.
//
// What the check looks at: the counter in the shared file, read by the check itself after the run
// (it must be workers x increments); main's report against it; the workers in the table, children
// of main, ended with code 0 and collected.
//
//   try it:   npx tsx lessons/15-shared-memory/exercise.ts
//   check it: npm run check -- 15         a hint: npm run hint -- 15
import { closeSync, existsSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exited, fact, forkSelf, name, posix, role, say } from '../../lib/lesson/index.js';
import { given, underCheck } from '../../lib/exercises/kit.js';

const { file, workers, increments } = given(() => ({ file: join('/dev/shm', `procbook-counter-${process.pid}`), workers: 4, increments: 200_000 }));

if (role === 'worker') await worker();
else await main();

async function worker(): Promise<void> {
  name(`worker ${process.argv[2]}`);
  // TODO 1: open the file and map its 4 bytes (posix.mapShared); view them as an Int32Array.
  await startTogether();
  // TODO 2: add 1 to the counter `increments` times, losing no update; then unmap and close.
}

async function main(): Promise<void> {
  name('shared main');
  if (!existsSync(file)) writeFileSync(file, Buffer.alloc(4)); // 4 bytes of zeros: the counter
  const children = Array.from({ length: workers }, (_, index) => forkSelf('worker', { ipc: true, args: [String(index + 1)] }));
  await goTogether(children);
  await Promise.all(children.map((child) => exited(child)));
  // TODO 3: read the counter through a mapping of main's own, and report(total).
  report(0);
  if (!underCheck) rmSync(file, { force: true });
}

// ---- written for you ----
function report(total: number): void {
  say(`${workers} workers x ${increments} increments: the counter says ${total} (${workers * increments} expected)`);
  fact('total', total);
}

/** Waits until every worker is ready, then says go to all: they start adding at the same moment. */
async function goTogether(children: ReturnType<typeof forkSelf>[]): Promise<void> {
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('message', resolve))));
  for (const child of children) child.send('go');
}

async function startTogether(): Promise<void> {
  const go = new Promise((resolve) => process.once('message', resolve));
  process.send?.('ready');
  await go;
  process.disconnect?.();
}
