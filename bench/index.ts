// `npm run bench`: every measured figure of the workbook, each as a ratio against a baseline
// measured in the same run (these machines are noisy: absolute times mean little).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../lib/run/paths.js';
import { benchObserver } from './observer.js';
import { benchPerf } from './perf.js';
import { benchStartup } from './startup.js';

const sections: Array<[string, () => Promise<string[]>]> = [
  ['The observer', benchObserver],
  ['The perf source (without root)', benchPerf],
  ['Start-up', benchStartup],
];

// Benches of other parts (the chatroom, the pool) are separate entries; run them if present.
for (const [title, file, exported] of [
  ["The chatroom at saturation, ours against the course's", 'dist/bench/chat.mjs', 'benchChat'],
  ['The pool', 'dist/bench/pool.mjs', 'benchPool'],
  ['Grading a class', 'dist/bench/grading.mjs', 'benchGrading'],
  ['The projector page in a room', 'dist/bench/web.mjs', 'benchWeb'],
] as const) {
  const path = join(projectRoot, file);
  if (!existsSync(path)) continue;
  sections.push([
    title,
    async () => {
      const module = (await import(pathToFileURL(path).href)) as Record<string, () => Promise<string[]>>;
      const run = module[exported];
      return run ? run() : [`${file} has no ${exported}()`];
    },
  ]);
}

for (const [title, run] of sections) {
  process.stdout.write(`\n## ${title}\n`);
  try {
    for (const line of await run()) process.stdout.write(`${line}\n`);
  } catch (error) {
    process.stdout.write(`failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
