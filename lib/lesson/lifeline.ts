// Nothing outlives a lesson: if the runner dies (even by SIGKILL), every process of the lesson
// notices within a second and ends. The first process also hears it at once, as the end of its
// control socket.
import { rmSync } from 'node:fs';
import { isAliveAs, readStat, startTicksOf } from '../proc/read.js';
import { ENV } from './protocol.js';

/** Ends this process, and its whole process group if it leads one. */
export function endLesson(): never {
  const runTmp = process.env[ENV.runTmp];
  if (runTmp) rmSync(runTmp, { recursive: true, force: true });
  if (readStat('self')?.pgid === process.pid) process.kill(-process.pid, 'SIGKILL');
  process.kill(process.pid, 'SIGKILL');
  process.exit(137);
}

/** "<pid>:<startTicks>" of this process (start ticks 0 where there is no /proc). */
export function ownIdentity(): string {
  return `${process.pid}:${startTicksOf('self') ?? 0}`;
}

function watch(value: string | undefined): void {
  if (!value) return;
  const [pid, startTicks] = value.split(':').map(Number) as [number, number];
  // Pid 0: the runner is outside this process's pid namespace (a check's sandbox). The kernel ends
  // the whole namespace when the runner dies, so there is nothing to watch (nor could we see it).
  if (pid === 0) return;
  setInterval(() => {
    if (!isAliveAs(pid, startTicks)) endLesson();
  }, 500).unref();
}

export function watchRunner(): void {
  // The runner reads our output through a pipe: if it is gone (killed), writing fails with EPIPE.
  // End cleanly (our run folder removed, our group ended) rather than die of the error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') endLesson();
      throw error;
    });
  }
  watch(process.env[ENV.runner]);
  // Run alone, a detached process (a double fork's grandchild) watches the lesson's first process.
  if (!process.env[ENV.runner]) watch(process.env[ENV.lifeline]);
}
