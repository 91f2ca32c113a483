// One lesson file plays several roles, like the two branches after fork() in C or Python.
//
// POSIX fork() copies the running process: both copies continue from the same line, and only the
// return value tells them apart (0 in the child). Node cannot do that: its runtime has threads,
// and a forked copy would have only one of them (calling fork() through an FFI makes the child
// crash). What Node does, like Python's "spawn" start method, is start a NEW process running a
// program from its first line. So a lesson starts its own file again, in another role, and the
// file looks at `role` to know which part it plays: the closest honest equivalent of
// `if (pid === 0)`.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { ENV } from './protocol.js';
import { controlFd, send } from './channel.js';
import { ownIdentity } from './lifeline.js';
import { signalName } from '../proc/signals.js';

const PASSED_FDS = 'PROCBOOK_PASSED_FDS';

/** The file descriptors our parent passed us with forkSelf({ passFds }), in its order. */
export function passedFds(): number[] {
  const value = process.env[PASSED_FDS];
  return value ? value.split(',').map(Number) : [];
}

/** The role this process plays: "main" for the process the lesson started as. */
export const role: string = process.env[ENV.role] ?? 'main';

// This process is about to end: tell the runner, which then watches for the zombie it becomes
// (or its end) at once instead of at its next sample.
process.once('exit', () => send({ type: 'exiting', pid: process.pid }));

/** Names this process: the name shows in the process table, in `ps`, and in every `say`. */
export function name(title: string): void {
  process.title = title;
  // Also tell the runner: a process that ends before the next sample would keep its command line.
  send({ type: 'title', title, pid: process.pid });
}

export interface ForkOptions {
  /** Extra command-line arguments for the child. */
  args?: string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** An IPC channel (child.send / process.send), as child_process.fork() gives. Default: none. */
  ipc?: boolean;
  /**
   * How messages on the IPC channel are encoded: 'json' (the default: JSON.stringify, so a Map
   * or a SharedArrayBuffer arrives as {}) or 'advanced' (the structured clone of worker threads).
   */
  serialization?: 'json' | 'advanced';
  /** The folder it starts in (default: ours). */
  cwd?: string;
  /** Start it in a new session and process group (setsid), as a daemon is. */
  detached?: boolean;
  /**
   * Open file descriptors of ours the child gets too (the same open files, sharing their offsets,
   * as after fork()). In the child, `passedFds()` lists their numbers there.
   */
  passFds?: number[];
  /** Where the child's stdin, stdout and stderr go. Default: no stdin, and this process's output. */
  stdio?: ['ignore' | 'pipe' | 'inherit', 'ignore' | 'pipe' | 'inherit', 'ignore' | 'pipe' | 'inherit'];
}

const detachedChildren = new Set<ChildProcess>();

/**
 * Starts this same lesson file again as a new process that plays `role`. Returns Node's own
 * ChildProcess: `pid`, `'exit'`, `kill()`, `exitCode` are all Node's.
 */
export function forkSelf(childRole: string, options: ForkOptions = {}): ChildProcess {
  const script = process.argv[1];
  if (!script) throw new Error('forkSelf: this process has no script path (process.argv[1])');
  const stdio: StdioOptions = [...(options.stdio ?? ['ignore', 'inherit', 'inherit'])];
  // fd 3: our control socket, so the child's checkpoints and facts reach the runner too.
  stdio[3] = controlFd() ?? 'ignore';
  const passed = (options.passFds ?? []).map((fd, index) => {
    stdio.push(fd);
    return 4 + index;
  });
  if (options.ipc) stdio.push('ipc');
  // Who the lesson's first process is; alone, a detached child ends itself once it is gone.
  const main = role === 'main' ? ownIdentity() : process.env[ENV.main];
  const lifeline = options.detached && main && !process.env[ENV.runner] ? { [ENV.lifeline]: main } : {};
  const child = spawn(process.execPath, [...process.execArgv, script, ...(options.args ?? [])], {
    stdio,
    env: {
      ...process.env,
      ...options.env,
      [ENV.role]: childRole,
      [PASSED_FDS]: passed.join(','),
      ...(main ? { [ENV.main]: main } : {}),
      ...lifeline,
    },
    detached: options.detached ?? false,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.serialization ? { serialization: options.serialization } : {}),
  });
  // The child exists from this moment (it is still starting Node): a short-lived one could start
  // and end between two of the runner's samples, so tell the runner to look now.
  if (child.pid !== undefined) send({ type: 'spawned', pid: child.pid, parent: process.pid });
  child.on('exit', (code, signal) => {
    send({ type: 'exit', pid: child.pid ?? 0, code, signal });
  });
  // The lesson's first process ends its detached children with it. A detached child of another
  // process (a double fork's grandchild) must outlive its parent: it ends with the lesson instead.
  if (options.detached && role === 'main') trackDetached(child);
  return child;
}

/**
 * A detached child is out of our process group, so Ctrl-C on a lesson run alone would not reach
 * it. Remember it, and end it when this process ends. (Alone, it also watches the lesson's first
 * process and ends itself when that is gone: see ENV.lifeline.)
 */
function trackDetached(child: ChildProcess): void {
  detachedChildren.add(child);
  child.on('exit', () => detachedChildren.delete(child));
  if (detachedChildren.size === 1 && !process.env[ENV.runner]) {
    const endThem = (): void => {
      for (const each of detachedChildren) each.kill('SIGTERM');
    };
    process.on('exit', endThem);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        endThem();
        process.kill(process.pid, signal);
      });
    }
  }
}

/** Waits for a child to end; resolves with how it ended, as its parent sees it. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Resolves with the child's next IPC message that `wanted` accepts (others are left alone). */
export function nextMessage<T = unknown>(child: ChildProcess, wanted: (message: unknown) => boolean): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: unknown): void => {
      if (!wanted(message)) return;
      child.off('message', listener);
      resolve(message as T);
    };
    child.on('message', listener);
  });
}

/**
 * kill(pid, 0): sends nothing, only asks the kernel whether the pid exists (a zombie still does).
 * EPERM means it exists but is not ours to signal.
 */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export { signalName };
