// Lesson 03 — exit: how a process ends, and what its parent learns.
//
// When a process ends, the kernel keeps one small number for its parent: the EXIT STATUS. It
// says either "exited with code N" (0 means success, by convention) or "was killed by signal S".
// The parent collects it with wait(); in Node the 'exit' event hands it over as (code, signal).
//
// Python's sys.exit() raises an exception that runs cleanup on the way out; os._exit() ends the
// process at once, without any. Node has process.exitCode (let the program finish: the sys.exit
// way), process.exit() (stop now: it still runs the 'exit' handlers, but not finally blocks, and
// drops output not yet written; Node has no os._exit), and process.abort() (crash on purpose).
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants } from 'node:os';
import { exited, explain, fact, forkSelf, name, nextMessage, role, say, sleep, step, tempDir } from '../../lib/lesson/index.js';

const ENDINGS = ['exitCode = 3', 'exit(4)', 'uncaught error', 'abort()', 'killed by SIGTERM'] as const;
type Ending = (typeof ENDINGS)[number];

if (role === 'ender') await ender(process.argv[2] as Ending, process.argv[3]!);
else if (role === 'writer') writer(process.argv[2]!);
else await parent();

async function parent(): Promise<void> {
  name('parent');
  const dir = tempDir('exit');
  const handlerLog = join(dir, 'exit-handlers.txt');

  await step('Five ways to end, and what the parent sees');
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
    const { code, signal } = await exited(child);
    const ran = existsSync(handlerLog) && readFileSync(handlerLog, 'utf8').split('\n').includes(ending);
    const shell = code ?? 128 + (constants.signals[signal!] ?? 0);
    say(`${ending.padEnd(18)} → code ${String(code).padEnd(4)} signal ${String(signal).padEnd(8)} ($? in a shell: ${shell}); 'exit' handler ran: ${ran ? 'yes' : 'no'}`);
    const telling = stderr.split('\n').find((line) => /Error|abort/i.test(line));
    if (telling) say(`   it printed: ${telling.trim().slice(0, 70)}`);
    fact('ending', { ending, pid: child.pid, code, signal, handlerRan: ran });
  }
  explain("code is set when the process exited by itself; signal when a signal killed it. Never both.");
  explain("'exit' handlers run when Node ends the process itself, not when a signal or abort() ends it.");
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
  process.on('exit', () => appendFileSync(handlerLog, `${ending}\n`));
  await sleep(500); // long enough for the table to show the row before it ends
  switch (ending) {
    case 'exitCode = 3':
      process.exitCode = 3; // ends when there is nothing left to do, with code 3
      return;
    case 'exit(4)':
      process.exit(4);
    case 'uncaught error':
      throw new Error('something went wrong');
    case 'abort()':
      process.abort(); // SIGABRT: a deliberate crash (a core dump where those are enabled)
    case 'killed by SIGTERM':
      process.send?.('ready'); // tell the parent we are here; it sends SIGTERM then
      await sleep(60_000); // the parent kills us long before this ends
  }
}

function writer(how: string): void {
  name('writer');
  process.stdout.write(Buffer.alloc(4 * 1024 * 1024, '.'));
  if (how === 'process.exit()') process.exit(0);
}
