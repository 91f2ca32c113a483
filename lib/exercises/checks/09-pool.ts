// Exercise 09: map's results in the items' order; exactly the pool's workers in the table, each
// reused for several items, one item at a time, several at once; all collected at the end.
import { childrenCollected, childrenOf, exitedCleanly, plural, who } from '../claims.js';
import { fail, type Check, type Finished } from '../harness.js';

/** At most this many runs, should the results keep arriving in the items' order. */
const RUNS = 3;

export const checkPoolMap: Check = async ({ run, random }) => {
  const processes = random.int(2, 4);
  const count = processes * 4 + random.int(3);
  const pool = new Set<number>();
  while (pool.size < count) pool.add(random.int(2, 100));
  let items = [...pool];

  // Results arriving in the items' order cannot tell a map that keeps the items' order from one
  // that keeps the order of arrival. They arrive out of order as a rule (slowSquare takes 20 to
  // 140 ms by item); on a busy machine the workers' starts may lag until they do not. Then the
  // check runs it again, the slowest items first.
  let result = await run({ items, processes });
  for (let attempt = 1; attempt < RUNS && arrivedInOrder(result, items); attempt++) {
    items = [...items].sort((a, b) => (b % 4) - (a % 4));
    result = await run({ items, processes });
  }
  exitedCleanly(result);

  const results = result.timeline.fact<number[]>('results');
  if (!Array.isArray(results)) fail("The pool's map never resolved with its results.");
  if (results.length !== items.length) fail(`The pool's map returned ${plural(results.length, 'result')} for ${plural(items.length, 'item')}.`);
  for (const [index, x] of items.entries()) {
    const value = results[index];
    if (value === x * x) continue;
    const from = items.findIndex((other) => other * other === value);
    if (from >= 0) {
      fail(`Result ${index} is the square of item ${from} (${items[from]}), not of item ${index} (${x}): the results must come in the items' order, not in the order the workers finish.`);
    }
    fail(`Result ${index} is ${JSON.stringify(value)}, but item ${index} is ${x} and its square is ${x * x}.`);
  }

  const workers = childrenOf(result);
  if (workers.length > processes) {
    fail(`${workers.length} worker processes ran for ${plural(items.length, 'item')}: a pool of ${processes} starts its workers once and reuses them; start no process in map.`);
  }
  const tasks = result.timeline.data.facts.filter((fact) => fact.name === 'task');
  const running = new Map<number, number>(); // pid -> the item it works on
  let atOnce = 0;
  let most = 0;
  for (const task of tasks) {
    const { x, phase } = task.value as { x: number; phase: 'start' | 'end' };
    if (phase === 'start') {
      if (running.has(task.pid)) {
        const worker = result.timeline.process(task.pid);
        fail(`Worker ${worker ? who(worker) : `pid ${task.pid}`} was given item ${x} while still working on item ${running.get(task.pid)}: give a worker its next item only once it has sent back its result.`);
      }
      running.set(task.pid, x);
      most = Math.max(most, ++atOnce);
    } else {
      running.delete(task.pid);
      atOnce--;
    }
  }
  for (const worker of workers) {
    const done = tasks.filter((task) => task.pid === worker.pid && (task.value as { phase: string }).phase === 'end').length;
    if (done === 0) fail(`Worker ${who(worker)} did no item: give every idle worker an item.`);
  }
  if (most < 2) fail('The items were done one at a time: give every idle worker an item, so the workers run at the same time.');
  childrenCollected(result, workers, 'the pool closes its workers and waits for them.');
};

/** Whether the workers finished the items in the items' order ('task' end reports, in time order). */
function arrivedInOrder(result: Finished, items: number[]): boolean {
  const ends = result.timeline.data.facts.filter((fact) => fact.name === 'task' && (fact.value as { phase?: string }).phase === 'end');
  const order = ends.map((fact) => items.indexOf((fact.value as { x: number }).x));
  return order.length === items.length && order.every((index, at) => at === 0 || index > order[at - 1]!);
}
