// Lesson 10: pipes, the IPC channel, a queue and a FIFO, checked against what the kernel showed.
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect } from 'vitest';
import { claim } from '../support/claims.js';
import { kernelAgrees } from '../support/kernel.js';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';

const PACE = 0.3;

describe('lesson 10 ipc', () => {
  let run: LessonRun;
  kernelAgrees('10', () => run?.timeline);
  const factTime = (name: string): number => run.timeline.data.facts.find((fact) => fact.name === name)!.t;
  const factIndex = (name: string): number => run.timeline.data.facts.findIndex((fact) => fact.name === name);
  const only = (title: string) => {
    const found = run.timeline.titled(title).filter((each) => each.title === title);
    expect(found, `one process titled "${title}"`).toHaveLength(1);
    return found[0]!;
  };

  beforeAll(async () => {
    run = await runLesson('ipc', { pace: PACE });
  });

  const lessonPid = (): number => run.timeline.data.lessonPid;
  const lineAt = (text: string): number => {
    const line = run.timeline.data.output.find((each) => each.text.includes(text));
    expect(line, `an output line with "${text}"`).toBeDefined();
    return line!.t;
  };
  /** Every sample taken in [from, to) showed the process asleep (and there was at least one). */
  const asleepThroughout = (title: string, from: number, to: number): void => {
    // (A runner starved of CPU may take no sample in the window: then the table showed nothing there.)
    const stats = run.timeline.statsBetween(only(title), from, to);
    expect(stats.filter((stat) => !stat.startsWith('S')), `"${title}" not asleep`).toEqual([]);
  };

  /** Asleep in at least three of every four samples taken in [from, to) (an idle Node process wakes for its own housekeeping). */
  const mostlyAsleep = (title: string, from: number, to: number): void => {
    const stats = run.timeline.statsBetween(only(title), from, to);
    const asleep = stats.filter((stat) => stat.startsWith('S')).length;
    expect(asleep * 4, `"${title}": ${stats.join(' ')}`).toBeGreaterThanOrEqual(stats.length * 3);
  };

  claim('adder-row', () => {
    expect(only('adder').firstParent).toBe(lessonPid());
  });

  claim('adder-pipes', () => {
    const fds = run.timeline.fact<{ stdin: string; stdout: string }>('pipe.fds')!;
    expect(fds.stdin).toMatch(/^socket:\[\d+\]$/);
    expect(fds.stdout).toMatch(/^socket:\[\d+\]$/);
    expect(fds.stdin).not.toBe(fds.stdout);
    expect(run.timeline.fact('pipe.shell')).toMatch(/^pipe:\[\d+\]$/);
  });

  claim('adder-eof', () => {
    expect(run.timeline.fact('pipe.replies')).toEqual(['12 + 61 = 73', '69 + 48 = 117']);
    const adder = only('adder');
    expect(adder.record.exit).toMatchObject({ code: 0, signal: null });
    expect(adder.record.reapedBy).toBe(lessonPid());
  });

  claim('helper-row', () => {
    expect(only('helper').firstParent).toBe(lessonPid());
    expect(run.timeline.facts('channel.answer')).toEqual([
      { x: 3, y: 4, sum: 7 },
      { x: 20, y: 22, sum: 42 },
    ]);
  });

  claim('channel-socketpair', () => {
    const pair = run.timeline.fact<{ childFd: number; childInode: number; parentFd: number; parentInode: number }>('channel.pair');
    expect(pair).toBeDefined();
    expect(pair!.childInode).not.toBe(pair!.parentInode);
    expect(pair!.childFd).toBeGreaterThan(2);
  });

  claim('helper-stays', () => {
    const helper = only('helper');
    const idle = factTime('channel.idle');
    const disconnect = factTime('channel.disconnect');
    expect(disconnect - idle).toBeGreaterThanOrEqual(1500 * PACE * 0.9);
    expect(helper.record.firstSeen).toBeLessThan(idle);
    expect(helper.record.gone).toBeGreaterThan(disconnect);
    mostlyAsleep('helper', idle, disconnect);
  });

  claim('helper-exits', () => {
    const helper = only('helper');
    expect(helper.record.exit).toMatchObject({ code: 0, signal: null });
    expect(helper.record.reapedBy).toBe(lessonPid());
    // the parent printed this once exited() resolved, i.e. after it had reaped the helper
    const said = lineAt('after disconnect() the helper exited (code 0)');
    expect(helper.record.gone).toBeGreaterThan(factTime('channel.disconnect'));
    expect(helper.record.gone!).toBeLessThanOrEqual(run.timeline.firstSampleAfter(said)!);
  });

  claim('producer-waits', () => {
    const consumer = only('consumer');
    const full = lineAt('the queue holds 3 items');
    const putLines = run.timeline.data.output.filter((line) => /^producer \d+: put /.test(line.text));
    expect(putLines).toHaveLength(6);
    expect(putLines.filter((line) => line.t < consumer.record.firstSeen)).toHaveLength(3);
    // from the moment the parent saw the queue full until the consumer appeared
    mostlyAsleep('producer', full, consumer.record.firstSeen);
  });

  claim('queue-in-order', () => {
    const produced = run.timeline.fact<Array<[number, number]>>('queue.produced')!;
    const consumed = run.timeline.fact<Array<[number, number]>>('queue.consumed')!;
    expect(produced).toHaveLength(6);
    expect(consumed).toEqual(produced);
    expect(run.timeline.fact('queue.largest')).toBe(3);
    const got = run.timeline.data.output.flatMap((line) => /^consumer \d+: (got .*)$/.exec(line.text)?.[1] ?? []);
    expect(got).toEqual(produced.map(([x, y]) => `got ${JSON.stringify([x, y])}: ${x} + ${y} = ${x + y}`));
  });

  claim('producer-first', () => {
    const producer = only('producer');
    const consumer = only('consumer');
    expect(producer.record.gone).toBeGreaterThan(consumer.record.firstSeen);
    expect(producer.record.exit).toMatchObject({ code: 0, signal: null });
    expect(consumer.record.exit).toMatchObject({ code: 0, signal: null });
    expect(producer.record.exit!.t).toBeLessThan(consumer.record.exit!.t);
    expect(producer.record.gone!).toBeLessThan(consumer.record.gone!);
    for (const child of [producer, consumer]) expect(child.record.reapedBy).toBe(lessonPid());
  });

  claim('fifo-type', () => {
    expect(run.timeline.fact<string>('fifo.ls')!.startsWith('p')).toBe(true);
    expect(run.timeline.fact('fifo.isFIFO')).toBe(true);
  });

  claim('fifo-reader-waits', () => {
    expect(run.timeline.fact('fifo.reader.wchan')).toBe('wait_for_partner');
    // The reader's open() returned only after the writer began to open.
    expect(factIndex('fifo.reader.opening')).toBeLessThan(factIndex('fifo.writer.opening'));
    expect(factIndex('fifo.writer.opening')).toBeLessThan(factIndex('fifo.reader.opened'));
    expect(factTime('fifo.reader.opened') - factTime('fifo.reader.opening')).toBeGreaterThanOrEqual(1500 * PACE * 0.9);
    asleepThroughout('fifo reader', factTime('fifo.reader.wchan'), factTime('fifo.writer.opening'));
  });

  claim('fifo-lines', () => {
    expect(run.timeline.fact('fifo.received')).toEqual(run.timeline.fact('fifo.sent'));
    expect(run.timeline.fact<string[]>('fifo.sent')).toHaveLength(3);
    expect(run.timeline.fact('fifo.removed')).toBe(true);
    for (const title of ['fifo reader', 'fifo writer']) {
      expect(only(title).record.exit).toMatchObject({ code: 0, signal: null });
      expect(only(title).record.reapedBy).toBe(lessonPid());
    }
  });

  claim('ends-clean', () => {
    expect(run.code).toBe(0);
    expect(run.timeline.leftovers()).toEqual([]);
    for (const title of ['adder', 'helper', 'producer', 'consumer', 'fifo reader', 'fifo writer']) {
      const child = only(title);
      expect(child.firstParent).toBe(lessonPid());
      expect(child.record.reapedBy).toBe(lessonPid());
    }
  });
});

describe('lesson 10 ipc, interrupted', () => {
  // In the IPC channel, with the producer blocked in put(), and with the reader blocked in open().
  for (const point of ['── 2.', 'the producer now waits', 'wait_for_partner()']) {
    claim('fifo-removed-on-interrupt', async () => {
      const run = await runLesson('ipc', { pace: PACE, interruptAfter: point });
      expect(run.code).toBe(130);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(stillRunning(run.timeline)).toEqual([]);
      const fifo = run.timeline.fact<string>('fifo.path');
      if (point === 'wait_for_partner()') expect(fifo).toBeDefined();
      if (fifo) expect(existsSync(fifo)).toBe(false);
    }, 40_000);
  }
});
