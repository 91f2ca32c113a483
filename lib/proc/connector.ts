// The kernel's own report of every fork, exec, setsid and exit on the machine: the proc connector
// (netlink, NETLINK_CONNECTOR, group CN_IDX_PROC). It needs CAP_NET_ADMIN (root); each exit comes
// with the wait status the parent will read. Timestamps are CLOCK_MONOTONIC, the clock of
// monotonicMs(). It says nothing about reaping: the observer reads /proc for that.
//
// Decoding (pure, below) is kept apart from reading the socket (ConnectorReader).
import { closeSync, read } from 'node:fs';
import { attachFilter, netlinkSend, openNetlink, receiveNow, setReceiveBuffer, setReceiveTimeout, wakeReader, type BpfInstruction } from '../posix/netlink.js';

export type KernelEvent =
  | { kind: 'fork'; t: number; parent: number; child: number }
  /** `comm`: the name the process has after the exec, where the source says it (perf). */
  | { kind: 'exec'; t: number; pid: number; comm?: string }
  /** A setsid(): the process now leads a new session and a new process group, both numbered with its pid (the proc connector only). */
  | { kind: 'session'; t: number; pid: number }
  /** `status`: the wait status its parent will read, where the source says it (the proc connector; perf does not). */
  | { kind: 'exit'; t: number; pid: number; status?: number }
  /** The kernel dropped events (the socket's buffer overflowed): the reader must look for itself. */
  | { kind: 'lost'; t: number };

const NETLINK_CONNECTOR = 11;
const CN_IDX_PROC = 1;
const CN_VAL_PROC = 1;
const NLMSG_DONE = 3;
const NLMSG_HEADER = 16;
const CN_MSG_HEADER = 20;
const PROC_CN_MCAST_LISTEN = 1;
const PROC_EVENT_FORK = 0x1;
const PROC_EVENT_EXEC = 0x2;
const PROC_EVENT_SID = 0x80;
const PROC_EVENT_EXIT = 0x80000000;

/** The message that subscribes a netlink socket to the proc connector (or, with `listen` false, unsubscribes). */
export function subscribeMessage(portId: number, listen = true): Buffer {
  const message = Buffer.alloc(NLMSG_HEADER + CN_MSG_HEADER + 4);
  message.writeUInt32LE(message.length, 0); // nlmsg_len
  message.writeUInt16LE(NLMSG_DONE, 4); // nlmsg_type
  message.writeUInt32LE(portId, 12); // nlmsg_pid
  message.writeUInt32LE(CN_IDX_PROC, 16); // cn_msg.id.idx
  message.writeUInt32LE(CN_VAL_PROC, 20); // cn_msg.id.val
  message.writeUInt16LE(4, 32); // cn_msg.len
  message.writeUInt32LE(listen ? PROC_CN_MCAST_LISTEN : 2, 36);
  return message;
}

/** Where struct proc_event's fields are in a report, counted from the start of the datagram. */
const EVENT_AT = NLMSG_HEADER + CN_MSG_HEADER;
const WHAT_AT = EVENT_AT; // what, u32
const FIELDS_AT = EVENT_AT + 16; // after what, cpu and timestamp_ns: the event's own fields, i32 each

/**
 * The filter the kernel runs on each report before it queues it for us: it keeps exactly what
 * decodeConnector keeps (the fork of a process, not of a thread; an exec; a setsid; the exit of a
 * process, not of a thread) and whatever is not a report (the wake-up of close()). Everything
 * else, most of it threads starting and ending, then never wakes the reader: during the suite 71%
 * of the machine's 437 reports a second were threads', and 5% other kinds (a name set, a uid
 * change, subscription acks); 2% were new sessions.
 * Classic BPF reads words in network byte order, so the kernel's little-endian values are
 * compared byte-swapped; two fields compared with each other need no swap.
 */
export function connectorFilter(): BpfInstruction[] {
  const LOAD_WORD = 0x20; // BPF_LD | BPF_W | BPF_ABS
  const LOAD_HALF = 0x28; // BPF_LD | BPF_H | BPF_ABS
  const TO_X = 0x07; // BPF_MISC | BPF_TAX
  const IF_EQUAL = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
  const IF_EQUAL_X = 0x1d; // BPF_JMP | BPF_JEQ | BPF_X
  const RETURN = 0x06; // BPF_RET | BPF_K
  const wire32 = (value: number): number => {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32LE(value >>> 0);
    return bytes.readUInt32BE();
  };
  const wire16 = (value: number): number => ((value & 0xff) << 8) | (value >> 8);
  const op = (code: number, k: number, jt = 0, jf = 0): BpfInstruction => ({ code, jt, jf, k });
  // Jumps count the instructions to skip: KEEP is instruction 15, DROP 16.
  return [
    /* 0 */ op(LOAD_HALF, 4), // nlmsg_type
    /* 1 */ op(IF_EQUAL, wire16(NLMSG_DONE), 0, 13), // not a report (the wake-up's NLMSG_NOOP): keep
    /* 2 */ op(LOAD_WORD, WHAT_AT),
    /* 3 */ op(IF_EQUAL, wire32(PROC_EVENT_FORK), 3, 0),
    /* 4 */ op(IF_EQUAL, wire32(PROC_EVENT_EXEC), 10, 0),
    /* 5 */ op(IF_EQUAL, wire32(PROC_EVENT_SID), 9, 0),
    /* 6 */ op(IF_EQUAL, wire32(PROC_EVENT_EXIT), 4, 9),
    /* 7 */ op(LOAD_WORD, FIELDS_AT + 8), // fork: child_pid …
    /* 8 */ op(TO_X, 0),
    /* 9 */ op(LOAD_WORD, FIELDS_AT + 12), // … against child_tgid: a thread if they differ
    /* 10 */ op(IF_EQUAL_X, 0, 4, 5),
    /* 11 */ op(LOAD_WORD, FIELDS_AT), // exit: process_pid …
    /* 12 */ op(TO_X, 0),
    /* 13 */ op(LOAD_WORD, FIELDS_AT + 4), // … against process_tgid
    /* 14 */ op(IF_EQUAL_X, 0, 0, 1),
    /* 15 */ op(RETURN, 0xffffffff), // KEEP: the whole datagram
    /* 16 */ op(RETURN, 0), // DROP
  ];
}

/**
 * The process events in `length` bytes of netlink messages (one or more). Threads are left out:
 * only processes (a fork whose child is a thread leader, the exit of a thread-group leader).
 * struct proc_event: what u32, cpu u32, timestamp_ns u64, then the event's own fields.
 */
export function decodeConnector(buffer: Buffer, length: number): KernelEvent[] {
  const events: KernelEvent[] = [];
  let offset = 0;
  // Stryker disable next-line EqualityOperator: a header with nothing after it holds no event
  while (offset + NLMSG_HEADER <= length) {
    const messageLength = buffer.readUInt32LE(offset);
    if (messageLength < NLMSG_HEADER || offset + messageLength > length) break;
    const event = offset + NLMSG_HEADER + CN_MSG_HEADER;
    // Stryker disable next-line EqualityOperator: no event fits in its 16-byte header alone
    if (event + 16 <= offset + messageLength) {
      const decoded = decodeProcEvent(buffer, event, offset + messageLength);
      if (decoded) events.push(decoded);
    }
    offset += (messageLength + 3) & ~3;
  }
  return events;
}

function decodeProcEvent(buffer: Buffer, at: number, end: number): KernelEvent | undefined {
  const what = buffer.readUInt32LE(at);
  const t = Number(buffer.readBigUInt64LE(at + 8)) / 1e6;
  const field = (index: number): number => buffer.readInt32LE(at + 16 + 4 * index);
  if (what === PROC_EVENT_FORK && at + 32 <= end) {
    // parent_pid, parent_tgid, child_pid, child_tgid
    if (field(2) !== field(3)) return undefined; // a new thread
    return { kind: 'fork', t, parent: field(1), child: field(3) };
  }
  if (what === PROC_EVENT_EXEC && at + 24 <= end) return { kind: 'exec', t, pid: field(1) };
  // process_pid (the calling thread), process_tgid: a session is the whole process's
  if (what === PROC_EVENT_SID && at + 24 <= end) return { kind: 'session', t, pid: field(1) };
  if (what === PROC_EVENT_EXIT && at + 32 <= end) {
    // process_pid, process_tgid, exit_code (a wait status), exit_signal (the one sent to the parent)
    if (field(0) !== field(1)) return undefined; // a thread ended, not the process
    return { kind: 'exit', t, pid: field(1), status: field(2) };
  }
  return undefined;
}

/**
 * A subscription to the proc connector. Reads in Node's thread pool (a blocking read with a
 * 100 ms timeout, so closing never waits long), then drains what else is queued at once.
 */
export class ConnectorReader {
  readonly kind = 'connector';
  private closed = false;
  private readonly buffer = Buffer.alloc(1 << 16);
  /** Reports read before anyone listens (see `listen`). */
  private queued: KernelEvent[] = [];

  private constructor(
    private readonly fd: number,
    private onEvents?: (events: KernelEvent[]) => void,
  ) {
    this.next();
  }

  /**
   * Opens a subscription; undefined where the kernel does not allow it (not root, no netlink, no
   * koffi). Without `onEvents`, the reports are kept until `listen` is called: a runner subscribes
   * before it starts a program, so that the program's first forks (bwrap's, in a sandbox, come
   * within a millisecond) are reported even when the runner is slow to follow them.
   */
  static open(onEvents?: (events: KernelEvent[]) => void): ConnectorReader | undefined {
    // Stryker disable next-line ConditionalExpression: the tests run on Linux
    if (process.platform !== 'linux') return undefined;
    let fd: number;
    try {
      fd = openNetlink(NETLINK_CONNECTOR, CN_IDX_PROC);
    } catch {
      return undefined;
    }
    try {
      setReceiveBuffer(fd, 8 << 20);
      setReceiveTimeout(fd, 100);
      attachFilter(fd, connectorFilter()); // before the subscription: no thread's report is ever queued
      netlinkSend(fd, subscribeMessage(0));
    } catch {
      closeSync(fd);
      return undefined;
    }
    return new ConnectorReader(fd, onEvents);
  }

  private next(): void {
    read(this.fd, this.buffer, 0, this.buffer.length, null, (error, length) => {
      if (this.closed) {
        closeSync(this.fd);
        return;
      }
      let events: KernelEvent[] = [];
      if (error) {
        if (error.code === 'ENOBUFS') events.push({ kind: 'lost', t: Number(process.hrtime.bigint()) / 1e6 });
        else if (error.code !== 'EAGAIN' && error.code !== 'EINTR') {
          this.closed = true;
          closeSync(this.fd);
          this.deliver([{ kind: 'lost', t: Number(process.hrtime.bigint()) / 1e6 }]);
          return;
        }
      } else events = decodeConnector(this.buffer, length);
      // Whatever else is queued, now, without another trip through the thread pool.
      for (let more = receiveNow(this.fd, this.buffer); more !== 0; more = receiveNow(this.fd, this.buffer)) {
        if (more < 0) {
          if (more === -105) events.push({ kind: 'lost', t: Number(process.hrtime.bigint()) / 1e6 }); // ENOBUFS
          else break;
        } else events.push(...decodeConnector(this.buffer, more));
      }
      if (events.length > 0) this.deliver(events);
      this.next();
    });
  }

  private deliver(events: KernelEvent[]): void {
    if (this.onEvents) this.onEvents(events);
    else this.queued.push(...events);
  }

  /** Hands every report kept since the subscription to `onEvents` (at once), then each as it comes. */
  listen(onEvents: (events: KernelEvent[]) => void): void {
    this.onEvents = onEvents;
    const queued = this.queued;
    this.queued = [];
    if (queued.length > 0) onEvents(queued);
  }

  /**
   * Ends the subscription. The socket closes once the read under way in the thread pool returns:
   * at once, woken by a message to itself (else within the 100 ms timeout). Until it does, that
   * read keeps the process alive: `watch true` exited 73 ms after its summary, 10 ms woken.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      wakeReader(this.fd);
    } catch {
      // no koffi: the timeout ends the read
    }
  }
}
