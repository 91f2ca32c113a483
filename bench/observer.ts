// The observer's cost: how much of one core it takes at 5 samples a second with ~600 processes
// on the machine, next to psList() per tick, measured in the same run.
import { spawn, type ChildProcess } from 'node:child_process';
import { listPids } from '../lib/proc/read.js';
import { performance } from 'node:perf_hooks';
import { Observer } from '../lib/observe/observer.js';
import { median, ms, ratio } from './stats.js';

function countProcesses(): number {
  return listPids().length;
}

export async function benchObserver(): Promise<string[]> {
  if (process.platform !== 'linux') return ['observer: /proc benchmarks need Linux; skipped.'];
  // Fill the machine up to ~600 processes, as on a busy desktop.
  const filler: ChildProcess[] = [];
  const missing = 600 - countProcesses();
  for (let index = 0; index < missing; index++) filler.push(spawn('sleep', ['120'], { stdio: 'ignore' }));
  // A lesson-like tree to follow: a parent with three children.
  const lesson = spawn(process.execPath, ['-e', `
    const { spawn } = require('child_process');
    for (let i = 0; i < 3; i++) spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    setTimeout(() => {}, 60000);
  `], { stdio: 'ignore', detached: true });
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const total = countProcesses();
    const observer = new Observer({ rootPid: lesson.pid!, intervalMs: 200 });
    observer.sample(); // the first sample reads every pid once; the budget is about the steady state

    // Steady state at 5 Hz, for 5 s.
    observer.cpuMicros = 0;
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => observer.sample(), 200);
      setTimeout(() => {
        clearInterval(timer);
        resolve();
      }, 5000);
    });
    const elapsedMs = performance.now() - started;
    const coreShare = observer.cpuMicros / 1000 / elapsedMs;
    const perSampleCpu = observer.cpuMicros / 1000 / 25;

    // The same tick with ps-list, the well-known alternative.
    const { default: psList } = await import('ps-list');
    const psTimes: number[] = [];
    for (let index = 0; index < 10; index++) {
      const t = performance.now();
      await psList();
      psTimes.push(performance.now() - t);
    }
    const followed = observer.alive().length;
    const observerTimes: number[] = [];
    for (let index = 0; index < 50; index++) {
      const t = performance.now();
      observer.sample();
      observerTimes.push(performance.now() - t);
    }
    observer.stop();
    return [
      `observer: ${total} processes on the machine, following ${followed}`,
      `  CPU at 5 samples/s over 5 s: ${(coreShare * 100).toFixed(2)}% of one core (budget 1%), ${ms(perSampleCpu)} CPU per sample`,
      `  one tick, wall time: observer ${ms(median(observerTimes))}, psList() ${ms(median(psTimes))} (psList/observer ${ratio(median(psTimes) / median(observerTimes))})`,
    ];
  } finally {
    try {
      process.kill(-lesson.pid!, 'SIGKILL');
    } catch {
      // gone
    }
    for (const each of filler) each.kill('SIGKILL');
    await Promise.all(filler.map((each) => new Promise((resolve) => (each.exitCode !== null || each.signalCode !== null ? resolve(null) : each.once('exit', resolve)))));
  }
}
