// Lesson 08: what each signal did, as the kernel's table and the processes themselves showed it.
// Each claim of the README's "What the table will show" is asserted under its id.
import { constants } from 'node:os';
import { beforeAll, describe, expect } from 'vitest';
import { claim } from '../support/claims.js';
import { aliveStretch, expectSaidWhileShown, lineAt, stretches } from '../support/pace.js';
import type { Fact, ProcessHistory, Timeline } from '../../lib/observe/timeline.js';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';

// Step 5's children live 0.7 s × pace longer each: at 0.6 that is 420 ms between two ends, which
// a child's timer firing late on a busy machine does not eat up.
const PACE = 0.6;
// Ctrl-C while the worker's SIGTERM handler is live, while the ticker is stopped (T), and while
// the stubborn child ignores SIGTERM (the runner must fall back to SIGKILL).
const INTERRUPTS = ['── 1.', 'still stopped', 'I ignore it'];

let run: LessonRun;
let interrupted: Map<string, Promise<LessonRun>>;
let killedWhileStopped: Promise<{ orphaned: LessonRun; killed: boolean }>;

beforeAll(async () => {
  interrupted = new Map(INTERRUPTS.map((point) => [point, runLesson('signals', { pace: PACE, interruptAfter: point })]));
  for (const pending of interrupted.values()) pending.catch(() => undefined);
  killedWhileStopped = runKilledWhileStopped();
  killedWhileStopped.catch(() => undefined);
  run = await runLesson('signals', { pace: PACE, timeoutMs: 60_000 });
}, 90_000);

/**
 * Runs the lesson and SIGKILLs its first process while the ticker is stopped. No handler of the
 * lesson can run then, so only the runner's SIGTERM followed by SIGCONT can end the T child.
 */
async function runKilledWhileStopped(): Promise<{ orphaned: LessonRun; killed: boolean }> {
  let killed = false;
  const orphaned = await runLesson('signals', {
    pace: PACE,
    onStart(runner) {
      let seen = '';
      runner.stdout?.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const parent = /parent (\d+): SIGSTOP sent/.exec(seen);
        if (parent && !killed) {
          killed = true;
          process.kill(Number(parent[1]), 'SIGKILL');
        }
      });
    },
  });
  return { orphaned, killed };
}

function only(title: string, within: LessonRun = run): ProcessHistory {
  const found = within.timeline.titled(title);
  expect(found, `processes titled "${title}"`).toHaveLength(1);
  return found[0]!;
}

/** The facts, in the order the runner received them. */
const facts = (): Fact[] => run.timeline.data.facts;
const timeline = (): Timeline => run.timeline;

/** When the parent sent this signal to this process. */
function sentAt(pid: number, signal: string): number {
  const found = facts().find((each) => {
    const value = each.value as { pid: number; signal: string };
    return each.name === 'sent' && value.pid === pid && value.signal === signal;
  });
  if (!found) throw new Error(`no ${signal} was sent to ${pid}`);
  return found.t;
}

/** The samples read after `from` and before `to` (ms since the run started). */
const samplesWithin = (from: number, to: number): number[] => run.timeline.sampleTimes().filter((t) => t > from && t < to);

describe('lesson 08 signals', () => {
  claim('worker-handler', () => {
    const worker = only('worker');
    expect(worker.firstParent).toBe(run.timeline.data.lessonPid);
    expect(worker.everIn('S', { ppid: run.timeline.data.lessonPid })).toBe(true);
    expect(worker.record.exit).toMatchObject({ code: 0, signal: null });
    const reports = run.timeline.facts<{ signal: string; jobs: number }>('worker.report');
    expect(reports.map((each) => each.signal)).toEqual(['SIGUSR2']);
    expect(run.timeline.fact<number>('worker.finished')).toBeGreaterThan(reports[0]!.jobs);
    // It went on for its last job and the saving (500 ms × pace, a timer never fires early) after
    // SIGTERM was sent (stamped just before the kill; stamps are rounded to 0.1 ms) …
    const term = sentAt(worker.pid, 'SIGTERM');
    expect(worker.record.gone! - term).toBeGreaterThanOrEqual(500 * PACE - 1);
    // … alive in the table meanwhile: a sample after the SIGTERM still showed it, not Z.
    const after = samplesWithin(term, worker.record.gone!).filter((t) => !(worker.statAt(t) ?? 'Z').startsWith('Z'));
    expect(after.length).toBeGreaterThan(0);
  });

  claim('skipped-signal', () => {
    const missing = ['SIGUSR2', 'SIGINFO'].filter((signal) => !(signal in constants.signals));
    expect(missing.length).toBeGreaterThan(0); // SIGINFO, on Linux
    expect(run.timeline.facts('skipped')).toEqual(missing);
    expect(run.timeline.outputText()).toContain(`${missing[0]} does not exist on ${process.platform}: skipped.`);
    const sent = run.timeline.facts<{ signal: string }>('sent').map((each) => each.signal);
    for (const signal of missing) expect(sent).not.toContain(signal);
    expect(sent).toContain('SIGUSR2');
  });

  claim('sigint-default', () => {
    expect(only('no handlers').record.exit).toMatchObject({ code: null, signal: 'SIGINT' });
  });

  claim('ticker-stopped', () => {
    const ticker = only('ticker');
    const sequence = ticker.statSequence().map((stat) => stat[0]);
    const stopped = sequence.indexOf('T');
    expect(stopped).toBeGreaterThan(0);
    expect(sequence.slice(stopped + 1).some((state) => state === 'S' || state === 'R')).toBe(true);
    // T in every sample from the one after the first that could see the stop, until SIGCONT was
    // sent (the lesson holds it stopped for 3 s × pace: the samples between are many).
    const stop = sentAt(ticker.pid, 'SIGSTOP');
    const cont = sentAt(ticker.pid, 'SIGCONT');
    const between = samplesWithin(timeline().sampleAfter(stop)!, cont);
    expect(between.length).toBeGreaterThan(2);
    for (const t of between) expect(ticker.statAt(t), `sample at ${t} ms`).toMatch(/^T/);
    // Its ticks (facts on the same socket as the parent's, so in order): some before SIGSTOP, none
    // from the moment it was stopped until SIGCONT was sent, some after.
    const order = facts();
    const stoppedAt = order.findIndex((each) => each.name === 'stopped');
    const continuedAt = order.findIndex((each) => each.name === 'sent' && (each.value as { signal: string }).signal === 'SIGCONT');
    const ticks = order.flatMap((each, index) => (each.name === 'tick' && each.pid === ticker.pid ? [index] : []));
    expect(stoppedAt).toBeGreaterThan(0);
    expect(continuedAt).toBeGreaterThan(stoppedAt);
    expect(ticks.filter((index) => index > stoppedAt && index < continuedAt)).toEqual([]);
    expect(ticks.some((index) => index < stoppedAt)).toBe(true);
    expect(ticks.some((index) => index > continuedAt)).toBe(true);
    expect(ticker.record.exit).toMatchObject({ code: null, signal: 'SIGTERM' });
  });

  claim('sigchld-stop-cont', () => {
    const names = facts().map((each) => each.name);
    const stoppedAt = names.indexOf('stopped');
    const continuedAt = names.indexOf('continued');
    const tickerPid = only('ticker').pid;
    const endedAt = facts().findIndex((each) => each.name === 'sent' && (each.value as { pid: number; signal: string }).pid === tickerPid && (each.value as { signal: string }).signal === 'SIGTERM');
    expect(stoppedAt).toBeGreaterThan(0);
    expect(continuedAt).toBeGreaterThan(stoppedAt);
    expect(endedAt).toBeGreaterThan(continuedAt);
    expect(names.slice(stoppedAt, continuedAt)).toContain('sigchld');
    expect(names.slice(continuedAt, endedAt)).toContain('sigchld');
  });

  claim('stubborn-sigkill', () => {
    const stubborn = only('stubborn');
    expect(run.timeline.fact<string>('sigkill.handler')).toMatch(/EINVAL/);
    const term = sentAt(stubborn.pid, 'SIGTERM');
    const kill = sentAt(stubborn.pid, 'SIGKILL');
    // Alive (not Z) in every sample between the two.
    const between = samplesWithin(term, kill);
    expect(between.length).toBeGreaterThan(2);
    // (Not in the table at a sample, once beside two busy loops: the message names its rows, to tell why.)
    const rows = stubborn.record.spans.map((span) => `${span.stat}@${span.from}-${span.to}`).join(' ');
    for (const t of between) expect(stubborn.statAt(t) ?? 'not in the table', `sample at ${t} ms; SIGTERM ${term}, SIGKILL ${kill}; seen by ${stubborn.record.seenBy}: ${rows}`).toMatch(/^[SR]/);
    expect(stubborn.record.gone!).toBeGreaterThan(kill);
    expect(stubborn.record.exit).toMatchObject({ code: null, signal: 'SIGKILL' });
  });

  claim('results-reported', () => {
    const results = run.timeline.facts<{ who: string; code: number | null; signal: string | null }>('result');
    expect(results).toEqual([
      { who: 'worker', code: 0, signal: null },
      { who: 'no handlers', code: null, signal: 'SIGINT' },
      { who: 'ticker', code: null, signal: 'SIGTERM' },
      { who: 'stubborn', code: null, signal: 'SIGKILL' },
    ]);
    // The kernel's record agrees with what the parent was told.
    for (const { who, code, signal } of results) expect(only(who).record.exit, who).toMatchObject({ code, signal });
  });

  claim('children-apart', () => {
    const kids = ['child 1', 'child 2', 'child 3'].map((title) => only(title));
    const t = timeline();
    // When each ended is known to within the samples around it: after the last sample that showed
    // it alive, by the first that showed it Z or gone.
    const endedBy = (kid: ProcessHistory): number => kid.when('exited')!;
    const endedAfter = (kid: ProcessHistory): number => t.sampleBefore(endedBy(kid)) ?? 0;
    for (const [index, kid] of kids.entries()) {
      expect(kid.firstParent, kid.title).toBe(run.timeline.data.lessonPid);
      expect(kid.record.exit, kid.title).toMatchObject({ code: 0, signal: null });
      // It lived at least its own time, 700 ms × (i + 1) × pace, from before its start (the last
      // sample that did not have it yet) to the first sample that showed it ended.
      expect(endedBy(kid) - (t.sampleBefore(kid.record.firstSeen) ?? 0), kid.title).toBeGreaterThanOrEqual(700 * (index + 1) * PACE);
    }
    for (let index = 1; index < kids.length; index++) {
      const [before, after] = [kids[index - 1]!, kids[index]!];
      // Started once the one before ran, it ends at least 700 ms × pace after it: one after another.
      expect(endedBy(after) - endedAfter(before), after.title).toBeGreaterThanOrEqual(700 * PACE);
      expect(endedBy(after), after.title).toBeGreaterThanOrEqual(endedBy(before));
      // started after it, as the kernel dated their starts (the table may first show them the other way round)
      expect(after.record.startTicks, after.title).toBeGreaterThan(before.record.startTicks);
    }
  });

  claim('sigchld-each', () => {
    // Step 5: three children end one after another: one SIGCHLD each, each after its 'exit' line.
    const step5 = run.timeline.checkpoint('SIGCHLD: the kernel tells the parent')!;
    const step6 = run.timeline.checkpoint('SIG_IGN: the kernel reaps for a parent that never waits')!;
    const heard = facts().filter((each) => each.name === 'sigchld' && each.t > step5.t && each.t <= step6.t); // stamps are rounded to 0.1 ms: the last one may share step 6's
    expect(heard).toHaveLength(3);
    // The parent's lines, in the order it wrote them, from step 5's heading to step 6's.
    const all = run.timeline.data.output.map((line) => line.text);
    const lines = all.slice(all.findIndex((text) => text.startsWith('── 5.')), all.findIndex((text) => text.startsWith('── 6.')));
    const exits = lines.flatMap((line, index) => (line.includes("'exit': child") ? [index] : []));
    expect(exits).toHaveLength(3);
    for (const [k, index] of exits.entries()) {
      const next = exits[k + 1] ?? lines.length;
      expect(lines.slice(index + 1, next).some((line) => line.includes('SIGCHLD: a child of mine')), lines[index]).toBe(true);
    }
  });

  claim('sigign-disposition', () => {
    const lessonPid = run.timeline.data.lessonPid;
    const ignorer = only('ignorer');
    expect(ignorer.firstParent).toBe(lessonPid);
    const text = run.timeline.outputText();
    expect(text).toContain(`parent ${lessonPid}: SIGCHLD in me: handler (libuv's, since my first child).`);
    expect(text).toContain(`ignorer ${ignorer.pid}: SIGCHLD in me: default (no handler: libuv never started a child here).`);
    expect(text).toContain(`ignorer ${ignorer.pid}: signal(SIGCHLD, SIG_IGN) done: SIGCHLD in me is now ignore.`);
    expect(run.timeline.fact('ignorer.disposition')).toBe('ignore');
    // It started no child through Node: its only child is the one posix_spawn made.
    expect(ignorer.children().map((each) => each.title)).toEqual(['child (SIG_IGN)']);
  });

  claim('sigign-never-z', () => {
    const ignorer = only('ignorer');
    const child = only('child (SIG_IGN)');
    const result = run.timeline.fact<{ pid: number; gone: boolean; waitpid: string }>('ignorer.result')!;
    expect(result).toEqual({ pid: child.pid, gone: true, waitpid: 'ECHILD' });
    expect(child.firstParent).toBe(ignorer.pid);
    expect(child.everIn('S', { ppid: ignorer.pid })).toBe(true);
    // When it exited: the kernel's report (with its status: it ended by itself). Nobody else can
    // tell: the status is discarded. (Under load the connector may drop a report; then the table
    // knows only when the row went.)
    if (child.record.exit) expect(child.record.exit).toMatchObject({ code: 0, signal: null });
    const exited = child.record.exit?.t ?? child.when('exited')!;
    // Its row ended with its exit: no sample showed a zombie waiting for its parent (plain Z;
    // `Zl` would be a Node process whose threads are still ending, not yet reapable) …
    expect(child.reapableZombieSamples()).toBe(0);
    expect(child.record.gone).toBeDefined();
    const after = run.timeline.statsBetween(child, exited, run.timeline.data.end!.t).filter(Boolean);
    for (const stat of after) expect(stat).toMatch(/^Z.*l/);
    // … while its parent, which never waited, was still there: nobody adopted it. The ignorer
    // found its pid gone (kill(pid, 0): a zombie would still answer) after the kernel's exit
    // report, and only then ended itself.
    expect(child.reparentings()).toEqual([]);
    const found = run.timeline.data.facts.find((each) => each.name === 'ignorer.result')!;
    if (child.record.exit) expect(found.t).toBeGreaterThanOrEqual(child.record.exit.t);
    expect(ignorer.record.exit!.t).toBeGreaterThan(found.t);
    expect(child.record.gone!).toBeLessThanOrEqual(ignorer.record.gone!);
  });

  claim('said-while-shown', () => {
    const ticker = only('ticker');
    const stopped = stretches(ticker, (span) => span.stat.startsWith('T'));
    expectSaidWhileShown(timeline(), lineAt(timeline(), 'SIGSTOP and SIGCONT: T in the table'), stopped, PACE, 'the heading, before the T');
    expectSaidWhileShown(timeline(), lineAt(timeline(), 'SIGSTOP sent: the ticker is frozen, its STAT is T.'), stopped, PACE, 'the ticker T');
    expectSaidWhileShown(timeline(), lineAt(timeline(), 'still stopped: not one tick since'), stopped, PACE, 'the ticker still T');
    const running = stretches(ticker, (span) => !/^[TZ]/.test(span.stat));
    expectSaidWhileShown(timeline(), lineAt(timeline(), 'SIGCONT sent: it runs again'), running, PACE, 'the ticker running again');
    const stubborn = aliveStretch(only('stubborn'));
    expectSaidWhileShown(timeline(), lineAt(timeline(), 'after SIGTERM the stubborn child is still running'), [stubborn], PACE, 'the stubborn child after SIGTERM');
  });

  claim('all-reaped', () => {
    expect(run.code).toBe(0);
    expect(run.timeline.leftovers()).toEqual([]);
    const lessonPid = run.timeline.data.lessonPid;
    const children = run.timeline.lesson!.children();
    expect(children).toHaveLength(8);
    for (const child of children) expect(child.record.reapedBy, child.title).toBe(lessonPid);
  });

  claim(
    'stopped-ended',
    async () => {
      // The lesson killed outright while its child is stopped: no handler of the lesson can run,
      // so only the runner's SIGTERM followed by SIGCONT can end the T child.
      const { orphaned, killed } = await killedWhileStopped;
      expect(killed).toBe(true);
      expect(orphaned.timeline.data.end).toMatchObject({ code: null, signal: 'SIGKILL' });
      const ticker = only('ticker', orphaned);
      expect(ticker.everIn('T')).toBe(true);
      expect(ticker.record.exit).toMatchObject({ code: null, signal: 'SIGTERM' });
      expect(orphaned.timeline.leftovers()).toEqual([]);
      expect(stillRunning(orphaned.timeline)).toEqual([]);
      // Ctrl-C while it is stopped (T): the lesson's own SIGCONT after SIGTERM lets it act on it.
      const stopped = await interrupted.get('still stopped')!;
      const stoppedTicker = only('ticker', stopped);
      expect(stoppedTicker.everIn('T')).toBe(true);
      expect(stopped.timeline.data.facts.map((each) => each.name)).not.toContain('continued');
      expect(stoppedTicker.record.exit).toMatchObject({ code: null, signal: 'SIGTERM' });
    },
    60_000,
  );

  claim(
    'nothing-left',
    async () => {
      expect(stillRunning(run.timeline)).toEqual([]);
      for (const point of INTERRUPTS) {
        const stopped = await interrupted.get(point)!;
        expect(stopped.code, point).toBe(130);
        expect(stopped.timeline.leftovers(), point).toEqual([]);
        expect(stillRunning(stopped.timeline), point).toEqual([]);
        if (point === 'I ignore it') expect(only('stubborn', stopped).record.exit).toMatchObject({ code: null, signal: 'SIGKILL' });
      }
    },
    60_000,
  );
});

// --python: the course's own program (lessons/08-signals/course.py) under the same engine and table.
// Self-contained: it brings its own helpers and names, and reads apart from the tests above.
{
  const py = await import('../watch/course.js');
  const { describe, beforeAll, expect, test } = py;

  const started = py.courseWithFile('8'); // beside the Node runs above

  describe('lesson 08 signals --python', () => {
    let run: Awaited<ReturnType<typeof py.runCourse>>;
    let parent: ReturnType<typeof py.seen>;
    let ignored: ReturnType<typeof py.seen>;
    let handled: ReturnType<typeof py.seen>;
    beforeAll(async () => {
      run = await started();
      parent = py.seen(run, py.line(run, 'parent', 'SIGCHLD is ignored'));
      ignored = py.seen(run, py.line(run, 'child', 'I exit in half a second'));
      handled = py.seen(run, py.line(run, 'child', 'I work until SIGTERM'));
    });

    test('the program ends by itself with status 0 and leaves nothing', () => {
      expect(run.code).toBe(0);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(py.stillRunning(run.timeline)).toEqual([]);
    });

    py.claim('py-sigign-never-z', () => {
      const about = py.story(ignored);
      expect(ignored.firstParent, about).toBe(parent.pid);
      expect(ignored.samplesIn('S', { ppid: parent.pid }), about).toBeGreaterThan(0); // seen alive first
      expect(ignored.everIn('Z'), about).toBe(false);
      // Gone while the parent still slept, before its os.wait() found nothing.
      const nothing = py.line(run, 'parent', 'os.wait() finds no child');
      expect(ignored.record.gone, about).toBeDefined();
      expect(ignored.record.gone!, about).toBeLessThan(nothing.t);
      expect(nothing.text).toContain(`discarded ${ignored.pid}`);
      const asleep = py.statsBetween(run, parent, ignored.when('exited')!, ignored.when('exited')! + 0.001);
      for (const stat of asleep) expect(stat, py.story(parent)).toMatch(/^S/);
    });

    py.claim('py-sigterm-handled', () => {
      const about = py.story(handled);
      expect(handled.firstParent, about).toBe(parent.pid);
      expect(py.line(run, 'child', 'got SIGTERM').pid).toBe(handled.pid);
      expect(handled.record.exit, about).toMatchObject({ code: 0, signal: null });
      // With SIGCHLD back to default: a zombie under the parent for about 1 s, until os.waitpid().
      // (At least half of it: the handler's sys.exit() takes a while to finish on a busy machine.)
      const [zombie, ...more] = py.zombieSpans(handled);
      expect(more, about).toEqual([]);
      expect(zombie!.ppid, about).toBe(parent.pid);
      expect(zombie!.to - zombie!.from, about).toBeGreaterThanOrEqual(500 * py.PACE - py.gap(run, zombie!.from - 1000 * py.PACE, zombie!.to));
      expect(handled.record.reapedBy, about).toBe(parent.pid);
      expect(py.line(run, 'parent', `collected ${handled.pid}`).text).toContain('exit code 0, not killed by SIGTERM');
    });
  });
}
