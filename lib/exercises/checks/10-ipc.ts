// Exercise 10: every item reported in order by the consumer, a sibling of the producer (both
// children of main); both ended by themselves; the FIFO removed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { childrenCollected, childrenOf, exitedCleanly, plural, reportsOf, who } from '../claims.js';
import { describeEnd, fail, type Check } from '../harness.js';

export const checkFifo: Check = async ({ work, run, random }) => {
  const fifo = join(work, 'numbers');
  const items = Array.from({ length: random.int(5, 9) }, () => random.int(1, 1000));
  const gapMs = random.int(80, 150);
  const result = await run({ fifo, items, gapMs }, { timeoutMs: 8000 });
  if (result.timedOut) {
    const waiting = result.timeline.processes().filter((history) => history.record.gone === undefined && history.pid !== result.pid).map(who);
    fail(`It was still running after 8 s${waiting.length ? ` (still there: ${waiting.join(', ')})` : ''}: a reader sees the end of a FIFO only once every writer has closed it, and opening one end waits until the other end is opened.`);
  }
  exitedCleanly(result);

  const children = childrenOf(result);
  const got = reportsOf<number>(result, 'got');
  if (got.length === 0) fail(`No item was reported: the consumer calls got(item) for each of the ${items.length} items it reads.`);
  const readers = new Set(got.map((report) => report.pid));
  if (readers.has(result.pid)) fail('The items were read by main: a consumer, a child of main, must read them (main only joins its two children).');
  if (readers.size > 1) fail(`Items were reported by ${readers.size} processes; one consumer reads them all.`);
  const consumer = children.find((child) => readers.has(child.pid));
  if (!consumer) fail(`The items were reported by pid ${[...readers][0]}, which is not a child of main.`);
  const others = children.filter((child) => child !== consumer);
  if (others.length !== 1) fail(`Main started ${plural(children.length, 'child', 'children')}; it should start two, a producer and a consumer.`);
  const values = got.map((report) => report.value);
  for (const [index, item] of items.entries()) {
    if (index >= values.length) fail(`The consumer got ${values.length} of ${items.length} items; item ${index + 1} (${item}) never came: read until read() returns 0, the end.`);
    if (values[index] !== item) fail(`The consumer's item ${index + 1} was ${values[index]}, but the producer's was ${item}.`);
  }
  if (values.length > items.length) fail(`The consumer got ${values.length} items, but ${items.length} were written.`);
  for (const child of children) {
    const exit = child.record.exit;
    if (exit && (exit.code !== 0 || exit.signal !== null)) fail(`The ${child === consumer ? 'consumer' : 'producer'} ${who(child)} ${describeEnd(exit.code, exit.signal)}; it should end by itself with code 0.`);
  }
  childrenCollected(result, children, 'main waits for both.');
  if (existsSync(fifo)) fail('The FIFO was still there after main exited: remove it (unlinkSync) once both are done.');
};
