#!/usr/bin/env node
// The one command behind every `npm run …` script: compile what changed, then run the command.
//   procbook.mjs build                 compile everything into dist/
//   procbook.mjs run <file.ts> [args]  run one compiled entry (the chatroom, a bench)
//   procbook.mjs <command> [args]      the runner's commands: lesson, check, hint, reset
import { ensureBuilt, build, distDir } from './build.mjs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [command = 'lesson', ...rest] = process.argv.slice(2);

if (command === 'build') {
  const count = await build();
  process.stdout.write(`built ${count} entry points into dist/\n`);
} else {
  await ensureBuilt();
  const [entry, args] =
    command === 'run' ? [join(distDir, (rest[0] ?? '').replace(/\.ts$/, '.mjs')), rest.slice(1)] : [join(distDir, 'lib/cli/main.mjs'), [command, ...rest]];
  // The entry sees itself as the script being run, so a process it starts from its own file
  // (forkSelf) runs the compiled file too.
  process.argv = [process.argv[0] ?? 'node', entry, ...args];
  await import(pathToFileURL(entry).href);
}
