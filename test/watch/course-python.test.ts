// `npm run watch -- <command>`: the engine under any program, tried on the course's own kind of
// program: Python that forks, spins, waits, double-forks, orphans and ignores SIGCHLD
// (lessons/NN-slug/course.py), run as a student of the course would run their own file.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { ProcessHistory } from '../../lib/observe/timeline.js';
import { runWatch } from '../support/run-watch.js';
import { projectRoot, runnerCli, startWithFile, stillRunning, type LessonRun, type RunLessonOptions } from '../support/run-lesson.js';
import { expectReapedAtOnce, gap, line, PACE, seen, statsBetween, story, zombieSpans } from './course.js';

function watchCourse(folder: string, options: RunLessonOptions = {}): Promise<LessonRun> {
  return runWatch(['python3', join(projectRoot, 'lessons', folder, 'course.py')], { pace: PACE, ...options });
}

// Each run below is checked apart from the others, and they mostly sleep: all start with the file.
const watched = startWithFile(['05-zombie', '06-wait', '07-double-fork'], (folder) => watchCourse(folder));
const exitStatus = startWithFile(['sys.exit'], () =>
  runWatch(['python3', '-c', 'import sys; sys.exit("the program says goodbye")'], { pace: PACE }),
);
// Ctrl-C while the parent spins over a zombie; while an adopted grandchild runs alone (at normal
// pace: the grandchild has 1 s left to live when its grandparent's last line comes).
const interrupted = startWithFile(['spin', 'grandchild'], (at) =>
  at === 'spin'
    ? watchCourse('05-zombie', { interruptAfter: 'I spin' })
    : watchCourse('07-double-fork', { pace: 1, interruptAfter: 'first job done' }),
);

function endsClean(run: LessonRun): void {
  expect(run.timeline.leftovers().map(story)).toEqual([]);
  expect(stillRunning(run.timeline)).toEqual([]);
}

describe('watch: a child that exits under a spinning parent', () => {
  let run: LessonRun;
  let parent: ProcessHistory;
  let child: ProcessHistory;
  beforeAll(async () => {
    run = await watched('05-zombie');
    parent = seen(run, line(run, 'parent', 'I spin'));
    child = seen(run, line(run, 'child', 'I exit now'));
  });

  test("the program is the root of the run, and its status is the run's", () => {
    expect(run.timeline.data.lessonPid).toBe(parent.pid);
    expect(parent.firstParent).toBe(run.timeline.data.runnerPid);
    expect(run.code).toBe(0);
    endsClean(run);
  });

  test('is Z with PPID = the parent for as long as the parent spins, then reaped by it', () => {
    const spin = { from: line(run, 'parent', 'I spin').t, to: line(run, 'parent', 'done spinning').t };
    const [zombie, ...more] = zombieSpans(child);
    expect(more, story(child)).toEqual([]);
    expect(zombie!.ppid).toBe(parent.pid);
    expect(zombie!.to, story(child)).toBeGreaterThanOrEqual(run.timeline.sampleBefore(spin.to) ?? Infinity);
    // For as long as the spin lasted after the child's exit: on a busy machine the child may get a
    // CPU, and exit, only a while after the spin began (once, in CI: 200 ms of a 1.5 s spin).
    const exited = Math.max(spin.from, child.record.exit?.t ?? zombie!.from);
    expect(zombie!.to - zombie!.from, story(child)).toBeGreaterThanOrEqual(spin.to - exited - 2 * gap(run, spin.from, spin.to));
    // Running (R) in every sample meanwhile: spinning, not waiting.
    const stats = statsBetween(run, parent, zombie!.from, (run.timeline.sampleBefore(spin.to) ?? 0) - 0.001);
    expect(stats.length, story(parent)).toBeGreaterThan(0);
    for (const stat of stats) expect(stat, story(parent)).toMatch(/^R/);
    expect(child.record.reapedBy).toBe(parent.pid);
    expect(child.record.exit).toMatchObject({ code: 3, signal: null });
  });
});

describe('watch: a child that os._exit(2)s while its parent is in os.wait()', () => {
  let run: LessonRun;
  let parent: number;
  let child: ProcessHistory;
  beforeAll(async () => {
    run = await watched('06-wait');
    parent = line(run, 'parent', 'os.wait() blocks').pid;
    child = seen(run, line(run, 'child', 'os._exit(2)'));
  });

  test('is reaped by its parent at once', () => {
    expect(child.firstParent, story(child)).toBe(parent);
    expect(child.record.reapedBy, story(child)).toBe(parent);
    expectReapedAtOnce(run, child);
    expect(run.code).toBe(0);
    endsClean(run);
  });

  // The parent reaps the child microseconds after its exit: a /proc sampler almost never sees the
  // zombie that holds the status. The kernel's own exit report (the proc connector, as root) does.
  test("has exit code 2 in the table (from the kernel's exit report)", (context) => {
    if (!run.timeline.data.sources?.includes('connector')) context.skip();
    expect(child.record.exit, story(child)).toMatchObject({ code: 2, signal: null });
  });
});

describe('watch: a double fork', () => {
  let run: LessonRun;
  beforeAll(async () => {
    run = await watched('07-double-fork');
  });

  test("the grandchild is shown adopted, and what it prints after its grandparent's exit is there", () => {
    const runner = run.timeline.data.runnerPid;
    const parent = seen(run, line(run, 'parent', 'I started the middle'));
    const middle = seen(run, line(run, 'middle', 'I started the grandchild'));
    const grandchild = seen(run, line(run, 'grandchild', 'the middle is my parent'));
    expect(grandchild.reparentings(), story(grandchild)).toMatchObject([{ from: middle.pid, to: runner }]);
    expect(line(run, 'grandchild', 'I was adopted').ppid).toBe(runner);
    // The run went on after the program itself had ended, until the grandchild did.
    // (Their exits as the kernel timed them, where it reported them: a row's end is seen a sample late.)
    expect(parent.record.exit?.t ?? parent.record.gone!).toBeLessThan(grandchild.record.exit?.t ?? grandchild.record.gone!);
    expect(line(run, 'grandchild', 'second job done').t).toBeGreaterThan(parent.when('exited')!);
    expect(grandchild.record.reapedBy, story(grandchild)).toBe(runner);
    expect(run.code).toBe(0);
    endsClean(run);
  });
});

// The orphan (04) and SIGCHLD ignored (08) programs run under the same engine in lessons 04 and
// 08's --python tests, which assert the same rows; they are not run a second time here.

describe("watch: the program's own exit status", () => {
  test('sys.exit("message") is status 1, with the message on stderr', async () => {
    const run = await exitStatus('sys.exit');
    expect(run.code).toBe(1);
    const stderr = run.timeline.data.output.filter((each) => each.stream === 'stderr').map((each) => each.text.trim());
    expect(stderr).toContain('the program says goodbye');
    endsClean(run);
  });
});

describe('watch: Ctrl-C', () => {
  test('while the parent spins over a zombie: everything ends, status 130', async () => {
    const run = await interrupted('spin');
    expect(run.code).toBe(130);
    endsClean(run);
  });

  test('while an adopted grandchild runs alone: it ends too, status 130', async () => {
    const run = await interrupted('grandchild');
    expect(run.code).toBe(130);
    const grandchild = seen(run, line(run, 'grandchild', 'the middle is my parent'));
    expect(grandchild.lastParent, story(grandchild)).toBe(run.timeline.data.runnerPid);
    expect(run.timeline.outputText()).not.toContain('second job done');
    endsClean(run);
  });
});

describe('watch: a program that cannot be started', () => {
  test('no-such-program: one sentence and a non-zero exit', () => {
    const result = spawnSync(process.execPath, [runnerCli, 'watch', '--plain', 'no-such-program'], { encoding: 'utf8', timeout: 20_000 });
    expect(result.status).not.toBe(0);
    expect(result.status).not.toBeNull();
    const said = result.stderr.trim();
    expect(said.split('\n'), said).toHaveLength(1);
    expect(said).toContain('no-such-program');
    expect(said).not.toMatch(/\n\s+at /);
    expect(result.stdout.trim()).toBe('');
  });
});
