// The pool (lesson 09): what reusing a worker process saves, per task, as ratios measured in the
// same run: our Pool against a new process per task (maxtasksperchild: 1), and the same pair in
// the course's Python (multiprocessing.Pool, fork on Linux), which shows what Node's lack of fork
// costs each new process.
//
//   npm run bench                                this is one of its sections
//   node bin/procbook.mjs run bench/pool.ts      this section alone
//
// Each measurement runs in a child process started from this file (`--measure`), so that the
// pool's workers, started with forkSelf, run this same file in their role.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { role } from '../lib/lesson/index.js';
import { Pool, serveTasks, WORKER_ROLE } from '../lessons/09-pool/pool.js';
import { interleaved, median, ms, ratio } from './stats.js';

const tasks = {
  square(x: number) {
    return x * x;
  },
};

const POOLED = 200;
const FRESH = 40;
const TRIALS = 3;

const PYTHON = `
import sys, time
from multiprocessing import Pool
def square(x):
    return x * x
if __name__ == '__main__':
    count, fresh = int(sys.argv[1]), sys.argv[2] == 'fresh'
    start = time.perf_counter()
    pool = Pool(2, maxtasksperchild=1 if fresh else None)
    pool.map(square, range(count), chunksize=1)
    pool.close()
    pool.join()
    print((time.perf_counter() - start) * 1000)
`;

/** In the measuring child: one pool of 2, `count` tiny tasks, from start to join, in ms. */
async function measure(fresh: boolean, count: number): Promise<number> {
  const start = performance.now();
  const pool = new Pool(2, tasks, fresh ? { title: 'bench fresh worker', maxtasksperchild: 1 } : { title: 'bench worker' });
  const results = pool.map(tasks.square, Array.from({ length: count }, (_, index) => index));
  pool.close();
  await results;
  await pool.join();
  return performance.now() - start;
}

function timeOf(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const value = Number(output.trim().split('\n').at(-1));
      if (code === 0 && Number.isFinite(value)) resolve(value);
      else reject(new Error(`${command} ${args.join(' ')} ended with ${code}: ${output.trim()}`));
    });
  });
}

const hasPython = (): Promise<boolean> =>
  new Promise((resolve) => {
    const child = spawn('python3', ['-c', 'import multiprocessing'], { stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('close', (code) => resolve(code === 0));
  });

export async function benchPool(): Promise<string[]> {
  const self = fileURLToPath(import.meta.url);
  const node = (fresh: boolean, count: number) => () => timeOf(process.execPath, [self, '--measure', fresh ? 'fresh' : 'pooled', String(count)]);
  const python = (fresh: boolean, count: number) => () => timeOf('python3', ['-c', PYTHON, String(count), fresh ? 'fresh' : 'pooled']);
  const withPython = await hasPython();
  const cases = {
    nodePooled: node(false, POOLED),
    nodeFresh: node(true, FRESH),
    ...(withPython ? { pythonPooled: python(false, POOLED), pythonFresh: python(true, FRESH) } : {}),
  } as Record<'nodePooled' | 'nodeFresh' | 'pythonPooled' | 'pythonFresh', () => Promise<number>>;
  const times = await interleaved(TRIALS, cases);
  const perTask = (name: keyof typeof times, count: number): number => median(times[name]) / count;
  const lines = [
    `tiny tasks through a pool of 2 processes, start to join (median of ${TRIALS}, interleaved):`,
    `  Node:   ${POOLED} tasks pooled ${ms(perTask('nodePooled', POOLED))} per task; ${FRESH} with a new process each ${ms(perTask('nodeFresh', FRESH))} per task = ${ratio(perTask('nodeFresh', FRESH) / perTask('nodePooled', POOLED))}`,
  ];
  if (withPython) {
    lines.push(
      `  Python: ${POOLED} tasks pooled ${ms(perTask('pythonPooled', POOLED))} per task; ${FRESH} with a new process each ${ms(perTask('pythonFresh', FRESH))} per task = ${ratio(perTask('pythonFresh', FRESH) / perTask('pythonPooled', POOLED))}`,
      `  a new process per task costs Node ${ratio(perTask('nodeFresh', FRESH) / perTask('pythonFresh', FRESH))} what it costs Python (a fresh runtime vs a fork)`,
    );
  } else lines.push('  (no python3 here: the course\'s Pool was not measured)');
  return lines;
}

if (role === WORKER_ROLE) serveTasks(tasks);
else if (process.argv[2] === '--measure') {
  process.stdout.write(`${await measure(process.argv[3] === 'fresh', Number(process.argv[4]))}\n`);
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const line of await benchPool()) process.stdout.write(`${line}\n`);
}
