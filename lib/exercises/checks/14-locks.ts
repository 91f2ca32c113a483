// Exercise 14: the buyers ran at the same time (the table shows them together), every ticket was
// sold exactly once by one of them, the stock ends at 0, and no lock file is left.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { childrenOf, exitedCleanly, mostAtOnce, plural } from '../claims.js';
import { fail, seconds, waitUntil, type Check } from '../harness.js';

/** How long a lock file may sit unchanged, with the stock sold out and a buyer gone, before it counts as never released. */
const FORGOTTEN_MS = 1500;

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

export const checkTickets: Check = async ({ work, start, random }) => {
  const dir = join(work, 'office');
  mkdirSync(dir);
  const tickets = random.int(20, 31);
  const buyers = 4;
  const lockFile = (): string | undefined => readdirSync(dir).find((name) => name !== 'stock' && name !== 'sales');
  const running = start({ dir, tickets, buyers });
  // A lock nobody will release: sold out, a buyer gone, the same lock file there for a second
  // while the other buyers go on waiting. No need to wait for the run's time limit.
  let forgotten: { since: number; file: string; mtime: number } | undefined;
  let waiting = 0;
  await waitUntil(() => {
    if (running.exited()) return true;
    const buyersNow = running.rows().filter((row) => row.ppid === running.pid || row.bornTo === running.pid);
    const ended = buyersNow.filter((row) => row.gone !== undefined || row.exit !== undefined || row.stat.startsWith('Z'));
    const file = lockFile();
    let mtime: number | undefined;
    try {
      mtime = file === undefined ? undefined : statSync(join(dir, file)).mtimeMs;
    } catch {
      mtime = undefined;
    }
    if (readText(join(dir, 'stock')) !== '0' || ended.length === 0 || ended.length === buyersNow.length || file === undefined || mtime === undefined) {
      forgotten = undefined;
      return false;
    }
    if (!forgotten || forgotten.file !== file || forgotten.mtime !== mtime) forgotten = { since: Date.now(), file, mtime };
    waiting = buyersNow.length - ended.length;
    return Date.now() - forgotten.since >= FORGOTTEN_MS;
  }, 10_000);
  if (!running.exited() && forgotten && existsSync(join(dir, forgotten.file))) {
    running.kill('SIGKILL');
    await running.done;
    fail(`The stock was sold out and a buyer had ended, but the lock file ${forgotten.file} stayed for ${seconds(FORGOTTEN_MS)} while ${plural(waiting, 'buyer')} went on waiting for it: release the lock on every way out of the loop, the sold-out one too.`);
  }
  const result = await running.done;
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
