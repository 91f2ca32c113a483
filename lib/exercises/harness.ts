// The check harness: runs a student's exercise the way the runner runs a lesson (its own session,
// followed by the observer, everything it leaves ended) and gives the check what the kernel
// showed. A check reads like the claims it makes; the first claim that does not hold becomes the
// one sentence the student sees.
import { mkdtempSync, rmSync } from 'node:fs';
import { signalName } from '../proc/signals.js';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { TableRow } from '../observe/observer.js';
import { Timeline, type OutputLine } from '../observe/timeline.js';
import { startRun, type RunControl } from '../run/engine.js';
import type { RunState } from '../observe/state.js';
import { projectRoot } from '../run/paths.js';
import { TASK_ENV } from './env.js';
import { KEEPER_PID, SEEN_SIGNAL } from './keeper.js';
import { hostNetwork, SandboxNetwork, type Network } from './network.js';
import { SandboxPids, keepDescriptorsFromSandbox, sandboxCommand, sandboxEnv } from './sandbox.js';
import type { Random } from './random.js';

/** A claim about the exercise that did not hold: one plain sentence for the student. */
export class CheckFailure extends Error {}

export function fail(sentence: string): never {
  throw new CheckFailure(sentence);
}

/** How one run of the exercise went, as the kernel and the runner saw it. */
export interface Finished {
  timeline: Timeline;
  /** The exercise's first process. */
  pid: number;
  code: number | null;
  signal: string | null;
  /** The check stopped it: it ran longer than it may. */
  timedOut: boolean;
  /** What it printed (stdout and stderr), line by line. */
  output: Array<Pick<OutputLine, 't' | 'stream' | 'text'>>;
  timeoutMs: number;
  /** The host's pid of a pid the exercise reported, printed or wrote (they differ in a sandbox). */
  hostPid(reported: number): number;
  /** In a sandbox, the pid inside it of one of its processes (1 is its init); undefined otherwise. */
  insidePid(pid: number): number | undefined;
}

/** An exercise that is running now. */
export interface Running {
  readonly pid: number;
  /** The live process table of the exercise (as the runner's view shows it). */
  rows(): TableRow[];
  /** Whether its first process has exited. */
  exited(): { code: number | null; signal: string | null } | undefined;
  /**
   * Waits until `condition` holds. Fails the check if the exercise exits first or `deadlineMs`
   * passes, saying what it was waiting for: `waitingFor` reads after "waiting for", e.g. "its
   * server to accept a connection".
   */
  until(waitingFor: string, condition: () => boolean | Promise<boolean>, deadlineMs?: number): Promise<void>;
  /** Sends a signal to the exercise's first process (never once it has exited: its pid may be reused). */
  kill(signal: NodeJS.Signals): void;
  /** The host's pid of a pid the exercise reported, printed or wrote (they differ in a sandbox). */
  hostPid(reported: number): number;
  /** Its network: every socket the check talks to it through comes from here (network.ts). */
  network: Network;
  done: Promise<Finished>;
}

export interface StartOptions {
  /** How long the run may take before the check stops it (default 10 s). */
  timeoutMs?: number;
  /**
   * How long processes it leaves behind (an orphan, a double-forked grandchild) may go on after
   * its first process has exited, before the check ends them (default 300 ms).
   */
  graceMs?: number;
  /**
   * The network it runs in, from `network()`: the sockets asked of it before start() are made
   * before the exercise starts (a server's, that the exercise sends to at once). Default: a new one.
   */
  network?: Network;
}

export interface CheckContext {
  /** A private folder for this check's files, removed afterwards. Short, so socket paths fit. */
  work: string;
  /** Where every random input comes from: seeded, so `--seed N` repeats a run exactly. */
  random: Random;
  /**
   * The folder the exercise sees as /dev/shm, where the check reads what it put there: /dev/shm
   * itself, or in a sandbox a folder of `work` (the sandbox's /dev/shm is its own).
   */
  shm: string;
  /**
   * A network for the next start() (its `network` option), to ask sockets of before the exercise
   * starts: they come once it has been started.
   */
  network(): Network;
  /** Starts the exercise with these inputs (what `given()` returns in it). */
  start(task: object, options?: StartOptions): Running;
  /** Starts it and waits until it is over. */
  run(task: object, options?: StartOptions): Promise<Finished>;
}

export type Check = (context: CheckContext) => Promise<void>;

/** Every exercise running now, so that Ctrl-C on `npm run check` can stop them all. */
const active = new Set<{ interrupt(): void }>();
let stopping = false;

/**
 * Stops every exercise that is running (the runner then ends everything each one started), and
 * any that a check starts from now on.
 */
export function stopAllExercises(): void {
  stopping = true;
  for (const control of active) control.interrupt();
}

export function stoppingAll(): boolean {
  return stopping;
}

/** A compiled exercise, and how to run it. */
export interface Program {
  /** The compiled file. */
  file: string;
  /**
   * Run it in a sandbox (see sandbox.ts): the compiled file's folder and the packages it loads,
   * its scratch folder, and the folder of that it sees as /dev/shm.
   */
  sandbox?: { dir: string; packages: Array<{ name: string; dir: string }>; scratch: string; shm: string };
}

/**
 * How the exercise's first process ended, from how bwrap ended: it exits as the keeper does, which
 * exits as the exercise did, with its code, or with 128 + the signal that killed it (as a shell
 * says).
 */
function sandboxed(how: { code: number | null; signal: string | null }): { code: number | null; signal: string | null } {
  if (how.code !== null && how.code > 128 && how.code < 128 + 65) return { code: null, signal: signalName(how.code - 128) };
  return how;
}

/**
 * Runs a compiled exercise under the observer, as the runner runs a lesson. The time limit is
 * kept here, in the checker, which a sandboxed exercise can neither see nor signal.
 */
export function startExercise(program: Program, label: { number: number; slug: string; title: string }, task: object, options: StartOptions = {}): Running {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const graceMs = options.graceMs ?? 300;
  let latest: RunState | undefined;
  const wakers = new Set<() => void>();
  let pids: SandboxPids | undefined;
  const zombiesSeen = new Set<number>();
  const sandbox = program.sandbox;
  const network = options.network ?? newNetwork(program);
  // Its temporary files (lib/lesson's tempDir) go in a folder of its scratch folder.
  const scratchTmp = sandbox ? mkdtempSync(join(sandbox.scratch, '.tmp-')) : undefined;
  if (sandbox) keepDescriptorsFromSandbox();
  /** A pid never seen in the sandbox stays a pid no process of the host has: its negative. */
  let engine: RunControl | undefined;
  const hostPid = (reported: number): number => {
    if (!pids) return reported;
    let found = pids.hostPid(reported);
    // Not seen yet: its messages may be read before the next sample (a busy checker reads all
    // that is ready at once), or before the kernel's report of its fork. Sample now, children and
    // all, while it may still be there.
    if (found === undefined && engine !== undefined) {
      engine.observer.sampleWithChildren();
      pids.learn(engine.observer.rows().map((row) => ({ pid: row.pid, parent: row.bornTo })));
      found = pids.hostPid(reported);
    }
    return found ?? -reported;
  };


  // The inputs go to the exercise in its environment. The engine tells us its state as it changes.
  const control = startRun(
    {
      command:
        sandbox && scratchTmp
          ? sandboxCommand({ compiledDir: sandbox.dir, entry: basename(program.file), packages: sandbox.packages, scratch: sandbox.scratch, shm: sandbox.shm, graceMs })
          : [process.execPath, program.file],
      ...(sandbox && scratchTmp
        ? {
            sandbox: {
              env: sandboxEnv(sandbox.scratch),
              tmp: scratchTmp,
              pidOf: hostPid,
              spawned: (pid: number, parent: number) => pids?.spawned(pid, parent),
              ...(network instanceof SandboxNetwork && network.keeperEnd !== undefined ? { channel: network.keeperEnd } : {}),
            },
          }
        : {}),
      label,
      intervalMs: 25,
      pathPrefixes: [`${projectRoot}/dist/`, `${projectRoot}/`],
      graceMs,
      lesson: { pace: 1, stepMode: false, predict: false, color: false, language: 'en' },
      env: { [TASK_ENV]: JSON.stringify(task) },
    },
    {
      onState(state) {
        latest = state;
        // Learnt while it runs: in a sandbox, a process may be gone (and its pid unreadable) by the end.
        if (pids) {
          pids.learn(state.rows.map((row) => ({ pid: row.pid, parent: row.bornTo })));
          const first = pids.exercisePid();
          // The keeper holds the orphans it adopted until we have seen them zombies (as the
          // runner collects its own at the sample after): now we have.
          const keeper = pids.hostPid(KEEPER_PID);
          const seen = state.rows.filter((row) => row.ppid === keeper && row.pid !== first && row.stat.startsWith('Z') && !zombiesSeen.has(row.pid));
          if (keeper !== undefined && seen.length > 0 && !state.finished) {
            for (const row of seen) zombiesSeen.add(row.pid);
            try {
              process.kill(keeper, SEEN_SIGNAL);
            } catch {
              // gone meanwhile
            }
          }
        }
        for (const wake of wakers) wake();
      },
    },
  );
  engine = control;
  // In a sandbox, the engine's first process is bwrap; the exercise is the keeper's child below
  // bwrap's init (see sandbox.ts).
  if (sandbox) pids = new SandboxPids(control.pid);
  if (network instanceof SandboxNetwork) {
    // The keeper makes the sockets asked for so far, then starts the exercise. The network's
    // tables are those of any process in it: the sandbox's init.
    network.started();
    network.memberPid(() => pids?.hostPid(1));
  }
  // Never seen: -1, no process's pid.
  const exercisePid = (): number => (pids ? pids.exercisePid() ?? -1 : control.pid);
  const asExercise = (how: { code: number | null; signal: string | null }) => (pids ? sandboxed(how) : how);

  active.add(control);
  if (stopping) control.interrupt();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    control.interrupt();
  }, timeoutMs);
  const done = control.done.then((result): Finished => {
    clearTimeout(timer);
    active.delete(control);
    if (network instanceof SandboxNetwork) network.close();
    for (const wake of wakers) wake();
    if (scratchTmp) rmSync(scratchTmp, { recursive: true, force: true });
    // Not seen while it ran (a starved checker): the keeper's child in the record, if the observer
    // saw it, and the children the exercise reported starting, matched to the kernel's forks.
    const records = result.timeline.processes.map((record) => ({ pid: record.pid, parent: record.spans[0]?.ppid ?? 0, firstSeen: record.firstSeen }));
    const complete = result.timeline.sources?.includes('connector') ?? false;
    pids?.learnShape(records, complete);
    pids?.learn(records);
    pids?.matchChildren(records, complete);
    const pid = exercisePid();
    // In a sandbox, bwrap exits as the keeper did, which exits as the exercise did: that status
    // comes from the kernel, whatever the exercise may have said about itself on its channel.
    const { code, signal } = asExercise(result);
    // What it reported while its pid was not known yet (a process that lived too briefly for a
    // scan) carries minus its pid inside: the observer may have seen that process since. The
    // record stays as the observer wrote it; the check reads it with those pids put right.
    const known = <T extends { pid: number }>(each: T): T => (pids && each.pid < 0 ? { ...each, pid: pids.hostPid(-each.pid) ?? each.pid } : each);
    const data = { ...result.timeline, lessonPid: pid, facts: result.timeline.facts.map(known), checkpoints: result.timeline.checkpoints.map(known) };
    return {
      timeline: new Timeline(data),
      pid,
      code,
      signal,
      timedOut,
      output: result.timeline.output.map(({ t, stream, text }) => ({ t, stream, text })),
      timeoutMs,
      hostPid,
      insidePid: (host) => pids?.insidePid(host),
    };
  });
  let over = false;
  void done.then(() => {
    over = true;
  });

  /**
   * Whether the exercise's first process has exited. In a sandbox the run goes on after it (the
   * keeper keeps the sandbox for what it left, up to the grace time): its row in the table says
   * it, with its status where the kernel gave one (else code and signal are null until the run
   * is over).
   */
  const exited = (): { code: number | null; signal: string | null } | undefined => {
    if (latest?.finished) return asExercise(latest.finished);
    if (!pids) return undefined;
    const pid = pids.exercisePid();
    const row = pid === undefined ? undefined : latest?.rows.find((each) => each.pid === pid);
    if (!row || (row.gone === undefined && !row.stat.startsWith('Z'))) return undefined;
    return row.exit?.source === 'kernel' ? { code: row.exit.code, signal: row.exit.signal } : { code: null, signal: null };
  };

  return {
    get pid() {
      return exercisePid();
    },
    rows: () => latest?.rows ?? [],
    exited,
    hostPid,
    network,
    kill(signal) {
      const pid = exercisePid();
      if (exited() || over || pid <= 1) return;
      try {
        process.kill(pid, signal);
      } catch {
        // gone meanwhile
      }
    },
    async until(waitingFor, condition, deadlineMs = 5000) {
      const deadline = Date.now() + deadlineMs;
      for (;;) {
        if (await condition()) return;
        if (exited() || over) {
          // How it ended: once the run is over, as the kernel said (the keeper passes it on).
          const how = await done;
          fail(`It ${describeEnd(how.code, how.signal)} while the check was waiting for ${waitingFor}.`);
        }
        if (Date.now() > deadline) fail(`After ${seconds(deadlineMs)} the check was still waiting for ${waitingFor}.`);
        // Wake at the next sample or output line, or after 25 ms, whichever comes first.
        await new Promise<void>((resolve) => {
          const wake = (): void => {
            wakers.delete(wake);
            clearTimeout(timeout);
            resolve();
          };
          const timeout = setTimeout(wake, 25);
          wakers.add(wake);
        });
      }
    },
    done,
  };
}

/**
 * A network for one run of `program`: in a sandbox, its own (each run's sandbox has one); without
 * one, this machine's.
 */
export function newNetwork(program: Program): Network {
  return program.sandbox ? new SandboxNetwork() : hostNetwork;
}

/** Polls `condition` until it holds (true) or `ms` pass (false). */
export async function waitUntil(condition: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** "exited with code 1", "was killed by SIGTERM". */
export function describeEnd(code: number | null, signal: string | null): string {
  // Neither a signal nor a code: it ended, but how was not learnt (its status reached no one the check could ask).
  return signal ? `was killed by ${signal}` : code === null ? `came to an end` : `exited with code ${code}`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}

/** A private folder for a check's files: short (socket paths must stay under 108 bytes). */
export function makeWorkFolder(): string {
  return mkdtempSync(join(tmpdir(), 'pbx-'));
}

export function removeWorkFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
