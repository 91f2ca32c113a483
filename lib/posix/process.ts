// Process calls Node lacks: becoming a subreaper, waitpid on one adopted orphan, getpgid, getsid,
// close-on-exec for an inherited descriptor, SIGCHLD's disposition, and starting a program without
// libuv (posix_spawn).
import { constants } from 'node:os';
import { cfunc, koffiModule, need } from './ffi.js';

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

/** The name of errno after the last call through koffi (ECHILD, ENOENT …). */
function errnoName(): string {
  const koffi = koffiModule();
  const code = koffi?.errno() ?? 0;
  return Object.entries(koffi?.os.errno ?? {}).find(([, value]) => value === code)?.[0] ?? `errno ${code}`;
}

export type WaitAnswer = { exited: WaitResult } | { running: true } | { error: string };

/**
 * waitpid(pid, &status, block ? 0 : WNOHANG), as the kernel answers it: how the child ended (and
 * it is reaped now), that it still runs, or the error, e.g. ECHILD: no such child of ours (never
 * ours, already reaped, or discarded by the kernel because we ignore SIGCHLD). Only for children
 * libuv did not start (see reapIfExited).
 */
export function waitForChild(pid: number, block = false): WaitAnswer {
  if (!(pid > 0)) throw new RangeError('waitForChild takes one pid, never -1 or 0');
  const waitpid = need(cfunc('int waitpid(int pid, _Out_ int *status, int options)'), 'waitpid');
  const status = [0];
  const result = waitpid(pid, status, block ? 0 : 1);
  if (result < 0) return { error: errnoName() };
  if (result === 0) return { running: true };
  const raw = status[0] ?? 0;
  const signal = raw & 0x7f;
  return { exited: signal === 0 ? { pid, code: (raw >> 8) & 0xff, signal: null } : { pid, code: null, signal } };
}

// ---- SIGCHLD's disposition -------------------------------------------------------------------

const SIGCHLD = constants.signals.SIGCHLD;

export type Disposition = 'default' | 'ignore' | 'handler';

/**
 * sigaction(SIGCHLD, NULL, &old): what this process does when a child ends. 'default' (SIG_DFL:
 * nothing, and the child stays a zombie until wait()), 'ignore' (SIG_IGN: the kernel reaps it),
 * or 'handler': a function runs, in Node libuv's (installed at the process's first spawn) or one
 * behind process.on('SIGCHLD').
 */
export function childExitDisposition(): Disposition {
  const sigaction = need(cfunc('int sigaction(int sig, void *act, void *oldact)'), 'sigaction');
  // struct sigaction starts with the handler, a pointer, on Linux and macOS alike; the rest (the
  // mask, the flags) is not read. 256 bytes is more than either system's struct.
  const old = Buffer.alloc(256);
  if (sigaction(SIGCHLD, null, old) !== 0) throw new Error(`sigaction failed: ${errnoName()}`);
  const handler = old.readBigUInt64LE(0);
  return handler === 0n ? 'default' : handler === 1n ? 'ignore' : 'handler';
}

/**
 * signal(SIGCHLD, SIG_IGN): "I will never wait() for my children". The kernel then reaps each
 * child the moment it exits, so none is ever a zombie, and wait() finds none (ECHILD).
 *
 * Refused where SIGCHLD already has a handler: in Node that is libuv's, which learns through it
 * that a child started by child_process ended; ignoring the signal would take the children's
 * statuses from it ('exit' would never fire). So only in a process that never started a child
 * through Node, and starts its children with spawnWithLibc().
 */
export function ignoreChildExits(): void {
  if (childExitDisposition() === 'handler') {
    throw new Error('SIGCHLD has a handler in this process (libuv\'s, or process.on(\'SIGCHLD\')): ignoring it would hide its children\'s ends from Node');
  }
  const signal = need(cfunc('intptr_t signal(int sig, intptr_t handler)'), 'signal');
  const SIG_IGN = 1;
  if (signal(SIGCHLD, SIG_IGN) === -1) throw new Error(`signal failed: ${errnoName()}`);
}

// ---- starting a program without libuv --------------------------------------------------------

export interface LibcSpawnOptions {
  /** The child's environment (default: this process's). */
  env?: Record<string, string | undefined>;
  /** A file the child opens as its stdin before it runs the program (a FIFO blocks it there). */
  stdinFrom?: string;
  /** Descriptors of ours the child gets, under the same number or another: { childFd: ourFd }. */
  descriptors?: Record<number, number>;
  /** Close every descriptor from this number up in the child (where the C library can). */
  closeFrom?: number;
}

/**
 * posix_spawnp(3): starts `file` (looked up in PATH) as a child of this process, without Node's
 * child_process and so without libuv: libuv does not know the child, installs no SIGCHLD handler
 * for it and never reaps it. Whoever calls this collects the child (waitForChild) or ignores
 * SIGCHLD (ignoreChildExits).
 *
 * glibc clones the process as vfork() does (the child borrows this process's memory) and the
 * calling thread waits, in the kernel, until the child has run `file` (exec) or ended: until then
 * this process shows STAT D, and the child, still a copy of it, runs the file actions (opening
 * `stdinFrom`). Returns the child's pid.
 */
export function spawnWithLibc(file: string, argv: string[], options: LibcSpawnOptions = {}): number {
  const spawnp = need(cfunc('int posix_spawnp(_Out_ int *pid, const char *file, void *actions, void *attr, const char **argv, const char **envp)'), 'posix_spawnp');
  const init = need(cfunc('int posix_spawn_file_actions_init(void *actions)'), 'posix_spawn_file_actions_init');
  const destroy = need(cfunc('int posix_spawn_file_actions_destroy(void *actions)'), 'posix_spawn_file_actions_destroy');
  // posix_spawn_file_actions_t is 80 bytes with glibc and a pointer on macOS: 256 holds either.
  const actions = Buffer.alloc(256);
  if (init(actions) !== 0) throw new Error('posix_spawn_file_actions_init failed');
  try {
    if (options.stdinFrom !== undefined) {
      const addopen = need(cfunc('int posix_spawn_file_actions_addopen(void *actions, int fd, const char *path, int flags, uint32_t mode)'), 'posix_spawn_file_actions_addopen');
      if (addopen(actions, 0, options.stdinFrom, 0 /* O_RDONLY */, 0) !== 0) throw new Error('posix_spawn_file_actions_addopen failed');
    }
    for (const [childFd, ourFd] of Object.entries(options.descriptors ?? {})) {
      // Onto itself too: that clears close-on-exec (POSIX 2017; glibc 2.29 and later), which Node
      // sets on its own stdin, stdout and stderr, so they would not reach the new program.
      const adddup2 = need(cfunc('int posix_spawn_file_actions_adddup2(void *actions, int fd, int newfd)'), 'posix_spawn_file_actions_adddup2');
      if (adddup2(actions, ourFd, Number(childFd)) !== 0) throw new Error('posix_spawn_file_actions_adddup2 failed');
    }
    if (options.closeFrom !== undefined) {
      // glibc 2.34 and later; elsewhere the descriptors stay open in the child.
      cfunc('int posix_spawn_file_actions_addclosefrom_np(void *actions, int from)')?.(actions, options.closeFrom);
    }
    const env = Object.entries(options.env ?? process.env).flatMap(([key, value]) => (value === undefined ? [] : [`${key}=${value}`]));
    const pid = [0];
    const error = spawnp(pid, file, actions, null, [...argv, null], [...env, null]);
    if (error !== 0) {
      const name = Object.entries(koffiModule()?.os.errno ?? {}).find(([, value]) => value === error)?.[0] ?? `errno ${error}`;
      throw Object.assign(new Error(`posix_spawnp ${file} failed: ${name}`), { code: name, syscall: 'posix_spawnp', path: file });
    }
    return pid[0]!;
  } finally {
    destroy(actions);
  }
}
