// Lesson 02: the ids each process printed agree with what the kernel's table showed. Each claim
// of the README's "What the table will show" is asserted under its id.
import { beforeAll, describe, expect } from 'vitest';
import { claim } from '../support/claims.js';
import { kernelAgrees } from '../support/kernel.js';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';
import { initName } from '../../lib/proc/read.js';

interface Ids {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
}

/** A STAT's modifiers without the priority marks (N, <), which come from whoever ran the test (nice). */
const modifiers = (stat: string): string => stat.slice(1).replace(/[N<]/g, '');

let run: LessonRun;
let interrupted: Promise<LessonRun>;
beforeAll(async () => {
  run = await runLesson('pids');
  interrupted = runLesson('pids', { interruptAfter: '── 3.' });
  interrupted.catch(() => undefined);
});

describe('lesson 02 pids', () => {
  kernelAgrees('02', () => run?.timeline);
  claim('parent-ssl', () => {
    const { lessonPid, runnerPid } = run.timeline.data;
    expect(run.code).toBe(0);
    expect(run.timeline.fact<Ids>('parent.ids')).toEqual({ pid: lessonPid, ppid: runnerPid, pgid: lessonPid, sid: lessonPid });
    const lesson = run.timeline.lesson!;
    expect(lesson.firstParent).toBe(runnerPid);
    expect(lesson.record.pgid).toBe(lessonPid);
    expect(lesson.record.sid).toBe(lessonPid);
    // The runner made it a session leader before exec: s in every sample (l once Node's threads run).
    for (const span of lesson.record.spans) expect(modifiers(span.stat)).toMatch(/^s/);
    expect(lesson.statSequence().some((stat) => /^S[N<]?sl$/.test(stat))).toBe(true);
  });

  claim('child-together', () => {
    const { lessonPid } = run.timeline.data;
    const [together] = run.timeline.fact<[number, number]>('children')!;
    const history = run.timeline.process(together)!;
    expect(history.title).toBe('child');
    expect(history.firstParent).toBe(lessonPid);
    expect(history.record.pgid).toBe(lessonPid);
    expect(history.record.sid).toBe(lessonPid);
    expect(history.statSequence().some((stat) => modifiers(stat).includes('s'))).toBe(false);
    expect(history.statSequence().some((stat) => /^S[N<]?l$/.test(stat))).toBe(true);
  });

  claim('child-apart', () => {
    const { lessonPid } = run.timeline.data;
    const [, apart] = run.timeline.fact<[number, number]>('children')!;
    const history = run.timeline.process(apart)!;
    expect(history.title).toBe('child');
    expect(history.firstParent).toBe(lessonPid);
    expect(history.record.pgid).toBe(apart);
    expect(history.record.sid).toBe(apart);
    // It leads its session from setsid() on; libuv calls setsid() between fork and exec, so one
    // sample may catch the instant before: every span after the first has the s.
    const spans = history.record.spans;
    for (const span of spans.slice(1)) expect(modifiers(span.stat)).toMatch(/^s/);
    expect(history.statSequence().some((stat) => /^S[N<]?sl$/.test(stat))).toBe(true);
  });

  claim('ids-agree', () => {
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
    expect(reports.find((ids) => ids.pid === apart)).toMatchObject({ pgid: apart, sid: apart });
    expect(reports.find((ids) => ids.pid === together)).toMatchObject({ pgid: lessonPid, sid: lessonPid });
  });

  claim('ps-agrees', () => {
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

  claim('pid1-named', () => {
    const comm = initName();
    expect(run.timeline.fact('pid1')).toBe(comm);
  });

  claim('nothing-left', async () => {
    expect(run.timeline.leftovers()).toEqual([]);
    expect(stillRunning(run.timeline)).toEqual([]);
    const stopped = await interrupted;
    expect(stopped.code).toBe(130);
    expect(stopped.timeline.leftovers()).toEqual([]);
    expect(stillRunning(stopped.timeline)).toEqual([]);
  }, 30_000);
});
