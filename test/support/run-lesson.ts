// Runs a lesson headless through the real runner (plain mode) and returns what the kernel
// showed: the timeline the runner recorded, plus the runner's exit status and output.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll } from 'vitest';
import { Timeline } from '../../lib/observe/timeline.js';
import { readStat } from '../../lib/proc/read.js';

export const projectRoot = join(import.meta.dirname, '..', '..');
export const runnerCli = join(projectRoot, 'dist', 'lib', 'cli', 'main.mjs');

/**
 * "Seen in at most one sample", in sampling intervals: a state seen once lasts until the next
 * sample, and on a busy machine the gap between samples stretches to two or three intervals.
 */
export const ONE_SAMPLE = 4;

export interface LessonRun {
  timeline: Timeline;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunLessonOptions {
  /** Pace multiplier (1 normal). Tests run fast; a state a lesson holds for 3 s lasts 3 s × pace. */
  pace?: number;
  /** Sampling interval in ms: faster than the default 200 so short states are seen. */
  interval?: number;
  /** More arguments to the runner (e.g. --step). */
  args?: string[];
  /** Lines written to the runner's stdin (step mode go-aheads). */
  stdin?: string;
  /** Kill the runner if it has not finished by then. */
  timeoutMs?: number;
  /**
   * Interrupt the run as a person would (Ctrl-C = SIGINT to the runner) once the runner's output
   * contains this text, e.g. "── 2." (the second step's heading), or matches this pattern (a row
   * of the plain table in some state).
   */
  interruptAfter?: string | RegExp;
  interruptWith?: NodeJS.Signals;
  /** Called with the runner process once it started. */
  onStart?: (runner: import('node:child_process').ChildProcess) => void;
  /** More environment for the runner (e.g. PROCBOOK_SOURCE=perf). */
  env?: NodeJS.ProcessEnv;
}

export async function runLesson(lesson: string, options: RunLessonOptions = {}): Promise<LessonRun> {
  return runRunner((json) => ['lesson', lesson, '--plain', '--json', json, '--pace', String(options.pace ?? 0.3), '--interval', String(options.interval ?? 25), ...(options.args ?? [])], options);
}

/**
 * Runs any program under `npm run watch` (plain mode) and returns what the kernel showed. The
 * pace reaches the program as PROCBOOK_PACE (the course's Python programs scale their sleeps by it).
 */
export async function runWatch(command: string[], options: RunLessonOptions = {}): Promise<LessonRun> {
  return runRunner((json) => ['watch', '--plain', '--json', json, '--pace', String(options.pace ?? 0.3), '--interval', String(options.interval ?? 25), ...(options.args ?? []), ...command], options);
}

async function runRunner(argsFor: (jsonPath: string) => string[], options: RunLessonOptions): Promise<LessonRun> {
  const dir = mkdtempSync(join(tmpdir(), 'procbook-test-'));
  const jsonPath = join(dir, 'timeline.json');
  try {
    const runner = spawn(process.execPath, [runnerCli, ...argsFor(jsonPath)], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    options.onStart?.(runner);
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    runner.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const after = options.interruptAfter;
      if (after && !interrupted && (typeof after === 'string' ? stdout.includes(after) : after.test(stdout))) {
        interrupted = true;
        runner.kill(options.interruptWith ?? 'SIGINT');
      }
    });
    runner.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    if (options.stdin !== undefined) runner.stdin.write(options.stdin);
    const timeout = setTimeout(() => runner.kill('SIGKILL'), options.timeoutMs ?? 25_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      runner.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
    );
    clearTimeout(timeout);
    runner.stdin.destroy();
    let timeline: Timeline;
    try {
      timeline = Timeline.fromJSON(readFileSync(jsonPath, 'utf8'));
    } catch {
      throw new Error(`the runner wrote no timeline (exit ${code ?? signal}).\nstdout:\n${stdout}\nstderr:\n${stderr}`);
    }
    return { timeline, code, signal, stdout, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs that start with the test file, one per key, in a beforeAll of the file's own (it runs before
 * any describe's): for runs whose tests only check what each left (an interrupted run, a run the
 * file checks apart), which may then go on beside the file's full run instead of after it. Call it
 * at the top level of a test file; it returns the run of a key. A run no test asks for (a test left
 * out by a filter) still ends by itself (its timeout); a run's failure is the failure of the test
 * that awaits it.
 */
export function startWithFile<K, T>(keys: readonly K[], start: (key: K) => Promise<T>): (key: K) => Promise<T> {
  const runs = new Map<K, Promise<T>>();
  beforeAll(() => {
    for (const key of keys) {
      const run = start(key);
      run.catch(() => undefined);
      runs.set(key, run);
    }
  });
  return (key) => runs.get(key) ?? Promise.reject(new Error(`no run was started for ${String(key)}`));
}

/** Polls a condition until it holds or the deadline passes (never a bare sleep). */
export async function until(condition: () => boolean, deadlineMs = 5000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The processes of a run that still exist (same pid AND same start time: not a reused pid). */
export function stillRunning(timeline: Timeline): Array<{ pid: number; title: string }> {
  const alive: Array<{ pid: number; title: string }> = [];
  for (const history of timeline.processes()) {
    if (readStat(history.pid)?.startTicks === history.record.startTicks) alive.push({ pid: history.pid, title: history.title });
  }
  return alive;
}
