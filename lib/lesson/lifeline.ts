// Nothing outlives a lesson: if the runner dies (even by SIGKILL), every process of the lesson
// notices within a second and ends. The first process also hears it at once, as the end of its
// control socket.
import { readFileSync, rmSync } from 'node:fs';
import { parseStat } from '../observe/stat.js';
import { ENV } from './protocol.js';

function runnerAlive(pid: number, startTicks: number): boolean {
  if (process.platform === 'linux') {
    try {
      const stat = parseStat(readFileSync(`/proc/${pid}/stat`, 'latin1'));
      return stat !== undefined && stat.startTicks === startTicks && stat.state !== 'Z' && stat.state !== 'X';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends this process, and its whole process group if it leads one. */
export function endLesson(): never {
  const runTmp = process.env[ENV.runTmp];
  if (runTmp) rmSync(runTmp, { recursive: true, force: true });
  try {
    const self = parseStat(readFileSync('/proc/self/stat', 'latin1'));
    if (self && self.pgid === process.pid) process.kill(-process.pid, 'SIGKILL');
  } catch {
    // not Linux: only this process
  }
  process.kill(process.pid, 'SIGKILL');
  process.exit(137);
}

/** "<pid>:<startTicks>" of this process (start ticks 0 where there is no /proc). */
export function ownIdentity(): string {
  try {
    return `${process.pid}:${parseStat(readFileSync('/proc/self/stat', 'latin1'))?.startTicks ?? 0}`;
  } catch {
    return `${process.pid}:0`;
  }
}

function watch(value: string | undefined): void {
  if (!value) return;
  const [pid, startTicks] = value.split(':').map(Number) as [number, number];
  setInterval(() => {
    if (!runnerAlive(pid, startTicks)) endLesson();
  }, 500).unref();
}

export function watchRunner(): void {
  watch(process.env[ENV.runner]);
  // Run alone, a detached process (a double fork's grandchild) watches the lesson's first process.
  if (!process.env[ENV.runner]) watch(process.env[ENV.lifeline]);
}
