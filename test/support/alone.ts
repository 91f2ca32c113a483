// Runs a compiled lesson ALONE, as a student would with `npx tsx lessons/NN/lesson.ts`: no
// runner, no control socket, no subreaper. The test watches it with its own Observer, so what the
// kernel showed can still be asserted (who adopted an orphan, what was left running).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Observer } from '../../lib/observe/observer.js';
import { Timeline } from '../../lib/observe/timeline.js';
import { projectRoot } from './run-lesson.js';

export interface AloneRun {
  timeline: Timeline;
  /** The lesson's own pid (its first process). */
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
}

export interface AloneOptions {
  pace?: number;
  interval?: number;
  /**
   * Ctrl-C as a terminal does it: SIGINT to the lesson's whole foreground process group, once
   * its output contains this text.
   */
  interruptAfter?: string;
  timeoutMs?: number;
  /** After the lesson exits, how long what it left may take to end and be reaped. */
  settleMs?: number;
}

const ALONE_MARK = 'PROCBOOK_ALONE_RUN';

export async function runAlone(lessonDir: string, options: AloneOptions = {}): Promise<AloneRun> {
  const runId = randomUUID();
  const file = join(projectRoot, 'dist', 'lessons', lessonDir, 'lesson.mjs');
  // Its own process group, like a job a shell starts in the foreground (detached: it also leads
  // a session, which the lesson does not notice).
  const lesson = spawn(process.execPath, [file], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PROCBOOK_PACE: String(options.pace ?? 0.3), [ALONE_MARK]: runId },
  });
  const pid = lesson.pid!;
  const observer = new Observer({ rootPid: pid, intervalMs: options.interval ?? 25, marker: { name: ALONE_MARK, value: runId } });
  observer.start();
  let stdout = '';
  let interrupted = false;
  lesson.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (options.interruptAfter && !interrupted && stdout.includes(options.interruptAfter)) {
      interrupted = true;
      process.kill(-pid, 'SIGINT');
    }
  });
  const timeout = setTimeout(() => process.kill(-pid, 'SIGKILL'), options.timeoutMs ?? 20_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    lesson.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  );
  clearTimeout(timeout);
  observer.recordExit(pid, { code, signal, source: 'parent' });
  // What it left may still finish, and be reaped by its adopter (late, on some machines' PID 1).
  const deadline = Date.now() + (options.settleMs ?? 6000);
  while (observer.alive().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  observer.stop();
  const timeline = new Timeline(observer.timeline);
  // A failed run must not leak into the rest of the suite: end what is left (after recording it).
  for (const each of observer.alive()) {
    try {
      process.kill(each.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  return { timeline, pid, code, signal, stdout };
}
