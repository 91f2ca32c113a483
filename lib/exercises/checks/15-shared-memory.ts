// Exercise 15: the counter in the shared file (read by the check, from outside) is workers x
// increments; main's report says the same; the workers were children of main, ended well.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { childrenCollected, childrenOf, exitedCleanly, plural, reportsOf, who } from '../claims.js';
import { describeEnd, fail, type Check } from '../harness.js';

export const checkSharedCounter: Check = async ({ work, shm, run, random }) => {
  if (!existsSync(shm)) fail('This check maps a file of /dev/shm (POSIX shared memory), which this system does not have.');
  // The exercise maps /dev/shm/<name>; the check reads the same file from outside, where its
  // /dev/shm is (a folder of the check's own, in a sandbox).
  const name = `procbook-check-${basename(work)}`;
  const file = join(shm, name);
  writeFileSync(file, Buffer.alloc(4));
  try {
    const workers = random.int(3, 6);
    const increments = random.int(100_000, 200_000);
    const result = await run({ file: join('/dev/shm', name), workers, increments });
    exitedCleanly(result);
    const children = childrenOf(result);
    if (children.length !== workers) fail(`Main started ${plural(children.length, 'worker')}; it should start ${workers}.`);
    for (const child of children) {
      const exit = child.record.exit;
      if (exit && (exit.code !== 0 || exit.signal !== null)) fail(`Worker ${who(child)} ${describeEnd(exit.code, exit.signal)}.`);
    }
    const counter = readFileSync(file).readInt32LE(0);
    const expected = workers * increments;
    if (counter === 0) fail(`The counter in the shared file is still 0 after ${workers} workers x ${increments} increments: each worker must add to the memory mapped from the file, not to memory of its own.`);
    if (counter !== expected) {
      fail(`The counter in the shared file is ${counter}, not ${workers} x ${increments} = ${expected}: ${counter < expected ? 'updates were lost (read, add and write back must be one indivisible step)' : 'more was added than asked'}.`);
    }
    const total = reportsOf<number>(result, 'total').find((report) => report.pid === result.pid);
    if (!total) fail('Main never reported the total.');
    if (total.value !== counter) fail(`Main reported ${total.value}, but the shared counter holds ${counter}: read it through main's own mapping, once every worker has ended.`);
    childrenCollected(result, children, 'main waits for every worker.');
  } finally {
    rmSync(file, { force: true });
  }
};
