// Solution to exercise 03: each child ends the way it is told, and its whole message arrives.
import { exited, fact, forkSelf, name, role, say, tempDir } from '../lib/lesson/index.js';
import { given } from '../lib/exercises/kit.js';

type Ending = { code: number } | { signal: NodeJS.Signals } | { abort: true };

const { dir, endings, bytes } = given((): { dir: string; endings: Ending[]; bytes: number } => ({
  dir: tempDir('exit'),
  endings: [{ code: 3 }, { signal: 'SIGTERM' }, { abort: true }],
  bytes: 2_000_000,
}));

if (role === 'child') child();
else await parent();

function child(): void {
  const index = Number(process.argv[2]);
  name(`child ${index + 1}`);
  process.stdout.write(Buffer.alloc(bytes, 'x')); // the message, down the pipe to the parent
  end(endings[index]!);
}

/** Ends this process the way it is told, without losing what it wrote. */
function end(ending: Ending): void {
  // The kernel took only part of the message yet (a pipe holds a few hundred kB); Node keeps the
  // rest and writes it as the parent reads. exitCode lets Node end by itself once nothing is left
  // to do, every write done; process.exit() would end it now, and the rest would be lost.
  if ('code' in ending) {
    process.exitCode = ending.code;
    return;
  }
  // A signal or abort() ends the process at once, so first wait until stdout has handed every
  // byte to the kernel: the callback of a write runs after every earlier write is done.
  process.stdout.write('', () => {
    if ('signal' in ending) process.kill(process.pid, ending.signal); // the parent sees "killed by SIGxxx", not a code
    else process.abort(); // a crash on purpose: killed by SIGABRT
  });
}

// ---- the parent (written for you) ----
async function parent(): Promise<void> {
  name('exit parent');
  await Promise.all(
    endings.map(async (_ending, index) => {
      // cwd: if abort() leaves a core dump, it lands in `dir`, not in your project.
      const kid = forkSelf('child', { args: [String(index)], cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
      let received = 0;
      kid.stdout!.on('data', (chunk: Buffer) => (received += chunk.length));
      const ended = new Promise((resolve) => kid.stdout!.once('close', resolve));
      const { code, signal } = await exited(kid);
      await ended;
      say(`child ${index + 1} (pid ${kid.pid}): ${signal ? `killed by ${signal}` : `exit code ${code}`}; ${received} of ${bytes} bytes arrived`);
      fact('ended', { index, pid: kid.pid, code, signal, received });
    }),
  );
}
