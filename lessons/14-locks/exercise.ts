// Exercise 14 — sell every ticket exactly once: a lock between processes.
//
// The course's 抢票 ("grabbing tickets"): several buyer processes sell from one stock kept in a
// file. A buyer reads how many tickets are left, takes the payment (a few milliseconds), then
// writes back one fewer and records the sale. Without a lock, two buyers read the same number,
// both sell that ticket, and the stock is oversold.
//
// Make it correct with a lock around read-pay-write: only one buyer at a time between reading the
// stock and writing it back. Node has no lock between processes, but the kernel gives you one:
// openSync(lockFile, 'wx') creates the file only if it does not exist yet (O_CREAT | O_EXCL, one
// atomic step), so whoever creates it holds the lock; unlinkSync(lockFile) releases it; a buyer
// that finds it there (error code EEXIST) waits a moment and tries again.
//   - the buyers still run at the same time (they are started together for you);
//   - every ticket is sold exactly once, and the stock ends at 0;
//   - no lock file is left behind.
//
// What the check looks at: the buyers in the table, alive at the same time; the sales file (each
// ticket sold exactly once, by one of the buyers); the stock file at the end; the folder.
//
//   try it:   npx tsx lessons/14-locks/exercise.ts
//   check it: npm run check -- 14         a hint: npm run hint -- 14
import { appendFileSync, closeSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exited, forkSelf, name, role, say, tempDir } from '../../lib/lesson/index.js';
import { given } from '../../lib/exercises/kit.js';

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
    // TODO: take the lock here …
    const left = Number(readFileSync(stock, 'utf8'));
    if (left === 0) {
      // TODO: … and release it on this way out …
      break;
    }
    await takePayment();
    writeFileSync(stock, String(left - 1));
    appendFileSync(sales, `${left} ${process.pid}\n`); // sells ticket number `left`
    // TODO: … and on this one.
  }
}

/** Waits until this buyer holds the lock. */
async function lock(): Promise<void> {
  // TODO: openSync(lockFile, 'wx') (then closeSync the descriptor); on EEXIST, wait a
  //       millisecond or two (await new Promise(r => setTimeout(r, 1))) and try again.
}

/** Releases the lock. */
function unlock(): void {
  // TODO
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
