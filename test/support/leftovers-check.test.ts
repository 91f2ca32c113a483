// The leftover check itself must be able to fail: a marked sleeping process is found, and once
// it is killed and reaped it is no longer reported.
import { spawn } from 'node:child_process';
import { expect, test } from 'vitest';
import { MARK, markedProcesses } from './leftovers.js';

test('markedProcesses finds a marked process and forgets it once it is gone', async () => {
  const mark = `check-${process.pid}`;
  const child = spawn('sleep', ['30'], { env: { ...process.env, [MARK]: mark }, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  expect(markedProcesses(mark).map((each) => each.pid)).toEqual([child.pid]);
  child.kill('SIGKILL');
  await exited;
  expect(markedProcesses(mark)).toEqual([]);
});
