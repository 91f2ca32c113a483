// Lesson 16: a TCP server with a process per connection, as the kernel showed it.
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { claim } from '../support/claims.js';
import type { ProcessHistory } from '../../lib/observe/timeline.js';
import { projectRoot, runLesson, stillRunning } from '../support/run-lesson.js';
import { PREDICT_PACE, runPredicting, type PredictRun } from '../support/predict.js';
import { aliveStretch, expectSaidWhileShown, lineAt } from '../support/pace.js';
import { runAlone } from '../support/alone.js';

const compiledLesson = join(projectRoot, 'dist', 'lessons', '16-tcp-server', 'lesson.mjs');

describe('lesson 16 tcp-server', () => {
  // Run as a student predicting would (--predict): its one question is answered (wrongly, on
  // purpose), and every claim below must hold in that run as in any other.
  let run: PredictRun;
  let serverPid: number;
  const proc = (pid: number | undefined): ProcessHistory => {
    const found = pid === undefined ? undefined : run.timeline.process(pid);
    if (!found) throw new Error(`the kernel never showed pid ${pid}`);
    return found;
  };
  /** The worker the server started for a client port (the server recorded it as it forked). */
  const workerFor = (client: number): number => {
    const found = run.timeline.facts<{ pid: number; client: number }>('worker').find((each) => each.client === client);
    if (!found) throw new Error(`the server started no worker for client :${client}`);
    return found.pid;
  };
  beforeAll(async () => {
    run = await runPredicting('tcp-server', () => 'zombie');
    serverPid = run.timeline.fact<{ pid: number; port: number }>('server')!.pid;
  });

  const lessonPid = (): number => run.timeline.data.lessonPid;
  const at = (checkpoint: string): number => {
    const found = run.timeline.checkpoint(checkpoint);
    if (!found) throw new Error(`no checkpoint "${checkpoint}"`);
    return found.t;
  };
  const factAt = (name: string): number => run.timeline.data.facts.find((each) => each.name === name)!.t;
  const nextSample = (t: number): number => {
    const found = run.timeline.firstSampleAfter(t);
    expect(found, `a sample after ${t} ms`).toBeDefined();
    return found!;
  };
  /** Asleep in at least three of every four samples taken in [from, to) (an idle Node process wakes for its own housekeeping). */
  const mostlyAsleep = (history: ProcessHistory, from: number, to: number): void => {
    // (A runner starved of CPU may take no sample in the window: then the table showed nothing there.)
    const stats = run.timeline.statsBetween(history, from, to);
    const asleep = stats.filter((stat) => stat.startsWith('S')).length;
    expect(asleep * 4, `${history.title}: ${stats.join(' ')}`).toBeGreaterThanOrEqual(stats.length * 3);
  };
  const three = () => run.timeline.fact<Array<{ client: number; worker: number }>>('three')!;

  claim('server-asleep', () => {
    expect(run.timeline.fact<{ port: number }>('server')!.port).toBeGreaterThan(0);
    const server = proc(serverPid);
    expect(server.title).toBe('server');
    expect(server.firstParent).toBe(lessonPid());
    expect(run.timeline.lesson!.title).toBe('clients');
    mostlyAsleep(server, factAt('server'), at('Three clients, three worker processes'));
  });

  claim('three-workers', () => {
    expect(three()).toHaveLength(3);
    expect(new Set(three().map((each) => each.worker)).size).toBe(3);
    const workers = three().map(({ client, worker }) => {
      expect(worker).toBe(workerFor(client));
      const history = proc(worker);
      expect(history.firstParent).toBe(serverPid);
      expect(history.title).toBe(`worker for :${client}`);
      return history;
    });
    const allUp = Math.max(...workers.map((each) => each.record.firstSeen));
    const firstGone = Math.min(...workers.map((each) => each.record.gone ?? Infinity));
    expect(allUp).toBeLessThan(firstGone);
  });

  claim('three-asleep', () => {
    // from when the lesson had all three answers until it began to hang up
    for (const { worker } of three()) mostlyAsleep(proc(worker), factAt('three'), at('Each worker ends with its client'));
  });

  claim('worker-memory', () => {
    const rssKb = run.timeline.fact<number>('worker.rssKb')!;
    expect(rssKb / 1024).toBeGreaterThanOrEqual(10);
    expect(rssKb / 1024).toBeLessThan(100);
    expect(run.stdout).toContain(`the first one holds ${(rssKb / 1024).toFixed(0)} MB of memory.`);
  });

  claim('said-while-shown', () => {
    // The three workers together: from the moment all three are in the table until the first goes.
    const workers = three().map(({ worker }) => aliveStretch(proc(worker)));
    const together = { from: Math.max(...workers.map((each) => each.from)), to: Math.min(...workers.map((each) => each.to)) };
    expectSaidWhileShown(run.timeline, lineAt(run.timeline, 'The table: under the server, one worker per client'), [together], PREDICT_PACE, 'three workers');
  });

  claim('ends-with-client', () => {
    const closes = run.timeline.data.facts.filter((each) => each.name === 'client.closed');
    expect(closes).toHaveLength(3);
    const said = run.timeline.data.output.filter((line) => /client :\d+ hung up: its worker \d+ exited, and the server reaped it\./.test(line.text));
    expect(said).toHaveLength(3);
    closes.forEach((close, index) => {
      const worker = proc(workerFor(close.value as number));
      expect(worker.record.exit).toMatchObject({ code: 0, signal: null });
      expect(worker.record.reapedBy).toBe(serverPid);
      // gone by the first sample after the lesson heard the server reaped it …
      expect(said[index]!.text).toContain(`client :${close.value as number} hung up: its worker ${worker.pid} exited`);
      expect(worker.record.gone!).toBeLessThanOrEqual(nextSample(said[index]!.t));
      // … while the workers of the clients still connected were still there
      for (const later of closes.slice(index + 1)) expect(proc(workerFor(later.value as number)).record.gone!).toBeGreaterThan(said[index]!.t);
    });
  });

  const twenty = (): number[] => run.timeline.fact<{ clients: number[] }>('many')!.clients.map(workerFor);

  claim('twenty-workers', () => {
    const many = run.timeline.fact<{ clients: number[]; replies: string[] }>('many')!;
    expect(many.clients).toHaveLength(20);
    for (const reply of many.replies) expect(reply).toMatch(/^CLIENT \d+ SAYS HELLO$/);
    const pids = twenty();
    expect(new Set(pids).size).toBe(20);
    // Every one is in the table: the server's forkSelf reports each new pid to the runner, which
    // samples at once, while the worker is still starting Node (it cannot end before it has
    // started, taken its connection and answered).
    expect(pids.filter((pid) => run.timeline.process(pid) === undefined)).toEqual([]);
    for (const pid of pids) {
      const worker = proc(pid);
      expect(worker.title).toMatch(/^worker for :\d+$/);
      expect(worker.firstParent).toBe(serverPid);
      expect(worker.record.exit).toMatchObject({ code: 0, signal: null });
    }
    // the server never had more children than the workers it was asked for
    const served = new Set(run.timeline.facts<{ pid: number }>('worker').map((each) => each.pid));
    expect(served.size).toBe(3 + 20 + 1); // step 2, step 4, and the one killed in step 6
    expect(proc(serverPid).children().filter((each) => !served.has(each.pid))).toEqual([]);
  });

  claim('twenty-reaped', () => {
    const allReaped = run.timeline.data.output.find((line) => line.text.includes('all 20 workers exited and were reaped by the server.'));
    expect(allReaped).toBeDefined();
    for (const pid of twenty()) {
      const worker = proc(pid);
      expect(worker.record.reapedBy, JSON.stringify(run.timeline.data.processes.filter((each) => each.pid === pid))).toBe(serverPid);
      // the server's 'exit' event comes from its libuv's waitpid: the row goes at the next sample
      const reaped = run.timeline.data.facts.find((each) => each.name === 'reaped' && (each.value as { pid: number }).pid === pid);
      expect(reaped, `the server reaped ${pid}`).toBeDefined();
      expect(worker.record.gone!).toBeLessThanOrEqual(nextSample(reaped!.t));
      expect(worker.record.gone!).toBeLessThanOrEqual(nextSample(allReaped!.t));
    }
  });

  claim('prefork', () => {
    const prefork = run.timeline.fact<{ pid: number; workers: number[]; clients: number[] }>('prefork')!;
    expect(proc(prefork.pid).title).toBe('pre-fork server');
    expect(prefork.workers).toHaveLength(2);
    // both workers were there before the first client came
    const firstConnection = run.timeline.data.facts.find((each) => each.name === 'prefork.conn')!.t;
    for (const pid of prefork.workers) expect(proc(pid).record.firstSeen).toBeLessThan(firstConnection);
    const conns = run.timeline.facts<{ pid: number; client: number }>('prefork.conn');
    expect(conns.map((each) => each.client).sort()).toEqual([...prefork.clients].sort());
    expect(prefork.clients).toHaveLength(20);
    for (const { pid } of conns) expect(prefork.workers).toContain(pid);
    // no process per connection there: the pre-fork server's only children are its 2 workers
    expect(proc(prefork.pid).children().map((each) => each.pid).sort()).toEqual([...prefork.workers].sort());
    for (const pid of prefork.workers) expect(proc(pid).record.reapedBy).toBe(prefork.pid);
  });

  claim('prefork-faster', () => {
    const cost = run.timeline.fact<{ perProcessMs: number; preforkMs: number; ratio: number }>('cost')!;
    expect(cost.perProcessMs).toBeGreaterThan(0);
    expect(cost.preforkMs).toBeGreaterThan(0);
    expect(cost.perProcessMs / cost.preforkMs).toBeGreaterThan(1);
    expect(run.stdout).toContain(`a process per connection cost ${cost.ratio.toFixed(0)}× the time of a pre-forked worker.`);
  });

  claim('time-wait', () => {
    const { port } = run.timeline.fact<{ port: number }>('server')!;
    const seen = run.timeline.data.facts.find((each) => each.name === 'time-wait')!;
    const { client, worker, sockets } = seen.value as { port: number; client: number; worker: number; sockets: Array<{ local: string; peer: string }> };
    expect(seen.pid).toBe(lessonPid());
    expect((seen.value as { port: number }).port).toBe(port);
    expect(sockets).toEqual([{ local: `127.0.0.1:${port}`, peer: `127.0.0.1:${client}` }]);
    // the worker that held that connection: killed by SIGINT, reaped by the server, gone when ss spoke
    expect(worker).toBe(workerFor(client));
    const history = proc(worker);
    expect(history.title).toBe(`worker for :${client}`);
    expect(history.firstParent).toBe(serverPid);
    expect(history.record.exit).toMatchObject({ code: null, signal: 'SIGINT' });
    expect(history.record.reapedBy, JSON.stringify(run.timeline.data.processes.filter((each) => each.pid === worker))).toBe(serverPid);
    expect(history.record.gone!).toBeLessThanOrEqual(nextSample(seen.t));
    expect(run.stdout).toContain(`TIME-WAIT  127.0.0.1:${port}  127.0.0.1:${client}`);
  });

  claim('reuseaddr', () => {
    const { port } = run.timeline.fact<{ port: number }>('server')!;
    const restart = run.timeline.data.facts.find((each) => each.name === 'restart')!;
    expect(restart.value).toEqual({ plain: 'EADDRINUSE', reuse: 'bound', node: true });
    const restarted = proc(restart.pid);
    expect(restarted.title).toBe('restarted server');
    expect(restarted.firstParent).toBe(lessonPid());
    expect(restarted.record.exit).toMatchObject({ code: 0, signal: null });
    expect(restarted.record.reapedBy, JSON.stringify(run.timeline.data.processes.filter((each) => each.pid === restart.pid))).toBe(lessonPid());
    // it tried after the old server had exited (its listening socket closed with it: the lesson's
    // report of that exit and this fact travel in order on one control socket), while the
    // TIME-WAIT ss had listed stayed (60 s on Linux)
    expect(restart.t).toBeGreaterThan(proc(serverPid).record.exit!.t);
    expect(restart.t - run.timeline.data.facts.find((each) => each.name === 'time-wait')!.t).toBeLessThan(60_000);
    expect(run.stdout).toContain(`socket() + bind() to 127.0.0.1:${port}: EADDRINUSE`);
  });

  claim('closing', () => {
    expect(run.code).toBe(0);
    expect(run.timeline.leftovers()).toEqual([]);
    expect(proc(serverPid).record.exit).toMatchObject({ code: 0, signal: null });
  });

  test("predict: what is left of client 1's worker once the client hung up, as the table showed it", () => {
    expect(run.questions).toHaveLength(1);
    const [question] = run.questions;
    const [first] = three();
    expect(question!.pid).toBe(first!.worker);
    expect(question!.ask).toBe('alive');
    // read when the lesson reached its next step, 'Twenty clients': by then the server had reaped it
    expect(question!.dueAt!).toBeGreaterThanOrEqual(at('Twenty clients'));
    expect(proc(first!.worker).record.exit!.t).toBeLessThanOrEqual(question!.dueAt!);
    expect(question!.actual).toBe('gone');
    expect(question!).toMatchObject({ answer: 'zombie', right: false });
    expect(run.stdout).toContain('Predictions: 0 of 1 right.');
  });
});

describe('lesson 16 tcp-server, a port given by the user', () => {
  const runAlone = (args: string[]): Promise<{ code: number | null; stderr: string }> =>
    new Promise((resolve) => {
      const lesson = spawn(process.execPath, [compiledLesson, ...args], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, PROCBOOK_PACE: '0.3' },
      });
      let stderr = '';
      lesson.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      lesson.once('close', (code) => resolve({ code, stderr }));
    });

  test('a port in use: one clear sentence and a non-zero exit, no stack trace', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const { code, stderr } = await runAlone([String(port)]);
      expect(code).toBe(1);
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(String(port));
      expect(lines[0]).toMatch(/in use/);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  test('not a port number: one clear sentence', async () => {
    const { code, stderr } = await runAlone(['http']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe.concurrent('lesson 16 tcp-server, interrupted', () => {
  for (const at of ['── 1.', 'HELLO FROM CLIENT 3', '── 4.']) {
    claim('closing', async () => {
      const run = await runLesson('tcp-server', { interruptAfter: at });
      expect(run.code).toBe(130);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(stillRunning(run.timeline)).toEqual([]);
    });
  }

  claim('closing', async () => {
    // Ctrl-C reaches the terminal's foreground process group: the lesson and all it started.
    const run = await runAlone('16-tcp-server', { interruptAfter: 'HELLO FROM CLIENT 3' });
    expect(run.signal).toBe('SIGINT');
    expect(run.timeline.processes().length).toBeGreaterThan(1);
    expect(run.timeline.leftovers()).toEqual([]);
    expect(stillRunning(run.timeline)).toEqual([]);
  });
});
