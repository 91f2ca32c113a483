// The perf source's records, decoded from bytes laid out as the kernel writes them
// (include/uapi/linux/perf_event.h: PERF_RECORD_FORK, _EXIT, _COMM, _LOST, each ending with the
// time sample_id_all adds): which process forked, exec'd or exited; threads left out; no exit
// status. Then the reader, its system calls scripted: one event per CPU, its ring buffers read as
// the kernel fills them (wrapping at the end), merged by time, the tail given back; a wait in
// poll(2) after each read, or a timer where that wait cannot be made.
import { closeSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  decodePerf,
  PERF_POLL_MS,
  PERF_RECORD_COMM,
  PERF_RECORD_EXIT,
  PERF_RECORD_FORK,
  PERF_RECORD_LOST,
  PERF_RECORD_MISC_COMM_EXEC,
  PERF_BATCH_MS,
  PERF_WAIT_MS,
  PerfReader,
  taskEventAttr,
} from '../../lib/proc/perf.js';
import { kernelSource } from '../../lib/proc/platform.js';
import type { KernelEvent } from '../../lib/proc/connector.js';
import { cpuCount, pageSize, perfEventOpen, PerfError, waitReadable } from '../../lib/posix/perf.js';
import { mapShared, type SharedMapping } from '../../lib/posix/memory.js';

vi.mock('node:fs', async (original) => ({ ...(await original<typeof import('node:fs')>()), closeSync: vi.fn() }));
vi.mock('../../lib/posix/perf.js', async (original) => ({ ...(await original<typeof import('../../lib/posix/perf.js')>()), perfEventOpen: vi.fn(), cpuCount: vi.fn(), pageSize: vi.fn(), waitReadable: vi.fn() }));
vi.mock('../../lib/posix/memory.js', () => ({ mapShared: vi.fn() }));

/** A time in ns and the ms the decoder makes of it. */
const NS = 31_100_947_314_503n;
const MS = Number(NS) / 1e6;

/** A FORK or EXIT record: header, pid, ppid, tid, ptid, time, and sample_id's time. */
function task(type: number, pid: number, ppid: number, tid = pid, ptid = ppid, ns = NS): Buffer {
  const record = Buffer.alloc(40, 0xee);
  record.writeUInt32LE(type, 0);
  record.writeUInt16LE(0, 4);
  record.writeUInt16LE(40, 6);
  [pid, ppid, tid, ptid].forEach((value, index) => record.writeUInt32LE(value, 8 + 4 * index));
  record.writeBigUInt64LE(ns, 24);
  record.writeBigUInt64LE(ns + 5n, 32); // sample_id's time: the same moment, a little later
  return record;
}

/** A COMM record: header, pid, tid, the name NUL-padded to 8 bytes, sample_id's time. */
function comm(pid: number, tid: number, name: string, exec = true, ns = NS): Buffer {
  const nameBytes = Math.ceil((Buffer.byteLength(name) + 1) / 8) * 8;
  const record = Buffer.alloc(16 + nameBytes + 8);
  record.writeUInt32LE(PERF_RECORD_COMM, 0);
  record.writeUInt16LE(exec ? PERF_RECORD_MISC_COMM_EXEC : 0, 4);
  record.writeUInt16LE(record.length, 6);
  record.writeUInt32LE(pid, 8);
  record.writeUInt32LE(tid, 12);
  record.write(name, 16);
  record.writeBigUInt64LE(ns, 16 + nameBytes);
  return record;
}

function lost(count: bigint, ns = NS): Buffer {
  const record = Buffer.alloc(32);
  record.writeUInt32LE(PERF_RECORD_LOST, 0);
  record.writeUInt16LE(32, 6);
  record.writeBigUInt64LE(7n, 8); // the event's id
  record.writeBigUInt64LE(count, 16);
  record.writeBigUInt64LE(ns, 24);
  return record;
}

/** A record of a kind the reader does not ask for (PERF_RECORD_MMAP, 1) of `size` bytes. */
function other(size: number): Buffer {
  const record = Buffer.alloc(size, 0x07);
  record.writeUInt32LE(1, 0);
  record.writeUInt16LE(0, 4);
  record.writeUInt16LE(size, 6);
  return record;
}

const decode = (...records: Buffer[]): KernelEvent[] => {
  const all = Buffer.concat(records);
  return decodePerf(all, all.length);
};

describe('decodePerf', () => {
  test('a fork of a process: its pid, its parent (the forking process), the time in ms', () => {
    expect(decode(task(PERF_RECORD_FORK, 501, 500, 501, 500))).toEqual([{ kind: 'fork', t: MS, parent: 500, child: 501 }]);
  });

  test('the exit of a process: its pid and time, and no status (the record has none)', () => {
    const [exit] = decode(task(PERF_RECORD_EXIT, 501, 1, 501, 1));
    expect(exit).toEqual({ kind: 'exit', t: MS, pid: 501 });
    expect(exit).not.toHaveProperty('status');
  });

  test('threads are left out: a new thread (tid is not the pid), a thread that ends', () => {
    expect(decode(task(PERF_RECORD_FORK, 500, 500, 503, 500), task(PERF_RECORD_EXIT, 500, 400, 503, 400))).toEqual([]);
  });

  test("an exec's COMM record: the new name and the time sample_id_all put at the end", () => {
    expect(decode(comm(501, 501, 'readlink', true, NS + 1_000_000n))).toEqual([{ kind: 'exec', t: MS + 1, pid: 501, comm: 'readlink' }]);
    // A name of exactly 8 bytes takes 16 (its NUL needs room); one of 15, the most comm holds, 16.
    expect(decode(comm(501, 501, 'abcdefgh'), comm(502, 502, 'fifteen-letters'))).toEqual([
      { kind: 'exec', t: MS, pid: 501, comm: 'abcdefgh' },
      { kind: 'exec', t: MS, pid: 502, comm: 'fifteen-letters' },
    ]);
  });

  test('a COMM record that is no exec (a rename, prctl) or is a thread is left out', () => {
    expect(decode(comm(501, 501, 'renamed', false), comm(501, 502, 'worker'))).toEqual([]);
  });

  test('LOST (the ring buffer was full): a lost event at its time', () => {
    expect(decode(lost(12n))).toEqual([{ kind: 'lost', t: MS }]);
  });

  test('records of other kinds are stepped over by their size', () => {
    expect(decode(other(48), task(PERF_RECORD_FORK, 501, 500), other(8), task(PERF_RECORD_EXIT, 501, 500))).toEqual([
      { kind: 'fork', t: MS, parent: 500, child: 501 },
      { kind: 'exit', t: MS, pid: 501 },
    ]);
  });

  test('in order, several in one buffer', () => {
    const events = decode(task(PERF_RECORD_FORK, 501, 500, 501, 500, NS), comm(501, 501, 'sh', true, NS + 1n), task(PERF_RECORD_EXIT, 501, 500, 501, 500, NS + 2n));
    expect(events.map((each) => each.kind)).toEqual(['fork', 'exec', 'exit']);
  });

  test('a record too short for its kind is skipped, the next one still read', () => {
    const short = task(PERF_RECORD_FORK, 9, 9).subarray(0, 24);
    short.writeUInt16LE(24, 6);
    const shortComm = comm(9, 9, 'x').subarray(0, 24);
    shortComm.writeUInt16LE(24, 6);
    const shortLost = lost(1n).subarray(0, 24);
    shortLost.writeUInt16LE(24, 6);
    expect(decode(short, shortComm, shortLost, task(PERF_RECORD_FORK, 501, 500))).toEqual([{ kind: 'fork', t: MS, parent: 500, child: 501 }]);
  });

  test('a record cut off by the end of the bytes, or a size that cannot be a record, ends the reading', () => {
    const fork = task(PERF_RECORD_FORK, 501, 500);
    expect(decodePerf(Buffer.concat([fork, fork]), 40 + 39)).toEqual([{ kind: 'fork', t: MS, parent: 500, child: 501 }]);
    expect(decodePerf(Buffer.concat([fork, fork]), 40 + 7)).toHaveLength(1);
    const zero = Buffer.concat([other(8), fork]);
    zero.writeUInt16LE(0, 6); // size 0 would never move on
    expect(decode(zero)).toEqual([]);
    const seven = Buffer.concat([other(8), fork]);
    seven.writeUInt16LE(7, 6);
    expect(decode(seven)).toEqual([]);
  });

  test("a name without its NUL stops at the record's time", () => {
    const record = comm(501, 501, 'abcdefg'); // 7 letters, the NUL, then the time
    record.writeUInt8(0x41, 23); // the NUL made an A
    expect(decode(record)).toEqual([{ kind: 'exec', t: MS, pid: 501, comm: 'abcdefgA' }]);
  });
});

describe('taskEventAttr: the struct perf_event_attr', () => {
  test('a dummy software event, never sampling, with fork/exit and exec records, inherited, stamped on CLOCK_MONOTONIC, waking a reader at each record', () => {
    const attr = taskEventAttr();
    expect(attr.length).toBe(112); // PERF_ATTR_SIZE_VER5: up to clockid and aux_watermark
    expect(attr.readUInt32LE(0)).toBe(1); // PERF_TYPE_SOFTWARE
    expect(attr.readUInt32LE(4)).toBe(112); // size
    expect(attr.readBigUInt64LE(8)).toBe(9n); // PERF_COUNT_SW_DUMMY
    expect(attr.readBigUInt64LE(16)).toBe(0n); // sample_period
    expect(attr.readBigUInt64LE(24)).toBe(4n); // PERF_SAMPLE_TIME
    const flags = attr.readBigUInt64LE(40);
    const set = [...Array(64).keys()].filter((bit) => (flags >> BigInt(bit)) & 1n);
    // inherit, exclude_kernel, exclude_hv, comm, task, watermark, sample_id_all, comm_exec, use_clockid (not disabled)
    expect(set).toEqual([1, 5, 6, 9, 13, 14, 18, 24, 25]);
    expect(attr.readUInt32LE(48)).toBe(1); // wakeup_watermark: one byte
    expect(attr.readInt32LE(92)).toBe(1); // clockid: CLOCK_MONOTONIC
    const rest = Buffer.concat([attr.subarray(32, 40), attr.subarray(52, 92), attr.subarray(96)]);
    expect(rest.every((byte) => byte === 0)).toBe(true);
  });
});

describe('kernelSource: which of the kernel reports a run uses', () => {
  test('PROCBOOK_SOURCE asks for one; else the connector as root, perf on Linux, the samples alone elsewhere', () => {
    for (const asked of ['connector', 'perf', 'sampling'] as const) expect(kernelSource({ PROCBOOK_SOURCE: asked })).toBe(asked);
    const root = process.getuid?.() === 0;
    for (const env of [{}, { PROCBOOK_SOURCE: 'bpf' }]) expect(kernelSource(env)).toBe(root ? 'connector' : 'perf');
    expect(kernelSource({ PROCBOOK_PLATFORM: 'darwin' })).toBe(root ? 'connector' : 'sampling');
  });
});

describe('PerfReader, its system calls scripted', () => {
  const PAGE = 4096;
  const PAGES = 16;
  const DATA = PAGE * PAGES;
  let mappings: Array<SharedMapping & { unmap: ReturnType<typeof vi.fn> }>;
  /** The page size the scripted system has. */
  let page = PAGE;

  /** What mapShared gives: the metadata page as the kernel fills it (data_offset, data_size) and the ring after it. */
  function fakeMapping(_fd: number, bytes: number): SharedMapping {
    const buffer = new ArrayBuffer(bytes);
    const meta = new DataView(buffer);
    meta.setBigUint64(1040, BigInt(page), true);
    meta.setBigUint64(1048, BigInt(bytes - page), true);
    const mapping = { bytes, buffer, unmap: vi.fn() };
    mappings.push(mapping);
    return mapping;
  }

  /** The kernel writes records into one ring, wrapping at its end, and moves data_head. */
  function kernelWrites(mapping: SharedMapping, ...records: Buffer[]): void {
    const meta = new DataView(mapping.buffer);
    const size = mapping.bytes - page;
    const data = new Uint8Array(mapping.buffer, page, size);
    let head = Number(meta.getBigUint64(1024, true));
    for (const byte of Buffer.concat(records)) data[head++ % size] = byte;
    meta.setBigUint64(1024, BigInt(head), true);
  }
  const tailOf = (mapping: SharedMapping): number => Number(new DataView(mapping.buffer).getBigUint64(1032, true));

  beforeEach(() => {
    vi.resetAllMocks();
    mappings = [];
    page = PAGE;
    vi.mocked(pageSize).mockImplementation(() => page);
    vi.mocked(cpuCount).mockReturnValue(2);
    vi.mocked(perfEventOpen).mockImplementation((_attr, _pid, cpu) => 70 + cpu);
    vi.mocked(mapShared).mockImplementation(fakeMapping);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function opened(): { reader: PerfReader; batches: KernelEvent[][] } {
    const reader = PerfReader.open();
    expect(reader).toBeDefined();
    const batches: KernelEvent[][] = [];
    reader!.listen((events) => batches.push(events));
    return { reader: reader!, batches };
  }

  test('open: the event on this thread (pid 0) once per CPU, each with its metadata page and 64 KiB of ring', () => {
    const { reader } = opened();
    expect(vi.mocked(perfEventOpen).mock.calls.map(([attr, pid, cpu]) => [attr.equals(taskEventAttr()), pid, cpu])).toEqual([
      [true, 0, 0],
      [true, 0, 1],
    ]);
    expect(vi.mocked(mapShared).mock.calls).toEqual([
      [70, PAGE * (1 + PAGES)],
      [71, PAGE * (1 + PAGES)],
    ]);
    expect(reader.kind).toBe('perf');
    reader.close();
  });

  test('a CPU that is offline (ENODEV) is skipped; no CPU at all gives no reader', () => {
    vi.mocked(perfEventOpen).mockImplementation((_attr, _pid, cpu) => {
      if (cpu === 0) throw new PerfError(19);
      return 71;
    });
    const reader = PerfReader.open()!;
    expect(mappings).toHaveLength(1);
    reader.close();
    vi.mocked(perfEventOpen).mockImplementation(() => {
      throw new PerfError(19);
    });
    expect(PerfReader.open()).toBeUndefined();
  });

  test('not allowed (EACCES on the second CPU): no reader, and the first event is unmapped and closed', () => {
    vi.mocked(perfEventOpen).mockImplementation((_attr, _pid, cpu) => {
      if (cpu === 1) throw new PerfError(13);
      return 70;
    });
    expect(PerfReader.open()).toBeUndefined();
    expect(mappings[0]!.unmap).toHaveBeenCalledOnce();
    expect(closeSync).toHaveBeenCalledWith(70);
  });

  test('no koffi, not this architecture: no reader', () => {
    vi.mocked(perfEventOpen).mockImplementation(() => {
      throw new Error('perf_event_open is not available');
    });
    expect(PerfReader.open()).toBeUndefined();
  });

  test('a ring the locked-memory limit refuses is asked for smaller (16, 4, then 1 page); refused at 1, the event is closed', () => {
    vi.mocked(mapShared).mockImplementation((fd, bytes) => {
      if (bytes > PAGE * 5) throw new Error('mmap failed: EPERM');
      return fakeMapping(fd, bytes);
    });
    const reader = PerfReader.open()!;
    expect(vi.mocked(mapShared).mock.calls.map(([, bytes]) => bytes / PAGE)).toEqual([17, 5, 17, 5]);
    reader.close();
    vi.mocked(mapShared).mockImplementation(() => {
      throw new Error('mmap failed: EPERM');
    });
    vi.mocked(closeSync).mockClear();
    expect(PerfReader.open()).toBeUndefined();
    expect(vi.mocked(mapShared).mock.calls.slice(4).map(([, bytes]) => bytes / PAGE)).toEqual([17, 5, 2]);
    expect(closeSync).toHaveBeenCalledWith(70);
  });

  test('records written before anyone listened wait in the ring, and come at the first read after', () => {
    const reader = PerfReader.open()!;
    kernelWrites(mappings[0]!, task(PERF_RECORD_FORK, 501, 500));
    reader.poll(); // nobody listens yet: nothing read
    expect(tailOf(mappings[0]!)).toBe(0);
    const batches: KernelEvent[][] = [];
    reader.listen((events) => batches.push(events));
    reader.poll();
    expect(batches).toEqual([[{ kind: 'fork', t: MS, parent: 500, child: 501 }]]);
    expect(tailOf(mappings[0]!)).toBe(40);
    reader.close();
  });

  test('both CPUs read at once, merged by time; each tail given back up to its head; nothing new, no call', () => {
    const { reader, batches } = opened();
    kernelWrites(mappings[0]!, task(PERF_RECORD_FORK, 501, 500, 501, 500, NS), task(PERF_RECORD_EXIT, 501, 500, 501, 500, NS + 3_000_000n));
    kernelWrites(mappings[1]!, comm(501, 501, 'readlink', true, NS + 1_000_000n));
    reader.poll();
    expect(batches).toEqual([
      [
        { kind: 'fork', t: MS, parent: 500, child: 501 },
        { kind: 'exec', t: MS + 1, pid: 501, comm: 'readlink' },
        { kind: 'exit', t: MS + 3, pid: 501 },
      ],
    ]);
    expect(mappings.map(tailOf)).toEqual([80, 40]); // a COMM of 8 letters: 16 for the name and its NUL
    reader.poll();
    expect(batches).toHaveLength(1);
    reader.close();
  });

  test('a record that wraps round the end of the ring is read whole, and the reading goes on past it', () => {
    const { reader, batches } = opened();
    const ring = mappings[0]!;
    // Fill up to 16 bytes before the end and read it, so the next record starts there.
    const filler = Array.from({ length: (DATA - 16) / 8 }, () => other(8));
    kernelWrites(ring, ...filler);
    reader.poll();
    expect(tailOf(ring)).toBe(DATA - 16);
    kernelWrites(ring, task(PERF_RECORD_FORK, 601, 600), task(PERF_RECORD_EXIT, 601, 600));
    reader.poll();
    expect(batches).toEqual([
      [
        { kind: 'fork', t: MS, parent: 600, child: 601 },
        { kind: 'exit', t: MS, pid: 601 },
      ],
    ]);
    expect(tailOf(ring)).toBe(DATA + 64);
    reader.close();
  });

  test('a ring larger than 64 KiB (one page of 128 KiB) read full at once is read whole', () => {
    vi.mocked(cpuCount).mockReturnValue(1);
    page = 128 * 1024;
    const { reader, batches } = opened();
    expect(mappings[0]!.bytes).toBe(2 * page);
    const records = Array.from({ length: Math.floor(page / 40) }, (_, index) => task(PERF_RECORD_FORK, 1000 + index, 500));
    kernelWrites(mappings[0]!, ...records);
    reader.poll();
    expect(batches[0]).toHaveLength(records.length);
    reader.close();
  });

  test(`once listened to, it waits in poll(2) on every CPU's event (${PERF_WAIT_MS} ms at most), reads when woken, and waits again (${PERF_BATCH_MS} ms later after records)`, () => {
    vi.useFakeTimers();
    const waits: Array<(error: Error | null) => void> = [];
    vi.mocked(waitReadable).mockImplementation((_fds, _ms, done) => waits.push(done));
    const { reader, batches } = opened();
    expect(vi.mocked(waitReadable).mock.calls.map(([fds, ms]) => [fds, ms])).toEqual([[[70, 71], PERF_WAIT_MS]]);
    reader.listen((events) => batches.push(events)); // a new listener: no second wait
    expect(waits).toHaveLength(1);
    kernelWrites(mappings[1]!, task(PERF_RECORD_FORK, 501, 500));
    waits.shift()!(null);
    expect(batches).toEqual([[{ kind: 'fork', t: MS, parent: 500, child: 501 }]]);
    // Records came: the next wait a little later, so that a storm of them is read in batches.
    expect(waits).toHaveLength(0);
    vi.advanceTimersByTime(PERF_BATCH_MS - 1);
    expect(waits).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(waits).toHaveLength(1);
    // Only a thread's records (nothing handed over): still a batch pause.
    kernelWrites(mappings[0]!, task(PERF_RECORD_FORK, 500, 500, 503, 500));
    waits.shift()!(null);
    expect(batches).toHaveLength(1);
    expect(waits).toHaveLength(0);
    vi.advanceTimersByTime(PERF_BATCH_MS);
    // Woken with nothing new (the time was up): nothing handed over, and it waits again at once.
    waits.shift()!(null);
    expect(batches).toHaveLength(1);
    expect(waits).toHaveLength(1);
    // Closed while a wait is under way: its end reads nothing (the memory is gone) and waits no more.
    reader.close();
    waits.shift()!(null);
    expect(waits).toHaveLength(0);
    expect(batches).toHaveLength(1);
  });

  test(`where the wait cannot be made (or fails) it reads every ${PERF_POLL_MS} ms instead`, () => {
    vi.useFakeTimers();
    vi.mocked(waitReadable).mockImplementation(() => {
      throw new Error('poll is not available');
    });
    const { reader, batches } = opened();
    kernelWrites(mappings[1]!, task(PERF_RECORD_FORK, 501, 500));
    vi.advanceTimersByTime(PERF_POLL_MS - 1);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(batches).toHaveLength(1);
    reader.close();
    // A wait that ends in an error: read once, then the timer.
    const waits: Array<(error: Error | null) => void> = [];
    vi.mocked(waitReadable).mockImplementation((_fds, _ms, done) => waits.push(done));
    const second = opened();
    kernelWrites(mappings.at(-1)!, task(PERF_RECORD_FORK, 601, 600));
    waits.shift()!(new Error('EINTR'));
    expect(second.batches).toHaveLength(1);
    expect(waits).toHaveLength(0);
    kernelWrites(mappings.at(-1)!, task(PERF_RECORD_FORK, 602, 600));
    vi.advanceTimersByTime(PERF_POLL_MS);
    expect(second.batches).toHaveLength(2);
    second.reader.close();
  });

  test('close: every ring unmapped and every event closed, once; no read after it (the memory is gone)', () => {
    vi.useFakeTimers();
    const { reader, batches } = opened();
    reader.close();
    reader.close();
    expect(mappings.map((mapping) => mapping.unmap.mock.calls.length)).toEqual([1, 1]);
    expect(vi.mocked(closeSync).mock.calls).toEqual([[70], [71]]);
    kernelWrites(mappings[0]!, task(PERF_RECORD_FORK, 501, 500));
    reader.poll();
    vi.advanceTimersByTime(PERF_POLL_MS * 3);
    reader.listen(() => batches.push([]));
    vi.advanceTimersByTime(PERF_POLL_MS * 3);
    expect(batches).toEqual([]);
  });
});
