// Exercise 01: the copy equals the source, and two processes did the writing, as the kernel
// counted it (each process's wchar in /proc/<pid>/io, reported as it exited).
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IoCount } from '../kit.js';
import { childrenCollected, childrenOf, exitedCleanly, who } from '../claims.js';
import { fail, type Check } from '../harness.js';

export const checkCopy: Check = async ({ work, run }) => {
  // An odd size, different every time: a half cannot be hard-coded, and the halves differ by one.
  const size = 2 * randomInt(150_000, 250_000) + 1;
  const half = Math.floor(size / 2);
  const source = join(work, 'source.bin');
  const target = join(work, 'copy.bin');
  const bytes = randomBytes(size);
  writeFileSync(source, bytes);

  const result = await run({ source, target });
  exitedCleanly(result);

  if (!existsSync(target)) fail(`There is no copy: the target file was never created.`);
  const copy = readFileSync(target);
  if (!copy.equals(bytes)) {
    let at = 0;
    while (at < Math.min(copy.length, size) && copy[at] === bytes[at]) at++;
    if (at === copy.length && copy.length < size) {
      fail(`The copy has ${copy.length} bytes but the source has ${size} (half = ${half}): ${copy.length <= half ? 'the second half is missing' : 'its end is missing'}.`);
    }
    if (at === size) fail(`The copy has ${copy.length} bytes, ${copy.length - size} more than the source's ${size}.`);
    const zeros = copy.subarray(at, at + 64).every((byte) => byte === 0);
    const why = zeros ? ': there are zero bytes where the source has data (was the file emptied, e.g. opened with "w", after that part was written?)' : '';
    fail(`The copy differs from the source at byte ${at} of ${size}, in the ${at < half ? 'first' : 'second'} half (half = ${half})${why}.`);
  }

  const children = childrenOf(result);
  if (children.length === 0) fail('Only one process ran: start a child (forkSelf) to copy the second half.');
  const io = new Map<number, IoCount>();
  for (const fact of result.timeline.data.facts) if (fact.name === 'exercise.io') io.set(fact.pid, fact.value as IoCount);
  const parentWrote = io.get(result.pid)?.wchar;
  if (parentWrote === undefined) fail('The parent never reported what the kernel counted it writing (it must run this file and exit normally).');
  if (parentWrote < half) fail(`The kernel counted the parent writing only ${parentWrote} bytes, less than its half (${half} bytes): the parent must copy the first half itself.`);
  const writers = children.filter((child) => (io.get(child.pid)?.wchar ?? 0) >= half);
  if (writers.length === 0) {
    const counts = children.map((child) => `${who(child)}: ${io.get(child.pid)?.wchar ?? 'nothing reported'}`).join(', ');
    fail(`No child wrote its half: the kernel counted the children writing ${counts} bytes, and a half is ${half} bytes.`);
  }
  childrenCollected(result, children, 'the parent must wait for its child (await exited(child)) before it exits.');
  const writer = writers[0]!;
  if (writer.record.exit && (writer.record.exit.code !== 0 || writer.record.exit.signal !== null)) {
    fail(`The child ${who(writer)} did not end well (code ${writer.record.exit.code}, signal ${writer.record.exit.signal}).`);
  }
};
