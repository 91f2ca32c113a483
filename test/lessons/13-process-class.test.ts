// Lesson 13: the Process class, each state as the kernel showed it.
import { beforeAll, describe, expect, test } from 'vitest';
import { claim } from '../support/claims.js';
import { aliveStretch, expectSaidWhileShown, lineAt, stretches } from '../support/pace.js';
import type { ProcessHistory } from '../../lib/observe/timeline.js';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';
import { runAlone } from '../support/alone.js';
import { PREDICT_PACE, runPredicting, type PredictRun } from '../support/predict.js';

const PACE = PREDICT_PACE; // the pace of both runs: 0.3, the tests' usual

describe('lesson 13 process-class', () => {
  let run: LessonRun;
  let lessonPid: number;
  const at = (checkpoint: string): number => run.timeline.checkpoint(checkpoint)!.t;
  const proc = (pid: number | undefined): ProcessHistory => {
    const found = pid === undefined ? undefined : run.timeline.process(pid);
    if (!found) throw new Error(`the kernel never showed pid ${pid}`);
    return found;
  };
  const factTime = (name: string): number => run.timeline.data.facts.find((each) => each.name === name)!.t;
  let predicted: Promise<PredictRun>;
  beforeAll(async () => {
    // The question comes in step 3: the predicting run stops once its answer is revealed.
    predicted = runPredicting('process-class', () => 'gone', { stopAfter: /^[✓✗–] 1\. /m });
    predicted.catch(() => undefined);
    run = await runLesson('process-class', { pace: PACE });
    lessonPid = run.timeline.data.lessonPid;
  });

  const fact = (name: string) => run.timeline.data.facts.find((each) => each.name === name)!;
  const nextSample = (t: number): number => {
    const found = run.timeline.firstSampleAfter(t);
    expect(found, `a sample after ${t} ms`).toBeDefined();
    return found!;
  };

  claim('start-row', () => {
    const start = run.timeline.fact<{ pid: number; aliveBefore: boolean; aliveAfter: boolean; exitcodeWhileRunning: number | null }>('start')!;
    expect(start).toMatchObject({ aliveBefore: false, aliveAfter: true, exitcodeWhileRunning: null });
    const child = proc(start.pid);
    expect(child.title).toBe('Process-1');
    expect(child.firstParent).toBe(lessonPid);
  });

  claim('start-asleep', () => {
    const child = proc(run.timeline.fact<{ pid: number }>('start')!.pid);
    expect(child.everIn('S', { ppid: lessonPid })).toBe(true);
  });

  claim('join-reaped', () => {
    const pid = run.timeline.fact<{ pid: number }>('start')!.pid;
    const joined = fact('join');
    expect(joined.value).toMatchObject({ pid, exitcode: 0, alive: false });
    const child = proc(pid);
    expect(child.record.reapedBy).toBe(lessonPid);
    expect(child.record.exit).toMatchObject({ code: 0, signal: null });
    // join() returned only once the child was gone
    expect(child.record.gone!).toBeLessThanOrEqual(nextSample(joined.t));
  });

  claim('exitcodes', () => {
    const endings = run.timeline.fact<Array<{ name: string; pid: number; exitcode: number }>>('exitcodes')!;
    expect(endings.map((each) => each.exitcode)).toEqual([0, 3, 1]);
    for (const { name, pid, exitcode } of endings) {
      const child = proc(pid);
      expect(child.title).toBe(name);
      expect(child.record.exit).toMatchObject({ code: exitcode, signal: null });
      expect(child.record.reapedBy).toBe(lessonPid);
    }
  });

  claim('kwargs', () => {
    const child = proc(run.timeline.fact<{ pid: number }>('terminate')!.pid);
    // The fact comes from the child itself: its target got the kwargs object the parent gave.
    const got = run.timeline.data.facts.find((each) => each.name === 'snooze.kwargs')!;
    expect(got.pid).toBe(child.pid);
    expect(got.value).toEqual({ ms: 30_000 });
    expect(run.timeline.outputText()).toContain(`sleeper ${child.pid}: kwargs gave me ms = 30000: I nap that long.`);
  });

  claim('join-timeout', () => {
    const called = fact('join.timeout.called');
    const returned = fact('join.timeout');
    const child = proc(called.value as number);
    expect(returned.value).toEqual({ pid: child.pid, alive: true, exitcode: null });
    // It waited its 1.2 s × pace (a timer never fires early; the stamps are rounded to 0.1 ms) …
    expect(returned.t - called.t).toBeGreaterThanOrEqual(1200 * PACE - 1);
    // … and the child was still there, asleep, when it returned: not ended (the kernel's exit
    // report comes later), in every sample of the wait, never Z, and seen S.
    expect(child.record.exit!.t).toBeGreaterThan(returned.t);
    const during = run.timeline.statsBetween(child, called.t, returned.t);
    expect(during.length).toBeGreaterThan(2);
    for (const stat of during) expect(stat).toMatch(/^[SR]/);
    expect(during.some((stat) => stat.startsWith('S'))).toBe(true);
    // It ended only after terminate(): killed by SIGTERM.
    expect(child.record.exit).toMatchObject({ code: null, signal: 'SIGTERM' });
  });

  claim('sleeper-asleep', () => {
    const child = proc(run.timeline.fact<{ pid: number }>('terminate')!.pid);
    expect(child.title).toBe('sleeper');
    expect(child.firstParent).toBe(lessonPid);
    // asleep in its nap, seen before the SIGTERM that ended it
    expect(child.spansIn('S', { ppid: lessonPid }).some((span) => span.from < child.record.exit!.t)).toBe(true);
  });

  claim('terminate-sigterm', () => {
    const terminated = fact('terminate');
    const { pid, exitcode } = terminated.value as { pid: number; exitcode: number };
    expect(exitcode).toBe(-15);
    const child = proc(pid);
    expect(child.record.exit).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(child.record.reapedBy).toBe(lessonPid);
    expect(child.record.gone!).toBeLessThanOrEqual(nextSample(terminated.t));
    // it meant to sleep 30 s (× pace): it was ended long before
    expect(child.record.gone! - child.record.firstSeen).toBeLessThan(30_000 * PACE * 0.5);
  });

  const family = () => run.timeline.fact<{ parent: number; daemon: number; ordinary: number }>('daemon.family')!;

  claim('daemon-family', () => {
    const { parent, daemon, ordinary } = family();
    expect(proc(parent).title).toBe('parent');
    expect(proc(parent).firstParent).toBe(lessonPid);
    expect(proc(daemon).title).toBe('daemon child');
    expect(proc(daemon).firstParent).toBe(parent);
    expect(proc(ordinary).title).toBe('ordinary child');
    expect(proc(ordinary).firstParent).toBe(parent);
  });

  claim('daemon-ended', () => {
    const daemon = proc(family().daemon);
    const ordinary = proc(family().ordinary);
    // The daemon was ended by its parent, with SIGTERM, and reaped by it: never an orphan.
    expect(daemon.record.exit).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(daemon.record.reapedBy).toBe(family().parent);
    expect(daemon.reparentings()).toEqual([]);
    // … after the parent's code was done (both moments stamped by the parent), long before its own 30 s,
    // before the ordinary child ended.
    expect(daemon.record.exit!.t).toBeGreaterThanOrEqual(factTime('daemon.parentCodeDone'));
    expect(daemon.record.gone! - daemon.record.firstSeen).toBeLessThan(30_000 * PACE * 0.5);
    expect(daemon.record.gone!).toBeLessThan(ordinary.record.gone!);
  });

  claim('ordinary-waited', () => {
    const parent = proc(family().parent);
    const ordinary = proc(family().ordinary);
    expect(ordinary.record.exit).toMatchObject({ code: 0, signal: null });
    expect(ordinary.record.reapedBy).toBe(family().parent);
    expect(parent.record.exit).toMatchObject({ code: 0, signal: null });
    expect(parent.record.exit!.t).toBeGreaterThanOrEqual(ordinary.record.exit!.t);
    expect(parent.record.gone!).toBeGreaterThanOrEqual(ordinary.record.gone!);
  });

  claim('daemon-no-children', () => {
    // A daemon may not start children (Python's rule too).
    expect(run.timeline.fact<string>('daemon.start.error')).toMatch(/daemonic/);
    const grandchildren = run.timeline.processes().filter((each) => each.firstParent === family().daemon);
    expect(grandchildren.map((each) => each.title)).toEqual([]);
  });

  claim('said-while-shown', () => {
    const timeline = run.timeline;
    const child = proc(run.timeline.fact<{ pid: number }>('start')!.pid);
    const underMain = stretches(child, (span) => span.ppid === lessonPid && !span.stat.startsWith('Z'));
    expectSaidWhileShown(timeline, lineAt(timeline, 'The table shows the child, PPID = main, asleep (S) in its work.'), underMain, PACE, 'Process-1 under main');
    const sleeper = proc(run.timeline.fact<{ pid: number }>('join.timeout')!.pid);
    expectSaidWhileShown(timeline, lineAt(timeline, 'the sleeper still naps, its row is still there'), [aliveStretch(sleeper)], PACE, 'the sleeper after join(timeout)');
    // The three rows together: from the moment all three are in the table until the daemon goes.
    const rows = [family().parent, family().daemon, family().ordinary].map(proc);
    const together = { from: Math.max(...rows.map((each) => each.record.firstSeen)), to: aliveStretch(proc(family().daemon)).to };
    expectSaidWhileShown(timeline, lineAt(timeline, 'Watch the three rows'), [together], PACE, 'the daemon family');
  });

  claim('greeters', () => {
    const greeters = run.timeline.fact<Array<{ name: string; pid: number }>>('greeters')!;
    expect(greeters).toHaveLength(3);
    const runs = run.timeline.facts<{ name: string; person: string; pid: number; ppid: number }>('greeter.run');
    const inChildren = runs.filter((each) => each.pid !== lessonPid);
    expect(inChildren.map((each) => each.pid).sort()).toEqual(greeters.map((each) => each.pid).sort());
    expect(inChildren.map((each) => each.person).sort()).toEqual(['alex', 'wupeiqi', 'yuanhao']);
    for (const each of inChildren) {
      expect(each.ppid).toBe(lessonPid);
      const child = proc(each.pid);
      expect(child.title).toMatch(/^Greeter-\d+$/);
      expect(child.title).toBe(each.name);
      expect(child.firstParent).toBe(lessonPid);
      expect(child.record.reapedBy).toBe(lessonPid);
      expect(greeters.find((greeter) => greeter.pid === each.pid)!.name).toBe(each.name);
    }
  });

  claim('run-direct', () => {
    // the object's run() called in main: it reports main's pid
    const runs = run.timeline.facts<{ name: string; person: string; pid: number; ppid: number }>('greeter.run');
    expect(runs.filter((each) => each.pid === lessonPid)).toHaveLength(1);
    expect(run.timeline.fact('greeter.direct')).toBe(lessonPid);
    const direct = run.timeline.data.output.find((line) => line.text.includes('and run() called directly'))!;
    expect(direct).toBeDefined();
    const started = run.timeline.processes().filter((each) => each.record.firstSeen >= direct.t && each.record.firstSeen < at('Forgetting join()'));
    expect(started.map((each) => each.title)).toEqual([]);
  });

  claim('unjoined-reaped', () => {
    const child = proc(run.timeline.fact<number>('unjoined'));
    expect(child.title).toBe('never joined');
    expect(child.record.reapedBy).toBe(lessonPid);
    expect(child.record.exit).toMatchObject({ code: 0, signal: null });
    expect(child.record.gone!).toBeLessThanOrEqual(nextSample(fact('unjoined.reaped').t));
  });

  claim('unjoined-no-zombie', () => {
    const child = proc(run.timeline.fact<number>('unjoined'));
    // a zombie its parent could reap: plain Z (`Zl` is a Node process whose threads are still ending)
    const reapable = child.spansIn('Z').filter((span) => !span.stat.includes('l'));
    const zombieSamples = run.timeline.sampleTimes().filter((t) => reapable.some((span) => span.from <= t && t < span.to));
    // Kept by nobody: in every sample that shows it Z, main is running (R), on its way to reap it
    // (SIGCHLD woke it); on a busy machine it may wait for a CPU over several samples. At most one
    // sample may catch the instant between the exit and that wake-up.
    const main = run.timeline.lesson!;
    const mainAsleep = zombieSamples.filter((t) => !(main.statAt(t) ?? '').startsWith('R'));
    expect(mainAsleep.length).toBeLessThanOrEqual(1);
  });

  claim('ends-clean', () => {
    expect(run.code).toBe(0);
    expect(run.timeline.leftovers()).toEqual([]);
  });

  test('predict: when join(1.2 s) returns, the napping child is alive: the table gives the answer', async () => {
    const { questions, timeline } = await predicted;
    expect(questions).toHaveLength(1);
    const [question] = questions;
    const sleeper = timeline.titled('sleeper')[0]!;
    expect(question).toMatchObject({ pid: sleeper.pid, ask: 'alive', answer: 'gone' });
    // Read while it napped: after the answer, before the terminate() that ended it.
    expect(question!.revealedAt!).toBeLessThan(sleeper.record.exit!.t);
    expect(sleeper.statAt(question!.revealedAt!) ?? sleeper.record.spans.at(-1)!.stat).not.toMatch(/^Z/);
    expect(question).toMatchObject({ actual: 'alive', right: false });
    expect(timeline.leftovers()).toEqual([]);
    expect(stillRunning(timeline)).toEqual([]);
  }, 30_000);
});

describe.concurrent('lesson 13 process-class, interrupted', () => {
  for (const at of ['── 1.', 'I mean to work for 30 seconds', '── 5.']) {
    test(`Ctrl-C at "${at}" leaves nothing running`, async () => {
      const run = await runLesson('process-class', { interruptAfter: at });
      expect(run.code).toBe(130);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(stillRunning(run.timeline)).toEqual([]);
    });
  }

  test('alone (no runner), Ctrl-C while a daemon runs leaves nothing running', async () => {
    // Ctrl-C reaches the terminal's foreground process group: the lesson and all it started.
    const run = await runAlone('13-process-class', { interruptAfter: 'I mean to work for 30 seconds' });
    expect(run.signal).toBe('SIGINT');
    expect(run.timeline.processes().length).toBeGreaterThan(1);
    expect(run.timeline.leftovers()).toEqual([]);
    expect(stillRunning(run.timeline)).toEqual([]);
  });
});
