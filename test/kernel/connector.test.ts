// The kernel test itself rides on the lesson tests' runs (test/support/kernel.ts: lessons 02, 06,
// 10, 11 and 12 each end with it). Here: what a machine without root is told.
import { describe, expect, test } from 'vitest';
import { ConnectorReader } from '../../lib/proc/connector.js';
import { isRoot } from '../support/kernel.js';

describe.skipIf(isRoot)('without root', () => {
  test('the kernel test needs root (CAP_NET_ADMIN) to read the proc connector', () => {
    expect(ConnectorReader.open(() => undefined)).toBeUndefined();
  });
});

describe.skipIf(!isRoot)('as root', () => {
  test('the proc connector opens, and reports a fork of this very process', async () => {
    const seen: number[] = [];
    const reader = ConnectorReader.open((batch) => {
      for (const event of batch) if (event.kind === 'fork' && event.parent === process.pid) seen.push(event.child);
    });
    expect(reader).toBeDefined();
    const { spawn } = await import('node:child_process');
    const child = spawn('true');
    await new Promise((resolve) => child.once('exit', resolve));
    const deadline = Date.now() + 5000;
    while (!seen.includes(child.pid!) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    reader!.close();
    expect(seen).toContain(child.pid);
  });
});
