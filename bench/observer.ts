// The runner's cost while it follows a lesson at 20 samples a second (--interval 50), with ~600
// processes on the machine, beside psList() (the well-known way to read the process table) per
// tick, measured in the same run.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { closeSync } from 'node:fs';
import { listPids, readStat } from '../lib/proc/read.js';
import { connectorFilter, subscribeMessage } from '../lib/proc/connector.js';
import { attachFilter, netlinkSend, openNetlink, receiveNow, setReceiveBuffer } from '../lib/posix/netlink.js';
import { Observer } from '../lib/observe/observer.js';
import { projectRoot } from '../lib/run/paths.js';
import { median, ms, ratio } from './stats.js';

const TICK_MS = 10; // USER_HZ: /proc counts CPU time in hundredths of a second

/** CPU time (user + system) of a process so far, in ms. */
function cpuMsOf(pid: number): number | undefined {
  const stat = readStat(pid);
  return stat === undefined ? undefined : (stat.utime + stat.stime) * TICK_MS;
}

/**
 * Runs lesson 05 under the runner at --interval 50 and returns the runner's own share of one core
 * from the lesson's first step to its last sentence (start-up and clean-up left out).
 */
function runnerShare(): Promise<{ share: number; samples: number; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const runner = spawn(process.execPath, [join(projectRoot, 'dist/lib/cli/main.mjs'), 'lesson', '5', '--plain', '--interval', '50', '--lang', 'en'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let output = '';
    let from: { cpu: number; t: number } | undefined;
    let to: { cpu: number; t: number } | undefined;
    runner.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!from && output.includes('── 1.')) from = { cpu: cpuMsOf(runner.pid!) ?? 0, t: performance.now() };
      if (from && !to && output.includes('waiting is done for you')) to = { cpu: cpuMsOf(runner.pid!) ?? 0, t: performance.now() };
    });
    runner.once('error', reject);
    runner.once('exit', () => {
      if (!from || !to) return reject(new Error('lesson 05 did not print its first step and its last sentence'));
      const wallMs = to.t - from.t;
      resolve({ share: (to.cpu - from.cpu) / wallMs, samples: Math.round(wallMs / 50), wallMs });
    });
  });
}

async function ticks(observer: Observer, count: number): Promise<{ wall: number; cpu: number }> {
  const walls: number[] = [];
  const before = process.cpuUsage();
  for (let index = 0; index < count; index++) {
    const t = performance.now();
    observer.sample();
    walls.push(performance.now() - t);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const cpu = process.cpuUsage(before);
  return { wall: median(walls), cpu: (cpu.user + cpu.system) / 1000 / count };
}

/**
 * The proc connector reports every fork, exec and exit on the machine, threads' included, to every
 * subscriber: each report woke the runner. Its filter (connectorFilter) has the kernel drop those
 * the runner does not read. Two subscriptions side by side, one filtered, while `count` Node
 * processes start and end one after another: the reports each was given.
 */
async function connectorReports(count: number): Promise<{ all: number; kept: number } | undefined> {
  const subscribe = (filtered: boolean): number | undefined => {
    try {
      const fd = openNetlink(11, 1); // NETLINK_CONNECTOR, CN_IDX_PROC; EPERM without root
      setReceiveBuffer(fd, 8 << 20);
      if (filtered && !attachFilter(fd, connectorFilter())) throw new Error('no filter');
      netlinkSend(fd, subscribeMessage(0));
      return fd;
    } catch {
      return undefined;
    }
  };
  const all = subscribe(false);
  const kept = subscribe(true);
  const queued = (fd: number): number => {
    const buffer = Buffer.alloc(1 << 16);
    let datagrams = 0;
    while (receiveNow(fd, buffer) > 0) datagrams++;
    return datagrams;
  };
  try {
    if (all === undefined || kept === undefined) return undefined;
    for (let index = 0; index < count; index++) {
      const node = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
      await new Promise((resolve) => node.once('exit', resolve));
    }
    return { all: queued(all), kept: queued(kept) };
  } finally {
    if (all !== undefined) closeSync(all);
    if (kept !== undefined) closeSync(kept);
  }
}

export async function benchObserver(): Promise<string[]> {
  if (process.platform !== 'linux') return ['observer: /proc benchmarks need Linux; skipped.'];
  // Fill the machine up to ~600 processes, as on a busy desktop.
  // They are children of one shell in a group of its own (not of this process, whose children the
  // observer reads for orphans), all ended with one signal to the group.
  const missing = Math.max(0, 600 - listPids().length);
  const filler = spawn('sh', ['-c', `i=0; while [ $i -lt ${missing} ]; do sleep 300 & i=$((i+1)); done; wait`], { stdio: 'ignore', detached: true });
  // A lesson-like tree to follow in this process: a parent with three children.
  const tree = spawn(process.execPath, ['-e', `
    const { spawn } = require('child_process');
    for (let i = 0; i < 3; i++) spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    setTimeout(() => {}, 60000);
  `], { stdio: 'ignore', detached: true });
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const total = listPids().length;

    // 1. The whole runner (observer, plain view, control channel) following lesson 05.
    const shares: Array<{ share: number; samples: number; wallMs: number }> = [];
    for (let index = 0; index < 3; index++) shares.push(await runnerShare());
    const share = median(shares.map((each) => each.share));

    // 2. One tick, in this process: the observer (with the kernel's reports where allowed, and
    //    by sampling alone) against psList().
    const firstSample = performance.now();
    const sampling = new Observer({ rootPid: tree.pid!, intervalMs: 50, kernelEvents: false });
    sampling.sample(); // the first sample reads every pid once
    const firstMs = performance.now() - firstSample;
    const samplingTick = await ticks(sampling, 40);
    const followed = sampling.alive().length;
    sampling.stop();
    const exact = new Observer({ rootPid: tree.pid!, intervalMs: 60_000 });
    exact.start(); // opens the kernel's reports where allowed (its own next sample is a minute away)
    const source = exact.newProcessSource;
    const exactTick = await ticks(exact, 40);
    exact.stop();
    const { default: psList } = await import('ps-list');
    const psTimes: number[] = [];
    for (let index = 0; index < 10; index++) {
      const t = performance.now();
      await psList();
      psTimes.push(performance.now() - t);
    }
    const ps = median(psTimes);
    const reports = await connectorReports(20);
    return [
      `${total} processes on the machine; the runner follows lesson 05 at 20 samples/s (--interval 50, plain view), new processes from: ${source}`,
      `  runner CPU (observer, view, channel), median of 3 runs over ${(median(shares.map((each) => each.wallMs)) / 1000).toFixed(1)} s: ${(share * 100).toFixed(2)}% of one core (budget 2%); runs: ${shares.map((each) => `${(each.share * 100).toFixed(2)}%`).join(', ')}`,
      `  one tick (median of 40, following ${followed}): observer ${ms(exactTick.wall)} wall, ${ms(exactTick.cpu)} CPU (${source}); sampling alone ${ms(samplingTick.wall)} wall, ${ms(samplingTick.cpu)} CPU; psList() ${ms(ps)} wall = ${ratio(ps / Math.max(exactTick.wall, 0.001))} the observer's tick`,
      `  at 20 ticks/s: observer ${((exactTick.cpu * 20) / 10).toFixed(2)}% of one core, sampling alone ${((samplingTick.cpu * 20) / 10).toFixed(2)}%, psList() would need ${((ps * 20) / 10).toFixed(1)}% of the wall clock; the first sample (every pid read once) ${ms(firstMs)}`,
      reports
        ? `  the proc connector while 20 Node processes start and end: ${reports.kept} reports queued for the runner, ${reports.all} unfiltered = ${((reports.kept / Math.max(reports.all, 1)) * 100).toFixed(0)}% (the kernel drops threads' and other kinds before they wake it)`
        : '  the proc connector: not allowed here (needs root); skipped',
    ];
  } finally {
    try {
      process.kill(-tree.pid!, 'SIGKILL');
    } catch {
      // gone
    }
    const fillerEnded = new Promise((resolve) => (filler.exitCode !== null || filler.signalCode !== null ? resolve(null) : filler.once('exit', resolve)));
    try {
      process.kill(-filler.pid!, 'SIGKILL');
    } catch {
      // gone
    }
    await fillerEnded;
  }
}
