// Exercise 14: the buyers ran at the same time (the table shows them together), every ticket was
// sold exactly once by one of them, the stock ends at 0, and no lock file is left.
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessHistory } from '../../observe/timeline.js';
import { childrenOf, exitedCleanly, plural } from '../claims.js';
import { fail, type Check } from '../harness.js';

/** The most processes alive at the same moment, from when each was first and last seen. */
function mostAtOnce(processes: ProcessHistory[]): number {
  const moments = processes.flatMap((each) => [
    { t: each.record.firstSeen, step: 1 },
    { t: each.record.gone ?? Number.POSITIVE_INFINITY, step: -1 },
  ]);
  moments.sort((a, b) => a.t - b.t || a.step - b.step);
  let alive = 0;
  let most = 0;
  for (const moment of moments) most = Math.max(most, (alive += moment.step));
  return most;
}

export const checkTickets: Check = async ({ work, run, random }) => {
  const dir = join(work, 'office');
  mkdirSync(dir);
  const tickets = random.int(20, 31);
  const buyers = 4;
  const result = await run({ dir, tickets, buyers });
  exitedCleanly(result);

  const children = childrenOf(result);
  if (children.length !== buyers) fail(`${plural(children.length, 'buyer process', 'buyer processes')} ran; there should be ${buyers}.`);
  if (mostAtOnce(children) < 2) fail('The buyers never ran at the same time: they must sell concurrently, the lock only guards read-pay-write.');

  const lines = readFileSync(join(dir, 'sales'), 'utf8').split('\n').filter(Boolean);
  const pids = new Set(children.map((child) => child.pid));
  const soldBy = new Map<number, number[]>();
  for (const line of lines) {
    const [ticket, pid] = line.split(' ').map(Number) as [number, number];
    if (!pids.has(result.hostPid(pid))) fail(`The sale "${line}" names pid ${pid}, which is not one of the buyers.`);
    soldBy.set(ticket, [...(soldBy.get(ticket) ?? []), pid]);
  }
  for (const [ticket, by] of [...soldBy].sort((a, b) => b[0] - a[0])) {
    if (by.length > 1) {
      fail(`Ticket ${ticket} was sold ${by.length} times (by pids ${by.join(', ')}), and ${lines.length} sales were made for ${tickets} tickets: reading the stock, taking the payment and writing the stock back must happen under the lock.`);
    }
  }
  for (let ticket = tickets; ticket >= 1; ticket--) {
    if (!soldBy.has(ticket)) fail(`Ticket ${ticket} of ${tickets} was never sold (${plural(lines.length, 'sale')} in all).`);
  }
  const left = readFileSync(join(dir, 'stock'), 'utf8').trim();
  if (left !== '0') fail(`Every ticket was sold, but the stock says ${JSON.stringify(left)} are left, not 0.`);
  const extra = readdirSync(dir).filter((name) => name !== 'stock' && name !== 'sales');
  if (extra.length > 0) fail(`The file ${extra[0]} was left in the folder: release the lock (remove the file) when done.`);
};
