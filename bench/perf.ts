// The perf source's cost (the kernel's fork and exit records without root, lib/proc/perf.ts): this
// process's CPU with a reader listening (a worker thread waits in poll(2) for the kernel's
// wake-up), idle and while a shell it started forks tools without pause, beside the same process
// without a reader, and beside a bare timer at the period the reader falls back to where it cannot
// wait. Interleaved trials in the same run: a noisy machine slows each alike.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { KernelEvent } from '../lib/proc/connector.js';
import { PERF_BATCH_MS, PERF_POLL_MS, PERF_WAIT_MS, PerfReader } from '../lib/proc/perf.js';
import { interleaved, median } from './stats.js';

const TRIAL_MS = 1000;

/** This process's share of one core over one trial, and the process events read meanwhile. */
async function trial(what: 'nothing' | 'reader' | 'timer', forking: boolean): Promise<{ share: number; events: number }> {
  let events = 0;
  const reader = what === 'reader' ? PerfReader.open((batch: KernelEvent[]) => (events += batch.length)) : undefined;
  if (what === 'reader' && !reader) throw new Error('perf_event_open is not allowed here');
  const timer = what === 'timer' ? setInterval(() => {}, PERF_POLL_MS) : undefined;
  // Opened before the shell starts: the shell and every tool it forks inherit the event.
  const shell = forking ? spawn('sh', ['-c', 'while :; do /bin/true; done'], { stdio: 'ignore', detached: true }) : undefined;
  const before = process.cpuUsage();
  const t = performance.now();
  await new Promise((resolve) => setTimeout(resolve, TRIAL_MS));
  const used = process.cpuUsage(before);
  const wall = performance.now() - t;
  if (shell) {
    const ended = new Promise((resolve) => shell.once('exit', resolve));
    process.kill(-shell.pid!, 'SIGKILL');
    await ended;
  }
  reader?.close();
  if (timer) clearInterval(timer);
  return { share: (used.user + used.system) / 1000 / wall, events };
}

export async function benchPerf(): Promise<string[]> {
  if (process.platform !== 'linux') return ['perf source: Linux only; skipped.'];
  const probe = PerfReader.open();
  if (!probe) return ['perf source: perf_event_open is not allowed here (perf_event_paranoid > 2, or a container filter); skipped.'];
  probe.close();
  const counts: number[] = [];
  const shares = await interleaved(5, {
    nothing: async () => (await trial('nothing', false)).share,
    reader: async () => (await trial('reader', false)).share,
    timer: async () => (await trial('timer', false)).share,
    nothingForking: async () => (await trial('nothing', true)).share,
    readerForking: async () => {
      const result = await trial('reader', true);
      counts.push(result.events);
      return result.share;
    },
  });
  const pct = (value: number): string => `${(value * 100).toFixed(2)}%`;
  const m = Object.fromEntries(Object.entries(shares).map(([name, values]) => [name, median(values as number[])])) as Record<keyof typeof shares, number>;
  return [
    `this process's CPU, median of 5 trials of ${TRIAL_MS / 1000} s; the reader waits in poll(2) (${PERF_WAIT_MS} ms at most), reads when the kernel wakes it, ${PERF_BATCH_MS} ms apart under load:`,
    `  idle: with a reader ${pct(m.reader)} of one core, without ${pct(m.nothing)}: the reader adds ${pct(m.reader - m.nothing)} (a bare ${PERF_POLL_MS} ms timer, the fallback, adds ${pct(m.timer - m.nothing)})`,
    `  a shell it started forking /bin/true without pause (${Math.round(median(counts) / (TRIAL_MS / 1000))} fork/exec/exit events/s read): with a reader ${pct(m.readerForking)}, without ${pct(m.nothingForking)}: the reader adds ${pct(m.readerForking - m.nothingForking)}`,
  ];
}
