// Locks and semaphores between processes, which Node does not offer: flock(2) on an open file,
// and POSIX named semaphores (sem_overview(7)), the C primitive under Python's
// multiprocessing.Lock and Semaphore. TLPI ch. 53 (semaphores) and ch. 55 (file locking).
import { cfunc, koffiModule, need } from './ffi.js';

type Pointer = bigint;
type PointerFunction = (...args: unknown[]) => Pointer | null;

/** A C function returning a pointer (koffi gives pointers as BigInt, null for NULL). */
function pointerFunc(signature: string, what: string): PointerFunction {
  return need(cfunc(signature), what) as unknown as PointerFunction;
}

function errno(): number {
  return koffiModule()?.errno() ?? 0;
}

function errnoValue(name: string): number {
  return koffiModule()?.os.errno[name] ?? -1;
}

function failure(call: string): Error {
  const code = errno();
  const name = Object.entries(koffiModule()?.os.errno ?? {}).find(([, value]) => value === code)?.[0];
  return new Error(`${call} failed: ${name ?? `errno ${code}`}`);
}

// ---------------------------------------------------------------------------------------------
// flock

const LOCK_SH = 1;
const LOCK_EX = 2;
const LOCK_NB = 4;
const LOCK_UN = 8;

export type FlockMode = 'exclusive' | 'shared' | 'unlock';

/**
 * flock(fd, LOCK_EX | LOCK_SH | LOCK_UN): an advisory lock on the open file behind `fd` (one
 * open file = one lock owner: two opens of the same path conflict, even in one process). The
 * kernel drops it when the last descriptor of that open file closes, so also when its holder dies.
 *
 * Waiting blocks this whole process, event loop included, as Python's Lock.acquire() blocks.
 * With `{ wait: false }` (LOCK_NB) it returns false at once instead if another open file holds a
 * conflicting lock. Returns true when the lock is held (or released, for 'unlock').
 */
export function flock(fd: number, mode: FlockMode, options: { wait?: boolean } = {}): boolean {
  const call = need(cfunc('int flock(int fd, int operation)'), 'flock');
  const operation = (mode === 'exclusive' ? LOCK_EX : mode === 'shared' ? LOCK_SH : LOCK_UN) | (options.wait === false ? LOCK_NB : 0);
  for (;;) {
    if (call(fd, operation) === 0) return true;
    const code = errno();
    if (code === errnoValue('EWOULDBLOCK') || code === errnoValue('EAGAIN')) return false;
    if (code !== errnoValue('EINTR')) throw failure('flock');
  }
}

// ---------------------------------------------------------------------------------------------
// POSIX named semaphores

const O_CREAT = process.platform === 'darwin' ? 0x200 : 0o100;
const O_EXCL = process.platform === 'darwin' ? 0x800 : 0o200;

/** A POSIX named semaphore, opened in this process. */
export interface NamedSemaphore {
  readonly name: string;
  /**
   * sem_wait: takes one unit, waiting while the value is 0. The wait blocks this whole process
   * (event loop included, signal listeners too), as Python's Semaphore.acquire() does.
   */
  wait(): void;
  /** sem_trywait: takes one unit if there is one; false at once if the value is 0. */
  tryWait(): boolean;
  /** sem_post: gives one unit back, waking one waiter. */
  post(): void;
  /** sem_getvalue: the current value; undefined where the system does not tell (macOS). */
  value(): number | undefined;
  /** sem_close: this process stops using it (the semaphore lives on until unlinked). */
  close(): void;
}

function checkName(name: string): void {
  if (!/^\/[^/]+$/.test(name)) throw new RangeError(`a semaphore name is one slash then a name without slashes, like "/tickets" (got "${name}")`);
  if (process.platform === 'darwin' && name.length > 30) throw new RangeError(`semaphore names are at most 30 characters on macOS (got "${name}")`);
}

function semaphore(name: string, flags: number, value: number): NamedSemaphore {
  checkName(name);
  const semOpen = pointerFunc('void *sem_open(const char *name, int oflag, ...)', 'sem_open');
  // sem_open is variadic: koffi takes each extra argument as a (type, value) pair.
  const handle = flags & O_CREAT ? semOpen(name, flags, 'int', 0o600, 'unsigned int', value) : semOpen(name, flags);
  // SEM_FAILED is NULL on Linux and (sem_t *)-1 on macOS.
  if (handle === null || handle === 0n || handle === 0xffffffffffffffffn) throw failure(`sem_open("${name}")`);
  const semWait = need(cfunc('int sem_wait(void *sem)'), 'sem_wait');
  const semTryWait = need(cfunc('int sem_trywait(void *sem)'), 'sem_trywait');
  const semPost = need(cfunc('int sem_post(void *sem)'), 'sem_post');
  const semClose = need(cfunc('int sem_close(void *sem)'), 'sem_close');
  const semGetValue = cfunc('int sem_getvalue(void *sem, _Out_ int *sval)');
  let open = true;
  const live = (call: string): Pointer => {
    if (!open) throw new Error(`${call}: the semaphore ${name} was closed in this process`);
    return handle;
  };
  return {
    name,
    wait() {
      const sem = live('sem_wait');
      // A signal interrupts sem_wait (EINTR) even with SA_RESTART: just wait again.
      while (semWait(sem) !== 0) if (errno() !== errnoValue('EINTR')) throw failure('sem_wait');
    },
    tryWait() {
      if (semTryWait(live('sem_trywait')) === 0) return true;
      if (errno() === errnoValue('EAGAIN')) return false;
      throw failure('sem_trywait');
    },
    post() {
      if (semPost(live('sem_post')) !== 0) throw failure('sem_post');
    },
    value() {
      const out = [0];
      if (!semGetValue || semGetValue(live('sem_getvalue'), out) !== 0) return undefined;
      return out[0];
    },
    close() {
      if (!open) return;
      open = false;
      semClose(handle);
    },
  };
}

/**
 * sem_open(name, O_CREAT | O_EXCL, 0600, value): creates a new named semaphore with this
 * initial value (how many may hold it at once). Fails if one of that name exists. The name
 * outlives every process until sem_unlink (on Linux it is the file /dev/shm/sem.NAME).
 */
export function createSemaphore(name: string, value: number): NamedSemaphore {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`a semaphore's value is a whole number >= 0 (got ${value})`);
  return semaphore(name, O_CREAT | O_EXCL, value);
}

/** sem_open(name, 0): opens a named semaphore another process created. */
export function openSemaphore(name: string): NamedSemaphore {
  return semaphore(name, 0, 0);
}

/**
 * sem_unlink(name): removes the name. Processes that have it open keep using it; it is freed
 * when the last one closes it. Returns false if there was no such name.
 */
export function unlinkSemaphore(name: string): boolean {
  checkName(name);
  const semUnlink = need(cfunc('int sem_unlink(const char *name)'), 'sem_unlink');
  if (semUnlink(name) === 0) return true;
  if (errno() === errnoValue('ENOENT')) return false;
  throw failure(`sem_unlink("${name}")`);
}
