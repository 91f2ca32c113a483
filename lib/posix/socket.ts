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

// ── Handing a socket from one network namespace to another ─────────────────────────────────────
// A socket belongs for good to the network namespace it was made in, whoever holds it later. A
// process inside a check's sandbox (its own network, loopback only) makes one and sends it over a
// Unix socket (sendmsg with SCM_RIGHTS); the checker outside receives it (recvmsg) and talks
// through it to the sandbox's loopback. Linux only.

const SOCK_DGRAM = 2;
const SO_TYPE = 3;
const SO_ACCEPTCONN = 30;
const SO_DOMAIN = 39;
const SCM_RIGHTS = 1;
const MSG_DONTWAIT = 0x40;
const MSG_NOSIGNAL = 0x4000;
const MSG_CMSG_CLOEXEC = 0x40000000;

/** struct sockaddr_in for an IPv4 address and port. */
function ipv4Address(host: string, port: number): Buffer {
  const address = Buffer.alloc(16);
  address.writeUInt16LE(AF_INET, 0);
  address.writeUInt16BE(port, 2); // network byte order
  const parts = host.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) throw new RangeError(`not an IPv4 address: ${host}`);
  parts.forEach((part, index) => address.writeUInt8(part, 4 + index));
  return address;
}

/**
 * socket(AF_INET, SOCK_STREAM or SOCK_DGRAM | SOCK_CLOEXEC) in this process's network namespace;
 * a UDP one then bound to host:port (port 0: one the kernel picks). A TCP one is left unbound
 * and unconnected: whoever receives it connects it. Returns the descriptor; throws the failed
 * call's error (EADDRINUSE …).
 */
export function inetSocket(kind: 'tcp' | 'udp', host = '127.0.0.1', port = 0): number {
  linuxOnly('socket()');
  const socket = need(cfunc('int socket(int domain, int type, int protocol)'), 'socket');
  const bind = need(cfunc('int bind(int fd, const void *addr, int len)'), 'bind');
  const fd = socket(AF_INET, (kind === 'tcp' ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
  if (fd < 0) throw failure('socket');
  if (kind === 'udp') {
    const address = ipv4Address(host, port);
    if (bind(fd, address, address.length) !== 0) {
      const error = failure('bind');
      closeSync(fd);
      throw error;
    }
  }
  return fd;
}

/** What a received descriptor is, as far as a check cares: its family, its type, how it is bound. */
export interface SocketKind {
  /** 'tcp', 'udp', or what else it is ('unix', 'other', 'not a socket'). */
  kind: 'tcp' | 'udp' | 'unix' | 'other' | 'not a socket';
  /** A TCP socket listening for connections. */
  listening: boolean;
  /** Its local IPv4 address and port (0.0.0.0:0 when unbound). */
  address?: { host: string; port: number };
}

/** getsockopt(SO_DOMAIN, SO_TYPE, SO_ACCEPTCONN) and getsockname(): what `fd` is. */
export function socketKind(fd: number): SocketKind {
  linuxOnly('getsockopt()');
  const getsockopt = need(cfunc('int getsockopt(int fd, int level, int name, _Out_ void *value, _Inout_ int *len)'), 'getsockopt');
  const getsockname = need(cfunc('int getsockname(int fd, _Out_ void *addr, _Inout_ int *len)'), 'getsockname');
  const option = (name: number): number | undefined => {
    const value = Buffer.alloc(4);
    const length = new Int32Array([4]);
    return getsockopt(fd, SOL_SOCKET, name, value, length) === 0 ? value.readInt32LE(0) : undefined;
  };
  const domain = option(SO_DOMAIN);
  const type = option(SO_TYPE);
  if (domain === undefined || type === undefined) return { kind: 'not a socket', listening: false };
  if (domain === AF_UNIX) return { kind: 'unix', listening: false };
  if (domain !== AF_INET || (type !== SOCK_STREAM && type !== SOCK_DGRAM)) return { kind: 'other', listening: false };
  const name = Buffer.alloc(16);
  const length = new Int32Array([16]);
  const bound = getsockname(fd, name, length) === 0;
  return {
    kind: type === SOCK_STREAM ? 'tcp' : 'udp',
    listening: option(SO_ACCEPTCONN) === 1,
    ...(bound ? { address: { host: [...name.subarray(4, 8)].join('.'), port: name.readUInt16BE(2) } } : {}),
  };
}

/** The C structures of sendmsg/recvmsg, as this system lays them out (koffi knows its ABI). */
interface MessageLayout {
  koffi: NonNullable<ReturnType<typeof koffiModule>>;
  memory: unknown;
  view: Buffer;
  base: bigint;
  msghdr: { size: number; iov: number; iovlen: number; control: number; controllen: number; flags: number };
  iovec: { size: number; base: number; len: number };
  cmsg: { size: number; level: number; type: number; data: number };
  word: number;
}

let layout: MessageLayout | undefined;

/** One block of C memory, made once: msghdr, then its iovec, then the data, then the control data. */
function messageLayout(): MessageLayout {
  if (layout) return layout;
  const koffi = koffiModule();
  if (!koffi) throw new PosixUnavailable('sendmsg() and recvmsg() need koffi, which could not load the C library.');
  const msghdr = koffi.struct({ name: 'void *', namelen: 'uint32_t', iov: 'void *', iovlen: 'size_t', control: 'void *', controllen: 'size_t', flags: 'int' });
  const iovec = koffi.struct({ base: 'void *', len: 'size_t' });
  const cmsghdr = koffi.struct({ len: 'size_t', level: 'int', type: 'int' });
  const memory = koffi.alloc('uint8_t', 1024);
  layout = {
    koffi,
    memory,
    view: Buffer.from(koffi.view(memory, 1024)),
    base: koffi.address(memory),
    msghdr: { size: koffi.sizeof(msghdr), iov: koffi.offsetof(msghdr, 'iov'), iovlen: koffi.offsetof(msghdr, 'iovlen'), control: koffi.offsetof(msghdr, 'control'), controllen: koffi.offsetof(msghdr, 'controllen'), flags: koffi.offsetof(msghdr, 'flags') },
    iovec: { size: koffi.sizeof(iovec), base: koffi.offsetof(iovec, 'base'), len: koffi.offsetof(iovec, 'len') },
    cmsg: { size: koffi.sizeof(cmsghdr), level: koffi.offsetof(cmsghdr, 'level'), type: koffi.offsetof(cmsghdr, 'type'), data: koffi.sizeof(cmsghdr) },
    word: koffi.sizeof('size_t'),
  };
  return layout;
}

/** Where each part goes in the block. */
const IOVEC_AT = 128;
const DATA_AT = 192;
const DATA_MAX = 256;
const CONTROL_AT = 512;
const CONTROL_MAX = 256;

function writeWord(view: Buffer, at: number, value: bigint, word: number): void {
  if (word === 8) view.writeBigUInt64LE(value, at);
  else view.writeUInt32LE(Number(value), at);
}

function readWord(view: Buffer, at: number, word: number): number {
  return word === 8 ? Number(view.readBigUInt64LE(at)) : view.readUInt32LE(at);
}

/** Fills in a msghdr for `length` bytes of data and `controlLength` bytes of control data. */
function prepareMessage(l: MessageLayout, length: number, controlLength: number): void {
  l.view.fill(0, 0, CONTROL_AT + CONTROL_MAX);
  writeWord(l.view, l.msghdr.iov, l.base + BigInt(IOVEC_AT), l.word);
  writeWord(l.view, l.msghdr.iovlen, 1n, l.word);
  writeWord(l.view, IOVEC_AT + l.iovec.base, l.base + BigInt(DATA_AT), l.word);
  writeWord(l.view, IOVEC_AT + l.iovec.len, BigInt(length), l.word);
  if (controlLength > 0) {
    writeWord(l.view, l.msghdr.control, l.base + BigInt(CONTROL_AT), l.word);
    writeWord(l.view, l.msghdr.controllen, BigInt(controlLength), l.word);
  }
}

/** CMSG_ALIGN: control data is aligned to the size of a word. */
const align = (length: number, word: number): number => Math.ceil(length / word) * word;

/**
 * sendmsg(channel, bytes, SCM_RIGHTS [fd]) without blocking: `bytes`, and with them, if given, a
 * descriptor the receiver gets a copy of. Returns true once sent; false if the channel is full
 * (EAGAIN) or its other end is gone (EPIPE, ECONNRESET). Throws on anything else.
 */
export function sendWithDescriptor(channel: number, bytes: Buffer, fd?: number): boolean {
  linuxOnly('sendmsg()');
  if (bytes.length === 0 || bytes.length > DATA_MAX) throw new RangeError(`sendWithDescriptor sends 1 to ${DATA_MAX} bytes`);
  const sendmsg = need(cfunc('intptr_t sendmsg(int fd, void *message, int flags)'), 'sendmsg');
  const l = messageLayout();
  const controlLength = fd === undefined ? 0 : align(l.cmsg.data + 4, l.word);
  prepareMessage(l, bytes.length, controlLength);
  bytes.copy(l.view, DATA_AT);
  if (fd !== undefined) {
    writeWord(l.view, CONTROL_AT, BigInt(l.cmsg.data + 4), l.word); // cmsg_len = CMSG_LEN(sizeof(int))
    l.view.writeInt32LE(SOL_SOCKET, CONTROL_AT + l.cmsg.level);
    l.view.writeInt32LE(SCM_RIGHTS, CONTROL_AT + l.cmsg.type);
    l.view.writeInt32LE(fd, CONTROL_AT + l.cmsg.data);
  }
  const sent = Number(sendmsg(channel, l.memory, MSG_DONTWAIT | MSG_NOSIGNAL));
  if (sent === bytes.length) return true;
  if (sent >= 0) return false; // a stream socket took part of it: the other end reads nonsense and says so
  const error = failure('sendmsg') as NodeJS.ErrnoException;
  if (['EAGAIN', 'EWOULDBLOCK', 'EPIPE', 'ECONNRESET', 'ENOTCONN'].includes(error.code ?? '')) return false;
  throw error;
}

/** What one recvmsg() brought: the bytes, and the descriptors that came with them (close-on-exec). */
export type Received = { bytes: Buffer; fds: number[] } | 'nothing yet' | 'closed';

/**
 * recvmsg(channel, up to `size` bytes, MSG_DONTWAIT | MSG_CMSG_CLOEXEC): what is there now,
 * 'nothing yet', or 'closed' when the other end has gone. Descriptors that came with the bytes are
 * now this process's (close each one); any that did not fit the control buffer the kernel closed.
 */
export function receiveWithDescriptor(channel: number, size: number): Received {
  linuxOnly('recvmsg()');
  if (size <= 0 || size > DATA_MAX) throw new RangeError(`receiveWithDescriptor reads 1 to ${DATA_MAX} bytes`);
  const recvmsg = need(cfunc('intptr_t recvmsg(int fd, void *message, int flags)'), 'recvmsg');
  const l = messageLayout();
  prepareMessage(l, size, CONTROL_MAX);
  const got = Number(recvmsg(channel, l.memory, MSG_DONTWAIT | MSG_CMSG_CLOEXEC));
  if (got < 0) {
    const error = failure('recvmsg') as NodeJS.ErrnoException;
    if (error.code === 'EAGAIN' || error.code === 'EWOULDBLOCK') return 'nothing yet';
    if (error.code === 'ECONNRESET') return 'closed';
    throw error;
  }
  if (got === 0) return 'closed';
  const bytes = Buffer.from(l.view.subarray(DATA_AT, DATA_AT + got));
  const fds: number[] = [];
  // Walk the control messages (CMSG_FIRSTHDR, CMSG_NXTHDR): every SCM_RIGHTS one's descriptors.
  const controlLength = Math.min(readWord(l.view, l.msghdr.controllen, l.word), CONTROL_MAX);
  for (let at = 0; at + l.cmsg.data <= controlLength; ) {
    const length = readWord(l.view, CONTROL_AT + at, l.word);
    if (length < l.cmsg.data || at + length > controlLength) break;
    if (l.view.readInt32LE(CONTROL_AT + at + l.cmsg.level) === SOL_SOCKET && l.view.readInt32LE(CONTROL_AT + at + l.cmsg.type) === SCM_RIGHTS) {
      for (let each = l.cmsg.data; each + 4 <= length; each += 4) fds.push(l.view.readInt32LE(CONTROL_AT + at + each));
    }
    at += align(length, l.word);
  }
  return { bytes, fds };
}
