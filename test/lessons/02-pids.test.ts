// Lesson 02: the ids each process printed agree with what the kernel's table showed. Each claim
// of the README's "What the table will show" is asserted under its id.
import { beforeAll, describe, expect, test } from 'vitest';
import { claim } from '../support/claims.js';
import { aliveStretch, expectSaidWhileShown, lineAt, stretches } from '../support/pace.js';
import { kernelAgrees } from '../support/kernel.js';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';
import { runPredicting, type PredictRun } from '../support/predict.js';
import { initName } from '../../lib/proc/read.js';
import type { Fact, ProcessHistory } from '../../lib/observe/timeline.js';

interface Ids {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
}

/** A STAT's modifiers without the priority marks (N, <), which come from whoever ran the test (nice). */
const modifiers = (stat: string): string => stat.slice(1).replace(/[N<]/g, '');

const PACE = 0.3;

let run: LessonRun;
let interrupted: Promise<LessonRun>;
let interruptedInD: Promise<LessonRun>;
let predicted: Promise<PredictRun>;
beforeAll(async () => {
  interrupted = runLesson('pids', { interruptAfter: '── 3.' });
  interrupted.catch(() => undefined);
  // Ctrl-C once the runner's plain table shows the vforker's row in D (its child in its open() of
  // the FIFO): "<pid> <ppid> Dl   0.4s └─ vforker".
  interruptedInD = runLesson('pids', { interruptAfter: / D\S*\s+[\d.]+s \D*vforker$/m });
  interruptedInD.catch(() => undefined);
  // The question comes in step 5: the predicting run stops once its answer is revealed.
  predicted = runPredicting('pids', () => 'S', { stopAfter: /^[✓✗–] 1\. /m });
  predicted.catch(() => undefined);
  run = await runLesson('pids', { pace: PACE });
});

interface States {
  spinner: number;
  waiter: number;
  vforker: number;
}

const factNamed = (name: string): Fact => {
  const found = run.timeline.data.facts.find((fact) => fact.name === name);
  if (!found) throw new Error(`the lesson recorded no ${name}`);
  return found;
};
const states = (): States => factNamed('states').value as States;
const history = (pid: number): ProcessHistory => {
  const found = run.timeline.process(pid);
  if (!found) throw new Error(`the kernel never showed pid ${pid}`);
  return found;
};
/** The 2 s window of step 5: from when all three were running to the end of the pause. */
const windowOfStates = (): [number, number] => [factNamed('states').t, factNamed('schedstat').t];
/** The vforker's child: the one process whose parent was the vforker. */
const newborn = (): ProcessHistory => {
  const children = history(states().vforker).children();
  expect(children).toHaveLength(1);
  return children[0]!;
};

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

  claim('state-running', () => {
    const spinner = history(states().spinner);
    expect(spinner.title).toBe('spinner');
    expect(spinner.firstParent).toBe(run.timeline.data.lessonPid);
    const [from, to] = windowOfStates();
    const seen = run.timeline.statsBetween(spinner, from, to);
    expect(seen.length).toBeGreaterThan(5);
    for (const stat of seen) expect(stat).toMatch(/^R/);
  });

  claim('state-ready', () => {
    const { ran, ready, during } = factNamed('schedstat').value as { ran: number; ready: number; during: number };
    expect(ran).toBeGreaterThan(0);
    expect(ready).toBeGreaterThanOrEqual(0);
    // Runnable all along: on a CPU or waiting for one, so the two make about the whole window. Not
    // exactly: a wait under way when the counters are read is counted only once it ends, so a wait
    // that began before the first read may count whole, and one under way at the second not yet.
    // (Had it slept, they would make a small part of it.)
    expect(ran + ready).toBeGreaterThanOrEqual(during * 0.5);
    expect(ran + ready).toBeLessThanOrEqual(during * 1.25 + 10);
    expect(run.stdout).toContain(`the spinner ran ${ran.toFixed(0)} ms and waited ready ${ready.toFixed(0)} ms: all of it R.`);
  });

  claim('state-blocked', () => {
    const waiter = history(states().waiter);
    expect(waiter.title).toBe('waiter');
    const [from, to] = windowOfStates();
    const seen = run.timeline.statsBetween(waiter, from, to);
    expect(seen.length).toBeGreaterThan(5);
    // Asleep, but when its own 0.5 s timer (its check on the runner) wakes it: each wake-up is one
    // stretch of R samples (on a busy machine it may wait for a CPU a while). One more for the
    // moment it went to sleep after its "ready".
    expect(seen.every((stat) => /^[SR]/.test(stat))).toBe(true);
    const wakeUps = seen.filter((stat, index) => stat.startsWith('R') && !seen[index - 1]?.startsWith('R')).length;
    expect(wakeUps).toBeLessThanOrEqual(2 + Math.floor((to - from) / 500));
    expect(seen.filter((stat) => stat.startsWith('S')).length).toBeGreaterThan(seen.length / 2);
  });

  claim('state-uninterruptible', () => {
    const vforker = history(states().vforker);
    expect(vforker.title).toBe('vforker');
    // From its child's fork (the kernel's report) to the moment the lesson went to open the FIFO.
    const seen = run.timeline.statsBetween(vforker, newborn().record.firstSeen, factNamed('fifo.opening').t);
    expect(seen.length).toBeGreaterThan(5);
    for (const stat of seen) expect(stat).toMatch(/^D/);
    expect(vforker.record.exit).toMatchObject({ code: 0, signal: null });
  });

  claim('state-new', () => {
    const child = newborn();
    const vforker = states().vforker;
    expect(child.firstParent).toBe(vforker);
    // Under its parent's name, waiting, from its fork until the FIFO was opened: no program of its own.
    const opening = factNamed('fifo.opening').t;
    const samples = run.timeline.sampleTimes().filter((t) => t >= child.record.firstSeen && t < opening);
    expect(samples.length).toBeGreaterThan(5);
    for (const t of samples) {
      expect(run.timeline.titleAt(child, t), `title at ${t}`).toBe('vforker');
      expect(child.statAt(t), `STAT at ${t}`).toMatch(/^[SR]/);
    }
    // Then it ran `true`: exit 0, reaped by the vforker (which says so too).
    expect(child.record.exit).toMatchObject({ code: 0, signal: null });
    expect(child.record.exit!.t).toBeGreaterThan(opening);
    expect(child.record.reapedBy).toBe(vforker);
    expect(run.timeline.fact('vforker.child')).toEqual({ pid: child.pid, code: 0 });
  });

  claim('state-terminated', () => {
    const waiter = history(states().waiter);
    const lessonPid = run.timeline.data.lessonPid;
    const zombies = waiter.spansIn('Z').filter((span) => !span.stat.includes('l'));
    expect(zombies).toHaveLength(1);
    const [zombie] = zombies;
    expect(zombie!.ppid).toBe(lessonPid);
    // Z until the loop ran again (it vanished only after), in more than one sample.
    const free = factNamed('parent.free').t;
    expect(zombie!.to).toBeGreaterThan(free);
    expect(waiter.reapableZombieSamples()).toBeGreaterThan(2);
    expect(waiter.record.exit).toMatchObject({ code: 0, signal: null });
    expect(waiter.record.reapedBy).toBe(lessonPid);
  });

  claim('said-while-shown', () => {
    const timeline = run.timeline;
    const said = (text: string): number => lineAt(timeline, text);
    const lesson = timeline.lesson!;
    expectSaidWhileShown(timeline, said('so the table shows s in my STAT'), stretches(lesson, (span) => modifiers(span.stat).startsWith('s')), PACE, 'the s of the session leader');
    expectSaidWhileShown(timeline, said('R: the spinner never stops to wait'), stretches(history(states().spinner), (span) => span.stat.startsWith('R')), PACE, 'the spinner R');
    expectSaidWhileShown(timeline, said('S: the waiter sleeps until a message comes'), [aliveStretch(history(states().waiter))], PACE, 'the waiter waiting');
    expectSaidWhileShown(timeline, said('D: the vforker is inside posix_spawn'), stretches(history(states().vforker), (span) => span.stat.startsWith('D')), PACE, 'the vforker D');
    const child = newborn();
    const newState = { from: child.record.firstSeen, to: child.when('exec') ?? child.record.gone! };
    expectSaidWhileShown(timeline, said('That child is NEW'), [newState], PACE, 'the new child, not yet exec');
    const zombie = history(states().waiter).spansIn('Z').filter((span) => !span.stat.includes('l'));
    expectSaidWhileShown(timeline, said('The waiter exits now, while my event loop is blocked'), zombie, PACE, 'the waiter Z');
    expectSaidWhileShown(timeline, said('Z: TERMINATED'), zombie, PACE, 'the waiter Z');
  });

  claim('nothing-left', async () => {
    expect(run.timeline.leftovers()).toEqual([]);
    expect(stillRunning(run.timeline)).toEqual([]);
    for (const pending of [interrupted, interruptedInD]) {
      const stopped = await pending;
      expect(stopped.code).toBe(130);
      expect(stopped.timeline.leftovers()).toEqual([]);
      expect(stillRunning(stopped.timeline)).toEqual([]);
    }
    // The second was stopped with the vforker in D.
    const inD = await interruptedInD;
    expect(inD.timeline.titled('vforker').some((each) => each.everIn('D'))).toBe(true);
  }, 30_000);
});

describe('lesson 02 pids, predict', () => {
  test("the vforker's STAT while its child waits to exec: the table gives the answer", async () => {
    const { questions, timeline } = await predicted;
    expect(questions).toHaveLength(1);
    const [question] = questions;
    const vforker = (timeline.fact('states') as States).vforker;
    expect(question).toMatchObject({ pid: vforker, ask: 'stat', answer: 'S' });
    expect(question).toMatchObject({ actual: 'D', right: false });
    expect(timeline.leftovers()).toEqual([]);
    expect(stillRunning(timeline)).toEqual([]);
  }, 30_000);
});
