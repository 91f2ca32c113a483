// Memory shared between processes, which Node does not offer: mmap(2) with MAP_SHARED of a file
// in /dev/shm (a RAM filesystem; what shm_open(3) uses on Linux, and where CPython's
// multiprocessing keeps Value and Array). Every process that maps the same file sees the same
// bytes: a write by one is a read by the others, with no copy and no message. TLPI ch. 54.
import { cfunc, koffiModule, need, PosixUnavailable } from './ffi.js';

const PROT_READ = 0x1;
const PROT_WRITE = 0x2;
const MAP_SHARED = 0x1;
const MAP_FAILED = 0xffffffffffffffffn;

/** A region of memory mapped from a file, shared with every other process that maps it. */
export interface SharedMapping {
  readonly bytes: number;
  /**
   * The memory itself, without a copy (koffi.view). It is a plain ArrayBuffer, not a
   * SharedArrayBuffer: Node cannot make one from outside memory. After unmap() it must not be
   * touched any more: the memory is gone, and a touch would crash the process.
   */
  readonly buffer: ArrayBuffer;
  /** munmap: removes the mapping from this process (the process's end does it too). */
  unmap(): void;
}

/** Where POSIX shared memory files live: /dev/shm on Linux. Elsewhere: PosixUnavailable. */
export function sharedMemoryDir(): string {
  if (process.platform !== 'linux') throw new PosixUnavailable(`shared memory in /dev/shm is Linux only; this is ${process.platform}.`);
  return '/dev/shm';
}

/**
 * mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0): maps the first `bytes` of the
 * open file `fd` (opened for reading and writing, at least that long: ftruncate it first).
 */
export function mapShared(fd: number, bytes: number): SharedMapping {
  if (!Number.isInteger(bytes) || bytes <= 0) throw new RangeError(`mapShared: bytes must be a whole number > 0 (got ${bytes})`);
  const mmap = need(cfunc('void *mmap(void *addr, size_t length, int prot, int flags, int fd, int64_t offset)'), 'mmap') as unknown as (
    ...args: unknown[]
  ) => bigint | null;
  const munmap = need(cfunc('int munmap(void *addr, size_t length)'), 'munmap');
  const koffi = koffiModule();
  if (!koffi) throw new PosixUnavailable('mmap is not available: koffi could not be loaded.');
  const address = mmap(null, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (address === null || address === MAP_FAILED) {
    const code = koffi.errno();
    const name = Object.entries(koffi.os.errno).find(([, value]) => value === code)?.[0];
    throw new Error(`mmap failed: ${name ?? `errno ${code}`}`);
  }
  const buffer = koffi.view(address, bytes);
  let mapped = true;
  return {
    bytes,
    buffer,
    unmap() {
      if (!mapped) return;
      mapped = false;
      munmap(address, bytes);
    },
  };
}
