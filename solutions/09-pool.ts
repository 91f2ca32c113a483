// Solution to exercise 09: a pool's map, with ordered results and reused workers.
import type { ChildProcess } from 'node:child_process';
import { exited, fact, forkSelf, name, role, say } from '../lib/lesson/index.js';
import { given } from '../lib/exercises/kit.js';

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
    return new Promise((resolve) => {
      const results: number[] = new Array<number>(items.length);
      let next = 0; // the index of the next item to hand out
      let finished = 0;
      const listeners = new Map<ChildProcess, (done: Done) => void>();
      const giveNext = (worker: ChildProcess): void => {
        if (next >= items.length) return; // nothing left: this worker stays idle
        const task: Task = { index: next, x: items[next]! };
        next++;
        worker.send(task);
      };
      for (const worker of this.workers) {
        const listener = (done: Done): void => {
          results[done.index] = done.value; // its own slot: the order is the items' order
          finished++;
          if (finished === items.length) {
            for (const [each, fn] of listeners) each.off('message', fn);
            resolve(results);
          } else giveNext(worker); // this worker is idle again
        };
        listeners.set(worker, listener);
        worker.on('message', listener);
      }
      if (items.length === 0) resolve([]);
      for (const worker of this.workers) giveNext(worker);
    });
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
