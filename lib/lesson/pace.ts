// Time in a lesson goes through here, so a test can run it fast and a teacher slow.
import { ENV } from './protocol.js';
import { goAheadBlocking, hasRunner, send } from './channel.js';

const parsed = Number(process.env[ENV.pace] ?? '1');
/** The multiplier applied to every paced duration (1 = normal). */
export const pace = Number.isFinite(parsed) && parsed > 0 ? parsed : 1;

/** A duration scaled by the pace. */
export function paced(ms: number): number {
  return Math.max(1, Math.round(ms * pace));
}

/** Waits without blocking: the event loop keeps running (timers, child exits, I/O). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, paced(ms)));
}

/**
 * Blocks the whole process: nothing else runs, not even Node's own reaping of exited children.
 * This is what `time.sleep()` does in Python; in Node you almost never want it, except to show
 * what happens when a parent is busy.
 *
 * `holds` names the state the block shows (a zombie its busy parent cannot reap). In step mode
 * (a teacher's `--step`) the block then lasts, after `ms`, until the teacher presses space: the
 * state stays in the table while they talk. (A checkpoint cannot do that: it waits on the event
 * loop, which is the very thing blocked here.)
 */
export function blockEventLoop(ms: number, holds?: string): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, paced(ms));
  const waits = holds !== undefined && process.env[ENV.step] === '1' && process.env[ENV.role] === undefined && hasRunner();
  if (!waits) return;
  send({ type: 'checkpoint', name: holds, pid: process.pid, waits: true, hold: true });
  goAheadBlocking();
}
