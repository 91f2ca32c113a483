// A queue between processes, in the shape of Python's multiprocessing.Queue:
//
//   const queue = new Broker(3)          q = Queue(3)            (in the parent: the queue itself)
//   queue.serve(child)                   Process(target=…, args=(q,))
//   await put(item)                      q.put(item)             (in a child: waits while the queue is full)
//   await put(item, { block: false })    q.put(item, block=False) (throws Full at once if it is full)
//   await get()                          q.get()                 (waits while it is empty)
//   await get({ timeout: 2000 })         q.get(timeout=2)        (throws Empty after 2 s without an item)
//   await get({ block: false })          q.get(block=False)      (throws Empty at once if it is empty)
//   await qsize(), empty(), full()       q.qsize(), q.empty(), q.full()
//
// Python's Queue is a pipe the children inherit, a lock, and a feeder thread. Node cannot make a
// pipe (it has no pipe() call) nor hand one to two children, so here the queue lives in the
// parent, the BROKER, and each child talks to it over its own IPC channel. Order is kept because
// one process owns the list: first put, first got. Timeouts are the broker's too: it owns the
// list, so only it can tell "no item came in 2 s" from "an item is on its way".
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { paced } from '../../lib/lesson/index.js';

/** Python's queue.Full: put() with block=False (or a timeout) on a full queue. */
export class Full extends Error {
  override name = 'Full';
}

/** Python's queue.Empty: get() with block=False (or a timeout) on an empty queue. */
export class Empty extends Error {
  override name = 'Empty';
}

export interface Wait {
  /** Wait while the queue is full (put) or empty (get). Default: true. */
  block?: boolean;
  /** With block: give up after this many ms (scaled by --slow/--fast like every wait of a lesson). */
  timeout?: number;
}

/** What a child asks, and what the broker answers (as JSON over the IPC channel). */
type Request =
  | { queue: 'put'; id: number; item: unknown; block: boolean; timeoutMs?: number }
  | { queue: 'get'; id: number; block: boolean; timeoutMs?: number }
  | { queue: 'qsize'; id: number };
type Answer =
  | { queue: 'ok'; id: number }
  | { queue: 'item'; id: number; item: unknown }
  | { queue: 'Full' | 'Empty'; id: number }
  | { queue: 'qsize'; id: number; size: number; maxsize: number };

/** A child waiting in get() or put(), and the timer of its timeout if it gave one. */
interface Waiter {
  timer?: NodeJS.Timeout;
}
type Getter = Waiter & { deliver: (item: unknown) => void };
type Putter = Waiter & { item: unknown; done: () => void };

export class Broker {
  private readonly items: unknown[] = [];
  /** Children waiting in get() (the queue was empty) and in put() (it was full), oldest first. */
  private readonly getters: Getter[] = [];
  private readonly putters: Putter[] = [];
  /** The most items the queue ever held. */
  largest = 0;
  private onPutWaits: (() => void) | undefined;

  constructor(readonly maxsize: number) {}

  /** Answers this child's requests. */
  serve(child: ChildProcess): void {
    const answer = (message: Answer): void => {
      if (child.connected) child.send(message);
    };
    child.on('message', (message: Request) => {
      const { id } = message;
      if (message.queue === 'qsize') answer({ queue: 'qsize', id, size: this.items.length, maxsize: this.maxsize });
      else if (message.queue === 'put') this.put(message, () => answer({ queue: 'ok', id }), () => answer({ queue: 'Full', id }));
      else this.get(message, (item) => answer({ queue: 'item', id, item }), () => answer({ queue: 'Empty', id }));
    });
  }

  get size(): number {
    return this.items.length;
  }

  /** Resolves when a put() waits because the queue is full. */
  putWaits(): Promise<void> {
    return this.putters.length > 0 ? Promise.resolve() : new Promise((resolve) => (this.onPutWaits = resolve));
  }

  private put(request: { item: unknown; block: boolean; timeoutMs?: number }, done: () => void, full: () => void): void {
    const getter = this.getters.shift();
    if (getter) {
      clearTimeout(getter.timer);
      getter.deliver(request.item); // someone was waiting in get(): hand the item over directly
      done();
    } else if (this.items.length < this.maxsize) {
      this.items.push(request.item);
      this.largest = Math.max(this.largest, this.items.length);
      done();
    } else if (!request.block) {
      full(); // full, and the putter would rather hear so than wait
    } else {
      // full: this put() waits until a get() makes room (or its timeout passes)
      const waiter: Putter = { item: request.item, done };
      this.putters.push(waiter);
      if (request.timeoutMs !== undefined) waiter.timer = this.giveUp(this.putters, waiter, full, request.timeoutMs);
      this.onPutWaits?.();
    }
  }

  private get(request: { block: boolean; timeoutMs?: number }, deliver: (item: unknown) => void, empty: () => void): void {
    if (this.items.length > 0) {
      deliver(this.items.shift());
      const putter = this.putters.shift(); // room again: the oldest waiting put() goes in
      if (putter) {
        clearTimeout(putter.timer);
        this.items.push(putter.item);
        putter.done();
      }
    } else if (!request.block) {
      empty();
    } else {
      // empty: this get() waits for the next put() (or its timeout)
      const waiter: Getter = { deliver };
      this.getters.push(waiter);
      if (request.timeoutMs !== undefined) waiter.timer = this.giveUp(this.getters, waiter, empty, request.timeoutMs);
    }
  }

  /**
   * After `ms`, takes the waiter off its line and tells it: Full or Empty. A timeout is a promise
   * to wait at least that long (libuv's timers count on a clock that may lag by a millisecond or
   * so), so the time is checked and, if a timer came early, waited out.
   */
  private giveUp<W extends Waiter>(line: W[], waiter: W, tell: () => void, ms: number): NodeJS.Timeout {
    const deadline = performance.now() + ms;
    const due = (): void => {
      const left = deadline - performance.now();
      if (left > 0) return void (waiter.timer = setTimeout(due, Math.ceil(left)));
      line.splice(line.indexOf(waiter), 1);
      tell();
    };
    return setTimeout(due, ms);
  }
}

// In a child: every call is a request to the broker over our IPC channel.
let nextId = 0;
function ask(request: Request): Promise<Answer> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('the queue needs an IPC channel to the broker (forkSelf with ipc: true)'));
    const onAnswer = (answer: Answer): void => {
      if (answer.id !== request.id) return;
      process.off('message', onAnswer);
      resolve(answer);
    };
    process.on('message', onAnswer);
    process.send(request);
  });
}

const timeoutOf = (wait: Wait): { timeoutMs?: number } => (wait.timeout === undefined ? {} : { timeoutMs: paced(wait.timeout) });

/** Puts an item in the queue; resolves once it is in. Full: block false, or the timeout passed. */
export async function put(item: unknown, wait: Wait = {}): Promise<void> {
  const answer = await ask({ queue: 'put', id: nextId++, item, block: wait.block ?? true, ...timeoutOf(wait) });
  if (answer.queue === 'Full') throw new Full('the queue is full');
}

/** Takes the oldest item from the queue. Empty: block false, or the timeout passed. */
export async function get<T = unknown>(wait: Wait = {}): Promise<T> {
  const answer = await ask({ queue: 'get', id: nextId++, block: wait.block ?? true, ...timeoutOf(wait) });
  if (answer.queue === 'Empty') throw new Empty('the queue is empty');
  return (answer.queue === 'item' ? answer.item : undefined) as T;
}

/** How many items the queue holds now. (Python calls it approximate: another process may change it the next instant.) */
export async function qsize(): Promise<number> {
  const answer = await ask({ queue: 'qsize', id: nextId++ });
  return answer.queue === 'qsize' ? answer.size : NaN;
}

export async function empty(): Promise<boolean> {
  return (await qsize()) === 0;
}

export async function full(): Promise<boolean> {
  const answer = await ask({ queue: 'qsize', id: nextId++ });
  return answer.queue === 'qsize' && answer.size >= answer.maxsize;
}
