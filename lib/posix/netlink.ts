// A netlink socket (the kernel's own message channel), which Node cannot open: socket(2), bind(2),
// send(2), recv(2) and setsockopt(2) through koffi, and a filter the kernel runs on each datagram
// before it queues it (a classic BPF program). Used by lib/proc for the proc connector.
import { closeSync } from 'node:fs';
import { cfunc, koffiModule, need } from './ffi.js';

const AF_NETLINK = 16;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const SOL_SOCKET = 1;
const SO_RCVBUF = 8;
const SO_RCVBUFFORCE = 33;
const SO_RCVTIMEO = 20;
const SO_ATTACH_FILTER = 26;
const MSG_DONTWAIT = 0x40;

/** errno after the last call through koffi (0 if unknown). */
function errno(): number {
  return koffiModule()?.errno() ?? 0;
}

export class NetlinkError extends Error {
  constructor(
    readonly call: string,
    readonly errno: number,
  ) {
    super(`${call} failed (errno ${errno})`);
  }
}

/**
 * socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, protocol) bound to the multicast `groups`.
 * Returns the descriptor; throws NetlinkError (EPERM without the right capability) or PosixUnavailable.
 */
export function openNetlink(protocol: number, groups: number): number {
  const socket = need(cfunc('int socket(int domain, int type, int protocol)'), 'socket');
  const bind = need(cfunc('int bind(int fd, const void *addr, int len)'), 'bind');
  const fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, protocol);
  if (fd < 0) throw new NetlinkError('socket', errno());
  // struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; u32 nl_pid; u32 nl_groups; }
  const address = Buffer.alloc(12);
  address.writeUInt16LE(AF_NETLINK, 0);
  address.writeUInt32LE(groups, 8); // nl_pid 0: the kernel picks a port id
  if (bind(fd, address, address.length) !== 0) {
    const code = errno();
    closeSync(fd);
    throw new NetlinkError('bind', code);
  }
  return fd;
}

/** send(2) one message; returns the bytes sent or throws. */
export function netlinkSend(fd: number, message: Buffer): number {
  const send = need(cfunc('long send(int fd, const void *buf, unsigned long len, int flags)'), 'send');
  const sent = Number(send(fd, message, message.length, 0));
  if (sent < 0) throw new NetlinkError('send', errno());
  return sent;
}

/**
 * Wakes a read blocked on this socket: one empty message (NLMSG_NOOP) sent to the socket's own port,
 * so that a reader closing it need not wait for the receive timeout. Needs CAP_NET_ADMIN, as the
 * proc connector does. False if it could not be sent.
 */
export function wakeReader(fd: number): boolean {
  const getsockname = need(cfunc('int getsockname(int fd, _Out_ void *addr, _Inout_ int *len)'), 'getsockname');
  const sendto = need(cfunc('long sendto(int fd, const void *buf, unsigned long len, int flags, const void *addr, int alen)'), 'sendto');
  const address = Buffer.alloc(12);
  if (getsockname(fd, address, [address.length]) !== 0) return false;
  address.writeUInt32LE(0, 8); // to the port alone, no group
  const noop = Buffer.alloc(16);
  noop.writeUInt32LE(noop.length, 0); // nlmsg_len
  noop.writeUInt16LE(1, 4); // nlmsg_type NLMSG_NOOP
  return Number(sendto(fd, noop, noop.length, MSG_DONTWAIT, address, address.length)) === noop.length;
}

/** recv(2) without waiting: the bytes of the next datagram, 0 if none is queued, -errno on error. */
export function receiveNow(fd: number, into: Buffer): number {
  const recv = need(cfunc('long recv(int fd, _Out_ void *buf, unsigned long len, int flags)'), 'recv');
  const length = Number(recv(fd, into, into.length, MSG_DONTWAIT));
  if (length >= 0) return length;
  const code = errno();
  return code === 11 ? 0 : -code; // EAGAIN: nothing queued
}

function setOption(fd: number, option: number, value: Buffer): boolean {
  const setsockopt = need(cfunc('int setsockopt(int fd, int level, int name, const void *value, int len)'), 'setsockopt');
  return setsockopt(fd, SOL_SOCKET, option, value, value.length) === 0;
}

/** SO_RCVTIMEO: a blocking read returns EAGAIN after this long without a datagram. */
export function setReceiveTimeout(fd: number, ms: number): boolean {
  const timeval = Buffer.alloc(16);
  timeval.writeBigInt64LE(BigInt(Math.floor(ms / 1000)), 0);
  timeval.writeBigInt64LE(BigInt((ms % 1000) * 1000), 8);
  return setOption(fd, SO_RCVTIMEO, timeval);
}

/** The socket's receive buffer (SO_RCVBUFFORCE as root, past the system's limit; else SO_RCVBUF). */
export function setReceiveBuffer(fd: number, bytes: number): boolean {
  const value = Buffer.alloc(4);
  value.writeInt32LE(bytes, 0);
  return setOption(fd, SO_RCVBUFFORCE, value) || setOption(fd, SO_RCVBUF, value);
}

/** One instruction of a classic BPF program (struct sock_filter): what it does, where to jump if true or false, its operand. */
export interface BpfInstruction {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/**
 * SO_ATTACH_FILTER: from now on the kernel runs `program` on every datagram for this socket before
 * it queues it, and drops those the program returns 0 for: a dropped datagram never wakes a reader.
 * False where it could not be attached (the socket then gets everything, as before).
 */
export function attachFilter(fd: number, program: BpfInstruction[]): boolean {
  const koffi = koffiModule();
  if (!koffi) return false;
  // struct sock_filter is 8 bytes: u16 code, u8 jt, u8 jf, u32 k. The kernel copies the program.
  const bytes = program.length * 8;
  const memory = koffi.alloc('uint8_t', bytes);
  try {
    const code = Buffer.from(koffi.view(memory, bytes));
    program.forEach((instruction, index) => {
      code.writeUInt16LE(instruction.code, index * 8);
      code.writeUInt8(instruction.jt, index * 8 + 2);
      code.writeUInt8(instruction.jf, index * 8 + 3);
      code.writeUInt32LE(instruction.k >>> 0, index * 8 + 4);
    });
    // struct sock_fprog { unsigned short len; struct sock_filter *filter; }: the pointer at 8.
    const fprog = Buffer.alloc(16);
    fprog.writeUInt16LE(program.length, 0);
    fprog.writeBigUInt64LE(koffi.address(memory), 8);
    return setOption(fd, SO_ATTACH_FILTER, fprog);
  } finally {
    koffi.free(memory);
  }
}
