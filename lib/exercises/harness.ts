// The check harness: runs a student's exercise the way the runner runs a lesson (its own session,
// followed by the observer, everything it leaves ended) and gives the check what the kernel
// showed. A check reads like the claims it makes; the first claim that does not hold becomes the
// one sentence the student sees.
import { mkdtempSync, rmSync } from 'node:fs';
import { signalName } from '../proc/signals.js';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { TableRow } from '../observe/observer.js';
import { Timeline, type OutputLine } from '../observe/timeline.js';
import { startRun, type RunControl } from '../run/engine.js';
import type { RunState } from '../observe/state.js';
import { projectRoot } from '../run/paths.js';
import { TASK_ENV } from './env.js';
import { SandboxPids, keepDescriptorsFromSandbox, sandboxCommand, sandboxEnv } from './sandbox.js';
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
  /** The host's pid of a pid the exercise reported, printed or wrote (they differ in a sandbox). */
  hostPid(reported: number): number;
  /** In a sandbox, the pid inside it of one of its processes (1 is its init); undefined otherwise. */
  insidePid(pid: number): number | undefined;
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
  /** The host's pid of a pid the exercise reported, printed or wrote (they differ in a sandbox). */
  hostPid(reported: number): number;
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

/** A compiled exercise, and how to run it. */
export interface Program {
  /** The compiled file. */
  file: string;
  /** Run it in a sandbox (see sandbox.ts): the compiled file's folder and the packages it loads. */
  sandbox?: { dir: string; packages: Array<{ name: string; dir: string }>; scratch: string };
}

/**
 * How the exercise's first process ended, from how bwrap ended: it exits as the process it runs
 * does, with its code, or with 128 + the signal that killed it (as a shell says).
 */
function sandboxed(how: { code: number | null; signal: string | null }): { code: number | null; signal: string | null } {
  if (how.code !== null && how.code > 128 && how.code < 128 + 65) return { code: null, signal: signalName(how.code - 128) };
  return how;
}

/**
 * Runs a compiled exercise under the observer, as the runner runs a lesson. The time limit is
 * kept here, in the checker, which a sandboxed exercise can neither see nor signal.
 */
export function startExercise(program: Program, label: { number: number; slug: string; title: string }, task: object, options: StartOptions = {}): Running {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let latest: RunState | undefined;
  const wakers = new Set<() => void>();
  let pids: SandboxPids | undefined;
  const sandbox = program.sandbox;
  // Its temporary files (lib/lesson's tempDir) go in a folder of its scratch folder.
  const scratchTmp = sandbox ? mkdtempSync(join(sandbox.scratch, '.tmp-')) : undefined;
  if (sandbox) keepDescriptorsFromSandbox();
  /** A pid never seen in the sandbox stays a pid no process of the host has: its negative. */
  let engine: RunControl | undefined;
  const hostPid = (reported: number): number => {
    if (!pids) return reported;
    let found = pids.hostPid(reported);
    // Not seen yet: its messages may be read before the next sample (a busy checker reads all
    // that is ready at once). Sample now, while it may still be there.
    if (found === undefined && engine !== undefined) {
      engine.observer.sample();
      pids.learn(engine.observer.alive().map((each) => each.pid));
      found = pids.hostPid(reported);
    }
    return found ?? -reported;
  };


  // The inputs go to the exercise in its environment. The engine tells us its state as it changes.
  const control = startRun(
    {
      command:
        sandbox && scratchTmp
          ? sandboxCommand({ compiledDir: sandbox.dir, entry: basename(program.file), packages: sandbox.packages, scratch: sandbox.scratch })
          : [process.execPath, program.file],
      ...(sandbox && scratchTmp ? { sandbox: { env: sandboxEnv(sandbox.scratch), tmp: scratchTmp, pidOf: hostPid } } : {}),
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
        // Learnt while it runs: in a sandbox, a process may be gone (and its pid unreadable) by the end.
        if (pids) {
          pids.learn(state.rows.map((row) => row.pid));
          pids.exercisePid();
        }
        for (const wake of wakers) wake();
      },
    },
  );
  engine = control;
  // In a sandbox, the engine's first process is bwrap; the exercise is pid 2 of the sandbox below it.
  if (sandbox) pids = new SandboxPids(control.pid);
  // Never seen (a starved checker may not sample it in its whole life: bwrap's init collects it
  // at once, no zombie waits for us): it is -2, as hostPid says of pid 2, so that what it reported
  // still matches it.
  const exercisePid = (): number => (pids ? pids.exercisePid() ?? -2 : control.pid);
  const asExercise = (how: { code: number | null; signal: string | null }) => (pids ? sandboxed(how) : how);

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
    if (scratchTmp) rmSync(scratchTmp, { recursive: true, force: true });
    const pid = exercisePid();
    let { code, signal } = asExercise(result);
    // What it reported while its pid was not known yet (a process that lived too briefly for a
    // scan) carries minus its pid inside: the observer may have seen that process since.
    for (const each of [...result.timeline.facts, ...result.timeline.checkpoints]) {
      if (pids && each.pid < 0) each.pid = pids.hostPid(-each.pid) ?? each.pid;
    }
    if (pids) {
      // Unless the kernel was seen saying more exactly (it seldom is: bwrap's init collects it).
      const record = result.timeline.processes.filter((each) => each.pid === pid).at(-1);
      if (record?.exit?.source === 'kernel') ({ code, signal } = record.exit);
      // Whatever it may have reported about itself on its control channel, this is what bwrap saw.
      if (record && record.exit?.source !== 'kernel' && result.timeline.end) record.exit = { t: result.timeline.end.t, code, signal, source: 'parent' };
    }
    return {
      timeline: new Timeline({ ...result.timeline, lessonPid: pid }),
      pid,
      code,
      signal,
      timedOut,
      output: result.timeline.output.map(({ t, stream, text }) => ({ t, stream, text })),
      timeoutMs,
      hostPid,
      insidePid: (host) => pids?.insidePid(host),
    };
  });
  let over = false;
  void done.then(() => {
    over = true;
  });

  const exited = (): { code: number | null; signal: string | null } | undefined => (latest?.finished ? asExercise(latest.finished) : undefined);

  return {
    get pid() {
      return exercisePid();
    },
    rows: () => latest?.rows ?? [],
    exited,
    hostPid,
    kill(signal) {
      const pid = exercisePid();
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
