// Exercise 01: the copy equals the source, and two processes did the writing, as the kernel
// counted it (each process's wchar in /proc/<pid>/io, reported as it exited).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IoCount } from '../kit.js';
import { ioCountsOf } from '../../proc/read.js';
import { adopter, childrenCollected, childrenOf, exitedCleanly, who } from '../claims.js';
import { fail, type Check } from '../harness.js';

export const checkCopy: Check = async ({ work, run, random }) => {
  if (ioCountsOf('self') === undefined) fail('This check reads what the kernel counted each process writing (/proc/<pid>/io), which only Linux has.');
  // An odd size, different every time: a half cannot be hard-coded, and the halves differ by one.
  const size = 2 * random.int(150_000, 250_000) + 1;
  const half = Math.floor(size / 2);
  const source = join(work, 'source.bin');
  const target = join(work, 'copy.bin');
  const bytes = random.bytes(size);
  writeFileSync(source, bytes);

  const result = await run({ source, target });
  exitedCleanly(result);

  // Who wrote: each process of the exercise reports, as it exits, what the kernel counted it
  // writing (wchar, /proc/<pid>/io) and who its parent was then.
  const io = new Map<number, IoCount>();
  for (const fact of result.timeline.data.facts) if (fact.name === 'exercise.io') io.set(fact.pid, fact.value as IoCount);
  const children = childrenOf(result);
  const childReports = [...io].filter(([pid]) => pid !== result.pid);
  // A child its parent did not wait for: the copy may be short for that reason alone, so say it first.
  const orphan = childReports.find(([, count]) => result.hostPid(count.ppid) !== result.pid);
  if (orphan) {
    fail(`The child pid ${orphan[0]} was an orphan when it exited (adopted by ${adopter(result.hostPid(orphan[1].ppid), result)}): the parent must wait for its child (await exited(child)) before it exits.`);
  }
  childrenCollected(result, children, 'the parent must wait for its child (await exited(child)) before it exits.');

  if (!existsSync(target)) fail(`There is no copy: the target file was never created.`);
  const copy = readFileSync(target);
  if (!copy.equals(bytes)) {
    let at = 0;
    while (at < Math.min(copy.length, size) && copy[at] === bytes[at]) at++;
    if (at === copy.length && copy.length < size) {
      fail(`The copy has ${copy.length} bytes but the source has ${size} (half = ${half}): ${copy.length <= half ? 'the second half is missing' : 'its end is missing'}.`);
    }
    if (at === size) fail(`The copy has ${copy.length} bytes, ${copy.length - size} more than the source's ${size}.`);
    // The other half's bytes where these belong: a write that did not say where it goes lands at
    // the descriptor's own offset (0 for a file just opened), not at the half's.
    const probe = Math.min(64, copy.length - at, size - half);
    if (at < half && probe > 0 && copy.subarray(at, at + probe).equals(bytes.subarray(half + at, half + at + probe))) {
      fail(`The copy begins with the source's second half (byte ${half} of the source is byte 0 of the copy): each half must be written at its own offset in the target (a write without a position goes where the descriptor's offset is, 0 for a file just opened).`);
    }
    const zeros = copy.subarray(at, at + 64).every((byte) => byte === 0);
    const why = zeros ? ': there are zero bytes where the source has data (was the file emptied, e.g. opened with "w", after that part was written?)' : '';
    fail(`The copy differs from the source at byte ${at} of ${size}, in the ${at < half ? 'first' : 'second'} half (half = ${half})${why}.`);
  }

  if (children.length === 0 && childReports.length === 0) fail('Only one process ran: start a child (forkSelf) to copy the second half.');
  const parentWrote = io.get(result.pid)?.wchar;
  if (parentWrote === undefined) fail('The parent never reported what the kernel counted it writing (it must run this file and exit normally).');
  if (parentWrote < half) fail(`The kernel counted the parent writing only ${parentWrote} bytes, less than its half (${half} bytes): the parent must copy the first half itself.`);
  const writer = childReports.find(([, count]) => count.wchar >= half);
  if (!writer) {
    const counts = childReports.map(([pid, count]) => `pid ${pid}: ${count.wchar}`).join(', ') || 'nothing reported';
    fail(`No child wrote its half: the kernel counted the children writing ${counts} bytes, and a half is ${half} bytes.`);
  }
  const [writerPid] = writer;
  const seen = children.find((child) => child.pid === writerPid);
  const exit = seen?.record.exit;
  if (seen && exit && (exit.code !== 0 || exit.signal !== null)) fail(`The child ${who(seen)} did not end well (code ${exit.code}, signal ${exit.signal}).`);
};
