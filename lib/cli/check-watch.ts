// `npm run check -- N --watch`: the exercise is checked again each time its file is saved, as
// rustlings' watch does, and the first claim that failed is shown. File events are not reliable
// everywhere (network folders, some editors that replace the file, containers): chokidar watches
// the folder, and a digest poll once a second catches what events miss (CHOKIDAR_USEPOLLING=1
// makes chokidar itself poll). It says how to leave: q or Ctrl-C.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { pathsOf, type Exercise } from '../exercises/catalogue.js';
import type { CheckResult, CheckSource } from '../exercises/run-check.js';
import { table } from '../exercises/report.js';
import { shortPath } from '../exercises/compile.js';
import { said } from './homework.js';
import { whenStopped } from './stop.js';

function digest(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}

export async function watchExercise(exercise: Exercise, source: CheckSource | undefined, check: (source: CheckSource | undefined) => Promise<CheckResult[]>): Promise<void> {
  const words = said();
  const file = source?.file ?? pathsOf(exercise).exercise;
  const shown = shortPath(file);
  const width = Math.min(process.stdout.columns || 100, 120);
  const color = process.stdout.isTTY === true;
  let last = digest(file);
  let running = false;
  let again = false;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const runOnce = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    do {
      again = false;
      const [result] = await check(source);
      if (result) {
        process.stdout.write(table([result], { color, width, words }));
        if (result.passed) process.stdout.write(`${words.allPass(exercise.number)}\n`);
      }
      process.stdout.write(`${words.howToLeave}\n`);
    } while (again);
    running = false;
  };
  const changed = (): void => {
    const now = digest(file);
    if (now === last) return; // saved without a change, or touched
    last = now;
    process.stdout.write(`\n${words.recheck(shown)}\n`);
    void runOnce();
  };

  process.stdout.write(`${words.watching(shown)}\n`);
  const { watch } = await import('chokidar');
  // The folder, not the file: an editor that saves by replacing the file keeps being followed.
  const watcher = watch(dirname(file), { ignoreInitial: true, depth: 0, awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 50 } });
  watcher.on('all', (_event, path) => {
    if (basename(path) === basename(file)) changed();
  });
  const poll = setInterval(changed, 1000);

  const stop = (): void => {
    clearInterval(poll);
    void watcher.close();
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    process.stdin.destroy(); // a paused pipe would still keep the process alive
    finish();
  };
  whenStopped(stop);
  if (process.stdin.isTTY) {
    process.stdin.setRawMode(true);
    process.stdin.resume();
    process.stdin.on('data', (key: Buffer) => {
      const text = key.toString();
      if (text === 'q' || text === '\u0003' || text === '\u001b') stop();
    });
  } else {
    // From a pipe: a line "q" (or the end of the input) stops watching.
    process.stdin.on('data', (chunk: Buffer) => {
      if (/^q\s*$/m.test(chunk.toString())) stop();
    });
  }
  await runOnce();
  await finished;
  while (running) await new Promise((resolve) => setTimeout(resolve, 50));
}
