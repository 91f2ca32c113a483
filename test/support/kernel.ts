// The kernel's word against the timeline's. As root, the test process reads the proc connector
// itself (every fork, exec and exit on the machine, with exit statuses) from before a lesson's run
// starts (kernelAgrees opens it as the test file is collected, before its beforeAll runs a lesson); `kernelAgrees` then fails on any process below the lesson that the
// kernel reported and the timeline missed, and on any exit status missing or different from the
// kernel's. It rides on the lesson tests' own runs: no lesson is run twice for it.
import { afterAll, expect, test } from 'vitest';
import { ConnectorReader, type KernelEvent } from '../../lib/proc/connector.js';
import { decodeWaitStatus } from '../../lib/proc/stat.js';
import { signalName } from '../../lib/proc/signals.js';
import type { Timeline } from '../../lib/observe/timeline.js';
import { until } from './run-lesson.js';

export const isRoot = process.getuid?.() === 0;
const events: KernelEvent[] = [];
let reader: ConnectorReader | undefined;
let opened = false;

/** Starts reading the kernel's reports, once per test process (as root; else nothing). */
export function startKernelWitness(): void {
  if (!isRoot || opened) return;
  opened = true;
  reader = ConnectorReader.open((batch) => events.push(...batch));
}

interface KernelProcess {
  pid: number;
  parent: number;
  status?: number;
}

/** Every process the kernel saw forked below `root` (double forks included: fork order, not PPID). */
function descendants(root: number): KernelProcess[] {
  const below = new Set([root]);
  const found = new Map<number, KernelProcess>();
  for (const event of events) {
    if (event.kind === 'fork' && below.has(event.parent) && !below.has(event.child)) {
      below.add(event.child);
      found.set(event.child, { pid: event.child, parent: event.parent });
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

export interface KernelFigures {
  processes: number;
  missed: string[];
  statuses: number;
  wrong: string[];
}

/** The kernel's processes below the run's first one, against the timeline. */
export function compareWithKernel(timeline: Timeline): KernelFigures {
  const root = timeline.data.lessonPid;
  const kernel = descendants(root);
  const missed: string[] = [];
  const wrong: string[] = [];
  let statuses = 0;
  for (const each of [{ pid: root, parent: 0, status: rootStatus(root) }, ...kernel]) {
    const record = timeline.data.processes.find((candidate) => candidate.pid === each.pid);
    if (!record) {
      // What the timeline holds of its parent, for the next failure to be understood: how it was
      // seen first, and when it began and ended in the record.
      const parent = timeline.data.processes.filter((candidate) => candidate.pid === each.parent).at(-1);
      const known = parent
        ? `: the parent "${parent.title}" seen by ${parent.seenBy} at ${parent.firstSeen}, gone ${parent.gone ?? '-'}, exit ${JSON.stringify(parent.exit ?? null)}`
        : ': its parent is not in the timeline either';
      missed.push(`${each.pid} (child of ${each.parent})${known}`);
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
  return { processes: kernel.length + 1, missed, statuses, wrong };
}

/**
 * One test: every process the kernel reported below the run is in its timeline, with the kernel's
 * exit status. As root only (the proc connector needs CAP_NET_ADMIN); CI runs as root.
 */
export function kernelAgrees(lesson: string, timeline: () => Timeline | undefined): void {
  startKernelWitness();
  afterAll(() => reader?.close());
  test.skipIf(!isRoot)(`the kernel's word: every process the kernel reported below lesson ${lesson} is in the timeline, with the kernel's exit status`, async () => {
    expect(reader, 'the proc connector could not be opened as root').toBeDefined();
    const run = timeline();
    expect(run, 'the lesson ran').toBeDefined();
    expect(run!.data.sources).toContain('connector');
    const root = run!.data.lessonPid;
    // The kernel's last reports may still be on their way to this process.
    await until(() => rootStatus(root) !== undefined && descendants(root).every((each) => each.status !== undefined), 5000, 'the kernel to report every exit');
    const figures = compareWithKernel(run!);
    console.log(`kernel test, lesson ${lesson}: ${figures.processes} processes, ${figures.missed.length} missed, ${figures.statuses} exit statuses matched, ${figures.wrong.length} missing or wrong`);
    expect(figures.missed).toEqual([]);
    expect(figures.wrong).toEqual([]);
  });
}
