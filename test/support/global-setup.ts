// Runs once around the whole suite. It gives every process the suite starts a marker and a
// private temporary folder, and fails the suite if, at the end, any marked process is still
// there or anything is left in that folder (a socket file, a FIFO, a lock file …).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { MARK, markedProcesses } from './leftovers.js';

/**
 * The suite runs as two projects (vitest.config.ts), and vitest calls a global setup once for each:
 * the first call sets up, the last teardown checks. (Both run in vitest's own process: globalThis
 * is shared even where the two load this file apart.)
 */
const suite = globalThis as { procbookSuite?: { users: number; check: () => Promise<void> } };

export default function setup(): () => Promise<void> {
  const shared = (suite.procbookSuite ??= { users: 0, check: start() });
  shared.users++;
  return async () => {
    if (--shared.users > 0) return;
    delete suite.procbookSuite; // a rerun (watch mode) sets up anew
    await shared.check();
  };
}

function start(): () => Promise<void> {
  const mark = randomUUID();
  const privateTmp = mkdtempSync(join(tmpdir(), 'procbook-suite-'));
  process.env[MARK] = mark;
  process.env.TMPDIR = privateTmp;
  process.env.PROCBOOK_SUITE_TMP = privateTmp;
  // The tests read the runner's English words: pin the language whatever this machine's locale
  // (the tests of --lang zh and LANG=zh_CN set theirs explicitly).
  delete process.env.LC_ALL;
  delete process.env.LC_MESSAGES;
  process.env.LANG = 'C.UTF-8';
  // No test speaks TLS, and with NODE_EXTRA_CA_CERTS set (as on these machines) every Node process
  // reads the whole CA bundle as it starts: 78 ms and 50 ms of CPU for `node -e 0`, 25 ms and 15 ms
  // without it. The suite starts a few thousand Node processes.
  delete process.env.NODE_EXTRA_CA_CERTS;

  return async () => {
    // Orphans are reaped by PID 1, late on some machines (~2 s): give them a deadline, not a sleep.
    const deadline = Date.now() + 6000;
    let left = markedProcesses(mark, new Set([process.pid]));
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      left = markedProcesses(mark, new Set([process.pid]));
    }
    const files = readdirSync(privateTmp, { recursive: true }) as string[];
    for (const process_ of left) {
      try {
        process.kill(process_.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    rmSync(privateTmp, { recursive: true, force: true });
    const problems: string[] = [];
    if (left.length > 0) {
      problems.push(
        `the tests left ${left.length} process(es) running:\n` +
          left.map((each) => `  ${each.pid} ${each.state} ${each.command}`).join('\n'),
      );
    }
    if (files.length > 0) problems.push(`the tests left files in the temporary folder: ${files.join(', ')}`);
    if (problems.length > 0) {
      process.exitCode = 1;
      throw new Error(problems.join("\n"));
    }
  };
}
