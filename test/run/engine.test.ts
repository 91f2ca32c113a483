// The runner's promises, tested on a fixture that leaves a mess: every process ends with the
// lesson, the lesson's exit status comes through, and orphans are collected (no zombies).
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { becomeSubreaper } from '../../lib/posix/index.js';
import { startRun } from '../../lib/run/engine.js';
import { Timeline } from '../../lib/observe/timeline.js';
import { projectRoot, stillRunning } from '../support/run-lesson.js';

const fixture = join(projectRoot, 'dist/test/fixtures/leaves-orphans.mjs');
function run(env: Record<string, string> = {}, file = fixture, intervalMs = 20) {
  return startRun({
    command: [process.execPath, file],
    label: { number: 0, slug: 'fixture', title: 'fixture' },
    intervalMs,
    pathPrefixes: [],
    graceMs: 200,
    lesson: { pace: 0.3, stepMode: false, predict: false, color: false, language: 'en' },
    env,
  });
}

beforeAll(() => {
  becomeSubreaper(); // as the CLI does: the fixture's orphans come to this process
});

describe('the runner', () => {
  test("passes on the lesson's exit code and ends everything the lesson left", async () => {
    const result = await run({ FIXTURE_EXIT_CODE: '3' }).done;
    const timeline = new Timeline(result.timeline);
    expect(result.exitStatus).toBe(3);
    const pids = ['child', 'detached', 'orphan'].map((name) => timeline.fact<number>(name)!);
    for (const pid of pids) {
      const history = timeline.process(pid)!;
      expect(history, `pid ${pid}`).toBeDefined();
      expect(history.record.gone, `pid ${pid} gone`).toBeDefined();
    }
    // The orphan was adopted by us (the subreaper), and we collected it: no zombie left.
    const orphan = timeline.process(timeline.fact<number>('orphan')!)!;
    expect(orphan.lastParent).toBe(process.pid);
    // Seen under the orphan-maker first (it lives 0.3 s), then under us.
    expect(orphan.reparentings().at(-1)?.to).toBe(process.pid);
    expect(orphan.record.reapedBy).toBe(process.pid);
    expect(orphan.record.exit?.signal).toBe('SIGTERM');
    expect(timeline.leftovers()).toEqual([]);
    expect(stillRunning(timeline)).toEqual([]);
  });

  test('a child that lives 0.3 s between two samples 5 s apart is still in the timeline', async () => {
    // The lesson API tells the runner the moment it starts a process, and the runner looks then.
    const result = await run({}, join(projectRoot, 'dist/test/fixtures/short-lived.mjs'), 5000).done;
    const timeline = new Timeline(result.timeline);
    expect(result.exitStatus).toBe(0);
    const pids = timeline.fact<number[]>('children')!;
    expect(pids).toHaveLength(3);
    for (const pid of pids) {
      const history = timeline.process(pid);
      expect(history, `pid ${pid}`).toBeDefined();
      expect(history!.firstParent).toBe(timeline.data.lessonPid);
    }
    expect(timeline.data.sampleCount).toBeLessThan(20); // not the interval's doing
  });

  test('2,000 lines written at once reach the record one by one, and the views a few times, not once a line', async () => {
    let told = 0;
    const control = startRun(
      {
        command: [process.execPath, '-e', "process.stdout.write('a line\\n'.repeat(2000))"],
        label: { number: 0, slug: 'fixture', title: 'fixture' },
        intervalMs: 5000,
        pathPrefixes: [],
        graceMs: 200,
        lesson: { pace: 0.3, stepMode: false, predict: false, color: false, language: 'en' },
        env: {},
      },
      { onState: () => told++ },
    );
    const result = await control.done;
    expect(result.timeline.output.filter((line) => line.text === 'a line')).toHaveLength(2000);
    expect(told).toBeLessThan(100);
  });

  test('interrupting ends the lesson at once and reports 130', async () => {
    const control = run({ FIXTURE_EXIT_CODE: '0' });
    control.interrupt();
    const result = await control.done;
    expect(result.interrupted).toBe(true);
    expect(result.exitStatus).toBe(130);
    expect(stillRunning(new Timeline(result.timeline))).toEqual([]);
  });
});

