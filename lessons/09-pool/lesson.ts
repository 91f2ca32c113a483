// Lesson 09 — pool: reusing worker processes.
//
// Starting a process is expensive: the kernel creates it, and a runtime (Python, Node) loads and
// initialises itself before running one line of ours. When there are many short tasks, starting a
// process per task spends more time starting processes than working. A pool starts N worker
// processes ONCE; each takes a task, runs it, sends back the result, and takes the next one. The
// processes live until the pool is closed; then they exit and their parent reaps them.
//
// Python's multiprocessing.Pool forks its workers; Node starts them as new processes running this
// same file in the role "pool worker", connected to us by an IPC channel (see ./pool.ts).
import { performance } from 'node:perf_hooks';
import { existsSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { explain, fact, name, question, role, say, sleep, step } from '../../lib/lesson/index.js';
import { Pool, serveTasks, WORKER_ROLE } from './pool.js';

// The tasks a worker can run. Each worker runs this file too, so it has the same table, and the
// pool sends only a task's NAME and arguments (Python pickles a function by name the same way).
const tasks = {
  /** The course's worker: takes a while, says its message, reports which process ran it. */
  async hello(message: string) {
    await sleep(600);
    say(message);
    return { message, pid: process.pid };
  },
  /** A tiny task: almost no work at all. */
  square(x: number) {
    return { x, square: x * x, pid: process.pid };
  },
};

if (role === WORKER_ROLE) serveTasks(tasks);
else await main();

async function main(): Promise<void> {
  name('pool parent');
  const N = 3;

  await step(`A pool of ${N} worker processes`);
  const pool = new Pool(N, tasks);
  const pids = pool.started.map((worker) => worker.pid!);
  await pool.ready(); // each new Node process has started and waits for tasks
  say(`started ${N} workers: ${pids.join(', ')}`);
  fact('pool.pids', pids);
  explain(`The table shows ${N} "pool worker" rows, PPID = this process. They wait for work.`);
  // --predict: the student guesses, the table answers (lib/lesson/question.ts).
  await question({ about: pids[0]!, ask: 'stat', reveal: { afterMs: 1000 }, prompt: 'The pool has started its workers and sent them no task yet. What will worker 1\'s STAT be 1 s from now?' });
  await sleep(2000);

  await step('Nine tasks, three processes');
  explain('Watch the table: no new process appears. The same three PIDs take turns, three tasks at');
  explain('a time; a worker that finishes a task takes the next one from the queue.');
  const results = await Promise.all(
    [1, 2, 3, 4, 5, 6, 7, 8, 9].map((task) => pool.apply_async(tasks.hello, [`Hello ${task}`]).get()),
  );
  results.forEach(({ pid }, index) => fact('task', { task: index + 1, pid }));
  for (const pid of pids) {
    const ran = results.flatMap(({ pid: ranIn }, index) => (ranIn === pid ? [index + 1] : []));
    say(`worker ${pid} ran tasks ${ran.join(', ')}`);
  }
  await sleep(1000);

  await step('map: one task per item');
  const squares = await pool.map(tasks.square, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  say(`squares: ${squares.map((each) => each.square).join(' ')}`);
  say(`run by: ${[...new Set(squares.map((each) => each.pid))].join(', ')}`);
  fact('map', squares);
  explain('map() is apply_async() for each item, then waiting for all: results come back in order.');
  await sleep(2000);

  await step('close, then join');
  pool.close();
  say('close(): no more tasks. Each worker exits once the queue is empty.');
  try {
    void pool.apply_async(tasks.square, [11]);
    fact('afterClose.error', null);
  } catch (error) {
    say(`apply_async after close: ${(error as Error).message}`);
    fact('afterClose.error', (error as Error).message);
  }
  await pool.join();
  const exits = pool.started.map((worker) => ({ pid: worker.pid, code: worker.exitCode, signal: worker.signalCode }));
  say(`join(): all ${exits.length} workers exited and were reaped (exit codes ${exits.map((each) => each.code).join(', ')}).`);
  fact('pool.joined', exits);
  explain('join() waits for the workers as wait() does: their rows leave the table, no zombie stays.');
  await sleep(2000);

  await step('Pool(): as many workers as cores');
  // Python's Pool() with no number starts one worker per CPU this process may use: here that is
  // os.availableParallelism() (Python 3.13 asks os.process_cpu_count(), the same count).
  const auto = new Pool(tasks, { title: 'default worker' });
  const autoPids = auto.started.map((worker) => worker.pid!);
  await auto.ready();
  say(`Pool() started ${auto.processes} workers; os.availableParallelism() is ${availableParallelism()} here.`);
  fact('default.pool', { size: auto.processes, cores: availableParallelism(), pids: autoPids });
  // apply_async() only queues the task and returns; get() is its value once a worker has run it.
  const r = auto.apply_async(tasks.square, [12]);
  const readyBefore = r.ready();
  say(`apply_async returned at once: ready() is ${readyBefore}.`);
  const value = await r.get(); // Python's r.get() blocks until then; await lets the event loop run
  say(`get() gave ${value.square}, computed by worker ${value.pid}; ready() is now ${r.ready()}.`);
  fact('get', { readyBefore, value, readyAfter: r.ready() });
  explain('One worker per core is the right size for work that keeps a CPU busy: more would only');
  explain('take turns on the same cores. Work that mostly waits (disk, network) can use more.');
  await sleep(2000);
  auto.close();
  await auto.join();

  await step('What reuse saves');
  const count = 30;
  const items = Array.from({ length: count }, (_, index) => index);
  // The same pool code both times; the only difference is whether a process is reused.
  const timed = async (options: { title: string; maxtasksperchild?: number }): Promise<{ ms: number; processes: number[] }> => {
    const start = performance.now();
    const timing = new Pool(2, tasks, options);
    const results = timing.map(tasks.square, items);
    timing.close(); // all the work is queued: the workers exit once it is done
    await results;
    await timing.join();
    return { ms: performance.now() - start, processes: timing.started.map((worker) => worker.pid!) };
  };
  say(`${count} tiny tasks, 2 at a time: first through a pool of 2, then a new process for each.`);
  explain('Watch the table: the second way starts a process per task; their rows flash by.');
  await sleep(1000);
  const reused = await timed({ title: 'reused worker' });
  const fresh = await timed({ title: 'one-task worker', maxtasksperchild: 1 });
  const ratio = fresh.ms / reused.ms;
  say(`  a pool of 2 processes:     ${reused.ms.toFixed(0).padStart(5)} ms (${reused.processes.length} processes started)`);
  say(`  a new process per task:    ${fresh.ms.toFixed(0).padStart(5)} ms (${fresh.processes.length} processes started)`);
  say(`  the pool was ${ratio.toFixed(1)}× faster`);
  fact('timing', { tasks: count, poolMs: reused.ms, perTaskMs: fresh.ms, ratio, poolPids: reused.processes, perTaskPids: fresh.processes });
  explain('Each new Node process costs tens of milliseconds before it runs a line; a task like this');
  explain('takes microseconds. Reuse pays the start once per worker. (Python forks its workers: a copy');
  explain('of a running interpreter is far cheaper than a fresh start, but still dearer than reuse.)');
  await sleep(2000);

  await step('Threads are not processes');
  const threadsBefore = threadCount();
  const { threadPid, tid, threadsDuring, ours } = await new Promise<{ threadPid: number; tid: number; threadsDuring: number; ours: boolean }>((resolve, reject) => {
    // A worker THREAD runs in this same process: it reports our pid, and no row appears. The
    // kernel gives it a thread id of its own (Linux: /proc/thread-self), listed among our tasks.
    const thread = new Worker(`
      const { readlinkSync } = require('node:fs');
      let tid = 0;
      try { tid = Number(readlinkSync('/proc/thread-self').split('/').pop()); } catch {}
      const { parentPort } = require('node:worker_threads');
      parentPort.postMessage({ pid: process.pid, tid });
      parentPort.on('message', () => {}); // stay until terminate(): done, it would end at once`, { eval: true });
    thread.once('message', ({ pid, tid }: { pid: number; tid: number }) => {
      const during = threadCount();
      const listed = tid > 0 && existsSync(`/proc/self/task/${tid}`);
      say(`a worker thread says its process.pid is ${pid}; ours is ${process.pid}.`);
      if (tid > 0) say(`its thread id, ${tid}, is one of this process's tasks: ${listed ? 'listed' : 'not listed'} in /proc/${process.pid}/task.`);
      say(`threads in this process: ${threadsBefore} before, ${during} with the worker thread running`);
      void thread.terminate().then(() => resolve({ threadPid: pid, tid, threadsDuring: during, ours: listed }));
    });
    thread.once('error', reject);
  });
  fact('thread', { threadPid, tid, ours, mainPid: process.pid, threadsBefore, threadsDuring });
  explain('worker_threads share one process (one PID, one memory): cheap to start, but one crash');
  explain('ends them all. A pool of processes is what Python needs to use several cores; Node can');
  explain('use threads for that, and processes when the work must be isolated.');
}

/** How many threads the kernel counts in this process (Linux; 0 elsewhere). */
function threadCount(): number {
  try {
    return Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}
