// The kernel's word against the timeline's. As root, this test reads the proc connector itself
// (every fork, exec and exit on the machine, with exit statuses) while lessons 02, 06, 10, 11 and
// 12 run through the real runner, then fails on any process below a lesson that the kernel
// reported and the timeline missed, and on any exit status missing or different from the kernel's.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConnectorReader, type KernelEvent } from '../../lib/proc/connector.js';
import { decodeWaitStatus } from '../../lib/proc/stat.js';
import { signalName } from '../../lib/proc/signals.js';
import type { Timeline } from '../../lib/observe/timeline.js';
import { runLesson, until } from '../support/run-lesson.js';

const isRoot = process.getuid?.() === 0;
const events: KernelEvent[] = [];
let reader: ConnectorReader | undefined;

beforeAll(() => {
  if (isRoot) reader = ConnectorReader.open((batch) => events.push(...batch));
});
afterAll(() => reader?.close());

interface KernelProcess {
  pid: number;
  parent: number;
  forkedAt: number;
  status?: number;
}

/** Every process the kernel saw forked below `root` (double forks included: fork order, not PPID). */
function descendants(root: number): KernelProcess[] {
  const below = new Set([root]);
  const found = new Map<number, KernelProcess>();
  for (const event of events) {
    if (event.kind === 'fork' && below.has(event.parent) && !below.has(event.child)) {
      below.add(event.child);
      found.set(event.child, { pid: event.child, parent: event.parent, forkedAt: event.t });
    } else if (event.kind === 'exit' && found.has(event.pid)) {
      const each = found.get(event.pid)!;
      if (each.status === undefined) each.status = event.status;
    }
  }
  return [...found.values()];
}

function rootStatus(root: number): number | undefined {
  for (const event of events) if (event.kind === 'exit' && event.pid === root) return event.status;
  return undefined;
}

function rootExited(root: number): boolean {
  return rootStatus(root) !== undefined;
}

interface Figures {
  lesson: string;
  processes: number;
  missed: string[];
  statuses: number;
  wrong: string[];
}

function compare(lesson: string, timeline: Timeline): Figures {
  const root = timeline.data.lessonPid;
  const kernel = descendants(root);
  const missed: string[] = [];
  const wrong: string[] = [];
  let statuses = 0;
  for (const each of [{ pid: root, parent: 0, forkedAt: 0, status: rootStatus(root) }, ...kernel]) {
    const record = timeline.data.processes.find((candidate) => candidate.pid === each.pid);
    if (!record) {
      missed.push(`${each.pid} (child of ${each.parent})`);
      continue;
    }
    if (each.status === undefined) continue;
    const { code, signal } = decodeWaitStatus(each.status);
    const expected = { code, signal: signal === null ? null : signalName(signal) };
    if (!record.exit) wrong.push(`${each.pid} "${record.title}": no exit status, the kernel said ${JSON.stringify(expected)}`);
    else if (record.exit.code !== expected.code || record.exit.signal !== expected.signal) {
      wrong.push(`${each.pid} "${record.title}": ${JSON.stringify({ code: record.exit.code, signal: record.exit.signal })} from ${record.exit.source}, the kernel said ${JSON.stringify(expected)}`);
    } else statuses++;
  }
  return { lesson, processes: kernel.length + 1, missed, statuses, wrong };
}

describe.skipIf(!isRoot)('the timeline against the kernel (proc connector)', () => {
  test.each(['02', '06', '10', '11', '12'])('lesson %s: every process the kernel reported is in the timeline, with the kernel\'s exit status', async (lesson) => {
    expect(reader, 'the proc connector could not be opened as root').toBeDefined();
    const run = await runLesson(lesson, { interval: 50, timeoutMs: 60_000 });
    expect(run.code).toBe(0);
    expect(run.timeline.data.sources).toContain('connector');
    const root = run.timeline.data.lessonPid;
    // The kernel's last reports may still be on their way to this process.
    await until(() => rootExited(root) && descendants(root).every((each) => each.status !== undefined), 5000, 'the kernel to report every exit');
    const figures = compare(lesson, run.timeline);
    console.log(`kernel test, lesson ${lesson}: ${figures.processes} processes, ${figures.missed.length} missed, ${figures.statuses} exit statuses matched, ${figures.wrong.length} missing or wrong`);
    expect(figures.missed).toEqual([]);
    expect(figures.wrong).toEqual([]);
  }, 90_000);
});

describe.skipIf(isRoot)('without root', () => {
  test('the kernel test needs root (CAP_NET_ADMIN) to read the proc connector', () => {
    expect(ConnectorReader.open(() => undefined)).toBeUndefined();
  });
});
