// whenKernelShows: a lesson waits until the kernel shows what it is about to explain, never longer
// than its deadline, and never at all where there is nothing to read.
import { spawn } from 'node:child_process';
import { expect, test } from 'vitest';
import { blockUntilKernelShows, nameOf, sleepsIn, stateOf, statOf, whenKernelShows } from '../../lib/lesson/kernel.js';

test('it returns the value once it is the one wanted, looking again meanwhile', async () => {
  const values = ['R', 'R', 'D'];
  const seen = await whenKernelShows(() => values.shift(), (state) => state === 'D');
  expect(seen).toBe('D');
  expect(values).toEqual([]);
});

test('nothing to read (a process gone, no /proc): undefined at once', async () => {
  let reads = 0;
  expect(await whenKernelShows(() => (reads++, undefined), () => true)).toBeUndefined();
  expect(reads).toBe(1);
});

test('past its deadline it gives the last value read', async () => {
  const started = Date.now();
  expect(await whenKernelShows(() => 'S', (state) => state === 'D', 50)).toBe('S');
  expect(Date.now() - started).toBeGreaterThanOrEqual(50);
});

test.skipIf(process.platform !== 'linux')('on a real process: its state, its name and where it sleeps', async () => {
  const child = spawn('sleep', ['5'], { stdio: 'ignore' });
  try {
    expect(await whenKernelShows(() => stateOf(child.pid!), (state) => state === 'S')).toBe('S');
    expect(nameOf(child.pid!)).toBe('sleep');
    expect(await whenKernelShows(() => sleepsIn(child.pid!), (where) => where.includes('sleep'))).toMatch(/sleep/);
  } finally {
    child.kill('SIGKILL');
  }
  await new Promise((resolve) => child.once('exit', resolve));
  expect(stateOf(child.pid!)).toBeUndefined();
});

test('blocking: the same answers, without giving the event loop a turn meanwhile', () => {
  const values = ['R', 'R', 'Z'];
  let ticked = false;
  setImmediate(() => (ticked = true));
  expect(blockUntilKernelShows(() => values.shift(), (state) => state === 'Z')).toBe('Z');
  expect(values).toEqual([]);
  expect(ticked).toBe(false);
  const started = Date.now();
  expect(blockUntilKernelShows(() => 'S', (state) => state === 'Z', 50)).toBe('S');
  expect(Date.now() - started).toBeGreaterThanOrEqual(50);
  expect(blockUntilKernelShows(() => undefined, () => true)).toBeUndefined();
});

test.skipIf(process.platform !== 'linux')("statOf: the table's STAT, threads and all", async () => {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)'], { stdio: 'ignore' });
  try {
    expect(await whenKernelShows(() => statOf(child.pid!), (stat) => stat.startsWith('S'))).toMatch(/^S.*l/);
  } finally {
    child.kill('SIGKILL');
  }
  await new Promise((resolve) => child.once('exit', resolve));
  expect(statOf(child.pid!)).toBeUndefined();
});
