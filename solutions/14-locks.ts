// Solution to exercise 14: sell every ticket exactly once, with a lock file (O_EXCL).
import { appendFileSync, closeSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exited, forkSelf, name, role, say, tempDir } from '../lib/lesson/index.js';
import { given } from '../lib/exercises/kit.js';

const { dir, tickets, buyers } = given(() => ({ dir: tempDir('tickets'), tickets: 20, buyers: 4 }));
const stock = join(dir, 'stock'); // how many tickets are left, as text
const sales = join(dir, 'sales'); // one line per sale: "<ticket number> <buyer pid>"
const lockFile = join(dir, 'stock.lock');

if (role === 'buyer') await buyer();
else await main();

async function buyer(): Promise<void> {
  name(`buyer ${process.argv[2]}`);
  await startTogether();
  for (;;) {
    await lock();
    const left = Number(readFileSync(stock, 'utf8'));
    if (left === 0) {
      unlock();
      break;
    }
    await takePayment();
    writeFileSync(stock, String(left - 1));
    appendFileSync(sales, `${left} ${process.pid}\n`); // sells ticket number `left`
    unlock();
  }
}

/** Waits until this buyer holds the lock. */
async function lock(): Promise<void> {
  for (;;) {
    try {
      closeSync(openSync(lockFile, 'wx')); // created: it is ours
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      await new Promise((resolve) => setTimeout(resolve, 1)); // someone else holds it
    }
  }
}

/** Releases the lock. */
function unlock(): void {
  unlinkSync(lockFile);
}

// ---- written for you ----
async function main(): Promise<void> {
  name('box office');
  writeFileSync(stock, String(tickets));
  writeFileSync(sales, '');
  const children = Array.from({ length: buyers }, (_, index) => forkSelf('buyer', { ipc: true, args: [String(index + 1)] }));
  // Start them together: wait until every buyer is ready, then say go to all.
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('message', resolve))));
  for (const child of children) child.send('go');
  await Promise.all(children.map((child) => exited(child)));
  const sold = readFileSync(sales, 'utf8').split('\n').filter(Boolean).length;
  say(`${tickets} tickets, ${sold} sold, ${readFileSync(stock, 'utf8')} left in stock`);
}

async function startTogether(): Promise<void> {
  const go = new Promise((resolve) => process.once('message', resolve));
  process.send?.('ready');
  await go;
  process.disconnect?.();
}

/** Taking the payment takes a few milliseconds: another buyer may run meanwhile. */
function takePayment(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 3));
}
