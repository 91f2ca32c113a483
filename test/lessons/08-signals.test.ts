// Lesson 08: what each signal did, as the kernel's table and the processes themselves showed it.
import { constants } from 'node:os';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Fact, ProcessHistory } from '../../lib/observe/timeline.js';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';

const PACE = 0.3;
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
  run = await runLesson('signals', { pace: PACE });
});

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

/** When the parent sent this signal to this process. */
function sentAt(pid: number, signal: string): number {
  const found = facts().find((each) => {
    const value = each.value as { pid: number; signal: string };
    return each.name === 'sent' && value.pid === pid && value.signal === signal;
  });
  if (!found) throw new Error(`no ${signal} was sent to ${pid}`);
  return found.t;
}

describe('lesson 08 signals', () => {
  test('the lesson ends cleanly, every child reaped by the parent', () => {
    expect(run.code).toBe(0);
    expect(run.timeline.leftovers()).toEqual([]);
    const lessonPid = run.timeline.data.lessonPid;
    const children = run.timeline.lesson!.children();
    expect(children).toHaveLength(7);
    for (const child of children) expect(child.record.reapedBy, child.title).toBe(lessonPid);
  });

  test('SIGUSR2 and SIGTERM handlers: the worker reports, finishes its job, and exits 0', () => {
    const worker = only('worker');
    expect(worker.record.exit).toMatchObject({ code: 0, signal: null });
    const reports = run.timeline.facts<{ signal: string; jobs: number }>('worker.report');
    expect(reports.map((each) => each.signal)).toEqual(['SIGUSR2']);
    expect(run.timeline.fact<number>('worker.finished')).toBeGreaterThan(reports[0]!.jobs);
    // It went on for its last job and the saving (≥ 500 ms × pace) after SIGTERM arrived.
    expect(worker.record.gone! - sentAt(worker.pid, 'SIGTERM')).toBeGreaterThanOrEqual(500 * PACE * 0.9);
  });

  test('a signal that does not exist here is skipped with a sentence, the others are sent', () => {
    const missing = ['SIGUSR2', 'SIGINFO'].filter((signal) => !(signal in constants.signals));
    expect(run.timeline.facts('skipped')).toEqual(missing);
    const sent = run.timeline.facts<{ signal: string }>('sent').map((each) => each.signal);
    for (const signal of missing) expect(sent).not.toContain(signal);
  });

  test('without a handler SIGINT ends the child', () => {
    expect(only('no handlers').record.exit).toMatchObject({ code: null, signal: 'SIGINT' });
  });

  test('SIGSTOP turns the ticker T for a visible time, SIGCONT brings it back, and it stops ticking meanwhile', () => {
    const ticker = only('ticker');
    const sequence = ticker.statSequence().map((stat) => stat[0]);
    const stopped = sequence.indexOf('T');
    expect(stopped).toBeGreaterThan(0);
    expect(sequence.slice(stopped + 1).some((state) => state === 'S' || state === 'R')).toBe(true);
    expect(ticker.timeIn('T')).toBeGreaterThanOrEqual(2500 * PACE * 0.7);
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

  test('SIGKILL: no handler can be installed, SIGTERM is ignored, SIGKILL ends it', () => {
    const stubborn = only('stubborn');
    expect(run.timeline.fact<string>('sigkill.handler')).toMatch(/EINVAL/);
    expect(stubborn.record.gone! - sentAt(stubborn.pid, 'SIGTERM')).toBeGreaterThanOrEqual(1200 * PACE * 0.8);
    expect(stubborn.record.gone!).toBeGreaterThanOrEqual(sentAt(stubborn.pid, 'SIGKILL'));
    expect(stubborn.record.exit).toMatchObject({ code: null, signal: 'SIGKILL' });
  });

  test('the parent saw (code, signal) for each, as the kernel reported it', () => {
    const results = run.timeline.facts<{ who: string; code: number | null; signal: string | null }>('result');
    expect(results).toEqual([
      { who: 'worker', code: 0, signal: null },
      { who: 'no handlers', code: null, signal: 'SIGINT' },
      { who: 'ticker', code: null, signal: 'SIGTERM' },
      { who: 'stubborn', code: null, signal: 'SIGKILL' },
    ]);
  });

  test('SIGCHLD reaches the parent when a child stops, continues, and ends', () => {
    const names = facts().map((each) => each.name);
    const stoppedAt = names.indexOf('stopped');
    const continuedAt = names.indexOf('continued');
    const tickerPid = only('ticker').pid;
    const endedAt = facts().findIndex((each) => each.name === 'sent' && (each.value as { pid: number; signal: string }).pid === tickerPid && (each.value as { signal: string }).signal === 'SIGTERM');
    expect(names.slice(stoppedAt, continuedAt)).toContain('sigchld');
    expect(names.slice(continuedAt, endedAt)).toContain('sigchld');
    // Step 5: three children end, 700 ms × pace apart: one SIGCHLD each.
    const step5 = run.timeline.checkpoint('SIGCHLD: the kernel tells the parent')!;
    const heard = facts().filter((each) => each.name === 'sigchld' && each.t > step5.t);
    expect(heard).toHaveLength(3);
    for (const child of ['child 1', 'child 2', 'child 3']) expect(only(child).record.exit).toMatchObject({ code: 0, signal: null });
  });
});

describe('lesson 08 signals, interrupted', () => {
  test('the lesson killed outright while its child is stopped: the runner still ends the T child', async () => {
    const { orphaned, killed } = await killedWhileStopped;
    expect(killed).toBe(true);
    expect(orphaned.timeline.data.end).toMatchObject({ code: null, signal: 'SIGKILL' });
    const ticker = only('ticker', orphaned);
    expect(ticker.everIn('T')).toBe(true);
    expect(ticker.record.exit?.signal).toBe('SIGTERM');
    expect(orphaned.timeline.leftovers()).toEqual([]);
    expect(stillRunning(orphaned.timeline)).toEqual([]);
  });

  for (const point of INTERRUPTS) {
    test(`Ctrl-C at "${point}" leaves nothing running`, async () => {
      const stopped = await interrupted.get(point)!;
      expect(stopped.code).toBe(130);
      expect(stopped.timeline.leftovers()).toEqual([]);
      expect(stillRunning(stopped.timeline)).toEqual([]);
      if (point === 'still stopped') {
        // It was stopped (T) when the interrupt came; SIGCONT after SIGTERM let it act on the SIGTERM.
        const ticker = only('ticker', stopped);
        expect(ticker.everIn('T')).toBe(true);
        expect(stopped.timeline.data.facts.map((each) => each.name)).not.toContain('continued');
        expect(ticker.record.exit?.signal).toBe('SIGTERM');
      }
      if (point === 'I ignore it') expect(only('stubborn', stopped).record.exit?.signal).toBe('SIGKILL');
    });
  }
});
