// Sockets as C makes them, for what Node's own calls hide:
//   socketPair()   socketpair(2): two connected Unix sockets, the thing under Python's Pipe()
//   tcpBind()      socket(2) + setsockopt(SO_REUSEADDR) or not + bind(2), to see what bind() says
//   reuseAddress() getsockopt(SO_REUSEADDR): is the option on for this socket?
// Node makes its sockets through libuv, which chooses the options itself (it turns SO_REUSEADDR
// on for every TCP socket it binds, on Unix); these calls let a lesson choose, and look.
import { closeSync } from 'node:fs';
import { constants } from 'node:os';
import { cfunc, koffiModule, need, PosixUnavailable } from './ffi.js';

const AF_UNIX = 1;
const AF_INET = 2;
const SOCK_STREAM = 1;
const SOCK_CLOEXEC = 0o2000000; // Linux: not inherited by programs we start (unless handed on on purpose)
const SOL_SOCKET = 1;
const SO_REUSEADDR = 2;

/** A failed call, with Node's usual `code` ('EADDRINUSE' …) and `syscall`. */
function failure(syscall: string): Error {
  const errno = koffiModule()?.errno() ?? 0;
  const code = Object.entries(constants.errno).find(([, value]) => value === errno)?.[0] ?? `errno ${errno}`;
  return Object.assign(new Error(`${syscall} failed: ${code}`), { code, errno: -errno, syscall });
}

function linuxOnly(what: string): void {
  if (process.platform !== 'linux') throw new PosixUnavailable(`${what} is shown here with Linux's constants only; this is ${process.platform}.`);
}

/**
 * socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv): two Unix stream sockets, already
 * connected to each other. Returns their file descriptors; close them with fs.closeSync.
 * (macOS has no SOCK_CLOEXEC: there, close them as soon as they are handed on.)
 */
export function socketPair(): [number, number] {
  const socketpair = need(cfunc('int socketpair(int domain, int type, int protocol, _Out_ int *sv)'), 'socketpair');
  const sv = new Int32Array(2);
  const type = process.platform === 'linux' ? SOCK_STREAM | SOCK_CLOEXEC : SOCK_STREAM;
  if (socketpair(AF_UNIX, type, 0, sv) !== 0) throw failure('socketpair');
  return [sv[0]!, sv[1]!];
}

/**
 * A TCP socket bound to host:port, with SO_REUSEADDR on or off, as a C server makes one:
 * socket(), setsockopt() if asked, bind(). Returns the descriptor (close it with fs.closeSync);
 * throws the bind error (EADDRINUSE …) after closing the socket.
 */
export function tcpBind(host: string, port: number, options: { reuseAddress: boolean }): number {
  linuxOnly('bind()');
  const socket = need(cfunc('int socket(int domain, int type, int protocol)'), 'socket');
  const setsockopt = need(cfunc('int setsockopt(int fd, int level, int name, const void *value, int len)'), 'setsockopt');
  const bind = need(cfunc('int bind(int fd, const void *addr, int len)'), 'bind');
  const fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw failure('socket');
  try {
    if (options.reuseAddress) {
      const on = Buffer.alloc(4);
      on.writeInt32LE(1);
      if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, on, on.length) !== 0) throw failure('setsockopt');
    }
    // struct sockaddr_in { sa_family_t sin_family; in_port_t sin_port; struct in_addr sin_addr; char zero[8]; }
    const address = Buffer.alloc(16);
    address.writeUInt16LE(AF_INET, 0);
    address.writeUInt16BE(port, 2); // network byte order
    host.split('.').forEach((part, index) => address.writeUInt8(Number(part), 4 + index));
    if (bind(fd, address, address.length) !== 0) throw failure('bind');
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** getsockopt(fd, SOL_SOCKET, SO_REUSEADDR): whether the option is on for this socket. */
export function reuseAddress(fd: number): boolean {
  linuxOnly('getsockopt()');
  const getsockopt = need(cfunc('int getsockopt(int fd, int level, int name, _Out_ void *value, _Inout_ int *len)'), 'getsockopt');
  const value = Buffer.alloc(4);
  const length = new Int32Array([4]);
  if (getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, value, length) !== 0) throw failure('getsockopt');
  return value.readInt32LE(0) !== 0;
}
