// Exercise 01 — copy a file with two processes, one half each, at the same time.
//
// The course's homework: 用fork创建父子进程,同时复制一个文件,各复制一半到一个新的文件中
// ("with fork, make a parent and a child that copy one file at the same time, each copying one
// half into a new file").
//
// Copy `source` to `target`. Let size = the source's size and half = Math.floor(size / 2).
//   - the parent starts a child, then copies bytes [0, half) while the child copies [half, size);
//   - each writes its bytes at the SAME offsets in the target, so the two halves fit together;
//   - the parent waits for its child, and exits 0 only once the copy is complete.
//
// What the check looks at: the target equals the source byte for byte; two processes ran (the
// exercise and its child); the kernel counted EACH of them writing at least half of the bytes;
// the parent collected its child (no orphan).
//
//   try it:   npx tsx lessons/01-fork/exercise.ts
//   check it: npm run check -- 1          a hint: npm run hint -- 1
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { exited, forkSelf, name, role, say, tempDir } from '../../lib/lesson/index.js';
import { given } from '../../lib/exercises/kit.js';

const { source, target } = given(() => {
  // Run alone: a sample file of 100,001 bytes in a temporary folder.
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

  // TODO 1: prepare the target BEFORE the child starts. (Which open flag must the child then
  //         use, so that it does not wipe what the parent writes?)
  // TODO 2: start the child: forkSelf('child', …). It runs this file again, in role "child".
  // TODO 3: copy bytes [0, half) with copyRange, while the child copies its half.
  // TODO 4: wait for the child (exited(child)) and fail if it failed.

  const same = existsSync(target) && readFileSync(target).equals(readFileSync(source));
  say(`copied ${size} bytes (half = ${half}); the copy equals the source: ${same ? 'yes' : 'NO'}`);
}

async function child(): Promise<void> {
  name('copy child');
  // TODO 5: copy bytes [half, size) with copyRange.
}

/** Copies bytes [start, end) of the file `from` into the same place in the file `to`. */
function copyRange(from: string, to: string, start: number, end: number): void {
  // TODO 6: open both files, read the range at its position, write it at the same position.
  //         (readSync and writeSync take a position; the target must already exist.)
}
