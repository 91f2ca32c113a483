// The sandbox a check runs an exercise in: one bubblewrap (bwrap) command line.
//
// A submission is hostile until checked. Inside the sandbox it runs
//   - in a pid namespace of its own (--unshare-pid): it sees only its own processes, so it cannot
//     find the checker, signal it, or write to its descriptors through /proc/<pid>/fd. Its first
//     process is started by the keeper (keeper.ts), which keeps the namespace, after that process
//     has exited, for what it left (an orphan, a daemon) until nothing is left or the grace time
//     has passed, as the runner does outside. Then, or when the checker dies (--die-with-parent),
//     the kernel ends every process in the namespace, setsid'd and double-forked ones included;
//   - on a file system made of read-only binds of what Node needs (/usr, the node binary, the
//     compiled exercise, the packages it imports at run time), a private /tmp, and one writable
//     folder: its own scratch folder, a folder of which it sees as /dev/shm (so that a check can
//     read its shared memory from outside). No project source, no solutions, no other student, no
//     home folder;
//   - with a bare environment (the runner's gives it only what an exercise needs) and no
//     capabilities;
//   - in a network namespace of its own (--unshare-net), whose only interface is a loopback that
//     bwrap brings up (127.0.0.1/8, ::1): it reaches nothing of this machine's (not even its
//     loopback's services) and nothing beyond. The check reaches its servers through sockets the
//     keeper makes in there and hands over (network.ts). Unix sockets and FIFOs, which are files,
//     live in its scratch folder, where the check reaches them too.
//
// Its pids are its namespace's (its first process is the child of the keeper, pid 2, under bwrap's
// init, pid 1), so the pids it reports on its control channel, prints or writes are translated
// to the host's pids the observer sees: `SandboxPids`.
import { homeworkWords } from '../words/homework.js';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { closeOnExec } from '../posix/index.js';
import { PROC_ROOT, childrenOf, descriptorInfo, descriptorsOf, namespacePid } from '../proc/read.js';
import { KEEPER_PID } from './keeper.js';

/** Where bwrap is (PROCBOOK_BWRAP moves it, so a test can see what happens without it). */
export const bwrapPath = process.env.PROCBOOK_BWRAP ?? '/usr/bin/bwrap';

/** Where the compiled exercise is inside the sandbox; its packages are in /node_modules. */
export const SANDBOX_DIR = '/exercise';

let problem: string | undefined | null = null;

function basics(): string[] {
  const args = [
    '--unshare-user-try',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-net',
    '--unshare-cgroup-try',
    '--die-with-parent',
    '--cap-drop',
    'ALL',
    '--ro-bind',
    '/usr',
    '/usr',
  ];
  // /bin, /lib … are links into /usr on a merged-/usr system, folders on an older one.
  for (const top of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    try {
      if (lstatSync(top).isSymbolicLink()) args.push('--symlink', readlinkSync(top), top);
      else args.push('--ro-bind', top, top);
    } catch {
      // not on this system
    }
  }
  for (const file of ['/etc/ld.so.cache', '/etc/localtime', '/etc/hosts', '/etc/nsswitch.conf', '/etc/passwd', '/etc/group']) {
    args.push('--ro-bind-try', file, file);
  }
  args.push('--proc', PROC_ROOT, '--dev', '/dev', '--tmpfs', '/tmp', '--tmpfs', '/dev/shm');
  // Node itself, wherever it is installed (nvm, a tarball in /opt …).
  const node = realpathSync(process.execPath);
  if (!node.startsWith('/usr/')) args.push('--ro-bind', dirname(node), dirname(node));
  return args;
}

/**
 * Why a sandbox cannot be made here, as the end of a sentence ("there is no /usr/bin/bwrap");
 * undefined when it can. Tried once per process: `true` in a sandbox like an exercise's.
 */
export function sandboxProblem(): string | undefined {
  if (problem !== null) return problem;
  if (process.platform !== 'linux') {
    problem = 'it runs on Linux only';
  } else if (!existsSync(bwrapPath)) {
    problem = `there is no ${bwrapPath}`;
  } else {
    const tried = spawnSync(bwrapPath, [...basics(), '--', '/bin/true'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000, env: { PATH: '/usr/bin:/bin' } });
    const said = tried.stderr?.toString().trim().split('\n')[0]?.replace(/[.]$/, '') ?? '';
    problem = tried.status === 0 ? undefined : `it does not work here${said ? ` (${said})` : ''}, perhaps because user namespaces are disabled`;
  }
  return problem;
}

/** The one sentence that says grading cannot run here, and what to install (in English: a check's sentence is translated later). */
export function gradingNeedsSandbox(why: string): string {
  return homeworkWords('en').gradingNeedsSandbox(why);
}

export interface SandboxSpec {
  /** The folder holding the compiled exercise: read-only inside, at /exercise. */
  compiledDir: string;
  /** The compiled file's name in it. */
  entry: string;
  /** The packages it imports at run time, as host folders: read-only at /node_modules/<name>. */
  packages: Array<{ name: string; dir: string }>;
  /** Its scratch folder: the one folder it may write, at the same path as on the host. */
  scratch: string;
  /**
   * A folder of its scratch folder that it sees as /dev/shm (POSIX shared memory, named
   * semaphores): its own, and one the check can look into from outside.
   */
  shm: string;
  /** How long what the exercise leaves may go on after it has exited (the keeper's grace). */
  graceMs: number;
}

/** The command that runs the compiled exercise in a sandbox. */
export function sandboxCommand(spec: SandboxSpec): string[] {
  const args = [bwrapPath, ...basics(), '--ro-bind', spec.compiledDir, SANDBOX_DIR];
  for (const { name, dir } of spec.packages) args.push('--ro-bind', dir, join('/node_modules', name));
  args.push('--bind', spec.scratch, spec.scratch, '--bind', spec.shm, '/dev/shm', '--chdir', spec.scratch);
  // Everything else is read-only, the sandbox's own root too (its /tmp stays private).
  args.push('--remount-ro', '/');
  // The keeper (keeper.ts) starts the exercise, and keeps the sandbox for what it leaves.
  args.push('--', process.execPath, join(SANDBOX_DIR, 'keeper.mjs'), String(Math.max(0, Math.round(spec.graceMs))), join(SANDBOX_DIR, spec.entry));
  return args;
}

/**
 * Marks close-on-exec every descriptor of this process above stderr that is not yet: bwrap passes
 * on every descriptor it inherits, and the checker may have inherited some (a CI runner's log, a
 * make jobserver) that a submission must not write into. Node opens its own close-on-exec.
 */
export function keepDescriptorsFromSandbox(): void {
  const O_CLOEXEC = 0o2000000;
  for (const fd of descriptorsOf('self').keys()) {
    if (fd <= 2) continue;
    const flags = /^flags:\s+([0-7]+)$/m.exec(descriptorInfo('self', fd) ?? '')?.[1];
    if (flags !== undefined && (parseInt(flags, 8) & O_CLOEXEC) === 0) closeOnExec(fd);
  }
}

/** The environment an exercise starts with in the sandbox: nothing of the checker's. */
export function sandboxEnv(scratch: string): Record<string, string> {
  const env: Record<string, string> = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: scratch, TMPDIR: '/tmp', LANG: 'C.UTF-8' };
  // The test suite's marker, so that its check for leftover processes sees these too.
  const mark = process.env.PROCBOOK_TEST_MARK;
  if (mark) env.PROCBOOK_TEST_MARK = mark;
  return env;
}

/**
 * The pids of one sandbox, seen from the host: bwrap (the runner's child) → its init (pid 1
 * inside) → the keeper (pid 2 inside) → the exercise's first process (the keeper's one child;
 * its pid inside depends on how many threads the keeper's Node started first) → what that starts.
 */
export class SandboxPids {
  private readonly hostOf = new Map<number, number>();
  private first: number | undefined;
  private readonly looked = new Set<number>();
  /** The starts the exercise reported (lib/lesson does for every child it starts): child → parent, inside. */
  private readonly parentOf = new Map<number, number>();

  constructor(private readonly bwrapPid: number) {}

  /**
   * The pid inside of the exercise's first process, as the keeper reported it right after starting
   * it (before the exercise could say anything): what the exercise reports about itself carries
   * that pid, and it may have ended before a starved checker could read it.
   */
  private firstInside: number | undefined;

  /** The exercise (or, for its first process, the keeper) reported that `parent` started `pid` (both its namespace's). */
  spawned(pid: number, parent: number): void {
    if (!Number.isInteger(pid) || !Number.isInteger(parent) || pid <= 0 || parent <= 0) return;
    this.parentOf.set(pid, parent);
    if (parent !== KEEPER_PID || this.firstInside !== undefined) return;
    this.firstInside = pid;
    // A guess made before this report (the keeper's one child) may have been an orphan the keeper
    // adopted once the first process had gone: only the process with this pid inside is the first.
    const known = this.hostOf.get(pid);
    if (known !== undefined) this.first = known;
    else if (this.first !== undefined && namespacePid(this.first) !== pid) this.first = undefined;
  }

  /** Whether a child of the keeper whose pid inside is `inside` (undefined: not read) may be the exercise's first process. */
  private mayBeFirst(inside: number | undefined): boolean {
    return this.firstInside === undefined || inside === this.firstInside;
  }

  /**
   * After the run: the pids inside of the children it reported starting that lived too briefly
   * for the checker to read them while they ran (a starved checker): see matchChildren.
   */
  matchChildren(records: Array<{ pid: number; parent: number; firstSeen: number }>, complete: boolean): void {
    for (const [inside, host] of matchChildren(this.hostOf, this.parentOf, records, complete)) this.hostOf.set(inside, host);
  }

  /** Looks at every process in the sandbox again (its init's descendants). */
  private scan(): void {
    const init = this.hostOf.get(1) ?? childrenOf(this.bwrapPid).find((pid) => namespacePid(pid) === 1);
    if (init === undefined) return;
    this.hostOf.set(1, init);
    const known = new Set(this.hostOf.values());
    const queue = [init];
    while (queue.length > 0) {
      const parent = queue.shift()!;
      for (const child of childrenOf(parent)) {
        queue.push(child);
        const inside = known.has(child) ? this.insidePid(child) : namespacePid(child);
        if (parent === this.hostOf.get(KEEPER_PID) && this.mayBeFirst(inside)) {
          // Named by the keeper, it is the first; otherwise a guess, until the keeper's report.
          if (this.firstInside !== undefined) this.first = child;
          else this.first ??= child;
        }
        if (known.has(child)) continue;
        if (inside !== undefined) this.hostOf.set(inside, child);
        if (inside === KEEPER_PID && this.firstInside === undefined) this.first ??= childrenOf(child)[0];
      }
    }
  }

  /**
   * Learns the pids inside of processes the observer has just seen, and their parents (it may see
   * one that lives too briefly for a later scan to find: bwrap's init collects it at once).
   */
  learn(seen: Iterable<{ pid: number; parent: number }>): void {
    for (const { pid, parent } of seen) {
      if (!this.looked.has(pid)) {
        this.looked.add(pid);
        const inside = namespacePid(pid);
        if (inside !== undefined && !this.hostOf.has(inside)) this.hostOf.set(inside, pid);
      }
      // Born to the keeper (what is seen here is each process's first parent): the first process,
      // unless its pid inside, where it could be read, says otherwise.
      const inside = this.insidePid(pid);
      if (this.first === undefined && parent === this.hostOf.get(KEEPER_PID) && (inside === undefined || this.mayBeFirst(inside))) this.first = pid;
    }
  }

  /**
   * After the run, where the kernel reported every fork (`complete`: the proc connector): the host
   * pids of the two processes whose place in the sandbox is fixed, if their pids inside were never
   * read (a starved checker saw them only once they had gone). bwrap's first child is its init (1
   * inside), and the init's first child is the keeper (2 inside): the init starts nothing else, and
   * adopts an orphan only once the keeper, which adopts them before it, has exited.
   */
  learnShape(records: ReadonlyArray<{ pid: number; parent: number; firstSeen: number }>, complete: boolean): void {
    if (!complete) return;
    const firstChild = (parent: number | undefined): number | undefined =>
      parent === undefined ? undefined : records.filter((record) => record.parent === parent).sort((a, b) => a.firstSeen - b.firstSeen)[0]?.pid;
    const place = (inside: number, parent: number | undefined): void => {
      const host = firstChild(parent);
      if (!this.hostOf.has(inside) && host !== undefined && this.insidePid(host) === undefined) this.hostOf.set(inside, host);
    };
    place(1, this.bwrapPid);
    place(KEEPER_PID, this.hostOf.get(1));
  }

  /** The host pid of the exercise's first process (the keeper's child), once it has started. */
  exercisePid(): number | undefined {
    if (this.first === undefined) this.scan();
    return this.first;
  }

  /** The pid inside the sandbox of the host's process `pid`; undefined if it is not one of the sandbox's. */
  insidePid(pid: number): number | undefined {
    for (const [inside, host] of this.hostOf) if (host === pid) return inside;
    return undefined;
  }

  /** The host pid of the process that is `inside` in the sandbox; undefined if it was never seen. */
  hostPid(inside: number): number | undefined {
    if (!this.hostOf.has(inside)) this.scan();
    // The first process: the keeper's one child, whatever its pid inside could still be read.
    if (!this.hostOf.has(inside) && inside === this.firstInside && this.first !== undefined) this.hostOf.set(inside, this.first);
    return this.hostOf.get(inside);
  }
}

/**
 * Host pids for children the exercise reported starting whose pids inside were never read. A
 * parent forks its children one after the other, so their pids inside and their forks on the host
 * come in the same order: where the kernel reported every fork (`complete`: the proc connector),
 * a parent's children on the host, by fork time, and those it reported starting, by pid, are the
 * same processes in the same order, if they are as many and agree wherever both are known.
 * Otherwise nothing is guessed. Returns the new pairs (inside → host); `known` is not changed.
 */
export function matchChildren(
  known: ReadonlyMap<number, number>,
  parentOf: ReadonlyMap<number, number>,
  records: ReadonlyArray<{ pid: number; parent: number; firstSeen: number }>,
  complete: boolean,
): Map<number, number> {
  const found = new Map<number, number>();
  if (!complete) return found;
  const hostOf = (inside: number): number | undefined => known.get(inside) ?? found.get(inside);
  const byParent = new Map<number, number[]>();
  for (const [child, parent] of parentOf) byParent.set(parent, [...(byParent.get(parent) ?? []), child]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [parent, reported] of byParent) {
      const hostParent = hostOf(parent);
      if (hostParent === undefined || reported.every((child) => hostOf(child) !== undefined)) continue;
      const inside = [...reported].sort((a, b) => a - b);
      const host = records.filter((record) => record.parent === hostParent).sort((a, b) => a.firstSeen - b.firstSeen).map((record) => record.pid);
      if (host.length !== inside.length) continue;
      if (inside.some((child, index) => hostOf(child) !== undefined && hostOf(child) !== host[index])) continue;
      const taken = new Set([...known.values(), ...found.values()]);
      if (inside.some((child, index) => hostOf(child) === undefined && taken.has(host[index]!))) continue;
      inside.forEach((child, index) => {
        if (hostOf(child) === undefined) found.set(child, host[index]!);
      });
      grew = true;
    }
  }
  return found;
}
