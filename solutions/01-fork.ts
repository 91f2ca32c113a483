// Solution to exercise 01: copy a file with two processes, one half each, at the same time.
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { exited, forkSelf, name, role, say, tempDir } from '../lib/lesson/index.js';
import { given } from '../lib/exercises/kit.js';

const { source, target } = given(() => {
  const dir = tempDir('copy');
  writeFileSync(join(dir, 'source.bin'), randomBytes(100_001));
  return { source: join(dir, 'source.bin'), target: join(dir, 'copy.bin') };
});

if (role === 'child') await child();
else await parent();

async function parent(): Promise<void> {
  name('copy parent');
  const size = statSync(source).size;
  const half = Math.floor(size / 2);

  // Create (and empty) the target once, here, before the child exists. Both processes then open
  // it with 'r+': no truncation, writes land where they are put. Had the child opened it with
  // 'w', it would have wiped whatever the parent had written so far.
  writeFileSync(target, '');
  const kid = forkSelf('child', { args: [String(half), String(size)] });
  copyRange(source, target, 0, half); // meanwhile, the child copies its half
  const { code, signal } = await exited(kid);
  if (code !== 0) throw new Error(`the child failed (code ${code}, signal ${signal})`);

  const same = existsSync(target) && readFileSync(target).equals(readFileSync(source));
  say(`copied ${size} bytes (half = ${half}); the copy equals the source: ${same ? 'yes' : 'NO'}`);
}

async function child(): Promise<void> {
  name('copy child');
  const [half, size] = process.argv.slice(2).map(Number);
  copyRange(source, target, half!, size!);
}

/** Copies bytes [start, end) of the file `from` into the same place in the file `to`. */
function copyRange(from: string, to: string, start: number, end: number): void {
  const input = openSync(from, 'r');
  const output = openSync(to, 'r+');
  const buffer = Buffer.alloc(64 * 1024);
  try {
    for (let position = start; position < end; ) {
      const read = readSync(input, buffer, 0, Math.min(buffer.length, end - position), position);
      if (read === 0) break;
      writeSync(output, buffer, 0, read, position);
      position += read;
    }
  } finally {
    closeSync(input);
    closeSync(output);
  }
}
