// Lesson 03 — exit: how a process ends, and what its parent learns.
//
// When a process ends, the kernel keeps one small number for its parent: the EXIT STATUS. It
// says either "exited with code N" (0 means success, by convention) or "was killed by signal S".
// The parent collects it with wait(); in Node the 'exit' event hands it over as (code, signal).
//
// Before a process exits by itself its runtime may clean up: `finally` blocks, exit handlers
// (Python's atexit, Node's 'exit' event), output still waiting to be written. Each way of ending
// does a different part of that; the same mapping holds in the README and in lessons 04, 05, 07:
//   sys.exit(n)      process.exitCode = n, then return   finally, handlers, all output written
//   sys.exit("msg")  console.error("msg"); exitCode = 1  the same, the message on stderr, status 1
//   (no Python twin) process.exit(n)                      handlers only: no finally, pending writes lost
//   os._exit(n)      process.reallyExit(n)                nothing: no finally, no handlers (undocumented)
//   os.abort()       process.abort()                      nothing: killed by SIGABRT
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants } from 'node:os';
import { exited, explain, fact, forkSelf, name, nextMessage, question, role, say, sleep, step, tempDir } from '../../lib/lesson/index.js';

const ENDINGS = ['exitCode = 3', 'exit(4)', 'uncaught error', 'reallyExit(5)', 'abort()', 'killed by SIGTERM'] as const;
type Ending = (typeof ENDINGS)[number];

if (role === 'ender') await ender(process.argv[2] as Ending, process.argv[3]!);
else if (role === 'writer') writer(process.argv[2]!);
else await parent();

async function parent(): Promise<void> {
  name('parent');
  const dir = tempDir('exit');
  const handlerLog = join(dir, 'cleanup.txt'); // each child notes here the cleanup that ran

  await step('Six ways to end, and what the parent sees');
  for (const ending of ENDINGS) {
    // cwd: if the abort() leaves a core dump, it lands in our temporary folder and goes with it.
    const killed = ending === 'killed by SIGTERM';
    const child = forkSelf('ender', { args: [ending, handlerLog], stdio: ['ignore', 'inherit', 'pipe'], cwd: dir, ipc: killed });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    if (killed) {
      // Signal it once it runs our code (its 'exit' handler installed), not after a guessed delay:
      // on a busy machine Node may take longer than that to start.
      await nextMessage(child, (message) => message === 'ready');
      child.kill('SIGTERM');
    }
    if (ending === 'uncaught error') {
      // --predict: the student guesses, the table answers (lib/lesson/question.ts).
      await question({ about: child.pid!, ask: 'exit', reveal: 'next-step', prompt: 'This child throws an error nobody catches. How will I be told it ended?' });
    }
    const { code, signal } = await exited(child);
    const cleanup = existsSync(handlerLog) ? readFileSync(handlerLog, 'utf8').split('\n') : [];
    const ran = cleanup.includes(`exit handler: ${ending}`);
    const finallyRan = cleanup.includes(`finally: ${ending}`);
    const shell = code ?? 128 + (constants.signals[signal!] ?? 0);
    say(`${ending.padEnd(18)} → code ${String(code).padEnd(4)} signal ${String(signal).padEnd(8)} ($? in a shell: ${shell}); finally: ${finallyRan ? 'ran' : 'skipped'}, 'exit' handler: ${ran ? 'ran' : 'skipped'}`);
    const telling = stderr.split('\n').find((line) => /Error|abort/i.test(line));
    if (telling) say(`   it printed: ${telling.trim().slice(0, 70)}`);
    fact('ending', { ending, pid: child.pid, code, signal, handlerRan: ran, finallyRan });
  }
  explain("code is set when the process exited by itself; signal when a signal killed it. Never both.");
  explain("'exit' handlers run when Node ends the process itself: not after reallyExit(), a signal or abort().");
  explain('finally blocks run only when the code gets to them: a return, or an error on its way up.');
  explain('A shell has one number for both: 128 + the signal number for a killed process (143 = 128 + 15).');

  await step('What process.exit() loses');
  // Writing to a pipe is asynchronous in Node: data waits in the process until the pipe takes it.
  // process.exit() does not wait for it. Letting the program end by itself does.
  for (const how of ['process.exit()', 'natural end']) {
    const child = forkSelf('writer', { args: [how], stdio: ['ignore', 'pipe', 'inherit'] });
    let bytes = 0;
    child.stdout?.on('data', (chunk: Buffer) => (bytes += chunk.length));
    await new Promise((resolve) => child.stdout?.once('close', resolve));
    await exited(child);
    say(`wrote 4 MiB then ${how.padEnd(14)}: ${bytes.toLocaleString('en')} bytes arrived`);
    fact('bytes', { how, bytes });
  }
  explain('Set process.exitCode and return, instead of process.exit(), when output must not be lost.');
}

async function ender(ending: Ending, handlerLog: string): Promise<void> {
  name(`child: ${ending}`);
  process.on('exit', () => appendFileSync(handlerLog, `exit handler: ${ending}\n`));
  await sleep(500); // long enough for the table to show the row before it ends
  try {
    switch (ending) {
      case 'exitCode = 3':
        process.exitCode = 3; // sys.exit(3): ends when there is nothing left to do, with code 3
        return;
      case 'exit(4)':
        process.exit(4); // runs the 'exit' handlers, then ends at once
      case 'uncaught error':
        throw new Error('something went wrong');
      case 'reallyExit(5)':
        // What process.exit() calls once the 'exit' handlers are done: the C library's exit(),
        // nothing of JavaScript's cleanup. Undocumented, so not for programs: named here as Node's
        // nearest to Python's os._exit(5).
        (process as unknown as { reallyExit(code: number): never }).reallyExit(5);
      case 'abort()':
        process.abort(); // os.abort(): SIGABRT, a deliberate crash (a core dump where enabled)
      case 'killed by SIGTERM':
        process.send?.('ready'); // tell the parent we are here; it sends SIGTERM then
        await sleep(60_000); // the parent kills us long before this ends
    }
  } finally {
    appendFileSync(handlerLog, `finally: ${ending}\n`);
  }
}

function writer(how: string): void {
  name('writer');
  process.stdout.write(Buffer.alloc(4 * 1024 * 1024, '.'));
  if (how === 'process.exit()') process.exit(0);
}
