// The engine: runs one program — a lesson, an exercise, or any command (`watch`) — in its own
// session, follows its processes, reports the run's state to a listener, and makes sure that when
// it is over nothing of it is left.
//
// It knows no screen, no menu and no catalogue. What it knows:
//   - how to start the program (detached: it leads a new session and process group, so the
//     terminal's Ctrl-C does not reach it directly and the engine can signal the whole group);
//   - the control channel a lesson may use (fd 3: checkpoints, facts, titles, spawn and exit
//     reports, questions, go-aheads), opened only for programs that speak it;
//   - the subreaper's duty (the caller made this process a child subreaper): collect adopted
//     orphans by pid;
//   - when the run is over: the first process exited and the rest finished (or the grace time
//     passed), or the run was stopped; then everything left is ended.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { Observer } from '../observe/observer.js';
import type { RunLabel, RunState } from '../observe/state.js';
import type { TimelineData } from '../observe/timeline.js';
import { ConnectorReader } from '../proc/connector.js';
import { startTicksOf } from '../proc/read.js';
import { PerfReader } from '../proc/perf.js';
import { kernelSource } from '../proc/platform.js';
import { signalNumber } from '../proc/signals.js';
import { ENV, jsonLines, type LessonMessage, type QuestionMessage, type Stamped } from '../lesson/protocol.js';
import { endEverything, reapAdopted, settle } from './cleanup.js';
import { lineSplitter } from './lines.js';

export interface LessonSettings {
  pace: number;
  stepMode: boolean;
  predict: boolean;
  /** Whether the lesson's output may use colours. */
  color: boolean;
  /** The language the student reads (the lesson translates its own sentences). */
  language: string;
}

export interface RunSpec {
  /** The program and its arguments (argv). */
  command: string[];
  label: RunLabel;
  intervalMs: number;
  /** Prefixes to strip from command lines in the table (the project folder). */
  pathPrefixes: string[];
  /**
   * After the first process exits, how long what it left may go on by itself before the engine
   * ends it. `Infinity`: the run lasts until the last process it followed has ended (`watch`).
   */
  graceMs: number;
  /** More environment variables (an exercise's inputs, a test's switches). */
  env?: Record<string, string>;
  /**
   * The program runs in a sandbox of its own pid namespace (a check's: bwrap … node <file>, see
   * lib/exercises/sandbox.ts). It starts from `env` instead of the runner's environment, keeps its
   * temporary files in `tmp` (a folder it can write), is told that the runner is out of its sight
   * (PROCBOOK_RUNNER "0:0": the kernel ends the namespace with the runner), and the pids it reports
   * on the control channel, its namespace's, are turned into the host's by `pidOf`; `spawned` hears
   * each start it reports (child and parent) as it said it, before that. `channel`, a descriptor
   * of the runner's, becomes the program's fd 4, after its control channel: the sandbox's keeper
   * makes the check's sockets on it (lib/exercises/network.ts).
   */
  sandbox?: { env: Record<string, string>; tmp: string; pidOf(reported: number): number; spawned?(pid: number, parent: number): void; channel?: number };
  /** A program that speaks the control channel (a lesson, an exercise): its settings. */
  lesson?: LessonSettings;
  /** What the program reads on its standard input. */
  stdin?: 'ignore' | 'inherit';
  /**
   * Called when the program cannot be started (not found, not executable). The run then ends at
   * once with exit status 127 (not found) or 126 (not executable), as a shell would say.
   */
  onStartError?: (error: NodeJS.ErrnoException) => void;
  /**
   * Called once the program is started and before it may go on (a gated lesson or exercise: see
   * ENV.gate): what must be in place before its first fork, e.g. becoming its subreaper.
   */
  beforeStart?: () => void;
}

export interface RunHooks {
  /** The run's state changed (a sample, an output line, a message): draw it. */
  onState?(state: RunState): void;
  /** A lesson asked a prediction question (`--predict`); the lesson waits until `release()`. */
  onQuestion?(message: QuestionMessage): void;
  /** The lesson's first process reached a checkpoint (a step): for reveals at the next step. */
  onCheckpoint?(pid: number, t: number): void;
  /** The first process ended (`ended`), or the run was stopped first: before what it left is ended. */
  onFirstEnd?(ended: boolean): void;
}

export interface RunControl {
  /** The program's first process (-1 if it could not be started). */
  readonly pid: number;
  readonly observer: Observer;
  /** The state now (also given to onState on every change). */
  state(): RunState;
  /** Let a lesson waiting at a checkpoint go on (a key press). */
  goAhead(): void;
  /** Let the lesson go on from a question, whatever it waits at. */
  release(): void;
  /** A line of the runner's own among the program's output (predict mode). */
  note(text: string): void;
  /** Stop the run now (q, Ctrl-C, a signal to the runner). */
  interrupt(): void;
  /** Resolves when the run is over and everything is cleaned up. */
  done: Promise<RunResult>;
}

export interface RunResult {
  timeline: TimelineData;
  code: number | null;
  signal: string | null;
  interrupted: boolean;
  /** What the runner should exit with: the program's code, 128 + signal, or 130 if interrupted. */
  exitStatus: number;
  /** The program could not be started. */
  startError?: NodeJS.ErrnoException;
}

/** How long a finished row stays in the live table, dimmed, at pace 1. */
export const LINGER_MS = 3000;

export function startRun(spec: RunSpec, hooks: RunHooks = {}): RunControl {
  const runId = randomUUID();
  const runTmp = mkdtempSync(join(tmpdir(), 'procbook-run-'));
  const lesson = spec.lesson;
  const [program = '', ...args] = spec.command;
  const sandbox = spec.sandbox;
  const env: NodeJS.ProcessEnv = {
    ...(sandbox?.env ?? process.env),
    ...spec.env,
    // The run's id: the observer admits any process started with it in its environment.
    [ENV.run]: runId,
    [ENV.runTmp]: sandbox?.tmp ?? runTmp,
    // A Python program prints as it goes, not when its buffer fills (its lines then meet the table in time).
    PYTHONUNBUFFERED: '1',
  };
  if (lesson) {
    // A lesson speaks no TLS: where NODE_EXTRA_CA_CERTS is set, each of its Node processes would
    // read the whole CA bundle as it starts (three times the start of a plain `node`).
    delete env.NODE_EXTRA_CA_CERTS;
    Object.assign(env, {
      [ENV.control]: '3',
      [ENV.runner]: sandbox ? '0:0' : `${process.pid}:${startTicksOf('self') ?? 0}`,
      [ENV.pace]: String(lesson.pace),
      [ENV.step]: lesson.stepMode ? '1' : '0',
      [ENV.predict]: lesson.predict ? '1' : '0',
      [ENV.color]: lesson.color ? '1' : '0',
      [ENV.lang]: lesson.language,
    });
  } else {
    // A program run with `watch` must not take the runner's control settings for its own.
    for (const name of [ENV.control, ENV.runner, ENV.step, ENV.predict, ENV.role, ENV.main]) delete env[name];
  }
  // The kernel's reports must be subscribed to before the program's first fork. As root, the proc
  // connector; without root, a perf event, which the program and everything below it inherit
  // (lib/proc/perf.ts). A lesson or an exercise run by itself starts at once, gated: its first
  // process waits for our 'start' (ENV.gate, lib/lesson/channel.ts) while we get ready — the
  // subreaper, the kernel's reports — during the time Node takes to start it anyway. A sandbox
  // (bwrap forks its init within a millisecond) and any other program are subscribed to first.
  const source = kernelSource();
  const gated = lesson !== undefined && sandbox === undefined;
  if (gated) env[ENV.gate] = '1';
  const openReports = (pid: number) => (source === 'connector' ? ConnectorReader.open() : source === 'perf' ? PerfReader.open(undefined, pid) : undefined);
  let kernelReader = gated ? undefined : openReports(0);
  const child = (() => {
    try {
      return spawn(program, args, {
        detached: true,
        stdio: [spec.stdin ?? 'ignore', 'pipe', 'pipe', ...(lesson ? ['pipe' as const, ...(sandbox?.channel !== undefined ? [sandbox.channel] : [])] : [])],
        env,
      });
    } catch (error) {
      kernelReader?.close();
      throw error;
    }
  })();
  const control = lesson ? (child.stdio[3] as Socket | undefined) : undefined;
  if (gated && child.pid !== undefined) {
    spec.beforeStart?.();
    kernelReader = openReports(child.pid);
  }
  const rootPid = child.pid ?? -1;
  const observer = new Observer({
    rootPid,
    runnerPid: process.pid,
    intervalMs: spec.intervalMs,
    marker: { name: ENV.run, value: runId },
    pathPrefixes: spec.pathPrefixes,
    ...(kernelReader ? { kernelReader } : {}),
    // Asked for perf or the samples alone (PROCBOOK_SOURCE): not the connector, even as root.
    ...(source === 'connector' ? {} : { kernelEvents: false }),
  });
  // The run's clock has started (the observer's): now the lesson may go on. (Told before, a runner
  // descheduled for a moment would see the lesson's first stamps come before its clock began.)
  if (gated && child.pid !== undefined) control?.write(`${JSON.stringify({ type: 'start' })}\n`);
  const record = observer.record;
  const timeline = observer.timeline;
  const pace = lesson?.pace ?? 1;
  const state: RunState = {
    lesson: spec.label,
    rows: [],
    output: timeline.output,
    timeline,
    now: 0,
    lessonPid: rootPid,
    runnerPid: process.pid,
    pace,
    stepMode: lesson?.stepMode ?? false,
  };
  const refresh = (): void => {
    state.now = observer.now();
    state.rows = observer.rows(LINGER_MS * Math.max(pace, 0.5));
    hooks.onState?.(state);
  };

  // The program's output, line by line, into the record; the views are told once per chunk read,
  // not once per line (lesson 09 prints 3,800 lines, and had the table rebuilt for each: 2.37 s of
  // CPU for a run at pace 0.3, 2.18 s told per chunk).
  const closed: Array<Promise<void>> = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    const source = child[stream];
    if (!source) continue;
    let added = false;
    const splitter = lineSplitter((text) => {
      record.addOutput({ t: observer.now(), stream, text });
      added = true;
    });
    const tellViews = (): void => {
      if (added) refresh();
      added = false;
    };
    source.on('data', (chunk: Buffer) => {
      splitter.push(chunk);
      tellViews();
    });
    closed.push(new Promise<void>((resolve) => source.once('close', () => resolve())).then(() => {
      splitter.flush();
      tellViews();
    }));
  }

  // What a lesson tells us on its control socket.
  let waitingAt: string | undefined;
  const goOn = (): void => void control?.write(`${JSON.stringify({ type: 'continue' })}\n`);
  control?.on(
    'data',
    jsonLines<Stamped<LessonMessage>>((received) => {
      if (sandbox && received.type === 'spawned' && received.parent !== undefined) sandbox.spawned?.(received.pid, received.parent);
      const parent = sandbox && received.type === 'spawned' && received.parent !== undefined ? { parent: sandbox.pidOf(received.parent) } : {};
      const message = sandbox && 'pid' in received ? { ...received, pid: sandbox.pidOf(received.pid), ...parent } : received;
      const t = message.at === undefined ? observer.now() : observer.timeOf(message.at);
      // A pid from a sandbox that could not be translated (the process was gone before the runner
      // could read which it was) names no host process: the observer is not asked about it.
      const unknown = 'pid' in message && message.pid < 0;
      if (unknown && (message.type === 'title' || message.type === 'spawned' || message.type === 'exiting' || message.type === 'exit')) {
        refresh();
        return;
      }
      if (message.type === 'checkpoint') {
        record.addCheckpoint({ t, name: message.name, pid: message.pid, ...(message.shown ? { shown: message.shown } : {}) });
        if (!message.hold) hooks.onCheckpoint?.(message.pid, t); // a held state is no step: no reveal is due
        if (message.waits) {
          waitingAt = message.name;
          state.pausedAt = message.shown ?? message.name;
        }
      } else if (message.type === 'fact') {
        record.addFact({ t, name: message.name, value: message.value, pid: message.pid });
      } else if (message.type === 'title') {
        observer.recordTitle(message.pid, message.title);
      } else if (message.type === 'spawned') {
        observer.lookAt(message.pid, {
          t: message.startedAt === undefined ? t : observer.timeOf(message.startedAt),
          ...(message.title === undefined ? {} : { title: message.title }),
          ...(message.parent === undefined ? {} : { parent: message.parent }),
        });
      } else if (message.type === 'exiting') {
        observer.expectExit(message.pid);
      } else if (message.type === 'exit') {
        observer.recordExit(message.pid, { t, code: message.code, signal: message.signal, source: 'parent' });
      } else if (message.type === 'question') {
        if (hooks.onQuestion) hooks.onQuestion(message);
        else goOn(); // not asked for predictions: never leave the lesson waiting
      }
      refresh();
    }),
  );
  control?.on('error', () => undefined);

  observer.onSample(() => {
    reapAdopted(observer, rootPid);
    refresh();
  });
  observer.start();

  let interrupted = false;
  const stopping = new AbortController();
  const interruption = new Promise<void>((resolve) => stopping.signal.addEventListener('abort', () => resolve(), { once: true }));
  function interruptRun(): void {
    interrupted = true;
    state.stopped = true;
    stopping.abort();
  }
  let startError: NodeJS.ErrnoException | undefined;
  const firstExit = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      observer.recordExit(rootPid, { code, signal, source: 'parent' });
      resolve({ code, signal });
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      startError = error;
      spec.onStartError?.(error);
      resolve({ code: error.code === 'EACCES' ? 126 : 127, signal: null });
    });
  });

  const done = (async (): Promise<RunResult> => {
    const first = await Promise.race([firstExit.then((how) => ({ how })), interruption.then(() => undefined)]);
    hooks.onFirstEnd?.(first !== undefined);
    if (first) {
      state.finished = first.how;
      state.pausedAt = undefined;
      record.setEnd({ t: observer.now(), ...first.how });
      refresh();
      // What the program left running may finish by itself (an orphan finishing its work; under
      // `watch`, a double-forked grandchild, for as long as it lives) …
      await settle(observer, rootPid, spec.graceMs, stopping.signal);
    }
    // … and then, or at once if interrupted, everything still there is ended.
    await endEverything(observer, rootPid);
    const how = first?.how ?? (await firstExit);
    record.setEnd({ t: observer.now(), ...how });
    state.finished = how;
    // The program's pipes have until then to drain. The timer is cleared once they have: left
    // running, it kept every run alive half a second after its summary.
    let drainWait: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(closed), new Promise((resolve) => (drainWait = setTimeout(resolve, 500)))]);
    clearTimeout(drainWait);
    control?.destroy();
    observer.stop();
    rmSync(runTmp, { recursive: true, force: true });
    refresh();
    const exitStatus = interrupted ? 130 : (how.code ?? 128 + (how.signal ? signalNumber(how.signal) ?? 0 : 0));
    return { timeline, code: how.code, signal: how.signal, interrupted, exitStatus, ...(startError ? { startError } : {}) };
  })();

  return {
    pid: rootPid,
    observer,
    state: () => state,
    goAhead() {
      if (waitingAt === undefined) return;
      waitingAt = undefined;
      state.pausedAt = undefined;
      goOn();
      refresh();
    },
    release: goOn,
    note(text: string) {
      record.addOutput({ t: observer.now(), stream: 'runner', text });
      refresh();
    },
    interrupt: interruptRun,
    done,
  };
}
