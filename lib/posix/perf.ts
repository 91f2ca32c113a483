// perf_event_open(2), which Node cannot call: the system call itself (glibc has no wrapper),
// through koffi's syscall(2), and the size of a memory page (sysconf(3)), to map the event's ring
// buffer with mapShared (mmap(2), memory.ts). Used by lib/proc for the kernel's fork and exit
// records without root (lib/proc/perf.ts).
import { cfunc, koffiModule, need, PosixUnavailable } from './ffi.js';

/** The system call's number on each architecture Node runs on Linux (asm/unistd.h). */
const SYS_PERF_EVENT_OPEN: Partial<Record<NodeJS.Architecture, number>> = {
  x64: 298,
  arm64: 241, // the generic table (asm-generic/unistd.h), also riscv64 and loong64
  riscv64: 241,
  loong64: 241,
  ia32: 336,
  arm: 364,
  ppc64: 319,
  s390x: 331,
};

const PERF_FLAG_FD_CLOEXEC = 1 << 3;
const _SC_PAGESIZE = 30; // Linux (bits/confname.h)
const _SC_NPROCESSORS_CONF = 83;

export class PerfError extends Error {
  constructor(readonly errno: number) {
    super(`perf_event_open failed (errno ${errno})`);
  }
}

/**
 * perf_event_open(attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC): opens one event and returns its
 * descriptor. `attr` is a struct perf_event_attr laid out by the caller; pid 0 is the calling
 * thread, cpu -1 any CPU. Throws PerfError (EACCES, EPERM: not allowed by perf_event_paranoid;
 * ENOSYS, ENOENT: no such event here) or PosixUnavailable (not Linux, no koffi).
 */
export function perfEventOpen(attr: Buffer, pid: number, cpu: number): number {
  const number = SYS_PERF_EVENT_OPEN[process.arch];
  if (process.platform !== 'linux' || number === undefined) throw new PosixUnavailable(`perf_event_open is not available on ${process.platform} ${process.arch}.`);
  const syscall = need(cfunc('long syscall(long number, ...)'), 'syscall');
  const fd = Number(syscall(number, 'void *', attr, 'int', pid, 'int', cpu, 'int', -1, 'unsigned long', PERF_FLAG_FD_CLOEXEC));
  if (fd < 0) throw new PerfError(koffiModule()?.errno() ?? 0);
  return fd;
}

/** The size of a memory page (sysconf(_SC_PAGESIZE)): 4096 on x86_64, 4–64 KiB on arm64. */
export function pageSize(): number {
  const sysconf = need(cfunc('long sysconf(int name)'), 'sysconf');
  return Number(sysconf(_SC_PAGESIZE));
}

/** How many CPUs the system is configured with (sysconf(_SC_NPROCESSORS_CONF)): CPUs 0 to n − 1, some may be offline. */
export function cpuCount(): number {
  const sysconf = need(cfunc('long sysconf(int name)'), 'sysconf');
  return Number(sysconf(_SC_NPROCESSORS_CONF));
}

const POLLIN = 0x1;

/**
 * poll(2) on `fds` for reading, at most `timeoutMs`, in a worker thread (koffi's asynchronous
 * call): `done` is called on the main thread when one is readable (a perf event: its ring buffer
 * holds `wakeup_events` new records), when the time is up, or with an error. Throws
 * PosixUnavailable where poll(2) or koffi's asynchronous calls are missing.
 */
export function waitReadable(fds: number[], timeoutMs: number, done: (error: Error | null) => void): void {
  const poll = need(cfunc('int poll(_Inout_ void *fds, unsigned long nfds, int timeout)'), 'poll') as unknown as {
    async(fds: Buffer, nfds: number, timeout: number, callback: (error: Error | null, result: number) => void): void;
  };
  // struct pollfd { int fd; short events; short revents; }
  const set = Buffer.alloc(8 * fds.length);
  fds.forEach((fd, index) => {
    set.writeInt32LE(fd, 8 * index);
    set.writeInt16LE(POLLIN, 8 * index + 4);
  });
  poll.async(set, fds.length, timeoutMs, (error) => done(error ?? null));
}
