// The fan-out in one system call: sendmmsg(2).
//
// A chat line in a room of 100 is 99 datagrams out. Sent one by one, each is a trip through
// Node's dgram (an address lookup, a request object, a call into libuv) and a system call of its
// own; the course's Python server pays one sendto() call per datagram too. Linux can take a whole
// batch in ONE call: sendmmsg() gets an array of messages (here: the same bytes, each to another
// address) and sends them all. Node's dgram has no such call, so this file makes it through the C
// library (koffi, as lib/posix does), on the very socket Node created: its descriptor.
//
// Where that is not possible (not Linux on a 64-bit CPU, no koffi, an IPv6 socket) the server
// just sends datagram by datagram, as before.
import type dgram from 'node:dgram';
import { cfunc, koffiModule } from '../lib/posix/ffi.js';
import type { Peer } from './room.js';

/** The most messages one call takes (a bigger fan-out is several calls). */
const SLOTS = 1024;
/** The longest datagram the server sends (a chat line is at most 1024 bytes; its prefix adds a name). */
const MAX_BYTES = 4096;
// struct sockaddr_in: 16 bytes. struct iovec: 16. struct mmsghdr (LP64): msghdr (56) + msg_len (4) + padding.
const SOCKADDR = 16;
const MMSGHDR = 64;

export interface BatchSender {
  /**
   * Sends `bytes` to each peer, in order, with as few system calls as it can. Returns how many it
   * sent; the caller sends the rest another way (the socket's buffer was full, or an error).
   */
  send(bytes: Uint8Array, peers: Peer[]): number;
}

type SendMmsg = (fd: number, messages: unknown, count: number, flags: number) => number;

/** A batch sender for this bound IPv4 socket, or undefined where sendmmsg cannot be used. */
export function batchSender(socket: dgram.Socket): BatchSender | undefined {
  if (process.platform !== 'linux' || (process.arch !== 'x64' && process.arch !== 'arm64')) return undefined;
  if (socket.address().family !== 'IPv4') return undefined;
  const fd = descriptorOf(socket);
  const koffi = koffiModule();
  const sendmmsg = cfunc('int sendmmsg(int fd, void *msgvec, unsigned int vlen, int flags)') as SendMmsg | undefined;
  if (fd === undefined || !koffi || !sendmmsg) return undefined;

  // One block of C memory, laid out once: the messages, the addresses, one iovec, the bytes. Each
  // message i points at address slot i and at the one iovec (every message carries the same bytes).
  const size = SLOTS * SOCKADDR + 16 + MAX_BYTES + SLOTS * MMSGHDR;
  const block = koffi.alloc('uint8_t', size);
  const base = koffi.address(block);
  const memory = new DataView(koffi.view(block, size));
  const bytesAt = new Uint8Array(memory.buffer);
  // The messages first: the block's own address is what sendmmsg() is given.
  const messagesAt = 0;
  const addressesAt = SLOTS * MMSGHDR;
  const iovAt = addressesAt + SLOTS * SOCKADDR;
  const textAt = iovAt + 16;
  const pointer = (offset: number): bigint => base + BigInt(offset);
  memory.setBigUint64(iovAt, pointer(textAt), true);
  for (let slot = 0; slot < SLOTS; slot++) {
    const at = messagesAt + slot * MMSGHDR;
    memory.setBigUint64(at, pointer(addressesAt + slot * SOCKADDR), true); // msg_name
    memory.setUint32(at + 8, SOCKADDR, true); // msg_namelen
    memory.setBigUint64(at + 16, pointer(iovAt), true); // msg_iov
    memory.setBigUint64(at + 24, 1n, true); // msg_iovlen
    memory.setUint16(addressesAt + slot * SOCKADDR, 2, true); // sin_family = AF_INET
  }
  const ipv4 = new Map<string, number>();
  const addressNumber = (address: string): number | undefined => {
    let number = ipv4.get(address);
    if (number === undefined) {
      const parts = address.split('.').map(Number);
      if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) return undefined;
      number = (((parts[0] ?? 0) << 24) | ((parts[1] ?? 0) << 16) | ((parts[2] ?? 0) << 8) | (parts[3] ?? 0)) >>> 0;
      if (ipv4.size > 10_000) ipv4.clear();
      ipv4.set(address, number);
    }
    return number;
  };

  return {
    send(bytes, peers) {
      if (bytes.length > MAX_BYTES) return 0;
      bytesAt.set(bytes, textAt);
      memory.setBigUint64(iovAt + 8, BigInt(bytes.length), true);
      let done = 0;
      while (done < peers.length) {
        let count = 0;
        for (; count < SLOTS && done + count < peers.length; count++) {
          const peer = peers[done + count];
          const number = peer && addressNumber(peer.address);
          if (!peer || number === undefined) break; // not IPv4: the caller sends it
          const at = addressesAt + count * SOCKADDR;
          memory.setUint16(at + 2, peer.port, false); // sin_port, network order
          memory.setUint32(at + 4, number, false); // sin_addr, network order
        }
        if (count === 0) return done;
        const sent = sendmmsg(fd, block, count, 0);
        if (sent <= 0) return done; // EAGAIN (buffer full) or an error: the caller takes over
        done += sent;
        if (sent < count) return done;
      }
      return done;
    },
  };
}

/** The descriptor of a bound dgram socket (Node keeps it on the socket's libuv handle). */
function descriptorOf(socket: dgram.Socket): number | undefined {
  const key = Object.getOwnPropertySymbols(socket).find((symbol) => symbol.description === 'state symbol');
  const state: unknown = key ? Reflect.get(socket, key) : undefined;
  const handle: unknown = typeof state === 'object' && state !== null ? Reflect.get(state, 'handle') : undefined;
  const fd: unknown = typeof handle === 'object' && handle !== null ? Reflect.get(handle, 'fd') : undefined;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}
