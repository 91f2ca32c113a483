// The check harness: runs a student's exercise the way the runner runs a lesson (its own session,
// followed by the observer, everything it leaves ended) and gives the check what the kernel
// showed. A check reads like the claims it makes; the first claim that does not hold becomes the
// one sentence the student sees.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TableRow } from '../observe/observer.js';
import { Timeline, type OutputLine } from '../observe/timeline.js';
import { startRun } from '../run/engine.js';
import type { RunState } from '../observe/state.js';
import { projectRoot } from '../run/paths.js';
import { TASK_ENV } from './env.js';
import type { Random } from './random.js';

/** A claim about the exercise that did not hold: one plain sentence for the student. */
export class CheckFailure extends Error {}

export function fail(sentence: string): never {
  throw new CheckFailure(sentence);
}

/** How one run of the exercise went, as the kernel and the runner saw it. */
export interface Finished {
  timeline: Timeline;
  /** The exercise's first process. */
  pid: number;
  code: number | null;
  signal: string | null;
  /** The check stopped it: it ran longer than it may. */
  timedOut: boolean;
  /** What it printed (stdout and stderr), line by line. */
  output: Array<Pick<OutputLine, 't' | 'stream' | 'text'>>;
  timeoutMs: number;
}

/** An exercise that is running now. */
export interface Running {
  readonly pid: number;
  /** The live process table of the exercise (as the runner's view shows it). */
  rows(): TableRow[];
  /** Whether its first process has exited. */
  exited(): { code: number | null; signal: string | null } | undefined;
  /**
   * Waits until `condition` holds. Fails the check if the exercise exits first or `deadlineMs`
   * passes, saying what it was waiting for: `waitingFor` reads after "waiting for", e.g. "its
   * server to accept a connection".
   */
  until(waitingFor: string, condition: () => boolean | Promise<boolean>, deadlineMs?: number): Promise<void>;
  /** Sends a signal to the exercise's first process (never once it has exited: its pid may be reused). */
  kill(signal: NodeJS.Signals): void;
  done: Promise<Finished>;
}

export interface StartOptions {
  /** How long the run may take before the check stops it (default 10 s). */
  timeoutMs?: number;
  /**
   * How long processes it leaves behind (an orphan, a double-forked grandchild) may go on after
   * its first process has exited, before the check ends them (default 300 ms).
   */
  graceMs?: number;
}

export interface CheckContext {
  /** A private folder for this check's files, removed afterwards. Short, so socket paths fit. */
  work: string;
  /** Where every random input comes from: seeded, so `--seed N` repeats a run exactly. */
  random: Random;
  /** Starts the exercise with these inputs (what `given()` returns in it). */
  start(task: object, options?: StartOptions): Running;
  /** Starts it and waits until it is over. */
  run(task: object, options?: StartOptions): Promise<Finished>;
}

export type Check = (context: CheckContext) => Promise<void>;

/** Every exercise running now, so that Ctrl-C on `npm run check` can stop them all. */
const active = new Set<{ interrupt(): void }>();
let stopping = false;

/**
 * Stops every exercise that is running (the runner then ends everything each one started), and
 * any that a check starts from now on.
 */
export function stopAllExercises(): void {
  stopping = true;
  for (const control of active) control.interrupt();
}

export function stoppingAll(): boolean {
  return stopping;
}

/** Runs a compiled exercise file under the observer, as the runner runs a lesson. */
export function startExercise(file: string, label: { number: number; slug: string; title: string }, task: object, options: StartOptions = {}): Running {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let latest: RunState | undefined;
  const wakers = new Set<() => void>();

  // The inputs go to the exercise in its environment. The engine tells us its state as it changes.
  const control = startRun(
    {
      command: [process.execPath, file],
      label,
      intervalMs: 25,
      pathPrefixes: [`${projectRoot}/dist/`, `${projectRoot}/`],
      graceMs: options.graceMs ?? 300,
      lesson: { pace: 1, stepMode: false, predict: false, color: false, language: 'en' },
      env: { [TASK_ENV]: JSON.stringify(task) },
    },
    {
      onState(state) {
        latest = state;
        for (const wake of wakers) wake();
      },
    },
  );
  const pid = control.pid;

  active.add(control);
  if (stopping) control.interrupt();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    control.interrupt();
  }, timeoutMs);
  const done = control.done.then((result): Finished => {
    clearTimeout(timer);
    active.delete(control);
    for (const wake of wakers) wake();
    return {
      timeline: new Timeline(result.timeline),
      pid: result.timeline.lessonPid,
      code: result.code,
      signal: result.signal,
      timedOut,
      output: result.timeline.output.map(({ t, stream, text }) => ({ t, stream, text })),
      timeoutMs,
    };
  });
  let over = false;
  void done.then(() => {
    over = true;
  });

  const exited = (): { code: number | null; signal: string | null } | undefined => latest?.finished;

  return {
    pid,
    rows: () => latest?.rows ?? [],
    exited,
    kill(signal) {
      if (exited() || over || pid <= 1) return;
      try {
        process.kill(pid, signal);
      } catch {
        // gone meanwhile
      }
    },
    async until(waitingFor, condition, deadlineMs = 5000) {
      const deadline = Date.now() + deadlineMs;
      for (;;) {
        if (await condition()) return;
        const how = exited();
        if (how || over) {
          fail(`It ${how ? describeEnd(how.code, how.signal) : 'ended'} while the check was waiting for ${waitingFor}.`);
        }
        if (Date.now() > deadline) fail(`After ${seconds(deadlineMs)} the check was still waiting for ${waitingFor}.`);
        // Wake at the next sample or output line, or after 25 ms, whichever comes first.
        await new Promise<void>((resolve) => {
          const wake = (): void => {
            wakers.delete(wake);
            clearTimeout(timeout);
            resolve();
          };
          const timeout = setTimeout(wake, 25);
          wakers.add(wake);
        });
      }
    },
    done,
  };
}

/** Polls `condition` until it holds (true) or `ms` pass (false). */
export async function waitUntil(condition: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** "exited with code 1", "was killed by SIGTERM". */
export function describeEnd(code: number | null, signal: string | null): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}

/** A private folder for a check's files: short (socket paths must stay under 108 bytes). */
export function makeWorkFolder(): string {
  return mkdtempSync(join(tmpdir(), 'pbx-'));
}

export function removeWorkFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
