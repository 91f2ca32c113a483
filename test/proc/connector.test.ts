// The proc connector's messages, decoded from bytes laid out as the kernel sends them
// (linux/netlink.h, linux/connector.h, linux/cn_proc.h): which process forked, exec'd or exited,
// and with which wait status. Threads are not processes and are left out. As root, one real
// subscription too.
import { spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ConnectorReader, connectorFilter, decodeConnector, subscribeMessage, type KernelEvent } from '../../lib/proc/connector.js';
import { attachFilter, netlinkSend, openNetlink, receiveNow, setReceiveBuffer, setReceiveTimeout } from '../../lib/posix/netlink.js';
import { descriptorsOf } from '../../lib/proc/read.js';

const FORK = 0x1;
const EXEC = 0x2;
const UID = 0x4;
const SID = 0x80;
const EXIT = 0x80000000;

/** One netlink message holding one proc_event: nlmsghdr (16) + cn_msg (20) + what, cpu, timestamp_ns, fields. */
function message(what: number, fields: number[], options: { ns?: bigint; cut?: number } = {}): Buffer {
  const eventLength = 16 + 4 * fields.length;
  const length = 16 + 20 + eventLength - (options.cut ?? 0);
  const buffer = Buffer.alloc(length, 0xee);
  buffer.writeUInt32LE(length, 0); // nlmsg_len
  buffer.writeUInt16LE(3, 4); // NLMSG_DONE
  buffer.writeUInt16LE(0, 6);
  buffer.writeUInt32LE(0, 8);
  buffer.writeUInt32LE(0, 12);
  buffer.writeUInt32LE(1, 16); // cn_msg.id.idx = CN_IDX_PROC
  buffer.writeUInt32LE(1, 20); // cn_msg.id.val
  buffer.writeUInt32LE(0, 24);
  buffer.writeUInt32LE(0, 28);
  buffer.writeUInt16LE(eventLength, 32);
  buffer.writeUInt16LE(0, 34);
  const event = Buffer.alloc(eventLength);
  event.writeUInt32LE(what, 0);
  event.writeUInt32LE(1, 4); // cpu
  event.writeBigUInt64LE(options.ns ?? 1_500_000_000n, 8);
  fields.forEach((value, index) => event.writeInt32LE(value, 16 + 4 * index));
  event.copy(buffer, 36, 0, eventLength - (options.cut ?? 0));
  return buffer;
}

const decode = (...messages: Buffer[]): KernelEvent[] => {
  const all = Buffer.concat(messages);
  return decodeConnector(all, all.length);
};

describe('decodeConnector', () => {
  test('a fork: the parent process (its thread group) and the child, at the kernel time in ms', () => {
    // parent_pid is the forking thread (here not the leader), parent_tgid its process.
    expect(decode(message(FORK, [101, 100, 200, 200], { ns: 1_234_567_000_000n }))).toEqual([{ kind: 'fork', t: 1_234_567, parent: 100, child: 200 }]);
  });

  test('a new thread is no new process', () => {
    expect(decode(message(FORK, [100, 100, 201, 200]))).toEqual([]);
  });

  test('an exec: the process', () => {
    expect(decode(message(EXEC, [101, 100]))).toEqual([{ kind: 'exec', t: 1500, pid: 100 }]);
  });

  test('an exit of a process, with the wait status its parent will read (codes above 127, signals, core dumps)', () => {
    expect(decode(message(EXIT, [300, 300, 134 << 8, 17]))).toEqual([{ kind: 'exit', t: 1500, pid: 300, status: 134 << 8 }]);
    expect(decode(message(EXIT, [300, 300, 9, 17]))).toEqual([{ kind: 'exit', t: 1500, pid: 300, status: 9 }]);
    expect(decode(message(EXIT, [300, 300, 0x86, 17]))).toEqual([{ kind: 'exit', t: 1500, pid: 300, status: 0x86 }]);
  });

  test('the end of one thread is not the end of its process', () => {
    expect(decode(message(EXIT, [301, 300, 0, 0]))).toEqual([]);
  });

  test('a setsid: the process (its thread group), whichever of its threads called it', () => {
    expect(decode(message(SID, [101, 100]))).toEqual([{ kind: 'session', t: 1500, pid: 100 }]);
  });

  test('other events (uid, the subscription ack) are left out', () => {
    expect(decode(message(UID, [100, 100, 0, 0]), message(0, [0, 0]))).toEqual([]);
  });

  test('several messages in one read, each padded to 4 bytes', () => {
    const events = decode(message(FORK, [100, 100, 200, 200]), message(EXEC, [200, 200]), message(EXIT, [200, 200, 256, 17]));
    expect(events.map((event) => event.kind)).toEqual(['fork', 'exec', 'exit']);
    // A message of 61 bytes (an exec event and one byte more) takes 64: the next starts aligned.
    const odd = Buffer.alloc(64, 0xee);
    message(EXEC, [200, 200]).copy(odd);
    odd.writeUInt32LE(61, 0);
    expect(decode(odd, message(EXIT, [200, 200, 0, 0])).map((event) => event.kind)).toEqual(['exec', 'exit']);
  });

  test('only the bytes read count; a message past them, or shorter than its header, ends the decoding', () => {
    const two = Buffer.concat([message(EXEC, [100, 100]), message(EXEC, [200, 200])]);
    expect(decodeConnector(two, two.length - 1)).toEqual([{ kind: 'exec', t: 1500, pid: 100 }]);
    expect(decodeConnector(two, 60)).toEqual([{ kind: 'exec', t: 1500, pid: 100 }]);
    expect(decodeConnector(two, 15)).toEqual([]);
    const broken = message(EXEC, [100, 100]);
    broken.writeUInt32LE(15, 0);
    expect(decode(broken, message(EXEC, [200, 200]))).toEqual([]);
    // A message of its header alone is no event, and the next one is still read.
    const headerOnly = Buffer.alloc(16);
    headerOnly.writeUInt32LE(16, 0);
    expect(decode(headerOnly, message(EXEC, [200, 200]))).toEqual([{ kind: 'exec', t: 1500, pid: 200 }]);
    const tooLong = message(EXEC, [100, 100]);
    tooLong.writeUInt32LE(61, 0);
    expect(decode(tooLong)).toEqual([]);
  });

  test('an event cut short of its fields is left out; one exactly long enough is read', () => {
    expect(decode(message(FORK, [100, 100, 200, 200], { cut: 1 }))).toEqual([]);
    expect(decode(message(EXEC, [100, 100], { cut: 1 }))).toEqual([]);
    expect(decode(message(EXIT, [100, 100, 0, 0], { cut: 1 }))).toEqual([]);
    expect(decode(message(EXIT, [100, 100, 0, 0], { cut: 20 }))).toEqual([]); // not even a whole header
    expect(decode(message(EXIT, [100, 100, 0, 0]))).toHaveLength(1);
  });
});

test('subscribeMessage: the netlink and connector headers, then PROC_CN_MCAST_LISTEN (1) or IGNORE (2)', () => {
  const listen = subscribeMessage(4242);
  expect(listen.length).toBe(40);
  expect(listen.readUInt32LE(0)).toBe(40); // nlmsg_len
  expect(listen.readUInt16LE(4)).toBe(3); // NLMSG_DONE
  expect(listen.readUInt32LE(12)).toBe(4242); // nlmsg_pid
  expect(listen.readUInt32LE(16)).toBe(1); // CN_IDX_PROC
  expect(listen.readUInt32LE(20)).toBe(1); // CN_VAL_PROC
  expect(listen.readUInt16LE(32)).toBe(4); // cn_msg.len
  expect(listen.readUInt32LE(36)).toBe(1);
  expect(subscribeMessage(0, false).readUInt32LE(36)).toBe(2);
  expect(subscribeMessage(0).readUInt32LE(12)).toBe(0);
  // Nothing else is set.
  const rest = [...listen].filter((_, index) => ![0, 4, 12, 16, 20, 32, 36].some((at) => index >= at && index < at + 4));
  expect(rest.filter((byte, index) => byte !== 0 && index !== 0)).toEqual([]);
});

const isRoot = process.getuid?.() === 0;

test.skipIf(!isRoot)('as root: a subscription reports a child of this process forking, exec-ing and exiting 3', async () => {
  const events: KernelEvent[] = [];
  const batches: number[] = [];
  const reader = ConnectorReader.open((batch) => {
    batches.push(batch.length);
    events.push(...batch);
  });
  expect(reader).toBeDefined();
  expect(reader!.kind).toBe('connector');
  const fd = (reader as unknown as { fd: number }).fd;
  try {
    const child = spawn('sh', ['-c', 'exit 3'], { stdio: 'ignore' });
    const pid = child.pid!;
    const ended = (): boolean => events.some((event) => event.kind === 'exit' && event.pid === pid);
    for (const deadline = Date.now() + 5000; !ended() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 10));
    const mine = events.filter((event) => ('child' in event ? event.child === pid : 'pid' in event && event.pid === pid));
    expect(mine.map((event) => event.kind)).toEqual(['fork', 'exec', 'exit']);
    expect(mine[0]).toMatchObject({ parent: process.pid });
    expect(mine[2]).toMatchObject({ status: 3 << 8 });
    // On the monotonic clock, in order, and just now.
    const now = Number(process.hrtime.bigint()) / 1e6;
    expect(mine[0]!.t).toBeLessThanOrEqual(mine[2]!.t);
    expect(now - mine[0]!.t).toBeGreaterThanOrEqual(0);
    expect(now - mine[0]!.t).toBeLessThan(60_000);
    expect(events.every((event) => ['fork', 'exec', 'exit', 'lost'].includes(event.kind))).toBe(true);
    expect(batches.every((size) => size > 0)).toBe(true); // never an empty batch
    // The next read waits a minute for a report: closing must not wait for it (the reader wakes it).
    expect(setReceiveTimeout(fd, 60_000)).toBe(true);
    const heardBefore = events.length;
    const wake = spawn('sh', ['-c', 'exit 0'], { stdio: 'ignore' });
    for (const deadline = Date.now() + 5000; events.length === heardBefore && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events.length).toBeGreaterThan(heardBefore); // a read returned: the one under way now has the minute
    if (wake.exitCode === null) await new Promise((resolve) => wake.once('exit', resolve));
  } finally {
    reader!.close();
  }
  const isOpen = (): boolean => descriptorsOf('self').get(fd)?.startsWith('socket:') ?? false;
  for (const deadline = Date.now() + 5000; isOpen() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(isOpen()).toBe(false);
  // Closed: nothing more is reported.
  const heard = events.length;
  const after = spawn('sh', ['-c', 'exit 0'], { stdio: 'ignore' });
  await new Promise((resolve) => after.once('exit', resolve));
  await new Promise((resolve) => setImmediate(resolve));
  expect(events.length).toBe(heard);
});

test.skipIf(!isRoot)('as root: the kernel drops, before queueing them, exactly the reports the decoder leaves out (threads, other kinds)', async () => {
  // Two subscriptions side by side, one with the filter; a Node process (in a session of its own:
  // libuv's detached child calls setsid) starts threads and ends.
  const subscribe = (filtered: boolean): number => {
    const fd = openNetlink(11, 1); // NETLINK_CONNECTOR, CN_IDX_PROC
    setReceiveBuffer(fd, 8 << 20);
    if (filtered) expect(attachFilter(fd, connectorFilter())).toBe(true);
    netlinkSend(fd, subscribeMessage(0));
    return fd;
  };
  const plain = subscribe(false);
  const filtered = subscribe(true);
  const drain = (fd: number): Buffer[] => {
    const datagrams: Buffer[] = [];
    const buffer = Buffer.alloc(1 << 16);
    for (let length = receiveNow(fd, buffer); length > 0; length = receiveNow(fd, buffer)) datagrams.push(Buffer.from(buffer.subarray(0, length)));
    return datagrams;
  };
  try {
    const node = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 50)'], { stdio: 'ignore', detached: true });
    const pid = node.pid!;
    await new Promise((resolve) => node.once('exit', resolve));
    const ofNode = (datagrams: Buffer[]): KernelEvent[] => datagrams.flatMap((each) => decodeConnector(each, each.length)).filter((event) => ('child' in event ? event.child === pid : 'pid' in event && event.pid === pid));
    // The exit report is queued before the parent hears of the exit: both sockets hold it by now.
    const all = drain(plain);
    const kept = drain(filtered);
    // Unfiltered, Node's threads were reported (their forks: a child pid that is not its group's) …
    const threadsOfNode = all.filter((each) => each.readUInt32LE(36) === FORK && each.readInt32LE(64) === pid && each.readInt32LE(60) !== pid);
    expect(threadsOfNode.length).toBeGreaterThan(0);
    // … filtered, not one: every datagram kept is one the decoder reads as an event …
    expect(kept.filter((each) => decodeConnector(each, each.length).length !== 1)).toEqual([]);
    // … and the process's own reports are all there, as unfiltered.
    expect(ofNode(kept).map((event) => event.kind)).toEqual(['fork', 'session', 'exec', 'exit']);
    expect(ofNode(kept)).toEqual(ofNode(all));
    expect(all.length).toBeGreaterThan(kept.length);
  } finally {
    closeSync(plain);
    closeSync(filtered);
  }
});
