// Lesson 10: pipes, the IPC channel, siblings on one pipe, a queue and a FIFO, checked against
// what the kernel showed.
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { claim } from '../support/claims.js';
import { expectSaidWhileShown } from '../support/pace.js';
import { kernelAgrees } from '../support/kernel.js';
import { PREDICT_PACE, runPredicting, type PredictRun } from '../support/predict.js';
import { ONE_SAMPLE, runLesson, stillRunning } from '../support/run-lesson.js';

const PACE = PREDICT_PACE;

describe('lesson 10 ipc', () => {
  // The lesson run as a student predicting would (--predict): its one question is answered, and
  // every claim below must hold in that run as in any other.
  let run: PredictRun;
  kernelAgrees('10', () => run?.timeline);
  const factTime = (name: string): number => run.timeline.data.facts.find((fact) => fact.name === name)!.t;
  const factIndex = (name: string): number => run.timeline.data.facts.findIndex((fact) => fact.name === name);
  const only = (title: string) => {
    const found = run.timeline.titled(title).filter((each) => each.title === title);
    expect(found, `one process titled "${title}"`).toHaveLength(1);
    return found[0]!;
  };

  beforeAll(async () => {
    run = await runPredicting('ipc', () => 'S');
  });

  const lessonPid = (): number => run.timeline.data.lessonPid;
  const lineAt = (text: string): number => {
    const line = run.timeline.data.output.find((each) => each.stream !== 'runner' && each.text.includes(text));
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

  const sibling = (which: 1 | 2) => {
    const history = only(`sibling ${which}`);
    const end = run.timeline.data.facts.find((each) => each.name === 'siblings.end' && (each.value as { sibling: number }).sibling === which);
    expect(end, `sibling ${which} said which end it holds`).toBeDefined();
    expect(end!.pid).toBe(history.pid);
    const heard = run.timeline.data.facts.find((each) => each.name === 'siblings.heard' && each.pid === history.pid);
    expect(heard, `sibling ${which} heard its sibling`).toBeDefined();
    return { history, end: end as { t: number; value: { socket: string } }, heard: heard as { t: number; value: { heard: string } } };
  };

  claim('siblings-pair', () => {
    const pair = run.timeline.fact<{ sockets: string[]; peer: string }>('siblings.pair')!;
    expect(pair.sockets).toHaveLength(2);
    for (const socket of pair.sockets) expect(socket).toMatch(/^socket:\[\d+\]$/);
    expect(pair.sockets[0]).not.toBe(pair.sockets[1]);
    expect(pair.peer).toBe(pair.sockets[1]); // ss -x: each other's peer
    const [one, two] = [sibling(1), sibling(2)];
    expect(one.end.value.socket).toBe(pair.sockets[0]);
    expect(two.end.value.socket).toBe(pair.sockets[1]);
    for (const { history } of [one, two]) expect(history.firstParent).toBe(lessonPid());
    // both in the table at the same time
    expect(Math.max(one.history.record.firstSeen, two.history.record.firstSeen)).toBeLessThan(Math.min(one.history.record.gone!, two.history.record.gone!));
    expect(run.timeline.fact('siblings.parentKeeps')).toEqual([]);
  });

  claim('siblings-talk', () => {
    const [one, two] = [sibling(1), sibling(2)];
    // sibling 1 waited in recv() from the moment it held its end until sibling 2 appeared
    mostlyAsleep('sibling 1', one.end.t, two.history.record.firstSeen);
    expect(one.heard.value.heard).toBe('肥水不流外人天');
    expect(one.heard.t).toBeGreaterThan(two.history.record.firstSeen);
    expect(two.heard.value.heard).toBe('跟你说句悄悄话');
    for (const { history } of [one, two]) {
      expect(history.record.exit).toMatchObject({ code: 0, signal: null });
      expect(history.record.reapedBy).toBe(lessonPid());
    }
  });

  claim('producer-waits', () => {
    const consumer = only('consumer');
    const full = lineAt('the queue holds 3 items');
    const putLines = run.timeline.data.output.filter((line) => /^producer \d+: put \[/.test(line.text));
    expect(putLines).toHaveLength(4);
    expect(putLines.filter((line) => line.t < consumer.record.firstSeen)).toHaveLength(3);
    expect(run.timeline.facts('queue.qsize').slice(0, 3)).toEqual([1, 2, 3]);
    // put(block=False) on the full queue: Full, said before the consumer came
    const nowait = run.timeline.data.facts.filter((each) => each.name === 'queue.nowait' && each.pid === only('producer').pid);
    expect(nowait.map((each) => each.value)).toEqual(['Full']);
    expect(nowait[0]!.t).toBeLessThan(consumer.record.firstSeen);
    // from the moment the parent saw the put waiting until the consumer appeared
    mostlyAsleep('producer', full, consumer.record.firstSeen);
  });

  claim('queue-in-order', () => {
    const produced = run.timeline.fact<Array<[number, number]>>('queue.produced')!;
    const consumed = run.timeline.fact<Array<[number, number]>>('queue.consumed')!;
    expect(produced).toHaveLength(4);
    expect(consumed).toEqual(produced);
    expect(run.timeline.fact('queue.largest')).toBe(3);
    expect(run.timeline.fact('queue.start')).toEqual({ qsize: 3, full: true, empty: false });
    const got = run.timeline.data.output.flatMap((line) => /^consumer \d+: (got .*)$/.exec(line.text)?.[1] ?? []);
    expect(got).toEqual(produced.map(([x, y]) => `got ${JSON.stringify([x, y])}: ${x} + ${y} = ${x + y}`));
  });

  claim('consumer-timeout', () => {
    const timeout = run.timeline.data.facts.find((each) => each.name === 'queue.timeout')!;
    const { error, waitedMs, timeoutMs } = timeout.value as { error: string; waitedMs: number; timeoutMs: number };
    expect(error).toBe('Empty');
    expect(timeoutMs).toBe(Math.round(2000 * PACE));
    expect(waitedMs).toBeGreaterThanOrEqual(timeoutMs); // measured by the consumer itself
    const consumer = only('consumer');
    expect(timeout.pid).toBe(consumer.pid);
    const lastSum = run.timeline.data.output.filter((line) => line.text.startsWith(`consumer ${consumer.pid}: got `)).at(-1)!;
    mostlyAsleep('consumer', lastSum.t, timeout.t);
    expect(consumer.record.gone!).toBeGreaterThan(timeout.t);
    expect(run.timeline.fact('queue.end')).toEqual({ empty: true, nowait: 'Empty' });
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

  claim('said-while-shown', () => {
    const timeline = run.timeline;
    // Each one waits, in the table, from its first sample until what it waits for comes.
    const helper = { from: only('helper').record.firstSeen, to: factTime('channel.disconnect') };
    expectSaidWhileShown(timeline, lineAt("It listens for 'message' on an open channel"), [helper], PACE, 'the helper kept alive by its channel');
    const alone = { from: only('sibling 1').record.firstSeen, to: only('sibling 2').record.firstSeen };
    expectSaidWhileShown(timeline, lineAt('sibling 1 took one end, and waits in recv()'), [alone], PACE, 'sibling 1 waiting');
    const blocked = { from: only('producer').record.firstSeen, to: only('consumer').record.firstSeen };
    expectSaidWhileShown(timeline, lineAt('the producer now waits inside put()'), [blocked], PACE, 'the producer waiting');
    const reading = { from: only('fifo reader').record.firstSeen, to: only('fifo writer').record.firstSeen };
    expectSaidWhileShown(timeline, lineAt('the reader opened the FIFO and sleeps in the kernel'), [reading], PACE, 'the FIFO reader waiting');
  });

  claim('ends-clean', () => {
    expect(run.code).toBe(0);
    expect(run.timeline.leftovers()).toEqual([]);
    for (const title of ['adder', 'helper', 'sibling 1', 'sibling 2', 'producer', 'consumer', 'fifo reader', 'fifo writer']) {
      const child = only(title);
      expect(child.firstParent).toBe(lessonPid());
      expect(child.record.reapedBy).toBe(lessonPid());
    }
  });

  test("predict: the producer's STAT while its put() waits, as the table showed it", () => {
    expect(run.code).toBe(0);
    expect(run.questions).toHaveLength(1);
    const [question] = run.questions;
    const producer = only('producer');
    expect(question!.pid).toBe(producer.pid);
    // read while the put waited: after the parent saw it wait, before the consumer came
    expect(question!.dueAt!).toBeGreaterThan(lineAt('the queue holds 3 items'));
    expect(question!.dueAt!).toBeLessThan(only('consumer').record.firstSeen);
    const slack = ONE_SAMPLE * run.timeline.data.sampleIntervalMs;
    const at = question!.revealedAt!;
    const seen = producer.record.spans.filter((each) => each.to >= at - slack && each.from <= at + slack).map((each) => each.stat[0]);
    expect(seen).toContain(question!.actual);
    expect(question!.right).toBe(question!.actual === 'S');
    expect(run.stdout).toContain(`Predictions: ${question!.right ? 1 : 0} of 1 right.`);
  });
});

// After the full run, not beside it: they start the same processes at the same moments, and
// beside two busy loops, with these beside it, the full run twice failed a claim about when the
// table showed what (a line said 0.8 ms short of its 537 ms; two processes the kernel reported
// never in the table). The other lessons' interrupted runs go after theirs for the same reason:
// lesson 16's server, with its own beside it, was read R in 3 of 10 samples where it waits in
// accept() (runnable, waiting for a CPU).
describe.concurrent('lesson 10 ipc, interrupted', () => {
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
