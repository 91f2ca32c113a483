// Exercise 09's check needs results that arrive out of the items' order: only then is a map that
// returns them in the order of arrival seen to be wrong. When a run's results happened to arrive
// in order (a busy machine), the check runs it again, the slowest items first. Here on made-up
// runs of a map that returns results as they arrive: the first arrives in order, the second not.
import { expect, test } from 'vitest';
import { checkPoolMap } from '../../lib/exercises/checks/09-pool.js';
import { CheckFailure, type CheckContext, type Finished } from '../../lib/exercises/harness.js';
import { Random } from '../../lib/exercises/random.js';
import { Timeline, emptyTimeline, type Fact } from '../../lib/observe/timeline.js';

const PARENT = 5000;

/** A run in which the workers finish the items in `finishOrder` (indexes), and map returns the squares in that order. */
function runWith(items: number[], processes: number, finishOrder: number[]): Finished {
  const data = emptyTimeline(PARENT, 1, 25);
  data.processes.push({ id: `${PARENT}@1`, pid: PARENT, startTicks: 1, firstSeen: 0, title: 'pool', executable: '', pgid: PARENT, sid: PARENT, spans: [{ from: 0, to: 2000, stat: 'Ss', ppid: 1 }], events: [] });
  for (let worker = 1; worker <= processes; worker++) {
    const pid = PARENT + worker;
    data.processes.push({ id: `${pid}@2`, pid, startTicks: 2, firstSeen: 5, gone: 1900, reapedBy: PARENT, title: `worker ${worker}`, executable: '', pgid: PARENT, sid: PARENT, spans: [{ from: 5, to: 1900, stat: 'S', ppid: PARENT }], events: [], exit: { t: 1890, code: 0, signal: null, source: 'kernel' } });
  }
  const facts: Fact[] = [];
  finishOrder.forEach((index, at) => {
    const pid = PARENT + 1 + (at % processes);
    facts.push({ t: 100 + at * 10, name: 'task', pid, value: { x: items[index], phase: 'start' } });
    facts.push({ t: 105 + at * 10, name: 'task', pid, value: { x: items[index], phase: 'end' } });
  });
  // Two workers at once, as a pool does.
  facts.sort((a, b) => a.t - b.t);
  facts.push({ t: 1800, name: 'results', pid: PARENT, value: finishOrder.map((index) => items[index]! * items[index]!) });
  data.facts = facts;
  return { timeline: new Timeline(data), pid: PARENT, code: 0, signal: null, timedOut: false, output: [], timeoutMs: 10_000, hostPid: (pid) => pid, insidePid: () => undefined };
}

test('results that arrived in order are no evidence: the check runs it again, slowest items first, and then fails the map that keeps arrival order', async () => {
  const asked: number[][] = [];
  const context = {
    random: new Random(5),
    run: async ({ items, processes }: { items: number[]; processes: number }) => {
      asked.push(items);
      const inOrder = items.map((_, index) => index);
      return runWith(items, processes, asked.length === 1 ? inOrder : [...inOrder].reverse());
    },
  } as unknown as CheckContext;
  const failure = await checkPoolMap(context).then(
    () => undefined,
    (error: unknown) => (error instanceof CheckFailure ? error.message : String(error)),
  );
  expect(asked).toHaveLength(2);
  expect(asked[1]!.map((x) => x % 4)).toEqual([...asked[1]!.map((x) => x % 4)].sort((a, b) => b - a));
  expect(failure).toMatch(/^Result 0 is the square of item/);
});
