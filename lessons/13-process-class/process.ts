// Python's multiprocessing.Process as a small TypeScript class, with Python's names so the course
// reads across line by line:
//
//   const p = new Process({ target: work, args: ['bob'] })    p = Process(target=work, args=('bob',))
//   new Process({ target: nap, kwargs: { ms: 500 } })          Process(target=nap, kwargs={'ms': 500})
//   p.start(); await p.join()                                  p.start(); p.join()
//   await p.join(1000)                                         p.join(1)   (at most 1 s; ms here)
//   p.is_alive(), p.exitcode, p.pid, p.name, p.daemon          the same
//   p.terminate()                                              the same (SIGTERM)
//   class Greeter extends Process { run() {…} }               class Greeter(Process): def run(self): …
//
// How start() runs run() in ANOTHER process, without fork: Python's "spawn" start method pickles
// the Process object (its class, found by name, and its attributes), starts a fresh interpreter,
// imports the module, unpickles the object and calls its run(). We do the same: the child is this
// same lesson file started again in the role "process", and it receives the class's name and the
// object's own fields as JSON. bootstrap() finds the class by name, rebuilds the object WITHOUT
// calling its constructor (as unpickling does), and calls run().
import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { forkSelf, name as nameProcess, paced } from '../../lib/lesson/index.js';

/** The role a Process's child plays in the lesson file. */
export const PROCESS_ROLE = 'process';

/** A function a child can run: found by its name, its arguments sent as JSON. */
export type Target = (...args: never[]) => unknown;
/** What bootstrap() can find by name: target functions and Process subclasses. */
export type Runnable = Target | (abstract new (...args: never[]) => Process);

export interface ProcessOptions {
  target?: Target;
  args?: unknown[];
  /**
   * Python's keyword arguments. JavaScript has none: they reach the target as ONE object after
   * the positional ones, which the target takes apart: `function nap({ ms }) {…}`.
   */
  kwargs?: Record<string, unknown>;
  /** Python's default is "<Class>-<n>": Process-1, Greeter-2 … */
  name?: string;
  /** Ended (SIGTERM) when its parent's code is done; must be set before start(). */
  daemon?: boolean;
}

/** What start() sends to the child: the pickle, in JSON. */
interface Pickle {
  className: string;
  state: Record<string, unknown>;
  target?: string;
  args: unknown[];
  kwargs?: Record<string, unknown>;
  identity: number[];
}

interface Internal {
  target?: Target;
  args: unknown[];
  kwargs?: Record<string, unknown>;
  child?: ChildProcess;
  parentPid: number;
}

// Kept outside the objects (not in their own fields), so it is not "pickled" into the child.
const internal = new WeakMap<Process, Internal>();
/** The processes this process started that have not been joined yet. */
const children = new Set<Process>();
/** This process's place in the tree, as Python numbers it: Process-1, then Process-1:1 … */
let identity: number[] = [];
let counter = 0;
let daemonic = false;

function signalNumber(signal: NodeJS.Signals): number {
  return constants.signals[signal] ?? 0;
}

export class Process {
  name: string;
  daemon: boolean;

  constructor(options: ProcessOptions = {}) {
    counter++;
    this.name = options.name ?? `${new.target.name}-${[...identity, counter].join(':')}`;
    this.daemon = options.daemon ?? false;
    internal.set(this, { target: options.target, args: options.args ?? [], kwargs: options.kwargs, parentPid: process.pid });
  }

  private get state(): Internal {
    let state = internal.get(this);
    if (!state) internal.set(this, (state = { args: [], parentPid: process.ppid }));
    return state;
  }

  /** The child's pid once started (undefined before: Python's None). */
  get pid(): number | undefined {
    return this.state.child?.pid;
  }

  /**
   * None (null) while it runs or before it starts; its exit code once it has exited; -N if a
   * signal N ended it (Python's convention: -15 after terminate()).
   */
  get exitcode(): number | null {
    const child = this.state.child;
    if (!child) return null;
    if (child.exitCode !== null) return child.exitCode;
    if (child.signalCode !== null) return -signalNumber(child.signalCode);
    return null;
  }

  /** What the child does. The default calls target(...args, kwargs); a subclass overrides it. */
  run(): unknown {
    const { target, args, kwargs } = this.state;
    return target?.(...([...args, ...(kwargs ? [kwargs] : [])] as never[]));
  }

  /** Starts a new process that runs this object's run(). */
  start(): void {
    if (this.state.child) throw new Error('cannot start a process twice');
    if (daemonic) throw new Error('daemonic processes are not allowed to have children');
    const target = this.state.target;
    const pickle: Pickle = {
      className: this.constructor.name,
      state: Object.fromEntries(Object.entries(this)),
      target: target?.name,
      args: this.state.args,
      ...(this.state.kwargs ? { kwargs: this.state.kwargs } : {}),
      identity: [...identity, counter],
    };
    const child = forkSelf(PROCESS_ROLE, { args: [JSON.stringify(pickle)] });
    this.state.child = child;
    children.add(this);
    child.once('exit', () => children.delete(this));
    if (this.daemon) {
      // A daemon does not keep its parent waiting: the parent ends it instead (see below).
      child.unref();
      watchDaemons();
    }
  }

  /** True from start() until the child has exited (and libuv in this process has reaped it). */
  is_alive(): boolean {
    return this.state.child !== undefined && this.exitcode === null;
  }

  /**
   * Waits until the child has ended, or at most timeoutMs if given (Python's timeout is in seconds;
   * like every wait of a lesson it is scaled by the pace). After a timeout the child may still run:
   * ask is_alive().
   */
  async join(timeoutMs?: number): Promise<void> {
    const child = this.state.child;
    if (!child) throw new Error('can only join a started process');
    if (this.exitcode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(resolve, paced(timeoutMs));
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Sends SIGTERM: the child ends at once, without running its cleanup. */
  terminate(): void {
    const child = this.state.child;
    if (!child) throw new Error('can only terminate a started process');
    if (this.exitcode !== null) return;
    child.ref(); // keep this process alive until it is reaped
    child.kill('SIGTERM');
  }

  /** Like Python's repr: <Process name='Process-1' pid=123 parent=100 stopped exitcode=-SIGTERM daemon> */
  toString(): string {
    const child = this.state.child;
    const status = !child ? 'initial' : this.exitcode === null ? 'started' : 'stopped';
    const info = [this.constructor.name, `name='${this.name}'`];
    if (child) info.push(`pid=${child.pid}`);
    info.push(`parent=${this.state.parentPid}`, status);
    if (child?.signalCode) info.push(`exitcode=-${child.signalCode}`);
    else if (this.exitcode !== null) info.push(`exitcode=${this.exitcode}`);
    if (this.daemon) info.push('daemon');
    return `<${info.join(' ')}>`;
  }
}

/**
 * What Python does when a process's code is done (multiprocessing's atexit function): terminate
 * its daemonic children, then join the others. Node has no "the code is done" moment of its own,
 * so bootstrap() calls this when run() returns; a lesson's first process gets it from
 * 'beforeExit' (the event loop has nothing left: only unref'd daemons remain).
 */
export async function shutdown(): Promise<void> {
  for (const each of children) if (each.daemon) each.terminate();
  await Promise.all([...children].map((each) => each.join()));
}

let watching = false;
function watchDaemons(): void {
  if (watching) return;
  watching = true;
  process.on('beforeExit', () => {
    if ([...children].some((each) => each.daemon)) void shutdown();
  });
  // Ended abruptly (process.exit, an uncaught error): no time to wait, but still end the daemons.
  process.on('exit', () => {
    for (const each of children) if (each.daemon) internal.get(each)?.child?.kill('SIGTERM');
  });
}

/**
 * The child's side: rebuild the object that start() sent and call its run(). `known` lists the
 * classes and target functions of the lesson, found by name (as unpickling imports them by name).
 */
export async function bootstrap(known: Runnable[]): Promise<void> {
  const pickle = JSON.parse(process.argv[2] ?? '{}') as Pickle;
  const find = (wanted: string | undefined): Runnable | undefined => known.find((each) => each.name === wanted);
  const found = pickle.className === Process.name ? Process : find(pickle.className);
  if (!found || !(found.prototype instanceof Process || found === Process)) {
    throw new Error(`bootstrap: no Process class named ${pickle.className} in the list it was given`);
  }
  // Rebuild without calling the constructor, as unpickling does: same prototype, same fields.
  const self = Object.assign(Object.create(found.prototype) as Process, pickle.state);
  const target = find(pickle.target) as Target | undefined;
  if (pickle.target && !target) throw new Error(`bootstrap: no target function named ${pickle.target}`);
  internal.set(self, { target, args: pickle.args, kwargs: pickle.kwargs, parentPid: process.ppid });
  identity = pickle.identity;
  daemonic = self.daemon;
  nameProcess(self.name);
  try {
    await self.run();
  } catch (error) {
    // Python prints the traceback (here: the error) and the process exits with code 1.
    process.stderr.write(`Process ${self.name}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    process.exitCode = 1;
  }
  await shutdown();
}
