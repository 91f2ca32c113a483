// Exercise 06's check needs children that end out of the order they started in: only then are
// reports in the order of the starts seen to be wrong. On a busy machine the children's starts
// may lag until they end in start order after all; that run shows nothing of the order, and the
// check runs the exercise again, the ends further apart. Here on made-up runs: the first ends in
// start order, the second as planned.
import { expect, test } from 'vitest';
import { checkReapAll } from '../../lib/exercises/checks/06-wait.js';
import { CheckFailure, type CheckContext, type Finished } from '../../lib/exercises/harness.js';
import { Random } from '../../lib/exercises/random.js';
import { Timeline, emptyTimeline } from '../../lib/observe/timeline.js';

const PARENT = 5000;
interface Plan {
  ms: number;
  code?: number;
  signal?: string;
}

/** A run of a parent that reports its children in the order it started them; they end at `endOf(index, plan)`. */
function runWith(plans: Plan[], endOf: (index: number, plan: Plan) => number): Finished {
  const data = emptyTimeline(PARENT, 1, 25);
  const last = Math.max(...plans.map((plan, index) => endOf(index, plan)));
  data.processes.push({ id: `${PARENT}@1`, pid: PARENT, startTicks: 1, firstSeen: 0, title: 'parent', executable: '', pgid: PARENT, sid: PARENT, spans: [{ from: 0, to: last + 100, stat: 'Ss', ppid: 1 }], events: [{ t: 0, kind: 'new', detail: 1 }] });
  plans.forEach((plan, index) => {
    const pid = PARENT + index + 1;
    const end = endOf(index, plan);
    data.processes.push({
      id: `${pid}@${2 + index}`,
      pid,
      startTicks: 2 + index,
      firstSeen: 10 * index,
      gone: end + 5,
      reapedBy: PARENT,
      title: `child ${index + 1}`,
      executable: '',
      pgid: PARENT,
      sid: PARENT,
      spans: [{ from: 10 * index, to: end + 5, stat: 'S', ppid: PARENT }],
      events: [{ t: 10 * index, kind: 'new', detail: PARENT }],
      exit: { t: end, code: plan.code ?? null, signal: plan.signal ?? null, source: 'kernel' },
    });
  });
  // In start order, each as soon as the one before it is reported and it has ended.
  let t = 0;
  data.facts = plans.map((plan, index) => {
    t = Math.max(t, endOf(index, plan)) + 1;
    return { t, name: 'status', pid: PARENT, value: { pid: PARENT + index + 1, code: plan.code ?? null, signal: plan.signal ?? null } };
  });
  const output = [{ t: t + 1, stream: 'stdout' as const, text: 'every child has been collected' }];
  data.output = output.map((line) => ({ ...line }));
  return { timeline: new Timeline(data), pid: PARENT, code: 0, signal: null, timedOut: false, output, timeoutMs: 10_000, hostPid: (pid) => pid, insidePid: () => undefined };
}

test('a run whose children ended in start order is run again, the ends twice as far apart; then reports in start order fail', async () => {
  const asked: Plan[][] = [];
  const context = {
    random: new Random(11),
    run: async ({ children }: { children: Plan[] }) => {
      asked.push(children);
      // The first run: starts so late that they end in the order they started. Then: as planned.
      return asked.length === 1 ? runWith(children, (index) => 100 + 300 * index) : runWith(children, (_, plan) => 100 + plan.ms);
    },
  } as unknown as CheckContext;
  const failure = await checkReapAll(context).then(
    () => undefined,
    (error: unknown) => (error instanceof CheckFailure ? error.message : String(error)),
  );
  expect(asked).toHaveLength(2);
  const spread = (plans: Plan[]): number => Math.max(...plans.map((plan) => plan.ms)) - Math.min(...plans.map((plan) => plan.ms));
  expect(spread(asked[1]!)).toBeGreaterThan(1.5 * spread(asked[0]!));
  expect(failure).toMatch(/ended before .* but was reported after it/);
});
