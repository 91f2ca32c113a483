// A queue between processes, in the shape of Python's multiprocessing.Queue:
//
//   const queue = new Broker(3)        q = Queue(3)          (in the parent: the queue itself)
//   queue.serve(child)                 Process(target=…, args=(q,))
//   await put(item)                    q.put(item)           (in a child: waits while the queue is full)
//   await get()                        q.get()               (in a child: waits while it is empty)
//
// Python's Queue is a pipe the children inherit, a lock, and a feeder thread. Node cannot make a
// pipe (it has no pipe() call) nor hand one to two children, so here the queue lives in the
// parent, the BROKER, and each child talks to it over its own IPC channel. Order is kept because
// one process owns the list: first put, first got.
import type { ChildProcess } from 'node:child_process';

/** What a child asks, and what the broker answers (as JSON over the IPC channel). */
type Request = { queue: 'put'; id: number; item: unknown } | { queue: 'get'; id: number };
type Answer = { queue: 'ok'; id: number } | { queue: 'item'; id: number; item: unknown };

export class Broker {
  private readonly items: unknown[] = [];
  /** Children waiting in get() (the queue was empty) and in put() (it was full), oldest first. */
  private readonly getters: Array<(item: unknown) => void> = [];
  private readonly putters: Array<{ item: unknown; done: () => void }> = [];
  /** The most items the queue ever held. */
  largest = 0;
  private onFull: (() => void) | undefined;

  constructor(readonly maxsize: number) {}

  /** Answers this child's put() and get() requests. */
  serve(child: ChildProcess): void {
    const answer = (message: Answer): void => {
      if (child.connected) child.send(message);
    };
    child.on('message', (message: Request) => {
      if (message.queue === 'put') this.put(message.item, () => answer({ queue: 'ok', id: message.id }));
      else this.get((item) => answer({ queue: 'item', id: message.id, item }));
    });
  }

  get size(): number {
    return this.items.length;
  }

  /** Resolves when the queue holds maxsize items. */
  full(): Promise<void> {
    return this.items.length >= this.maxsize ? Promise.resolve() : new Promise((resolve) => (this.onFull = resolve));
  }

  private put(item: unknown, done: () => void): void {
    const getter = this.getters.shift();
    if (getter) {
      getter(item); // someone was waiting in get(): hand the item over directly
      done();
    } else if (this.items.length >= this.maxsize) {
      this.putters.push({ item, done }); // full: this put() waits until a get() makes room
    } else {
      this.items.push(item);
      this.largest = Math.max(this.largest, this.items.length);
      if (this.items.length >= this.maxsize) this.onFull?.();
      done();
    }
  }

  private get(deliver: (item: unknown) => void): void {
    if (this.items.length === 0) {
      this.getters.push(deliver); // empty: this get() waits for the next put()
      return;
    }
    deliver(this.items.shift());
    const putter = this.putters.shift(); // room again: the oldest waiting put() goes in
    if (putter) {
      this.items.push(putter.item);
      putter.done();
    }
  }
}

// In a child: put() and get() are requests to the broker over our IPC channel.
let nextId = 0;
function ask<T>(request: Request, pick: (answer: Answer) => T): Promise<T> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('put()/get() need an IPC channel to the broker (forkSelf with ipc: true)'));
    const onAnswer = (answer: Answer): void => {
      if (answer.id !== request.id) return;
      process.off('message', onAnswer);
      resolve(pick(answer));
    };
    process.on('message', onAnswer);
    process.send(request);
  });
}

/** Puts an item in the queue; resolves once it is in (it waits while the queue is full). */
export function put(item: unknown): Promise<void> {
  return ask({ queue: 'put', id: nextId++, item }, () => undefined);
}

/** Takes the oldest item from the queue (it waits while the queue is empty). */
export function get<T = unknown>(): Promise<T> {
  return ask({ queue: 'get', id: nextId++ }, (answer) => (answer.queue === 'item' ? answer.item : undefined) as T);
}
