// Start-up costs, as ratios against a baseline measured in the same run:
//  - a process a lesson forks (compiled lesson file + lesson API) vs a plain `node` child,
//    and the same file through tsx's loader, for comparison (budget: 1.3× plain node);
//  - the runner's overhead to a lesson's first line vs running that lesson alone (budget 150 ms).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../lib/run/paths.js';
import { interleaved, median, ms, ratio } from './stats.js';

/**
 * Time from spawn until the child's output contains `marker`. Then stops the child with SIGTERM,
 * as Ctrl-C would, so the runner ends its lesson and removes the run's temporary folder (a
 * SIGKILL left one behind per run); SIGKILL only if it has not ended 5 s later.
 */
function timeToOutput(args: string[], marker: string, env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ...env }, detached: true });
    const signalGroup = (signal: NodeJS.Signals): void => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // gone
      }
    };
    let output = '';
    let timed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (timed || !output.includes(marker)) return;
      timed = true;
      const elapsed = performance.now() - started;
      const stubborn = setTimeout(() => signalGroup('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(stubborn);
        resolve(elapsed);
      });
      signalGroup('SIGTERM');
    });
    child.once('error', reject);
  });
}

export async function benchStartup(): Promise<string[]> {
  const forked = join(projectRoot, 'dist/bench/forked.mjs');
  const tsxLoader = join(projectRoot, 'node_modules/tsx/dist/loader.mjs');
  const starts = await interleaved(10, {
    plain: () => timeToOutput(['-e', 'process.stdout.write("ready\\n")'], 'ready'),
    forked: () => timeToOutput([forked], 'ready', { PROCBOOK_ROLE: 'child' }),
    tsx: () => timeToOutput(['--import', tsxLoader, join(projectRoot, 'bench/forked.ts')], 'ready', { PROCBOOK_ROLE: 'child' }),
  });
  const lesson = join(projectRoot, 'dist/lessons/01-fork/lesson.mjs');
  const runner = join(projectRoot, 'dist/lib/runner/cli.mjs');
  const first = await interleaved(10, {
    alone: () => timeToOutput([lesson], '── 1.'),
    runner: () => timeToOutput([runner, 'lesson', '1', '--plain'], '── 1.'),
  });
  const plain = median(starts.plain);
  const overhead = median(first.runner) - median(first.alone);
  return [
    `start of a forked lesson process (median of 10, interleaved):`,
    `  plain node ${ms(plain)}; compiled lesson file ${ms(median(starts.forked))} = ${ratio(median(starts.forked) / plain)} (budget 1.3×); through tsx ${ms(median(starts.tsx))} = ${ratio(median(starts.tsx) / plain)}`,
    `time to a lesson's first line (lesson 01, median of 10, interleaved):`,
    `  alone ${ms(median(first.alone))}; in the runner ${ms(median(first.runner))}: overhead ${ms(overhead)} (budget 150 ms), ${ratio(median(first.runner) / median(first.alone))}`,
  ];
}
