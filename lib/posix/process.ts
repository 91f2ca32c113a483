// Process calls Node lacks: becoming a subreaper, waitpid on one adopted orphan, getpgid, getsid,
// close-on-exec for an inherited descriptor.
import { cfunc, need } from './ffi.js';

/**
 * prctl(PR_SET_CHILD_SUBREAPER, 1): orphans below this process are re-parented to it instead of
 * to PID 1. Linux only (since 3.4). Returns false where it is not possible.
 */
export function becomeSubreaper(): boolean {
  if (process.platform !== 'linux') return false;
  const prctl = cfunc('int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)');
  return prctl !== undefined && prctl(36, 1, 0, 0, 0) === 0;
}

export interface WaitResult {
  pid: number;
  code: number | null;
  signal: number | null;
}

/**
 * waitpid(pid, &status, WNOHANG): collects ONE process's exit status if it has exited.
 * Only for processes Node did not start itself (an orphan adopted by a subreaper): libuv reaps
 * its own children. Never call it with -1: that would steal libuv's children's statuses.
 * Returns undefined while the process still runs (or if it is not our child).
 */
export function reapIfExited(pid: number): WaitResult | undefined {
  if (!(pid > 0)) throw new RangeError('reapIfExited takes one pid, never -1 or 0');
  const waitpid = need(cfunc('int waitpid(int pid, _Out_ int *status, int options)'), 'waitpid');
  const status = [0];
  const WNOHANG = 1;
  const result = waitpid(pid, status, WNOHANG);
  if (result <= 0) return undefined;
  const raw = status[0] ?? 0;
  const signal = raw & 0x7f;
  return signal === 0 ? { pid, code: (raw >> 8) & 0xff, signal: null } : { pid, code: null, signal };
}

/** getpgid(pid): the process group of a process (Node has no such call). */
export function processGroupOf(pid = 0): number {
  return need(cfunc('int getpgid(int pid)'), 'getpgid')(pid);
}

/** getsid(pid): the session of a process (Node has no such call). */
export function sessionOf(pid = 0): number {
  return need(cfunc('int getsid(int pid)'), 'getsid')(pid);
}

/**
 * fcntl(fd, F_SETFD, FD_CLOEXEC): the descriptor is closed in every program this process starts
 * from now on (Node opens its own that way; one inherited from whoever started Node may not be).
 * Returns false where it is not possible.
 */
export function closeOnExec(fd: number): boolean {
  const fcntl = cfunc('int fcntl(int fd, int cmd, ...)');
  const F_SETFD = 2;
  const FD_CLOEXEC = 1;
  return fcntl !== undefined && fcntl(fd, F_SETFD, 'int', FD_CLOEXEC) === 0;
}
