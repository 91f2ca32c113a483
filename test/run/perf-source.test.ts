// The perf source on the real kernel (where perf_event_paranoid ≤ 2, or as root; skipped with its
// reason elsewhere): a reader opened on this thread hears every fork and exit below what this
// thread starts afterwards, a double fork's grandchild included; it opens without root (a small
// program run as uid 65534); and lesson 10 run with the perf source asked for (PROCBOOK_SOURCE=perf)
// misses no process the proc connector, read by this test, reported below it (as root: CI).
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { KernelEvent } from '../../lib/proc/connector.js';
import { perfEventParanoid, PerfReader } from '../../lib/proc/perf.js';
import { compareWithKernel, isRoot, startKernelWitness } from '../support/kernel.js';
import { projectRoot, runLesson, until } from '../support/run-lesson.js';

const paranoid = perfEventParanoid();
/** A user without privileges may open it (root may whatever the setting). */
const forUsers = paranoid !== undefined && paranoid <= 2;
const allowed = paranoid !== undefined && (forUsers || isRoot);
const why = paranoid === undefined ? 'this kernel has no perf events' : `perf_event_paranoid is ${paranoid} here (a user needs ≤ 2)`;
const NOBODY = 65534;

// The connector reads from before the lesson runs (as root; else nothing).
startKernelWitness();

describe.skipIf(!allowed)(`the perf source on this kernel${allowed ? '' : ` (skipped: ${why})`}`, () => {
  test('a reader opened here hears the forks, execs and exits below what it starts after, a double fork’s grandchild included', async () => {
    const events: KernelEvent[] = [];
    const reader = PerfReader.open((batch) => events.push(...batch));
    expect(reader, 'PerfReader.open').toBeDefined();
    try {
      // The middle subshell forks /bin/true and ends at once: the grandchild's parent is then not
      // the middle any more, but it inherited the event at its fork all the same.
      const shell = spawn('/bin/sh', ['-c', '(/bin/true &); exit 0'], { stdio: 'ignore' });
      await new Promise((resolve) => shell.once('exit', resolve));
      const below = (): number[] => {
        const pids = new Set([shell.pid!]);
        for (const each of events) if (each.kind === 'fork' && pids.has(each.parent)) pids.add(each.child);
        return [...pids];
      };
      const ended = (pid: number): boolean => events.some((each) => each.kind === 'exit' && each.pid === pid);
      await until(() => below().length === 3 && below().every(ended), 5000, 'the fork and exit records of the shell, its subshell and the subshell’s /bin/true').catch((error: Error) => {
        // What did come (once, beside two busy loops, they did not within 5 s): lost records?
        const heard = events.map((each) => `${each.kind} ${'child' in each ? `${each.parent}>${each.child}` : 'pid' in each ? each.pid : ''}`);
        throw new Error(`${error.message}; shell ${shell.pid}, ${events.length} records: ${heard.slice(-40).join(', ')}`);
      });
      const [, middle, grandchild] = below();
      expect(events.find((each) => each.kind === 'fork' && each.child === grandchild)).toMatchObject({ parent: middle });
      expect(events.find((each) => each.kind === 'exec' && each.pid === grandchild)).toMatchObject({ comm: 'true' });
      expect(events.filter((each) => each.kind === 'exit').every((each) => !('status' in each))).toBe(true);
    } finally {
      reader?.close();
    }
  });

  test.skipIf(!forUsers)(`it opens without root: a program run as uid ${NOBODY} hears its shell fork two tools and end${forUsers ? '' : ` (skipped: ${why})`}`, async (context) => {
    const probe = join(projectRoot, 'dist/test/fixtures/perf-probe.mjs');
    const env = { ...process.env };
    delete env.PROCBOOK_SOURCE;
    // A clone in a folder only root may enter (mktemp -d makes one) cannot be read as uid 65534.
    if (isRoot && spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(probe)})`], { cwd: '/', uid: NOBODY, gid: NOBODY }).status !== 0) {
      context.skip(`uid ${NOBODY} cannot read ${probe} (a folder on its way is closed to it)`);
    }
    // As root the probe is made uid 65534; as anyone else it already runs without root.
    const child = spawn(process.execPath, [probe], { cwd: '/', env, stdio: ['ignore', 'pipe', 'pipe'], ...(isRoot ? { uid: NOBODY, gid: NOBODY } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result.uid).not.toBe(0);
    expect(result).toEqual({
      opened: true,
      uid: result.uid,
      source: 'perf', // and without root, it is the source a run takes
      shellForked: true,
      shellExited: true,
      children: 2,
      childrenExited: 2,
      execs: ['cat', 'true'],
    });
  });
});

describe.skipIf(!allowed || !isRoot)(`lesson 10 with the perf source, against the proc connector${!allowed ? ` (skipped: ${why})` : !isRoot ? ' (skipped: the proc connector needs root)' : ''}`, () => {
  test('every process the connector reported below the lesson is in the timeline, some first seen by the perf records', async () => {
    const run = await runLesson('ipc', { env: { PROCBOOK_SOURCE: 'perf' } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.timeline.data.sources).toEqual(['perf', 'sampling']);
    const root = run.timeline.data.lessonPid;
    // The connector's last reports may still be on their way to this process: wait until it told
    // of the end of every process it reported (missed or not).
    let figures = compareWithKernel(run.timeline);
    const told = (): boolean => figures.processes > 1 && figures.statuses + figures.wrong.length + figures.missed.length === figures.processes;
    await until(() => ((figures = compareWithKernel(run.timeline)), told()), 5000, `the connector's reports of lesson 10 (root ${root})`);
    console.log(`perf source, lesson 10: ${figures.processes} processes, ${figures.missed.length} missed; seen first by ${JSON.stringify(seenBy(run.timeline.data.processes))}`);
    expect(figures.missed).toEqual([]);
    // The tools of `sh -c 'readlink … | cat'`, `ls`, `ss`: too short for a sample, found by their fork records.
    expect(run.timeline.data.processes.some((each) => each.seenBy === 'perf')).toBe(true);
    // No status was made up: each one the timeline has agrees with the kernel's.
    expect(figures.wrong.filter((line) => !line.includes('no exit status'))).toEqual([]);
  });
});

function seenBy(processes: Array<{ seenBy?: string }>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const each of processes) counts[each.seenBy ?? '?'] = (counts[each.seenBy ?? '?'] ?? 0) + 1;
  return counts;
}
