// lib/proc's readers against the real kernel: a shell with a sleeping child, a zombie held by a
// parent that never waits, this very process. What each reader returns for a live process, a
// zombie, and a pid that is gone.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { monotonicMs } from '../../lib/proc/clock.js';
import { onLinux, runningOn } from '../../lib/proc/platform.js';
import {
  allStats,
  childrenOf,
  commandLine,
  commandName,
  descriptorInfo,
  descriptorsOf,
  environmentOf,
  hasProc,
  identityOf,
  initName,
  ioCountsOf,
  isAliveAs,
  listPids,
  namespacePid,
  PROC_ROOT,
  readStat,
  socketTable,
  startTicksOf,
  udpCounters,
} from '../../lib/proc/read.js';
import { ProcfsSource, PsSource, defaultSource, liveStat } from '../../lib/proc/source.js';

/** A pid no process has (above any pid_max). */
const GONE = 99_999_999;
const started: ChildProcess[] = [];

/** Starts `sh -c script` (or another program); resolves with its pid and the first line it prints (a pid). */
async function shell(script: string, env: Record<string, string> = {}, program = 'sh'): Promise<{ sh: number; printed: number }> {
  // An empty last argument: the command line the kernel keeps ends in two NULs, and both go.
  const child = spawn(program, [program === 'sh' ? '-c' : '-e', script, ''], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, ...env },
  });
  started.push(child);
  const line = await new Promise<string>((resolve) => child.stdout!.once('data', (data: Buffer) => resolve(String(data))));
  return { sh: child.pid!, printed: Number(line.trim()) };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 5000; !condition(); ) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let tree: { sh: number; printed: number }; // sh, and its child `sleep 30`
let zombie: { sh: number; printed: number }; // a perl that never waits, and its child `true`, a zombie

beforeAll(async () => {
  tree = await shell('sleep 30 & echo $!; wait', { PROCBOOK_READ_TEST: 'a=b', PROCBOOK_READ_EMPTY: '' });
  await until(() => readStat(tree.printed)?.comm === 'sleep', 'the exec of sleep');
  // (A shell would do, were it sure not to collect its child before it exec's a program that never waits.)
  zombie = await shell('$| = 1; my $child = fork(); exec "/bin/true" if $child == 0; print "$child\n"; sleep 30', {}, 'perl');
  await until(() => readStat(zombie.printed)?.state === 'Z', 'the zombie');
});

afterAll(async () => {
  for (const pid of [tree.printed]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  for (const child of started) child.kill('SIGKILL');
  await until(() => started.every((child) => child.exitCode !== null || child.signalCode !== null), 'the shells to end');
});

describe('ProcfsSource (the observer reads through it)', () => {
  test('listPids: every process, this one and the shell included, as numbers', () => {
    const pids = new ProcfsSource().listPids();
    expect(pids).toContain(process.pid);
    expect(pids).toContain(tree.sh);
    expect(pids.every((pid) => Number.isInteger(pid) && pid > 0)).toBe(true);
  });

  test("children: a process's children, none for a process without, none for one that is gone", () => {
    const source = new ProcfsSource();
    expect(source.children(tree.sh)).toEqual([tree.printed]);
    expect(source.children(tree.printed)).toEqual([]);
    expect(source.children(GONE)).toEqual([]);
  });

  test('open, reread, forget: through a descriptor kept open', () => {
    const source = new ProcfsSource();
    const first = source.open(tree.printed)!;
    expect(first).toMatchObject({ pid: tree.printed, ppid: tree.sh, comm: 'sleep', state: 'S' });
    expect(source.reread(tree.printed)).toEqual({ ...first, utime: expect.any(Number), stime: expect.any(Number) });
    expect(source.reread(tree.sh)).toBeUndefined(); // never opened
    source.forget(tree.printed);
    expect(source.reread(tree.printed)).toBeUndefined();
    expect(source.open(GONE)).toBeUndefined();
    source.forget(GONE); // never opened: nothing to close
    // Forgetting closes the descriptor it kept.
    source.open(tree.printed);
    const fd = (source as unknown as { descriptors: Map<number, number> }).descriptors.get(tree.printed)!;
    expect(descriptorsOf('self').get(fd)).toBe(`${PROC_ROOT}/${tree.printed}/stat`);
    source.forget(tree.printed);
    expect(descriptorsOf('self').get(fd)).not.toBe(`${PROC_ROOT}/${tree.printed}/stat`);
    source.open(tree.sh);
    source.open(tree.printed);
    source.close();
    expect(source.reread(tree.sh)).toBeUndefined();
    expect(source.reread(tree.printed)).toBeUndefined();
  });

  test('a zombie reads as Z; an open descriptor answers nothing once its process is gone', async () => {
    const source = new ProcfsSource();
    expect(source.open(zombie.printed)).toMatchObject({ state: 'Z', ppid: zombie.sh });
    const { sh, printed } = await shell('sleep 30 & echo $!; wait');
    try {
      expect(source.open(printed)).toMatchObject({ ppid: sh }); // its command name may still be sh's: read at the fork, before the exec
    } finally {
      process.kill(printed, 'SIGKILL'); // its shell collects it and exits
    }
    await until(() => source.reread(printed) === undefined, 'the descriptor to answer nothing');
    await until(() => readStat(sh) === undefined || readStat(sh)!.state === 'Z', 'the shell to end');
    source.close();
  });

  test('a process being reaped reads as gone, never as X with parent 0', async () => {
    // The kernel's own race: reread while the parent's wait() removes it. In a run of lesson 02 such a
    // read (X, parent 0) made the observer say the child was reaped by pid 0.
    const line = (state: string, ppid: number): string => `4242 (true) ${state} ${ppid} 4240 4240 0 -1 4194560 ${'0 '.repeat(40)}0`;
    expect(liveStat(line('Z', 4241))).toMatchObject({ pid: 4242, state: 'Z', ppid: 4241 });
    expect(liveStat(line('X', 0))).toBeUndefined();
    expect(liveStat(line('X', 4241))).toBeUndefined();
    // And on the kernel: reread as fast as it goes, through reaps by a shell, until each is gone.
    const source = new ProcfsSource();
    const states = new Set<string>();
    for (let reaps = 0; reaps < 40; reaps++) {
      const { printed } = await shell('sleep 0.02 & echo $!; wait');
      if (!source.open(printed)) continue;
      for (let stat = source.reread(printed); stat; stat = source.reread(printed)) states.add(`${stat.state} ${stat.ppid === 0 ? 0 : 'parent'}`);
      source.forget(printed);
    }
    expect([...states].filter((state) => state.startsWith('X') || state.endsWith(' 0'))).toEqual([]);
    expect(states).toContain('Z parent');
  });

  test('commandLine, executable, environment; nothing for a pid that is gone', () => {
    const source = new ProcfsSource();
    expect(source.commandLine(tree.sh)).toBe('sh -c sleep 30 & echo $!; wait');
    expect(source.commandLine(tree.printed)).toBe('sleep 30');
    expect(source.commandLine(zombie.printed)).toBe(''); // a zombie has none
    expect(source.commandLine(GONE)).toBe('');
    expect(basename(source.executable(tree.printed))).toMatch(/sleep/);
    expect(source.executable(GONE)).toBe('');
    expect(source.environment(tree.sh, 'PROCBOOK_READ_TEST')).toBe('a=b');
    expect(source.environment(tree.sh, 'PROCBOOK_READ_EMPTY')).toBe('');
    expect(source.environment(tree.sh, 'PROCBOOK_READ')).toBeUndefined(); // a prefix of a name is not the name
    expect(source.environment(tree.sh, 'ROCBOOK_READ_TEST')).toBeUndefined(); // nor the end of one
    expect(source.environment(GONE, 'PATH')).toBeUndefined();
  });
});

describe('single reads', () => {
  test('readStat and startTicksOf: this process, a gone one', () => {
    const self = readStat('self')!;
    expect(self.pid).toBe(process.pid);
    expect(readStat(process.pid)!.startTicks).toBe(self.startTicks);
    expect(startTicksOf('self')).toBe(self.startTicks);
    expect(startTicksOf(tree.sh)).toBe(readStat(tree.sh)!.startTicks);
    expect(readStat(GONE)).toBeUndefined();
    expect(startTicksOf(GONE)).toBeUndefined();
    expect(hasProc).toBe(true);
  });

  test('identityOf: pid@startTicks; where the process table is mounted', () => {
    expect(identityOf(12, 345)).toBe('12@345');
    expect(PROC_ROOT.split('/')).toEqual(['', 'proc']);
  });

  test('isAliveAs: the same process, alive; not with another start tick, not a zombie, not gone', () => {
    const ticks = readStat(tree.printed)!.startTicks;
    expect(isAliveAs(tree.printed, ticks)).toBe(true);
    expect(isAliveAs(tree.printed, ticks + 1)).toBe(false);
    expect(isAliveAs(zombie.printed, readStat(zombie.printed)!.startTicks)).toBe(false);
    expect(isAliveAs(GONE, 0)).toBe(false);
  });

  test('listPids and allStats: every process on the machine', () => {
    expect(listPids()).toContain(tree.sh);
    expect(listPids().every((pid) => Number.isInteger(pid) && pid > 0)).toBe(true);
    const stats = allStats();
    expect(stats.every((stat) => Number.isInteger(stat.pid) && typeof stat.state === 'string')).toBe(true);
    expect(stats.find((stat) => stat.pid === tree.printed)).toMatchObject({ ppid: tree.sh, comm: 'sleep' });
    expect(stats.find((stat) => stat.pid === zombie.printed)).toMatchObject({ state: 'Z' });
  });

  test("childrenOf: every thread's children (this process's spawn may come from a worker thread)", () => {
    expect(childrenOf(tree.sh)).toEqual([tree.printed]);
    expect(childrenOf(zombie.sh)).toEqual([zombie.printed]);
    expect(childrenOf(process.pid)).toEqual(expect.arrayContaining([tree.sh, zombie.sh]));
    expect(childrenOf(tree.printed)).toEqual([]);
    expect(childrenOf(GONE)).toEqual([]);
  });

  test('commandName, commandLine, environmentOf', () => {
    expect(commandName(tree.printed)).toBe('sleep');
    expect(commandName(zombie.printed)).toBe('true');
    expect(commandName('self' as unknown as number)).toBe(readStat('self')!.comm);
    expect(commandName(GONE)).toBeUndefined();
    expect(initName()).toBe(commandName(1));
    expect(commandLine(tree.sh)).toBe('sh -c sleep 30 & echo $!; wait');
    expect(commandLine(GONE)).toBe('');
    const environment = environmentOf(tree.sh);
    expect(environment).toContain('PROCBOOK_READ_TEST=a=b');
    expect(environment).toContain('PROCBOOK_READ_EMPTY=');
    expect(environment).not.toContain('');
    expect(environmentOf(GONE)).toEqual([]);
  });

  test('descriptorsOf and descriptorInfo: a file this process opened', () => {
    const fd = openSync('/dev/null', 'r');
    try {
      expect(descriptorsOf('self').get(fd)).toBe('/dev/null');
      expect(descriptorsOf(process.pid).get(fd)).toBe('/dev/null');
      expect(descriptorInfo('self', fd)).toMatch(/^pos:\s+0\n/);
    } finally {
      closeSync(fd);
    }
    expect(descriptorsOf('self').has(fd)).toBe(false);
    expect(descriptorInfo('self', fd)).toBeUndefined();
    expect(descriptorsOf(GONE).size).toBe(0);
  });

  test('ioCountsOf: what the kernel counted this process writing', () => {
    const before = ioCountsOf('self')!;
    const fd = openSync('/dev/null', 'w');
    try {
      writeSync(fd, Buffer.alloc(300_000));
    } finally {
      closeSync(fd);
    }
    const after = ioCountsOf('self')!;
    expect(after.wchar - before.wchar).toBeGreaterThanOrEqual(300_000);
    expect(after.rchar - before.rchar).toBeLessThan(300_000);
    expect(after.rchar).toBeGreaterThan(0);
    for (const value of Object.values(after)) expect(Number.isInteger(value) && value >= 0).toBe(true);
    expect(Object.keys(after).sort()).toEqual(['rchar', 'readBytes', 'wchar', 'writeBytes']);
    expect(ioCountsOf(GONE)).toBeUndefined();
  });

  test("socketTable and udpCounters: a UDP socket of this process is in the kernel's table, its datagram counted", async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    try {
      const port = socket.address().port.toString(16).toUpperCase().padStart(4, '0');
      const lines = socketTable('udp');
      expect(lines.some((line) => line.includes(`0100007F:${port}`))).toBe(true);
      expect(lines.every((line) => !line.includes('local_address'))).toBe(true); // the header is not a socket
      expect(lines.every((line) => line.trim() !== '')).toBe(true); // nor the end of the file
      const before = udpCounters()!;
      await new Promise<void>((resolve, reject) => socket.send('x', socket.address().port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
      await until(() => udpCounters()!.OutDatagrams! > before.OutDatagrams!, 'the datagram to be counted');
      expect(Object.keys(before)).toEqual(expect.arrayContaining(['InDatagrams', 'OutDatagrams', 'RcvbufErrors']));
    } finally {
      socket.close();
    }
  });

  test('namespacePid: the pid inside a pid namespace (a sandbox), none in ours', async () => {
    expect(namespacePid(process.pid)).toBeUndefined();
    expect(namespacePid(GONE)).toBeUndefined();
    const child = spawn('bwrap', ['--unshare-pid', '--die-with-parent', '--dev-bind', '/', '/', '--proc', PROC_ROOT, 'sleep', '30'], { stdio: 'ignore' });
    started.push(child);
    // bwrap (pid 1 inside) starts sleep (pid 2 inside): find it below bwrap on the host.
    let sleep: number | undefined;
    await until(() => {
      const below = childrenOf(child.pid!).flatMap((pid) => [pid, ...childrenOf(pid)]);
      sleep = below.find((pid) => commandName(pid) === 'sleep');
      return sleep !== undefined;
    }, 'the sandboxed sleep');
    expect(namespacePid(sleep!)).toBe(2);
    // Its end ends the sandbox: bwrap exits, and nothing is left to anyone else.
    process.kill(sleep!, 'SIGKILL');
    await until(() => child.exitCode !== null, 'the sandbox to end');
  });
});

describe('the clock and the platform', () => {
  test('monotonicMs is the monotonic clock in milliseconds', () => {
    const ours = monotonicMs();
    const theirs = Number(process.hrtime.bigint()) / 1e6;
    expect(theirs - ours).toBeGreaterThanOrEqual(0);
    expect(theirs - ours).toBeLessThan(1000);
  });

  test('runningOn and onLinux: the platform, or the one PROCBOOK_PLATFORM pretends', () => {
    expect(runningOn({})).toBe(process.platform);
    expect(runningOn({ PROCBOOK_PLATFORM: 'darwin' })).toBe('darwin');
    expect(onLinux({})).toBe(process.platform === 'linux');
    expect(onLinux({ PROCBOOK_PLATFORM: 'darwin' })).toBe(false);
    expect(onLinux({ PROCBOOK_PLATFORM: 'linux' })).toBe(true);
  });

  test('defaultSource: /proc on Linux, ps where procbook pretends to be elsewhere', () => {
    const saved = process.env.PROCBOOK_PLATFORM;
    try {
      delete process.env.PROCBOOK_PLATFORM;
      expect(defaultSource()).toBeInstanceOf(ProcfsSource);
      process.env.PROCBOOK_PLATFORM = 'darwin';
      expect(defaultSource()).toBeInstanceOf(PsSource);
    } finally {
      if (saved === undefined) delete process.env.PROCBOOK_PLATFORM;
      else process.env.PROCBOOK_PLATFORM = saved;
    }
  });
});

test('PsSource against the real ps: this process, its parent, its threads', () => {
  const source = new PsSource();
  expect(source.listPids()).toContain(process.pid);
  const self = source.open(process.pid)!;
  expect(self).toMatchObject({ pid: process.pid, ppid: process.ppid, threads: 2 });
  expect(source.reread(process.pid)).toEqual(self);
  expect(source.commandLine(process.pid)).toContain(basename(process.execPath));
  const sleeping = source.open(tree.printed)!;
  expect(sleeping).toMatchObject({ ppid: tree.sh, comm: 'sleep', state: 'S' });
  expect(Math.abs(sleeping.startTicks * 1000 - (Date.now() - 60_000))).toBeLessThan(10 * 60_000); // lstart: a date, in seconds
});
