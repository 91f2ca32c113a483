// POSIX calls that Node does not offer, made through koffi (a foreign-function interface: it
// loads the C library and calls its functions directly from JavaScript).
//
// Used only where Node has no equivalent. Each function says what C call it is. On a system
// where a call does not exist (prctl is Linux-only), `unsupported` explains it in one sentence.
import { createRequire } from 'node:module';

type Koffi = typeof import('koffi');
type KoffiFunction = (...args: unknown[]) => number;

let libc: { func(signature: string): KoffiFunction } | undefined;
let loadError: string | undefined;

function load(): { func(signature: string): KoffiFunction } | undefined {
  if (libc || loadError) return libc;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as Koffi;
    const name = process.platform === 'darwin' ? 'libSystem.B.dylib' : process.platform === 'linux' ? 'libc.so.6' : '';
    if (!name) throw new Error(`no C library known for ${process.platform}`);
    libc = koffi.load(name) as unknown as { func(signature: string): KoffiFunction };
  } catch (error) {
    loadError = `the C library could not be loaded through koffi (${(error as Error).message})`;
  }
  return libc;
}

const cache = new Map<string, KoffiFunction | undefined>();
function cfunc(signature: string): KoffiFunction | undefined {
  if (!cache.has(signature)) {
    let fn: KoffiFunction | undefined;
    try {
      fn = load()?.func(signature);
    } catch {
      fn = undefined;
    }
    cache.set(signature, fn);
  }
  return cache.get(signature);
}

export class PosixUnavailable extends Error {}

function need(fn: KoffiFunction | undefined, what: string): KoffiFunction {
  if (!fn) throw new PosixUnavailable(`${what} is not available on ${process.platform}${loadError ? `: ${loadError}` : ''}.`);
  return fn;
}

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
