// The proc connector's reader, with the socket scripted: netlink calls and reads replaced, so each
// way a read can end is tried (data, the 100 ms timeout, the kernel's buffer overflowing, a broken
// socket) and what the reader reports for it checked. A real subscription is in connector.test.ts.
import { closeSync, read } from 'node:fs';
import { beforeEach, expect, test, vi } from 'vitest';
import { ConnectorReader, connectorFilter, subscribeMessage, type KernelEvent } from '../../lib/proc/connector.js';
import { attachFilter, netlinkSend, openNetlink, receiveNow, setReceiveBuffer, setReceiveTimeout, wakeReader } from '../../lib/posix/netlink.js';

vi.mock('node:fs', async (original) => ({ ...(await original<typeof import('node:fs')>()), read: vi.fn(), closeSync: vi.fn() }));
vi.mock('../../lib/posix/netlink.js', () => ({
  attachFilter: vi.fn(),
  openNetlink: vi.fn(),
  netlinkSend: vi.fn(),
  receiveNow: vi.fn(),
  setReceiveBuffer: vi.fn(),
  setReceiveTimeout: vi.fn(),
  wakeReader: vi.fn(),
}));

const FD = 77;
const EXEC = 0x2;
type ReadCallback = (error: NodeJS.ErrnoException | null, length: number) => void;

/** One netlink message with one exec event of `pid` (as connector.test.ts lays them out). */
function execMessage(pid: number): Buffer {
  const buffer = Buffer.alloc(16 + 20 + 24);
  buffer.writeUInt32LE(buffer.length, 0);
  buffer.writeUInt16LE(24, 32);
  buffer.writeUInt32LE(EXEC, 36);
  buffer.writeBigUInt64LE(2_000_000n, 44);
  buffer.writeInt32LE(pid, 52);
  buffer.writeInt32LE(pid, 56);
  return buffer;
}

/** The reads under way: each waits until the test answers it. */
let pending: Array<{ buffer: Buffer; callback: ReadCallback }> = [];
/** What receiveNow answers next (a message, or a number: 0 for nothing queued, -errno). */
let queued: Array<Buffer | number> = [];

beforeEach(() => {
  vi.resetAllMocks();
  pending = [];
  queued = [];
  vi.mocked(openNetlink).mockReturnValue(FD);
  vi.mocked(read as unknown as (fd: number, buffer: Buffer, offset: number, length: number, position: null, callback: ReadCallback) => void).mockImplementation(
    (_fd, buffer, _offset, _length, _position, callback) => {
      pending.push({ buffer, callback });
    },
  );
  vi.mocked(receiveNow).mockImplementation((_fd, into) => {
    const next = queued.shift() ?? 0;
    if (typeof next === 'number') return next;
    next.copy(into);
    return next.length;
  });
});

function reader(): { batches: KernelEvent[][]; reader: ConnectorReader } {
  const batches: KernelEvent[][] = [];
  const opened = ConnectorReader.open((events) => batches.push(events));
  expect(opened).toBeDefined();
  return { batches, reader: opened! };
}

/** Answers the read under way with data or an error. */
function answer(result: Buffer | string): void {
  const read = pending.shift()!;
  expect(read, 'a read under way').toBeDefined();
  if (typeof result === 'string') read.callback(Object.assign(new Error(result), { code: result }), 0);
  else {
    result.copy(read.buffer);
    read.callback(null, result.length);
  }
}

const now = (): number => Number(process.hrtime.bigint()) / 1e6;

test('open: a netlink socket bound to the proc connector, an 8 MB buffer, a 100 ms timeout, the filter, the subscription sent; then a read', () => {
  reader();
  expect(openNetlink).toHaveBeenCalledWith(11, 1); // NETLINK_CONNECTOR, CN_IDX_PROC
  expect(setReceiveBuffer).toHaveBeenCalledWith(FD, 8 << 20);
  expect(setReceiveTimeout).toHaveBeenCalledWith(FD, 100);
  expect(attachFilter).toHaveBeenCalledWith(FD, connectorFilter());
  expect(netlinkSend).toHaveBeenCalledWith(FD, subscribeMessage(0));
  // The filter before the subscription: no report is queued unfiltered.
  expect(vi.mocked(attachFilter).mock.invocationCallOrder[0]!).toBeLessThan(vi.mocked(netlinkSend).mock.invocationCallOrder[0]!);
  expect(pending).toHaveLength(1);
  expect(vi.mocked(read).mock.calls[0]!.slice(0, 5)).toEqual([FD, expect.any(Buffer), 0, 1 << 16, null]);
});

test('open: undefined where the socket cannot be opened (not root), and nothing to close', () => {
  vi.mocked(openNetlink).mockImplementation(() => {
    throw new Error('EPERM');
  });
  expect(ConnectorReader.open(() => undefined)).toBeUndefined();
  expect(closeSync).not.toHaveBeenCalled();
  expect(read).not.toHaveBeenCalled();
});

test('open: undefined where the subscription fails, the socket closed', () => {
  vi.mocked(netlinkSend).mockImplementation(() => {
    throw new Error('ECONNREFUSED');
  });
  expect(ConnectorReader.open(() => undefined)).toBeUndefined();
  expect(closeSync).toHaveBeenCalledWith(FD);
  expect(read).not.toHaveBeenCalled();
});

test('a read: its events and whatever else is queued, in one batch, then the next read', () => {
  const { batches } = reader();
  queued = [execMessage(11), execMessage(12), 0];
  answer(execMessage(10));
  expect(batches).toEqual([[10, 11, 12].map((pid) => ({ kind: 'exec', t: 2, pid }))]);
  expect(pending).toHaveLength(1);
});

test('opened with no listener: the reports are kept, handed over at once by listen(), then each as it comes', () => {
  const opened = ConnectorReader.open()!;
  queued = [0];
  answer(execMessage(10));
  answer(execMessage(11));
  const batches: KernelEvent[][] = [];
  opened.listen((events) => batches.push(events));
  expect(batches).toEqual([[10, 11].map((pid) => ({ kind: 'exec', t: 2, pid }))]);
  answer(execMessage(12));
  expect(batches).toEqual([[10, 11].map((pid) => ({ kind: 'exec', t: 2, pid })), [{ kind: 'exec', t: 2, pid: 12 }]]);
  // Nothing kept, nothing handed over.
  const quiet = ConnectorReader.open()!;
  const none: KernelEvent[][] = [];
  quiet.listen((events) => none.push(events));
  expect(none).toEqual([]);
});

test('the timeout with nothing to read (EAGAIN) or a signal (EINTR): no batch, the next read', () => {
  const { batches } = reader();
  answer('EAGAIN');
  answer('EINTR');
  expect(batches).toEqual([]);
  expect(pending).toHaveLength(1);
  expect(closeSync).not.toHaveBeenCalled();
});

test('the kernel dropped events (ENOBUFS): reported lost, and reading goes on', () => {
  const { batches } = reader();
  const before = now();
  answer('ENOBUFS');
  expect(batches).toHaveLength(1);
  expect(batches[0]).toEqual([{ kind: 'lost', t: expect.any(Number) }]);
  expect(batches[0]![0]!.t).toBeGreaterThanOrEqual(before);
  expect(batches[0]![0]!.t).toBeLessThanOrEqual(now());
  expect(pending).toHaveLength(1);
});

test('a broken socket: closed, reported lost once, no more reads', () => {
  const { batches } = reader();
  const before = now();
  answer('EBADF');
  expect(closeSync).toHaveBeenCalledWith(FD);
  expect(batches).toHaveLength(1);
  expect(batches[0]).toEqual([{ kind: 'lost', t: expect.any(Number) }]);
  expect(batches[0]![0]!.t).toBeGreaterThanOrEqual(before);
  expect(batches[0]![0]!.t).toBeLessThanOrEqual(now());
  expect(pending).toHaveLength(0);
  expect(receiveNow).not.toHaveBeenCalled();
});

test('draining: events dropped while draining (-ENOBUFS) are reported lost; another error ends the draining', () => {
  const { batches } = reader();
  const before = now();
  queued = [execMessage(11), -105, execMessage(12), -11, execMessage(13)];
  answer(execMessage(10));
  expect(batches).toHaveLength(1);
  expect(batches[0]!.map((event) => (event.kind === 'exec' ? event.pid : event.kind))).toEqual([10, 11, 'lost', 12]);
  const lost = batches[0]![2]!;
  expect(lost.t).toBeGreaterThanOrEqual(before);
  expect(lost.t).toBeLessThanOrEqual(now());
  expect(queued).toEqual([execMessage(13)]); // not read: the drain stopped at the error
});

test('close: the read under way ends it, the socket is closed, nothing more is reported', () => {
  const { batches, reader: subscription } = reader();
  subscription.close();
  expect(wakeReader).toHaveBeenCalledWith(FD); // the read under way is woken, not waited out
  subscription.close();
  expect(wakeReader).toHaveBeenCalledTimes(1);
  expect(closeSync).not.toHaveBeenCalled(); // not while the read is under way
  queued = [execMessage(11)];
  answer(execMessage(10));
  expect(closeSync).toHaveBeenCalledWith(FD);
  expect(batches).toEqual([]);
  expect(pending).toHaveLength(0);
});
