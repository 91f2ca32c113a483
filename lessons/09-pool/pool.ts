// A process pool in the shape of Python's multiprocessing.Pool: N worker processes started once,
// then fed task after task over their IPC channels, so each process is paid for once.
//
//   const pool = new Pool(3, tasks)           Pool(3)
//   const pool = new Pool(tasks)              Pool(): one worker per core (os.availableParallelism())
//   const r = pool.apply_async(square, [7])   r = pool.apply_async(square, (7,))
//   await r.get(); r.ready()                  r.get(); r.ready()
//   await pool.map(square, [1, 2, 3])         pool.map(square, [1, 2, 3])
//   pool.close(); await pool.join()           pool.close(); pool.join()
//
// The methods keep Python's names so the course reads across line by line.
//
// How does a worker know what `square` is? Python pickles a function BY NAME: the worker imports
// the same module and looks the name up. Here too: every worker runs this same lesson file, which
// hands its table of tasks to serveTasks(); the pool sends a task's name and arguments, never code.
import type { ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { forkSelf, name } from '../../lib/lesson/index.js';

/** A function a worker can run: arguments and result cross the channel as JSON. */
export type Task = (...args: never[]) => unknown;
export type Tasks = Record<string, Task>;

/** The role a worker process plays in the lesson file. */
export const WORKER_ROLE = 'pool worker';

type ToWorker = { type: 'task'; id: number; task: string; args: unknown[] };
type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; id: number; ok: true; value: unknown }
  | { type: 'done'; id: number; ok: false; error: string };

interface Job {
  id: number;
  task: string;
  args: unknown[];
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export interface PoolOptions {
  /** The name each worker shows in the process table, numbered: "pool worker 1", "pool worker 2" … */
  title?: string;
  /**
   * Python's maxtasksperchild: a worker exits after this many tasks and a new process takes its
   * place. 1 means a new process for every task (the baseline the lesson measures against).
   */
  maxtasksperchild?: number;
}

/**
 * Python's AsyncResult: what apply_async returns at once, before any worker has run the task.
 * get() is the task's value once a worker has run it: Python's r.get() blocks the caller until
 * then; here it is a Promise, and `await` waits without blocking the event loop.
 */
export class AsyncResult<V> {
  private done = false;

  constructor(private readonly result: Promise<V>) {
    result.then(
      () => (this.done = true),
      () => (this.done = true), // a failure reaches whoever calls get()
    );
  }

  get(): Promise<V> {
    return this.result;
  }

  /** Whether the task has finished (Python: r.ready()). */
  ready(): boolean {
    return this.done;
  }
}

export class Pool<T extends Tasks> {
  /** Every worker process this pool started, in order (replacements included). */
  readonly started: ChildProcess[] = [];
  private readonly idle: ChildProcess[] = [];
  private readonly busy = new Map<ChildProcess, Job>();
  private readonly done = new Map<ChildProcess, number>();
  private readonly queue: Job[] = [];
  private readonly exits: Array<Promise<void>> = [];
  private readonly running: Array<Promise<void>> = [];
  private readonly title: string;
  private nextId = 1;
  private closed = false;
  private stopping = false;

  /** How many worker processes the pool keeps. */
  readonly processes: number;
  private readonly tasks: T;
  private readonly options: PoolOptions;

  /**
   * new Pool(3, tasks) is Python's Pool(3). new Pool(tasks), without a number, is Python's Pool():
   * as many workers as this process may use CPUs, os.availableParallelism() (Python 3.13:
   * os.process_cpu_count(); before, os.cpu_count()).
   */
  constructor(tasks: T, options?: PoolOptions);
  constructor(processes: number, tasks: T, options?: PoolOptions);
  constructor(first: number | T, second?: T | PoolOptions, third?: PoolOptions) {
    const sized = typeof first === 'number';
    this.processes = sized ? first : availableParallelism();
    this.tasks = (sized ? second : first) as T;
    this.options = (sized ? third : (second as PoolOptions | undefined)) ?? {};
    if (!(this.processes >= 1)) throw new RangeError('a pool needs at least one process');
    this.title = this.options.title ?? 'pool worker';
    for (let index = 0; index < this.processes; index++) this.startWorker();
  }

  /**
   * Queues `task(...args)` for some worker and returns at once: its AsyncResult's get() is the
   * value. After close() it throws at once, as Python raises ValueError("Pool not running").
   */
  apply_async<F extends T[keyof T]>(task: F, args: Parameters<F>): AsyncResult<Awaited<ReturnType<F>>> {
    if (this.closed) throw new Error('the pool is closed: after close() it takes no new tasks');
    const taskName = Object.keys(this.tasks).find((key) => this.tasks[key] === task);
    if (taskName === undefined) {
      throw new Error('a worker can only run a function from the table of tasks it was given (it finds it by name)');
    }
    return new AsyncResult(
      new Promise((resolve, reject) => {
        this.queue.push({ id: this.nextId++, task: taskName, args, resolve: resolve as (value: unknown) => void, reject });
        this.dispatch();
      }),
    );
  }

  /** Runs the task once per item, spread over the workers; results in the items' order. */
  map<F extends T[keyof T]>(task: F, items: Array<Parameters<F>[0]>): Promise<Array<Awaited<ReturnType<F>>>> {
    return Promise.all(items.map((item) => this.apply_async(task, [item] as Parameters<F>).get()));
  }

  /**
   * Not Python's: resolves once every worker started so far runs its loop, waiting for tasks. A
   * forked Python worker runs at once; a new Node process takes tens of milliseconds to start.
   */
  async ready(): Promise<void> {
    await Promise.all(this.running);
  }

  /** No more tasks: the workers finish what is queued, then exit. */
  close(): void {
    this.closed = true;
    this.dispatch();
  }

  /** Waits until every worker has exited and been reaped. Only after close() (or terminate()). */
  async join(): Promise<void> {
    if (!this.closed) throw new Error('join() before close(): the pool is still running (Python: ValueError)');
    // A replacement may start while we wait: wait until no worker is left running.
    for (let seen = 0; seen < this.exits.length; seen = this.exits.length) await Promise.all(this.exits);
  }

  /** Stops every worker now (SIGTERM), queued tasks included: Python's pool.terminate(). */
  terminate(): void {
    this.closed = this.stopping = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the pool was terminated'));
    for (const worker of this.started) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGTERM');
  }

  private startWorker(): void {
    const worker = forkSelf(WORKER_ROLE, { ipc: true, args: [`${this.title} ${this.started.length + 1}`] });
    this.started.push(worker);
    this.done.set(worker, 0);
    this.exits.push(
      new Promise((resolve) => {
        worker.once('exit', (code, signal) => {
          this.forget(worker);
          const job = this.busy.get(worker);
          if (job) {
            this.busy.delete(worker);
            job.reject(new Error(`worker ${worker.pid} died (${signal ?? `exit code ${code}`}) running ${job.task}`));
          }
          // Like Python, the pool keeps its size: a worker that left is replaced while there is work.
          if (!this.stopping && (!this.closed || this.queue.length > 0)) this.startWorker();
          this.dispatch();
          resolve();
        });
      }),
    );
    this.running.push(
      new Promise((resolve) => {
        const running = (message: FromWorker): void => {
          if (message.type !== 'ready') return;
          worker.off('message', running);
          resolve();
        };
        worker.on('message', running);
        worker.once('exit', () => resolve());
      }),
    );
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') return;
      const job = this.busy.get(worker);
      if (!job || message.id !== job.id) return;
      this.busy.delete(worker);
      this.done.set(worker, (this.done.get(worker) ?? 0) + 1);
      if (message.ok) job.resolve(message.value);
      else job.reject(new Error(`${job.task} failed in worker ${worker.pid}: ${message.error}`));
      const limit = this.options.maxtasksperchild;
      if (limit !== undefined && (this.done.get(worker) ?? 0) >= limit) worker.disconnect(); // it exits; 'exit' replaces it
      else this.idle.push(worker);
      this.dispatch();
    });
    this.idle.push(worker);
  }

  private forget(worker: ChildProcess): void {
    const at = this.idle.indexOf(worker);
    if (at >= 0) this.idle.splice(at, 1);
  }

  /** Gives queued tasks to idle workers; once closed and drained, lets the idle workers go. */
  private dispatch(): void {
    while (this.queue.length > 0 && this.idle.length > 0) {
      const worker = this.idle.shift()!;
      const job = this.queue.shift()!;
      this.busy.set(worker, job);
      const message: ToWorker = { type: 'task', id: job.id, task: job.task, args: job.args };
      worker.send(message);
    }
    if (this.closed && this.queue.length === 0) {
      // Closing the channel is the "no more work" signal: it was all that kept the worker alive.
      for (const worker of this.idle.splice(0)) if (worker.connected) worker.disconnect();
    }
  }
}

/**
 * The worker's side, run in the worker process: take tasks from the channel, run them, send the
 * results back. Nothing else keeps the process alive, so when the pool closes the channel, the
 * worker's event loop has nothing left to do and the process exits by itself (code 0).
 */
export function serveTasks(tasks: Tasks): void {
  name(process.argv[2] ?? WORKER_ROLE);
  process.on('message', async (message: ToWorker) => {
    let reply: FromWorker;
    try {
      const task = tasks[message.task];
      if (!task) throw new Error(`no task named ${message.task}`);
      reply = { type: 'done', id: message.id, ok: true, value: await task(...(message.args as never[])) };
    } catch (error) {
      reply = { type: 'done', id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    if (process.connected) process.send?.(reply);
  });
  process.send?.({ type: 'ready' } satisfies FromWorker); // waiting for tasks from now on
}
