// The kernel's own records of every fork and exit below the runner, without root:
// perf_event_open(2) with a software event that counts nothing (PERF_COUNT_SW_DUMMY) and asks for
// the task records (`task`: PERF_RECORD_FORK, PERF_RECORD_EXIT; `comm` + `comm_exec`: each exec's
// new name). With `inherit` every process forked after the event was opened carries a copy of it,
// and so does everything it forks, at any depth (a double fork's grandchild too: inheritance follows
// fork, not the parent pid); each copy writes into the ring buffer of the event it came from.
//
// What it cannot give: an exit status (the records have none: it comes from the zombie's stat, the
// parent's report or the subreaper's wait), and what happens below a set-user-ID program (the
// kernel takes the events off a process whose exec raised its privileges, and writes an EXIT record
// for it then, although it goes on).
//
// Allowed where /proc/sys/kernel/perf_event_paranoid ≤ 2 (the upstream default; Ubuntu ships 4).
// The kernel does not map an inherited event opened for any CPU, so there is one event per CPU
// (each task's records go to the event of the CPU it ran on), and the reader merges them by time.
// Timestamps are CLOCK_MONOTONIC (use_clockid), the clock of monotonicMs().
//
// Decoding (pure, below) is kept apart from reading the ring buffers (PerfReader).
import { closeSync, readFileSync } from 'node:fs';
import { cpuCount, pageSize, perfEventOpen, PerfError, waitReadable } from '../posix/perf.js';
import { mapShared, type SharedMapping } from '../posix/memory.js';
import type { KernelEvent } from './connector.js';

// include/uapi/linux/perf_event.h
const PERF_TYPE_SOFTWARE = 1;
const PERF_COUNT_SW_DUMMY = 9;
const PERF_SAMPLE_TIME = 1 << 2;
const PERF_ATTR_SIZE_VER5 = 112;
const CLOCK_MONOTONIC = 1;
/** Bits of the attr's flags word, by their place in struct perf_event_attr. */
const FLAG = {
  inherit: 1,
  excludeKernel: 5, // an unprivileged event must leave the kernel out (perf_event_paranoid ≥ 2)
  excludeHv: 6,
  comm: 9,
  task: 13,
  watermark: 14, // wake a reader by bytes written (wakeup_watermark), not by samples: records are no samples
  sampleIdAll: 18,
  commExec: 24,
  useClockid: 25,
} as const;

export const PERF_RECORD_LOST = 2;
export const PERF_RECORD_COMM = 3;
export const PERF_RECORD_EXIT = 4;
export const PERF_RECORD_FORK = 7;
export const PERF_RECORD_MISC_COMM_EXEC = 1 << 13;

/** struct perf_event_mmap_page: where the kernel says how far it wrote, and we how far we read. */
const DATA_HEAD = 1024;
const DATA_TAIL = 1032;
const DATA_OFFSET = 1040;
const DATA_SIZE = 1048;

/**
 * How long one wait for records lasts at most (a blocking poll(2) in a worker thread, woken by the
 * kernel at each record): a closed reader stops within this time.
 */
export const PERF_WAIT_MS = 100;
/** After a wake-up that brought records, the next wait starts this much later: a storm of forks is read in batches, not record by record. */
export const PERF_BATCH_MS = 5;
/** Where that wait cannot be made (no asynchronous calls): how often the ring buffers are read instead. */
export const PERF_POLL_MS = 10;
/** Each CPU's ring buffer holds this much (a fork or exit record is 40 bytes). */
const RING_BYTES = 64 * 1024;

/**
 * /proc/sys/kernel/perf_event_paranoid: who may open which events (≤ 2: a user may observe their
 * own processes; 3 and 4, as Debian's and Ubuntu's kernels allow, keep perf_event_open to
 * privileged users). Undefined where there is no such file (not Linux, no perf events built in).
 */
export function perfEventParanoid(): number | undefined {
  try {
    const value = Number(readFileSync('/proc/sys/kernel/perf_event_paranoid', 'utf8').trim());
    return Number.isInteger(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The struct perf_event_attr of the dummy event with fork, exit and exec records. */
export function taskEventAttr(): Buffer {
  const attr = Buffer.alloc(PERF_ATTR_SIZE_VER5);
  attr.writeUInt32LE(PERF_TYPE_SOFTWARE, 0); // type
  attr.writeUInt32LE(PERF_ATTR_SIZE_VER5, 4); // size
  attr.writeBigUInt64LE(BigInt(PERF_COUNT_SW_DUMMY), 8); // config
  // sample_period 0: the event never samples; sample_type: with sample_id_all, every record ends
  // with its time (a COMM record has no time of its own).
  attr.writeBigUInt64LE(BigInt(PERF_SAMPLE_TIME), 24);
  let flags = 0n;
  for (const bit of Object.values(FLAG)) flags |= 1n << BigInt(bit);
  attr.writeBigUInt64LE(flags, 40); // disabled 0: it counts (and records) from the start
  attr.writeUInt32LE(1, 48); // wakeup_watermark: a reader waiting in poll(2) is woken as soon as one byte is written
  attr.writeInt32LE(CLOCK_MONOTONIC, 92); // clockid
  return attr;
}

/**
 * The process events in `length` bytes of perf records (copied out of a ring buffer in order).
 * Threads are left out: only processes (a fork whose child leads its thread group, the exit of a
 * thread-group leader, the exec of a process). A record too short for its kind is skipped; a
 * header that cannot be a record's ends the reading.
 * Layouts (perf_event.h, with sample_id_all and PERF_SAMPLE_TIME: a u64 time at the end):
 *   FORK, EXIT: header, u32 pid, ppid, tid, ptid, u64 time
 *   COMM:       header, u32 pid, tid, char comm[] (NUL-padded to 8 bytes), u64 time
 *   LOST:       header, u64 id, lost, u64 time
 */
export function decodePerf(buffer: Buffer, length: number): KernelEvent[] {
  const events: KernelEvent[] = [];
  let offset = 0;
  while (offset + 8 <= length) {
    const type = buffer.readUInt32LE(offset);
    const misc = buffer.readUInt16LE(offset + 4);
    const size = buffer.readUInt16LE(offset + 6);
    if (size < 8 || offset + size > length) break;
    const u32 = (at: number): number => buffer.readUInt32LE(offset + at);
    const time = (at: number): number => Number(buffer.readBigUInt64LE(offset + at)) / 1e6;
    if ((type === PERF_RECORD_FORK || type === PERF_RECORD_EXIT) && size >= 32) {
      const [pid, ppid, tid] = [u32(8), u32(12), u32(16)];
      if (pid === tid) {
        if (type === PERF_RECORD_FORK) events.push({ kind: 'fork', t: time(24), parent: ppid, child: pid });
        else events.push({ kind: 'exit', t: time(24), pid });
      }
    } else if (type === PERF_RECORD_COMM && size >= 32 && (misc & PERF_RECORD_MISC_COMM_EXEC) !== 0) {
      const [pid, tid] = [u32(8), u32(12)];
      const end = buffer.indexOf(0, offset + 16);
      const comm = buffer.toString('utf8', offset + 16, end < 0 || end > offset + size - 8 ? offset + size - 8 : end);
      if (pid === tid) events.push({ kind: 'exec', t: time(size - 8), pid, comm });
    } else if (type === PERF_RECORD_LOST && size >= 32) {
      events.push({ kind: 'lost', t: time(24) });
    }
    offset += size;
  }
  return events;
}

/** One CPU's event and its ring buffer. */
class Ring {
  private readonly meta: BigUint64Array;
  private readonly data: Uint8Array;

  constructor(
    readonly fd: number,
    private readonly mapping: SharedMapping,
    page: number,
  ) {
    this.meta = new BigUint64Array(mapping.buffer, 0, DATA_SIZE / 8 + 1);
    const offset = Number(this.meta[DATA_OFFSET / 8]) || page;
    const size = Number(this.meta[DATA_SIZE / 8]) || mapping.bytes - page;
    this.data = new Uint8Array(mapping.buffer, offset, size);
  }

  /** Copies what the kernel wrote since the last read into `into` (grown if needed); its length. */
  read(into: { buffer: Buffer }): number {
    // The head is read before the records (the kernel writes them first), the tail written after
    // them (the kernel may then write over them): Atomics, so neither moves across the copy.
    const head = Number(Atomics.load(this.meta, DATA_HEAD / 8));
    const tail = Number(this.meta[DATA_TAIL / 8]);
    const length = head - tail;
    if (length <= 0) return 0;
    if (into.buffer.length < length) into.buffer = Buffer.alloc(Math.max(length, into.buffer.length * 2));
    const size = this.data.length;
    const from = tail % size;
    const first = Math.min(length, size - from);
    into.buffer.set(this.data.subarray(from, from + first), 0);
    if (first < length) into.buffer.set(this.data.subarray(0, length - first), first);
    Atomics.store(this.meta, DATA_TAIL / 8, BigInt(head));
    return length;
  }

  close(): void {
    this.mapping.unmap();
    closeSync(this.fd);
  }
}

/**
 * The dummy event, opened on the calling thread: it reports every fork and exit of every process
 * started from this thread AFTER it was opened, and below them. Open it before starting what it
 * must see. Records wait in the ring buffers until read: once someone listens, a worker thread
 * waits in poll(2) for the kernel to wake it (PERF_WAIT_MS at most), and the main thread then reads
 * them all (where that wait cannot be made: every PERF_POLL_MS).
 */
export class PerfReader {
  readonly kind = 'perf';
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private onEvents: ((events: KernelEvent[]) => void) | undefined;
  private readonly scratch = { buffer: Buffer.alloc(RING_BYTES) };

  private constructor(private readonly rings: Ring[]) {}

  /**
   * Opens the event on `pid` (0: this thread), for it and everything it forks after this moment;
   * undefined where the kernel does not allow it (perf_event_paranoid > 2, a container's filter,
   * not Linux, no koffi).
   */
  static open(onEvents?: (events: KernelEvent[]) => void, pid = 0): PerfReader | undefined {
    // Stryker disable next-line ConditionalExpression: the tests run on Linux
    if (process.platform !== 'linux') return undefined;
    const rings: Ring[] = [];
    try {
      const attr = taskEventAttr();
      const page = pageSize();
      const pages = Math.max(1, Math.floor(RING_BYTES / page));
      for (let cpu = 0; cpu < cpuCount(); cpu++) {
        let fd: number;
        try {
          fd = perfEventOpen(attr, pid, cpu);
        } catch (error) {
          if (error instanceof PerfError && error.errno === 19) continue; // ENODEV: an offline CPU
          throw error;
        }
        try {
          rings.push(new Ring(fd, mapRing(fd, page, pages), page));
        } catch (error) {
          closeSync(fd);
          throw error;
        }
      }
      if (rings.length === 0) return undefined;
    } catch {
      for (const ring of rings) ring.close();
      return undefined;
    }
    const reader = new PerfReader(rings);
    if (onEvents) reader.listen(onEvents);
    return reader;
  }

  /** From now on, what the kernel recorded (since the event was opened) goes to `onEvents`. */
  listen(onEvents: (events: KernelEvent[]) => void): void {
    const first = this.onEvents === undefined;
    this.onEvents = onEvents;
    if (first) this.wait();
  }

  /** Waits for the kernel's wake-up, reads, waits again; on any trouble with the wait, a timer instead. */
  private wait(): void {
    if (this.closed) return;
    try {
      waitReadable(
        this.rings.map((ring) => ring.fd),
        PERF_WAIT_MS,
        (error) => {
          if (this.closed) return;
          let read = 0;
          try {
            read = this.poll();
          } finally {
            if (error) this.everyFewMs();
            else if (read > 0) setTimeout(() => this.wait(), PERF_BATCH_MS);
            else this.wait();
          }
        },
      );
    } catch {
      this.everyFewMs();
    }
  }

  private everyFewMs(): void {
    if (this.closed || this.timer) return;
    this.timer = setInterval(() => this.poll(), PERF_POLL_MS);
    this.timer.unref();
  }

  /**
   * Reads every ring buffer now and hands over the process events that were new, in the order of
   * their times. Returns how many bytes of records it read (threads' records included).
   */
  poll(): number {
    if (this.closed || !this.onEvents) return 0;
    let events: KernelEvent[] = [];
    let bytes = 0;
    for (const ring of this.rings) {
      const length = ring.read(this.scratch);
      bytes += length;
      if (length > 0) events = events.concat(decodePerf(this.scratch.buffer, length));
    }
    if (events.length === 0) return bytes;
    // Each CPU's records are in order; between CPUs, by time (a fork is stamped before its child runs).
    if (this.rings.length > 1) events.sort((a, b) => a.t - b.t);
    this.onEvents(events);
    return bytes;
  }

  /** Closes the events (and with them every copy the processes below inherited). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const ring of this.rings) ring.close();
  }
}

/** Maps the event's metadata page and its ring buffer, smaller where the locked-memory limit says no. */
function mapRing(fd: number, page: number, pages: number): SharedMapping {
  for (let count = pages; ; count = Math.floor(count / 4)) {
    try {
      return mapShared(fd, page * (1 + Math.max(1, count)));
    } catch (error) {
      if (count <= 1) throw error;
    }
  }
}
