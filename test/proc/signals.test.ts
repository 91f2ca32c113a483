// Signal names as Node reports them in a child's 'exit' event, also for numbers with two names.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { expect, test } from 'vitest';
import { signalName, signalNumber } from '../../lib/proc/signals.js';

test('a number with two names gets the name Node itself reports (SIGABRT, not SIGIOT)', async () => {
  const child = spawn(process.execPath, ['-e', 'process.abort()'], { stdio: 'ignore', env: { ...process.env } });
  const [, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (...args) => resolve(args)));
  expect(signal).toBe('SIGABRT');
  expect(signalName(constants.signals.SIGABRT)).toBe(signal);
  expect(signalName(constants.signals.SIGTERM)).toBe('SIGTERM');
  expect(signalNumber('SIGKILL')).toBe(9);
});
