// Solution to exercise 10: a producer and a consumer, siblings, joined by a named FIFO.
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { exited, fact, forkSelf, name, posix, role, say, tempDir } from '../lib/lesson/index.js';
import { given } from '../lib/exercises/kit.js';

const { fifo, items, gapMs } = given(() => ({ fifo: join(tempDir('ipc'), 'numbers'), items: [3, 14, 15, 92, 65], gapMs: 100 }));

if (role === 'producer') await producer();
else if (role === 'consumer') consumer();
else await main();

async function main(): Promise<void> {
  name('ipc main');
  posix.makeFifo(fifo); // a pipe with a name: any process that knows the name can open it
  const kids = [forkSelf('producer'), forkSelf('consumer')];
  await Promise.all(kids.map((kid) => exited(kid)));
  unlinkSync(fifo); // the name goes; the pipe itself went when its last reader and writer closed it
  say('both done; the FIFO is removed');
}

async function producer(): Promise<void> {
  name('producer');
  const fd = openSync(fifo, 'w'); // waits until a reader opens the other end
  for (const item of items) {
    writeSync(fd, `${item}\n`);
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  closeSync(fd); // the last writer closes: the reader's next read() returns 0, the end
}

function consumer(): void {
  name('consumer');
  const fd = openSync(fifo, 'r'); // waits until a writer opens the other end
  const buffer = Buffer.alloc(4096);
  let pending = '';
  // read() waits for data; it returns 0 only once every writer has closed the FIFO.
  for (let count = readSync(fd, buffer); count > 0; count = readSync(fd, buffer)) {
    pending += buffer.toString('utf8', 0, count);
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) got(Number(line));
  }
  closeSync(fd);
}

/** The consumer reports each item it read, as it reads it. */
function got(item: number): void {
  say(`got ${item}`);
  fact('got', item);
}
