// Lesson 16: a TCP server with a process per connection, as the kernel showed it.
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { ProcessHistory } from '../../lib/observe/timeline.js';
import { ONE_SAMPLE, projectRoot, runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';
import { runAlone } from '../support/alone.js';

const compiledLesson = join(projectRoot, 'dist', 'lessons', '16-tcp-server', 'lesson.mjs');


describe('lesson 16 tcp-server', () => {
  let run: LessonRun;
  let serverPid: number;
  let slack: number;
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
    run = await runLesson('tcp-server');
    serverPid = run.timeline.fact<{ pid: number; port: number }>('server')!.pid;
    slack = ONE_SAMPLE * run.timeline.data.sampleIntervalMs;
  });

  test('the lesson ends cleanly; the server listened on a free port, child of the lesson', () => {
    expect(run.code).toBe(0);
    expect(run.timeline.leftovers()).toEqual([]);
    expect(run.timeline.fact<{ port: number }>('server')!.port).toBeGreaterThan(0);
    const server = proc(serverPid);
    expect(server.firstParent).toBe(run.timeline.data.lessonPid);
    expect(server.record.exit).toMatchObject({ code: 0, signal: null });
  });

  test('three clients: one worker process per client, PPID = the server, all at once', () => {
    const three = run.timeline.fact<Array<{ client: number; worker: number }>>('three')!;
    expect(three).toHaveLength(3);
    expect(new Set(three.map((each) => each.worker)).size).toBe(3);
    const workers = three.map(({ client, worker }) => {
      expect(worker).toBe(workerFor(client));
      const history = proc(worker);
      expect(history.firstParent).toBe(serverPid);
      expect(history.everIn('S', { ppid: serverPid })).toBe(true);
      expect(history.title).toContain(`:${client}`);
      return history;
    });
    const allUp = Math.max(...workers.map((each) => each.record.firstSeen));
    const firstGone = Math.min(...workers.map((each) => each.record.gone ?? Infinity));
    expect(allUp).toBeLessThan(firstGone);
  });

  test('each worker exits when its own client hangs up, and the server reaps it', () => {
    const closes = run.timeline.data.facts.filter((each) => each.name === 'client.closed');
    expect(closes).toHaveLength(3);
    closes.forEach((close, index) => {
      const worker = proc(workerFor(close.value as number));
      expect(worker.record.gone).toBeDefined();
      // alive until its client hung up, gone before the next client did
      expect(worker.record.gone!).toBeGreaterThanOrEqual(close.t - slack);
      const next = closes[index + 1];
      if (next) expect(worker.record.gone!).toBeLessThan(next.t);
      expect(worker.record.exit).toMatchObject({ code: 0, signal: null });
      expect(worker.record.reapedBy).toBe(serverPid);
    });
  });

  test('twenty clients: twenty workers, every one reaped by the server, no lasting zombie', () => {
    const many = run.timeline.fact<{ clients: number[]; replies: string[]; perConnectionMs: number }>('many')!;
    expect(many.clients).toHaveLength(20);
    for (const reply of many.replies) expect(reply).toMatch(/^CLIENT \d+ SAYS HELLO$/);
    const pids = many.clients.map(workerFor);
    expect(new Set(pids).size).toBe(20);
    // Each worker lives about 60 ms. The runner looks the moment the server starts one, but on a
    // machine overloaded with other tests it may get the CPU only after a worker has ended: then
    // the kernel never showed that one, and nothing can be said of it. At most 2 of 20 may be so.
    const shown = pids.filter((pid) => run.timeline.process(pid) !== undefined);
    expect(shown.length).toBeGreaterThanOrEqual(pids.length - 2);
    for (const pid of shown) {
      const worker = proc(pid);
      expect(worker.firstParent).toBe(serverPid);
      expect(worker.record.reapedBy).toBe(serverPid);
      expect(worker.record.exit).toMatchObject({ code: 0, signal: null });
      // seen as a zombie in a few samples at most: reaped at once, not left for later. (The
      // workers end in a burst while the server starts others; on a busy machine the server waits
      // for the CPU before libuv reaps. A server that did not reap would hold them for seconds.)
      expect(worker.reapableZombieTime()).toBeLessThanOrEqual(4 * ONE_SAMPLE * run.timeline.data.sampleIntervalMs);
      // and gone before the next step began
      expect(worker.record.gone!).toBeLessThan(run.timeline.checkpoint('Pre-forked workers')!.t);
    }
    // the server never had more children than the workers it was asked for
    const served = new Set(run.timeline.facts<{ pid: number }>('worker').map((each) => each.pid));
    expect(served.size).toBe(23);
    expect(proc(serverPid).children().filter((each) => !served.has(each.pid))).toEqual([]);
  });

  test('pre-forked workers served the same twenty connections; the cost ratio is from the same run', () => {
    const prefork = run.timeline.fact<{ pid: number; workers: number[]; clients: number[] }>('prefork')!;
    expect(prefork.workers).toHaveLength(2);
    const conns = run.timeline.facts<{ pid: number; client: number }>('prefork.conn');
    expect(conns.map((each) => each.client).sort()).toEqual([...prefork.clients].sort());
    for (const { pid } of conns) expect(prefork.workers).toContain(pid);
    // no process per connection there: the pre-fork server's only children are its 2 workers
    expect(proc(prefork.pid).children().map((each) => each.pid).sort()).toEqual([...prefork.workers].sort());
    for (const pid of prefork.workers) expect(proc(pid).record.reapedBy).toBe(prefork.pid);
    const cost = run.timeline.fact<{ perProcessMs: number; preforkMs: number; ratio: number }>('cost')!;
    expect(cost.perProcessMs).toBeGreaterThan(0);
    expect(cost.preforkMs).toBeGreaterThan(0);
    expect(cost.perProcessMs / cost.preforkMs).toBeGreaterThan(1);
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
    test(`Ctrl-C at "${at}" leaves nothing running`, async () => {
      const run = await runLesson('tcp-server', { interruptAfter: at });
      expect(run.code).toBe(130);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(stillRunning(run.timeline)).toEqual([]);
    });
  }

  test('alone (no runner), Ctrl-C while three workers hold connections leaves nothing running', async () => {
    // Ctrl-C reaches the terminal's foreground process group: the lesson and all it started.
    const run = await runAlone('16-tcp-server', { interruptAfter: 'HELLO FROM CLIENT 3' });
    expect(run.signal).toBe('SIGINT');
    expect(run.timeline.processes().length).toBeGreaterThan(1);
    expect(run.timeline.leftovers()).toEqual([]);
    expect(stillRunning(run.timeline)).toEqual([]);
  });
});
