// Exercise 09 — a pool's map: ordered results, reused workers.
//
// Python's Pool(3).map(f, items) runs f on every item in 3 worker processes started once, and
// returns the results in the items' order, whichever finished first. Starting a process costs
// tens of milliseconds; a pool pays it once per worker, not once per item.
//
// The pool below starts its `processes` workers (written for you); each worker runs slowSquare on
// one item at a time and sends back the result. Write `map(items)`:
//   - give each idle worker the next item; when a worker sends a result back, give it the next
//     item, until every item has been done;
//   - never give a worker a second item while it is still working on one;
//   - resolve with the results in the ITEMS' order (results[i] is the square of items[i]), though
//     they arrive in the order the workers finish (some items take longer than others);
//   - start no new process: the pool's workers do all the work.
//
// What the check looks at: the results and their order; how many worker processes the table
// showed (exactly `processes`, each doing several items); that the workers ran at the same time
// and each did one item at a time; that the pool's workers exited and were collected.
//
//   try it:   npx tsx lessons/09-pool/exercise.ts
//   check it: npm run check -- 9          a hint: npm run hint -- 9
import type { ChildProcess } from 'node:child_process';
import { exited, fact, forkSelf, name, role, say } from '../../lib/lesson/index.js';
import { given } from '../../lib/exercises/kit.js';

/** main -> worker: do this item. */
interface Task {
  index: number;
  x: number;
}
/** worker -> main: the result for the item at `index`. */
interface Done {
  index: number;
  value: number;
}

const { items, processes } = given(() => ({ items: [3, 1, 4, 1, 5, 9, 2, 6, 5, 3], processes: 3 }));

class Pool {
  readonly workers: ChildProcess[] = [];

  constructor(size: number) {
    for (let number = 1; number <= size; number++) this.workers.push(forkSelf('worker', { ipc: true, args: [String(number)] }));
  }

  /** Runs slowSquare on every item in the workers; resolves with the results in the items' order. */
  map(items: number[]): Promise<number[]> {
    // TODO: send a Task to a worker with worker.send(task); its answer arrives as a Done
    //       through worker.on('message', (done: Done) => …). Remove your listeners when the
    //       map is over (worker.off), so a second map starts clean.
    return Promise.resolve([]);
  }

  /** No more work: each worker's channel is closed, so it exits; waits until all have. */
  async close(): Promise<void> {
    for (const worker of this.workers) worker.disconnect();
    await Promise.all(this.workers.map((worker) => exited(worker)));
  }
}

if (role === 'worker') worker();
else await main();

async function main(): Promise<void> {
  name('pool main');
  const pool = new Pool(processes);
  const results = await pool.map(items);
  say(`map(${JSON.stringify(items)}) = ${JSON.stringify(results)}`);
  fact('results', results);
  await pool.close();
}

// ---- the workers (written for you) ----
function worker(): void {
  name(`pool worker ${process.argv[2]}`);
  process.on('message', async (task: Task) => {
    fact('task', { x: task.x, phase: 'start' });
    const value = await slowSquare(task.x);
    fact('task', { x: task.x, phase: 'end' });
    const done: Done = { index: task.index, value };
    process.send?.(done);
  });
}

/** x * x, slowly: some items take longer than others. */
async function slowSquare(x: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 20 + (x % 4) * 40));
  return x * x;
}
