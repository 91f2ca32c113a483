// Solution to exercise 15: one counter in shared memory, many processes, no update lost.
import { closeSync, existsSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exited, fact, forkSelf, name, posix, role, say } from '../lib/lesson/index.js';
import { given, underCheck } from '../lib/exercises/kit.js';

const { file, workers, increments } = given(() => ({ file: join('/dev/shm', `procbook-counter-${process.pid}`), workers: 4, increments: 200_000 }));

if (role === 'worker') await worker();
else await main();

async function worker(): Promise<void> {
  name(`worker ${process.argv[2]}`);
  // Map the same 4 bytes every process maps: a write here is a read there, no copy, no message.
  const fd = openSync(file, 'r+');
  const memory = posix.mapShared(fd, 4);
  const counter = new Int32Array(memory.buffer);
  await startTogether();
  // counter[0]++ is three steps (read, add, write): two processes can read the same value and
  // one increment is lost. Atomics.add does all three as one indivisible step.
  for (let count = 0; count < increments; count++) Atomics.add(counter, 0, 1);
  memory.unmap();
  closeSync(fd);
}

async function main(): Promise<void> {
  name('shared main');
  if (!existsSync(file)) writeFileSync(file, Buffer.alloc(4)); // 4 bytes of zeros: the counter
  const children = Array.from({ length: workers }, (_, index) => forkSelf('worker', { ipc: true, args: [String(index + 1)] }));
  await goTogether(children);
  await Promise.all(children.map((child) => exited(child)));
  // Every worker has ended: read the counter through a mapping of our own.
  const fd = openSync(file, 'r+');
  const memory = posix.mapShared(fd, 4);
  const total = Atomics.load(new Int32Array(memory.buffer), 0);
  memory.unmap();
  closeSync(fd);
  report(total);
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
