// mkfifo(3): a named pipe, a file that is a pipe. Node has no call to make one.
//
// Why koffi rather than running the `mkfifo` command: no extra process flashes through the lesson's
// process table, the error is the C call's own errno (EEXIST, EACCES …), and it is the call the
// classics (TLPI 44.7, Beej's IPC guide) teach.
import { constants } from 'node:os';
import { cfunc, koffiModule, need } from './ffi.js';

/**
 * mkfifo(path, mode): makes a FIFO (a named pipe) at `path`. Throws an Error with Node's usual
 * `code` ('EEXIST', 'ENOENT' …) and `syscall: 'mkfifo'` when the kernel refuses.
 */
export function makeFifo(path: string, mode = 0o600): void {
  // mode_t is 32 bits on Linux, 16 on macOS.
  const modeType = process.platform === 'darwin' ? 'uint16_t' : 'uint32_t';
  const mkfifo = need(cfunc(`int mkfifo(const char *path, ${modeType} mode)`), 'mkfifo');
  if (mkfifo(path, mode) === 0) return;
  const errno = koffiModule()?.errno() ?? 0;
  const code = Object.entries(constants.errno).find(([, value]) => value === errno)?.[0] ?? `errno ${errno}`;
  throw Object.assign(new Error(`mkfifo ${path} failed: ${code}`), { code, errno: -errno, syscall: 'mkfifo', path });
}
