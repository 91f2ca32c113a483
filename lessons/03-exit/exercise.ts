// Exercise 03 — end each child the way it is told, and lose none of its output.
//
// The course: a process ends with an exit code (sys.exit(3), os._exit(3)), or it is killed by a
// signal, or it crashes (abort). Its parent learns which: os.waitpid gives the status, and in
// Node the child's 'exit' event gives (code, signal): a code, or the signal that killed it. A
// shell shows a death by signal N as 128+N, but that is the shell's convention, not the status.
//
// Each child (written for you) writes a message of `bytes` bytes to its stdout, a pipe to the
// parent, and then calls end(ending). Write end():
//   - { code: n }      end with exit code n;
//   - { signal: SIG }  be killed by that signal (send it to yourself);
//   - { abort: true }  crash on purpose: abort(), killed by SIGABRT;
//   and in every case, not one byte of the message may be lost on the way.
//
// What the check looks at: each child's end as the kernel reported it (its exit code, or the
// signal that killed it), and how many bytes of its message the parent received.
//
//   try it:   npx tsx lessons/03-exit/exercise.ts
//   check it: npm run check -- 3          a hint: npm run hint -- 3
import { exited, fact, forkSelf, name, role, say, tempDir } from '../../lib/lesson/index.js';
import { given } from '../../lib/exercises/kit.js';

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
  // TODO: { code } -> end with that exit code, without losing what is still being written;
  //       { signal } -> be killed by that signal; { abort } -> abort().
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
