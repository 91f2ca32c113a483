// Lesson 10: pipes, the IPC channel, a queue and a FIFO, checked against what the kernel showed.
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';

const PACE = 0.3;

describe('lesson 10 ipc', () => {
  let run: LessonRun;
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

  test('the lesson ends cleanly, every child reaped by it', () => {
    expect(run.code).toBe(0);
    expect(run.timeline.leftovers()).toEqual([]);
    for (const title of ['helper', 'producer', 'consumer', 'fifo reader', 'fifo writer']) {
      const child = only(title);
      expect(child.firstParent).toBe(run.timeline.data.lessonPid);
      expect(child.record.reapedBy).toBe(run.timeline.data.lessonPid);
    }
  });

  test("a child's stdin and stdout are Unix sockets; a shell's | is a real pipe", () => {
    const fds = run.timeline.fact<{ stdin: string; stdout: string }>('pipe.fds')!;
    expect(fds.stdin).toMatch(/^socket:\[\d+\]$/);
    expect(fds.stdout).toMatch(/^socket:\[\d+\]$/);
    expect(fds.stdin).not.toBe(fds.stdout);
    expect(run.timeline.fact('pipe.shell')).toMatch(/^pipe:\[\d+\]$/);
    expect(run.timeline.fact('pipe.replies')).toEqual(['12 + 61 = 73', '69 + 48 = 117']);
  });

  test("the IPC channel is a socketpair: the child's end has the parent's end as its peer", () => {
    const pair = run.timeline.fact<{ childFd: number; childInode: number; parentFd: number; parentInode: number }>('channel.pair');
    expect(pair).toBeDefined();
    expect(pair!.childInode).not.toBe(pair!.parentInode);
    expect(pair!.childFd).toBeGreaterThan(2);
    expect(run.timeline.facts('channel.answer')).toEqual([
      { x: 3, y: 4, sum: 7 },
      { x: 20, y: 22, sum: 42 },
    ]);
  });

  test('an open channel kept the idle helper alive, sleeping, until disconnect()', () => {
    const helper = only('helper');
    const idle = factTime('channel.idle');
    const disconnect = factTime('channel.disconnect');
    expect(disconnect - idle).toBeGreaterThanOrEqual(1500 * PACE * 0.9);
    // Alive the whole time the channel was open and it had nothing to do … (It answered two
    // questions before, so it was there; a runner starved of CPU may sample it a moment late,
    // which the 80% below allows for.)
    expect(helper.record.firstSeen).toBeLessThan(disconnect);
    expect(helper.record.gone).toBeGreaterThan(disconnect);
    // Sleeping (S) for nearly all of it: not busy, just waiting on its channel.
    const asleep = helper
      .spansIn('S')
      .reduce((sum, span) => sum + Math.max(0, Math.min(span.to, disconnect) - Math.max(span.from, idle)), 0);
    expect(asleep).toBeGreaterThanOrEqual(0.8 * (disconnect - idle));
    // … and gone soon after the channel closed, by itself, with code 0.
    expect(helper.record.gone! - disconnect).toBeLessThan(3000);
    expect(helper.record.exit).toMatchObject({ code: 0, signal: null });
  });

  test('the queue hands the consumer exactly the produced sequence, in order', () => {
    const produced = run.timeline.fact<Array<[number, number]>>('queue.produced')!;
    const consumed = run.timeline.fact<Array<[number, number]>>('queue.consumed')!;
    expect(produced).toHaveLength(6);
    expect(consumed).toEqual(produced);
    expect(run.timeline.fact('queue.largest')).toBe(3);
    // The producer could not finish before the consumer made room: it was blocked in put().
    const producer = only('producer');
    const consumer = only('consumer');
    expect(producer.record.gone).toBeGreaterThan(consumer.record.firstSeen);
  });

  test('a FIFO: type p, the reader waits in open() for a writer, every line arrives, the file is removed', () => {
    expect(run.timeline.fact<string>('fifo.ls')!.startsWith('p')).toBe(true);
    expect(run.timeline.fact('fifo.isFIFO')).toBe(true);
    expect(run.timeline.fact('fifo.reader.wchan')).toBe('wait_for_partner');
    // The reader's open() returned only after the writer began to open.
    expect(factIndex('fifo.reader.opening')).toBeLessThan(factIndex('fifo.writer.opening'));
    expect(factIndex('fifo.writer.opening')).toBeLessThan(factIndex('fifo.reader.opened'));
    expect(factTime('fifo.reader.opened') - factTime('fifo.reader.opening')).toBeGreaterThanOrEqual(1500 * PACE * 0.9);
    expect(run.timeline.fact('fifo.received')).toEqual(run.timeline.fact('fifo.sent'));
    expect(run.timeline.fact<string[]>('fifo.sent')).toHaveLength(3);
    expect(run.timeline.fact('fifo.removed')).toBe(true);
  });
});

describe('lesson 10 ipc, interrupted', () => {
  // In the IPC channel, with the producer blocked in put(), and with the reader blocked in open().
  for (const point of ['── 2.', 'the producer now waits', 'wait_for_partner()']) {
    test(`Ctrl-C at "${point}" leaves nothing running and no FIFO`, async () => {
      const run = await runLesson('ipc', { pace: PACE, interruptAfter: point });
      expect(run.code).toBe(130);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(stillRunning(run.timeline)).toEqual([]);
      const fifo = run.timeline.fact<string>('fifo.path');
      if (point === 'wait_for_partner()') expect(fifo).toBeDefined();
      if (fifo) expect(existsSync(fifo)).toBe(false);
    });
  }
});
