// Start-up costs, as ratios against a baseline measured in the same run:
//  - a process a lesson forks (compiled lesson file + lesson API) vs a plain `node` child,
//    and the same file through tsx's loader, for comparison (budget: 1.3× plain node);
//  - the runner's overhead to a lesson's first line vs running that lesson alone (budget 100 ms),
//    and where that time goes: Node's own start, the build check, loading the runner, koffi (the
//    subreaper call), the first sample;
//  - the runner's end: how long it stays after its summary, beside a node that prints and ends.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../lib/run/paths.js';
import { interleaved, median, ms, ratio } from './stats.js';

/**
 * Time from spawn until the child's output contains `marker` (or, without one, until it exits).
 * Then stops the child with SIGTERM, as Ctrl-C would, so the runner ends its lesson and removes
 * the run's temporary folder; SIGKILL only if it has not ended 5 s later.
 */
function timeToOutput(args: string[], marker: string | undefined, env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'], env: { ...startEnv(), ...env }, detached: true });
    const signalGroup = (signal: NodeJS.Signals): void => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // gone
      }
    };
    let output = '';
    let timed = false;
    if (marker === undefined) child.once('exit', () => resolve(performance.now() - started));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (marker === undefined || timed || !output.includes(marker)) return;
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

/** From the child's last output to its exit: what a process still does after it has said everything. */
function tailAfterOutput(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'], env: startEnv() });
    let last = performance.now();
    child.stdout.on('data', () => (last = performance.now()));
    child.once('exit', () => resolve(performance.now() - last));
    child.once('error', reject);
  });
}

const inProject = (code: string): string[] => ['--input-type=module', '-e', code];

/**
 * The environment every process measured here starts with: this one's, less NODE_EXTRA_CA_CERTS.
 * Where that is set (as on these machines) Node reads the whole CA bundle as it starts, which
 * triples the start of a plain `node`; the runner gives its lessons an environment without it, so
 * the lesson alone is measured without it too (and the runner itself as well).
 */
function startEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** The start of `node -e 0` with NODE_EXTRA_CA_CERTS as this process has it, against without. */
async function caBundleCost(): Promise<string | undefined> {
  const bundle = process.env.NODE_EXTRA_CA_CERTS;
  if (!bundle) return undefined;
  const starts = await interleaved(10, {
    with: () => timeToOutput(['-e', ''], undefined, { NODE_EXTRA_CA_CERTS: bundle }),
    without: () => timeToOutput(['-e', ''], undefined),
  });
  return `  NODE_EXTRA_CA_CERTS is set here: \`node -e 0\` takes ${ms(median(starts.with))} with it, ${ms(median(starts.without))} without (${ratio(median(starts.with) / median(starts.without))}); every figure above is without it, as the runner starts its lessons`;
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
  const main = join(projectRoot, 'dist/lib/cli/main.mjs');
  const build = join(projectRoot, 'bin/build.mjs');
  const koffi = join(projectRoot, 'node_modules/koffi/index.js');
  // What `npm run lesson -- 1` runs after npm itself: bin/procbook.mjs (the build check, then the CLI).
  const first = await interleaved(10, {
    alone: () => timeToOutput([lesson, '--lang', 'en'], '── 1.', { PROCBOOK_LANG: 'en' }),
    runner: () => timeToOutput([join(projectRoot, 'bin/procbook.mjs'), 'lesson', '1', '--plain', '--lang', 'en'], '── 1.'),
    direct: () => timeToOutput([main, 'lesson', '1', '--plain', '--lang', 'en'], '── 1.'),
    node: () => timeToOutput(['-e', ''], undefined),
    buildCheck: () => timeToOutput(inProject(`const { isStale } = await import(${JSON.stringify(build)}); isStale();`), undefined),
    cliLoad: () => timeToOutput([main, 'no-such-command'], undefined),
    koffi: () => timeToOutput(inProject(`import { createRequire } from 'node:module'; createRequire(${JSON.stringify(koffi)})(${JSON.stringify(koffi)}).load('libc.so.6');`), undefined),
  });
  // The runner's end: after its summary it closes the kernel's reports and its pipes. Two waits
  // there (a drain timer never cleared, a read of the proc connector left to its 100 ms timeout)
  // once kept it alive about half a second after it had said everything.
  const ends = await interleaved(10, {
    node: () => tailAfterOutput(['-e', 'console.log("done")']),
    runner: () => tailAfterOutput([main, 'watch', '--plain', 'true']),
  });
  const plain = median(starts.plain);
  const alone = median(first.alone);
  const runner = median(first.runner);
  const overhead = runner - alone;
  const node = median(first.node);
  return [
    `start of a forked lesson process (median of 10, interleaved):`,
    `  plain node ${ms(plain)}; compiled lesson file ${ms(median(starts.forked))} = ${ratio(median(starts.forked) / plain)} (budget 1.3×); through tsx ${ms(median(starts.tsx))} = ${ratio(median(starts.tsx) / plain)}`,
    `time to a lesson's first line (lesson 01, median of 10, interleaved):`,
    `  alone ${ms(alone)}; in the runner (bin/procbook.mjs) ${ms(runner)}: overhead ${ms(overhead)} (budget 100 ms), ${ratio(runner / alone)}`,
    `  where the runner's time goes (each a fresh node, minus an empty node's ${ms(node)}): build check ${ms(median(first.buildCheck) - node)}, ` +
      `loading the CLI ${ms(median(first.cliLoad) - node)}, koffi (for the subreaper call and the kernel's reports) ${ms(median(first.koffi) - node)}; ` +
      `the CLI without bin/procbook.mjs ${ms(median(first.direct) - alone)} over the lesson alone`,
    `the runner's end (\`watch --plain true\`, median of 10, interleaved): it exits ${ms(median(ends.runner))} after its summary; a node that prints a line and ends, ${ms(median(ends.node))} after it`,
    ...[await caBundleCost()].filter((line): line is string => line !== undefined),
  ];
}
