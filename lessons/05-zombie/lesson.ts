// Lesson 05 — zombie: the child dies first, and nobody has collected it yet.
//
// When a process exits, the kernel frees its memory but keeps a small record of it: its pid and
// its exit status, for its parent to collect with wait(). Until the parent does, the dead process
// is a ZOMBIE, STAT `Z` in the table. It runs nothing, holds no memory, and cannot be killed: it
// is already dead. Only its parent's wait() (or the parent's own death) removes it.
//
// Node collects its children's exit statuses by itself: when the kernel sends SIGCHLD, libuv (the
// library under Node's event loop) calls waitpid() for each child it started and then emits
// 'exit'. So a Node parent leaves a zombie only while its event loop cannot run. To see one, this
// parent blocks its loop on purpose, as the course's parent does with `while True: pass`.
import { once } from 'node:events';
import { blockEventLoop, blockUntilKernelShows, exited, explain, fact, forkSelf, name, question, role, say, sleep, statOf, step } from '../../lib/lesson/index.js';

const EXIT_CODE = 3; // the course's child ends with os._exit(3)

if (role === 'child') await child();
else await parent();

async function parent(): Promise<void> {
  name('parent');
  await step('A child that will finish quickly');
  const kid = forkSelf('child', { ipc: true });
  const pid = kid.pid!;
  fact('child.pid', pid);
  await once(kid, 'message'); // the child is up, waiting for our word to exit
  say(`my child ${pid} is running; the table shows it with PPID = me (${process.pid}).`);
  await sleep(2000);

  // The heading comes first: a blocked process cannot even take a checkpoint.
  await step('The parent is busy when its child exits');
  // --predict: the student guesses, the table answers (lib/lesson/question.ts).
  await question({ about: pid, ask: 'stat', reveal: { afterMs: 1000 }, prompt: "I will block my event loop for 3.5 s and tell my child to exit. What will the child's STAT be 1 s from now?" });
  await question({ about: pid, ask: 'exit', codes: [3, 137], reveal: 'next-step', prompt: 'Meanwhile I will kill -9 it. When my loop runs again, how will Node say the child ended?' });
  kid.send('exit now');
  say('I am busy for 3.5 s: my event loop is blocked, so Node cannot collect my child.');
  // Meanwhile the child exits: it is a zombie (Z) as soon as its last thread is gone, PPID still
  // = me. We wait until the kernel shows that, still blocked (on a busy machine the child may take
  // a moment), then hold it. (With --step the block lasts until the teacher presses space: the
  // zombie stays while they talk.)
  blockUntilKernelShows(() => statOf(pid), (stat) => stat.startsWith('Z') && !stat.includes('l'));
  blockEventLoop(1500, 'the child is a zombie');
  say(`still busy. Let us try to kill the zombie: kill -9 ${pid}`);
  process.kill(pid, 'SIGKILL'); // kill() is a system call: it works without the event loop
  fact('zombie.killed', pid);
  say('kill() succeeded (the pid is still taken), but nothing changed: the row still says Z.');
  blockEventLoop(2000, 'kill -9 changed nothing'); // the Z stays 2 s after that sentence
  fact('parent.free', true);

  await step('The event loop runs again: Node reaps the zombie');
  const { code, signal } = await exited(kid);
  fact('child.exit', { code, signal });
  say(`'exit' says: code ${code}, signal ${signal}. The status the child left, not our SIGKILL.`);
  explain('As soon as the loop ran, libuv saw the pending SIGCHLD and called waitpid(): the');
  explain('kernel handed over the exit status and dropped the last trace of the child: its row dims.');
  explain('In Python you must call os.wait() yourself; in Node, keep the event loop free and');
  explain("listen for 'exit': waiting is done for you.");
  await sleep(1000); // the table shows the parent alone
}

async function child(): Promise<void> {
  name('child');
  process.send?.('ready');
  await once(process, 'message');
  say(`I exit now with code ${EXIT_CODE}; my parent is busy and will not notice yet.`);
  // Ends now with code 3, as the course's os._exit(3) does (process.exit would still run 'exit'
  // handlers; there are none).
  process.exit(EXIT_CODE);
}
