// The observer with the perf source (lib/proc/perf.ts) on a scripted process table and a clock the
// test moves: a perf reader handed to it is listened to and closed with it; its fork records admit
// processes as the connector's do, marked 'perf', while the samples still look for children (a
// process below a set-user-ID exec is out of the event's sight); its exit records carry no status,
// so none is invented: a followed process's exit is believed when the table shows its zombie or
// its end, and then dated by the record; a process gone before it could be read keeps the name
// its exec record gave it.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { Observer } from '../../lib/observe/observer.js';
import type { ProcessRecord } from '../../lib/observe/timeline.js';
import type { KernelEvent } from '../../lib/proc/connector.js';
import type { PerfReader } from '../../lib/proc/perf.js';
import { ScriptedSource, type Row } from './scripted.js';

const ROOT = 1000;
const RUNNER = 900;

const ours = (pid: number, ppid: number, fields: Partial<Row> = {}): Row => ({ pid, ppid, pgid: ROOT, sid: ROOT, startTicks: 60, ...fields });
const root = (): Row => ({ pid: ROOT, ppid: RUNNER, pgid: ROOT, sid: ROOT, startTicks: 50 });
const kinds = (record: ProcessRecord): string[] => record.events.map((event) => `${event.t} ${event.kind}${event.detail === undefined ? '' : ` ${event.detail}`}`);

interface Scene {
  observer: Observer;
  source: ScriptedSource;
  clock: { t: number };
  reader: { kind: 'perf'; listen: ReturnType<typeof vi.fn>; poll: ReturnType<typeof vi.fn>; close: ReturnType<typeof vi.fn> };
  /** The perf reader hands records over (times in run time). */
  records(...events: KernelEvent[]): void;
  at(t: number): boolean;
  of(pid: number): ProcessRecord;
  /** The monotonic stamp of run time t (what the records carry). */
  stamp(t: number): number;
}

const started: Observer[] = [];
afterEach(() => {
  for (const observer of started.splice(0)) observer.stop();
});

/** An observer given a scripted perf reader, started (its first sample at t = 0; the test samples by hand after). */
function scene(rows: Row[]): Scene {
  const source = new ScriptedSource().set(...rows);
  let deliver: ((events: KernelEvent[]) => void) | undefined;
  const reader = {
    kind: 'perf' as const,
    listen: vi.fn((onEvents: (events: KernelEvent[]) => void) => (deliver = onEvents)),
    poll: vi.fn(),
    close: vi.fn(),
  };
  const observer = new Observer({ rootPid: ROOT, runnerPid: RUNNER, intervalMs: 60_000, source, kernelReader: reader as unknown as PerfReader });
  const clock = { t: 0 };
  observer.now = () => clock.t;
  observer.start();
  started.push(observer);
  const clockStart = (observer as unknown as { clockStart: number }).clockStart;
  return {
    observer,
    source,
    clock,
    reader,
    records: (...events) => deliver!(events),
    at(t) {
      clock.t = t;
      return observer.sample();
    },
    of(pid) {
      const record = observer.record.latest(pid);
      if (!record) throw new Error(`no record of ${pid}`);
      return record;
    },
    stamp: (t) => clockStart + t,
  };
}

describe('a perf reader handed to the observer', () => {
  test('is listened to from start(), named in the timeline, read before each sample and once more at stop(), then closed', () => {
    const each = scene([root()]);
    expect(each.reader.listen).toHaveBeenCalledOnce();
    expect(each.observer.newProcessSource).toBe('perf');
    expect(each.observer.timeline.sources).toEqual(['perf', 'sampling']);
    expect(each.reader.poll).toHaveBeenCalledTimes(1); // the first sample's
    each.at(50);
    expect(each.reader.poll).toHaveBeenCalledTimes(2);
    each.observer.stop();
    expect(each.reader.poll).toHaveBeenCalledTimes(3); // not again in stop()'s own last sample: it is no longer running
    expect(each.reader.close).toHaveBeenCalled();
    expect(each.observer.newProcessSource).toBe('sampling');
  });

  test('one never started is closed all the same', () => {
    const reader = { kind: 'perf', listen: vi.fn(), poll: vi.fn(), close: vi.fn() };
    const observer = new Observer({ rootPid: ROOT, runnerPid: RUNNER, source: new ScriptedSource(), kernelReader: reader as unknown as PerfReader });
    observer.stop();
    expect(reader.listen).not.toHaveBeenCalled();
    expect(reader.poll).not.toHaveBeenCalled();
    expect(reader.close).toHaveBeenCalled();
  });
});

describe('fork records', () => {
  test("a fork below a followed process: the child read at once, at the record's time, seen by 'perf'", () => {
    const each = scene([root()]);
    each.source.set(ours(1001, ROOT));
    each.clock.t = 100;
    each.records({ kind: 'fork', t: each.stamp(40), parent: ROOT, child: 1001 });
    expect(each.of(1001)).toMatchObject({ firstSeen: 40, seenBy: 'perf', spans: [{ from: 40, stat: 'S', ppid: ROOT }] });
    // The runner's own forks (the event is the runner's, inherited) are none of its business.
    each.source.set({ pid: 2001, ppid: RUNNER, startTicks: 70 });
    each.records({ kind: 'fork', t: each.stamp(50), parent: RUNNER, child: 2001 });
    expect(each.observer.record.latest(2001)).toBeUndefined();
  });

  test('the samples still look for children: what a record never told of is found below its parent', () => {
    const each = scene([root()]);
    each.source.set(ours(1001, ROOT));
    each.source.calls.length = 0;
    expect(each.at(50)).toBe(true);
    expect(each.of(1001).seenBy).toBe('sample');
    expect(each.source.calls).toContain(`children ${ROOT}`);
  });

  test('a child gone before it could be read keeps the name its exec record gave it, and ends at its exit record, with no status', () => {
    const each = scene([root()]);
    each.clock.t = 100;
    each.records(
      { kind: 'fork', t: each.stamp(40), parent: ROOT, child: 1001 },
      { kind: 'exec', t: each.stamp(41), pid: 1001, comm: 'readlink' },
      { kind: 'exec', t: each.stamp(42), pid: 1001, comm: 'later' },
      { kind: 'exit', t: each.stamp(43), pid: 1001 },
    );
    const ghost = each.of(1001);
    expect(ghost).toMatchObject({ title: 'readlink', firstTitle: 'readlink', seenBy: 'perf', gone: 100, spans: [{ from: 40, to: 100, stat: '?' }] });
    expect(kinds(ghost)).toEqual([`40 new ${ROOT}`, '43 exited']);
    expect(ghost.exit).toBeUndefined();
    // Its exit read again (the ghost is gone): nothing more.
    each.records({ kind: 'exit', t: each.stamp(44), pid: 1001 });
    expect(kinds(ghost)).toEqual([`40 new ${ROOT}`, '43 exited']);
  });

  test('a process followed that ran an exec and ended (or is a zombie) before the exec record was read takes its name from the record', () => {
    const each = scene([root(), ours(1001, ROOT, { comm: 'sh', cmdline: 'sh -c readlink x | cat' }), ours(1002, ROOT, { comm: 'sh', cmdline: 'sh -c readlink x | cat' })]);
    each.clock.t = 30;
    each.source.remove(1001);
    each.source.set({ pid: 1002, comm: 'cat', state: 'Z', cmdline: '' });
    each.records({ kind: 'exec', t: each.stamp(21), pid: 1001, comm: 'readlink' }, { kind: 'exec', t: each.stamp(22), pid: 1002, comm: 'cat' });
    expect(each.of(1001).title).toBe('readlink');
    expect(kinds(each.of(1001))).toEqual([`0 new ${ROOT}`, '21 exec readlink']);
    expect(each.of(1002).title).toBe('cat');
    expect(kinds(each.of(1002))).toEqual([`0 new ${ROOT}`, '22 exec cat', '30 state Z', '30 zombie', '30 exited']);
    // A name it already has (the same comm, or the start of a longer title) is not taken again.
    each.records({ kind: 'exec', t: each.stamp(23), pid: 1001, comm: 'readlink' });
    expect(kinds(each.of(1001))).toEqual([`0 new ${ROOT}`, '21 exec readlink']);
  });

  test('an exec record of a process followed is read from the table, not taken from the record', () => {
    const each = scene([root(), ours(1001, ROOT, { comm: 'node' })]);
    each.clock.t = 30;
    each.source.set({ pid: 1001, comm: 'ls', cmdline: 'ls -l' });
    each.records({ kind: 'exec', t: each.stamp(25), pid: 1001, comm: 'ls' });
    expect(each.of(1001).title).toBe('ls -l');
  });
});

describe('exit records (no status)', () => {
  test('a followed process: not ended by the record alone; the zombie confirms it, dated by the record, with the zombie’s status', () => {
    const each = scene([root(), ours(1001, ROOT)]);
    each.clock.t = 60;
    each.records({ kind: 'exit', t: each.stamp(55), pid: 1001 });
    expect(kinds(each.of(1001))).toEqual([`0 new ${ROOT}`]);
    expect(each.of(1001).exit).toBeUndefined();
    expect((each.observer as unknown as { exiting: Map<number, number> }).exiting.has(1001)).toBe(true);
    each.source.set({ pid: 1001, state: 'Z', exitStatus: 3 << 8 });
    each.at(70);
    expect(kinds(each.of(1001))).toEqual([`0 new ${ROOT}`, '55 exited', '70 state Z', '70 zombie']);
    expect(each.of(1001).exit).toEqual({ t: 70, code: 3, signal: null, source: 'kernel' });
  });

  test('a sample reads the records waiting first: a process it finds gone already has its exit record, and its time', () => {
    const each = scene([root(), ours(1001, ROOT)]);
    each.source.remove(1001);
    each.reader.poll.mockImplementationOnce(() => each.records({ kind: 'exit', t: each.stamp(42), pid: 1001 }));
    each.at(50);
    expect(kinds(each.of(1001))).toEqual([`0 new ${ROOT}`, '42 exited', `50 reaped ${ROOT}`]);
  });

  test('…or its end, when a sample finds it gone (reaped between two samples): dated by the record, no status', () => {
    const each = scene([root(), ours(1001, ROOT)]);
    each.clock.t = 60;
    each.records({ kind: 'exit', t: each.stamp(55), pid: 1001 });
    each.source.remove(1001);
    each.at(80);
    expect(kinds(each.of(1001))).toEqual([`0 new ${ROOT}`, '55 exited', `80 reaped ${ROOT}`]);
    expect(each.of(1001).exit).toBeUndefined();
    // Its status may still come from elsewhere (its parent's report): the first one learnt.
    each.observer.recordExit(1001, { t: 56, code: 0, signal: null, source: 'parent' });
    expect(each.of(1001).exit).toEqual({ t: 56, code: 0, signal: null, source: 'parent' });
  });

  test('a process still alive after the record (a set-user-ID exec): not ended; its real end is the table’s', async () => {
    const each = scene([root(), ours(1001, ROOT)]);
    each.clock.t = 60;
    each.records({ kind: 'exit', t: each.stamp(55), pid: 1001 });
    // Watched closely for 300 ms of run time: the clock passes them, the process still sleeping.
    each.clock.t = 400;
    const exiting = (each.observer as unknown as { exiting: Map<number, number> }).exiting;
    for (const deadline = Date.now() + 5000; exiting.has(1001) && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(exiting.has(1001)).toBe(false);
    each.source.remove(1001);
    each.at(500);
    expect(kinds(each.of(1001))).toEqual([`0 new ${ROOT}`, '500 exited', `500 reaped ${ROOT}`]);
  });

  test('a record of a process not followed, or of one that already ended, changes nothing', () => {
    const each = scene([root(), ours(1001, ROOT)]);
    const notified: boolean[] = [];
    each.observer.onSample((changed) => notified.push(changed));
    each.records({ kind: 'exit', t: each.stamp(5), pid: 4242 });
    each.source.set({ pid: 1001, state: 'Z' });
    each.at(10);
    notified.length = 0;
    each.records({ kind: 'exit', t: each.stamp(5), pid: 1001 });
    expect(kinds(each.of(1001))).toEqual([`0 new ${ROOT}`, '10 state Z', '10 zombie', '10 exited']);
    expect(notified).toEqual([]);
  });
});
