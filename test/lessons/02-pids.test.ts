// Lesson 02: the ids each process printed agree with what the kernel's table showed.
import { beforeAll, describe, expect, test } from 'vitest';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';
import { initName } from '../../lib/proc/read.js';

interface Ids {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
}

describe('lesson 02 pids', () => {
  let run: LessonRun;
  beforeAll(async () => {
    run = await runLesson('pids');
  });

  test('the lesson knows its own pid, its parent (the runner), its group and session', () => {
    const { lessonPid, runnerPid } = run.timeline.data;
    expect(run.code).toBe(0);
    expect(run.timeline.fact<Ids>('parent.ids')).toEqual({ pid: lessonPid, ppid: runnerPid, pgid: lessonPid, sid: lessonPid });
    const lesson = run.timeline.lesson!;
    expect(lesson.record.pgid).toBe(lessonPid);
    expect(lesson.record.sid).toBe(lessonPid);
    expect(lesson.statSequence().some((stat) => stat.includes('s'))).toBe(true);
  });

  test("each child's own view of its ids is what the table showed", () => {
    const { lessonPid } = run.timeline.data;
    const [together, apart] = run.timeline.fact<[number, number]>('children')!;
    const reports = run.timeline.facts<Ids>('child.ids');
    expect(reports.map((ids) => ids.pid).sort()).toEqual([together, apart].sort());
    for (const ids of reports) {
      const history = run.timeline.process(ids.pid)!;
      expect(history.firstParent).toBe(ids.ppid);
      expect(ids.ppid).toBe(lessonPid);
      expect(history.record.pgid).toBe(ids.pgid);
      expect(history.record.sid).toBe(ids.sid);
    }
    const apartIds = reports.find((ids) => ids.pid === apart)!;
    expect(apartIds).toMatchObject({ pgid: apart, sid: apart });
    // It leads its session from setsid() on; libuv calls setsid() between fork and exec, so one
    // sample may catch the instant before: every STAT after the first has the s.
    const apartStats = run.timeline.process(apart)!.statSequence();
    expect(apartStats.at(-1)).toContain('s');
    expect(apartStats.slice(1).every((stat) => stat.includes('s'))).toBe(true);
    const togetherIds = reports.find((ids) => ids.pid === together)!;
    expect(togetherIds).toMatchObject({ pgid: lessonPid, sid: lessonPid });
    expect(run.timeline.process(together)!.statSequence().some((stat) => stat.includes('s'))).toBe(false);
  });

  test('ps printed the same family: same parents, groups, sessions and STAT modifiers', () => {
    const rows = run.timeline.fact<Array<Record<string, string>>>('ps')!;
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      const history = run.timeline.process(Number(row.pid))!;
      expect(history).toBeDefined();
      expect(Number(row.ppid)).toBe(history.firstParent);
      expect(Number(row.pgid)).toBe(history.record.pgid);
      expect(Number(row.sid)).toBe(history.record.sid);
      // The first letter (R or S) changes from moment to moment; the modifiers do not.
      expect(history.statSequence().map((stat) => stat.slice(1))).toContain(row.stat!.slice(1));
    }
  });

  test('PID 1 is named after what /proc says', () => {
    const comm = initName();
    expect(run.timeline.fact('pid1')).toBe(comm);
  });

  test('Ctrl-C while the children run leaves nothing', async () => {
    const interrupted = await runLesson('pids', { interruptAfter: '── 3.' });
    expect(interrupted.code).toBe(130);
    expect(interrupted.timeline.leftovers()).toEqual([]);
    expect(stillRunning(interrupted.timeline)).toEqual([]);
  });
});
