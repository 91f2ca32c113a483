// Runs one lesson: starts it in its own session, follows its processes, shows them, and makes
// sure that when it is over nothing of it is left.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { Observer } from '../observe/observer.js';
import { startTicksOf } from '../proc/read.js';
import type { TimelineData } from '../observe/timeline.js';
import { ENV, jsonLines, type LessonMessage, type Stamped } from '../lesson/protocol.js';
import { endEverything, reapAdopted, settle } from './cleanup.js';
import { lineSplitter } from './lines.js';
import type { Asker } from '../cli/ask.js';
import { Quiz } from '../cli/predict.js';
import { currentLanguage } from '../words/language.js';
import type { LessonLabel, View, ViewState } from '../present/views/types.js';

export interface RunOptions {
  lesson: LessonLabel;
  /** The compiled lesson file. */
  file: string;
  pace: number;
  stepMode: boolean;
  intervalMs: number;
  view: View;
  /** Prefixes to strip from command lines in the table (the project folder). */
  pathPrefixes: string[];
  /** Whether the lesson's output may use colours. */
  color: boolean;
  /** How long processes the lesson left may finish by themselves after it exits. */
  graceMs: number;
  /** More environment variables for the lesson (inputs of an exercise check, a test's switches). */
  env?: Record<string, string>;
  /** Predict mode (`--predict`): how to ask the student the lesson's questions. */
  ask?: Asker;
}

export interface RunControl {
  /** Let a lesson waiting at a checkpoint go on (a key press). */
  goAhead(): void;
  /** Stop the lesson now (q, Ctrl-C, a signal to the runner). */
  interrupt(): void;
  /** Resolves when the run is over and everything is cleaned up. */
  done: Promise<RunResult>;
}

export interface RunResult {
  timeline: TimelineData;
  code: number | null;
  signal: string | null;
  interrupted: boolean;
  /** What the runner should exit with: the lesson's code, 128 + signal, or 130 if interrupted. */
  exitStatus: number;
}

export function startLesson(options: RunOptions): RunControl {
  const runId = randomUUID();
  const runTmp = mkdtempSync(join(tmpdir(), 'procbook-run-'));
  const child = spawn(process.execPath, [options.file], {
    // detached: the lesson leads a new session and process group (setsid), so the terminal's
    // Ctrl-C does not reach it directly and the runner can signal the whole group.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...options.env,
      [ENV.control]: '3',
      [ENV.runner]: `${process.pid}:${startTicksOf('self') ?? 0}`,
      [ENV.pace]: String(options.pace),
      [ENV.step]: options.stepMode ? '1' : '0',
      [ENV.predict]: options.ask ? '1' : '0',
      [ENV.run]: runId,
      [ENV.runTmp]: runTmp,
      [ENV.color]: options.color ? '1' : '0',
      [ENV.lang]: currentLanguage(),
    },
  });
  const lessonPid = child.pid ?? -1;
  const observer = new Observer({
    rootPid: lessonPid,
    runnerPid: process.pid,
    intervalMs: options.intervalMs,
    marker: { name: ENV.run, value: runId },
    pathPrefixes: options.pathPrefixes,
  });
  const timeline = observer.timeline;
  const state: ViewState = {
    lesson: options.lesson,
    rows: [],
    output: timeline.output,
    timeline,
    now: 0,
    lessonPid,
    runnerPid: process.pid,
    pace: options.pace,
    stepMode: options.stepMode,
  };
  // While a prediction is asked the view stands still: what happens meanwhile must not give it away.
  let viewHeld = false;
  const refresh = (): void => {
    state.now = observer.now();
    state.rows = observer.rows(3000 * Math.max(options.pace, 0.5));
    if (!viewHeld) options.view.update(state);
  };

  // The lesson's output, line by line, into the timeline.
  const closed: Array<Promise<void>> = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    const source = child[stream];
    if (!source) continue;
    const splitter = lineSplitter((text) => {
      timeline.output.push({ t: observer.now(), stream, text });
      refresh();
    });
    source.on('data', (chunk: Buffer) => splitter.push(chunk));
    closed.push(new Promise<void>((resolve) => source.once('close', () => resolve())).then(() => splitter.flush()));
  }

  // What the lesson tells us on its control socket.
  let waitingAt: string | undefined;
  const control = child.stdio[3] as Socket | undefined;
  const goOn = (): void => void control?.write(`${JSON.stringify({ type: 'continue' })}\n`);
  const quiz = options.ask
    ? new Quiz({
        observer,
        lessonPid,
        runnerPid: process.pid,
        ask: options.ask,
        release: goOn,
        hold(held) {
          viewHeld = held;
          if (!held) refresh();
        },
        say(text) {
          timeline.output.push({ t: observer.now(), stream: 'runner', text });
          refresh();
        },
        state: () => state,
        interrupt: () => interruptRun(),
        color: options.color,
      })
    : undefined;
  control?.on(
    'data',
    jsonLines<Stamped<LessonMessage>>((message) => {
      const t = message.at === undefined ? observer.now() : observer.timeOf(message.at);
      if (message.type === 'checkpoint') {
        timeline.checkpoints.push({ t, name: message.name, pid: message.pid });
        quiz?.onCheckpoint(message.pid, t);
        if (message.waits) {
          waitingAt = message.name;
          state.pausedAt = message.name;
        }
      } else if (message.type === 'fact') {
        timeline.facts.push({ t, name: message.name, value: message.value, pid: message.pid });
      } else if (message.type === 'title') {
        observer.recordTitle(message.pid, message.title);
      } else if (message.type === 'spawned') {
        observer.lookAt(message.pid);
      } else if (message.type === 'exit') {
        observer.recordExit(message.pid, { t, code: message.code, signal: message.signal, source: 'parent' });
      } else if (message.type === 'question') {
        if (quiz) void quiz.onQuestion(message);
        else goOn(); // not asked for predictions: never leave the lesson waiting
      }
      refresh();
    }),
  );
  control?.on('error', () => undefined);

  observer.onSample(() => {
    reapAdopted(observer, lessonPid);
    refresh();
  });
  observer.start();

  let interrupted = false;
  let interruptNow: () => void = () => undefined;
  const interruption = new Promise<void>((resolve) => {
    interruptNow = resolve;
  });
  function interruptRun(): void {
    interrupted = true;
    interruptNow();
  }
  const lessonExit = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      observer.recordExit(lessonPid, { code, signal, source: 'parent' });
      resolve({ code, signal });
    });
    child.once('error', () => resolve({ code: 127, signal: null }));
  });

  const done = (async (): Promise<RunResult> => {
    const first = await Promise.race([lessonExit.then((how) => ({ how })), interruption.then(() => undefined)]);
    quiz?.finish(first !== undefined);
    if (first) {
      state.finished = first.how;
      state.pausedAt = undefined;
      timeline.end = { t: observer.now(), ...first.how };
      // What the lesson left running may finish by itself (an orphan finishing its work) …
      await settle(observer, lessonPid, options.graceMs);
    }
    // … and then, or at once if interrupted, everything still there is ended.
    await endEverything(observer, lessonPid);
    const how = first?.how ?? (await lessonExit);
    if (!timeline.end) timeline.end = { t: observer.now(), ...how };
    state.finished = how;
    await Promise.race([Promise.all(closed), new Promise((resolve) => setTimeout(resolve, 500))]);
    control?.destroy();
    observer.stop();
    rmSync(runTmp, { recursive: true, force: true });
    refresh();
    const signalNumber = how.signal ? (await import('../proc/signals.js')).signalNumber(how.signal) ?? 0 : 0;
    const exitStatus = interrupted ? 130 : how.code ?? 128 + signalNumber;
    return { timeline, code: how.code, signal: how.signal, interrupted, exitStatus };
  })();

  return {
    goAhead() {
      if (waitingAt === undefined) return;
      waitingAt = undefined;
      state.pausedAt = undefined;
      goOn();
      refresh();
    },
    interrupt: interruptRun,
    done,
  };
}
