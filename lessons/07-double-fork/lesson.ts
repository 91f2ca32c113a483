// Lesson 07 — double fork: hand a grandchild over, so nobody has to wait for it.
//
// The course's trick to avoid zombies without blocking: the parent starts a child (the middle),
// the middle starts a grandchild and exits at once, and the parent waits only for the middle,
// which takes no time. The grandchild is now an orphan: it is adopted (by PID 1 or a subreaper)
// the moment the middle exits, and its adopter will reap it. The parent never waits for it.
//
// Daemons start the same way: fork, setsid (a new session: no controlling terminal, so Ctrl-C
// and a closed terminal no longer reach it), fork again. In Node, `detached: true` is the setsid:
// libuv calls setsid() in the new child before it runs node. Our grandchild is started detached,
// so it leads its own session: STAT `s` in the table.
import { once } from 'node:events';
import { exited, explain, fact, forkSelf, pidExists, name, paced, posix, question, role, say, sleep, step } from '../../lib/lesson/index.js';

if (role === 'middle') await middle();
else if (role === 'grandchild') await grandchild();
else await parent();

async function parent(): Promise<void> {
  name('parent');
  await step('Parent, middle, grandchild');
  const mid = forkSelf('middle', { ipc: true });
  const [{ grandchild: grandPid }] = (await once(mid, 'message')) as [{ grandchild: number }];
  fact('middle.pid', mid.pid);
  fact('grandchild.pid', grandPid);
  say(`I started the middle ${mid.pid}; it started the grandchild ${grandPid}, detached.`);
  await sleep(2000);

  await step('The middle exits at once; the parent reaps it');
  // --predict: the student guesses, the table answers (lib/lesson/question.ts).
  await question({ about: grandPid, ask: 'parent', reveal: 'next-step', prompt: "The middle exits now. Who will be the grandchild's parent then?" });
  await question({ about: mid.pid!, ask: 'alive', reveal: 'next-step', prompt: 'And the middle itself: at the next step, what is left of it?' });
  mid.send('exit now');
  const { code } = await exited(mid); // the course's os.wait(): it returns at once
  say(`the middle exited (code ${code}) and I collected it at once: it never waited as a zombie.`);
  explain("The grandchild's PPID changed when the middle exited: it was adopted.");
  await sleep(1000);

  await step('Parent and grandchild each do their own work');
  for (let tick = 1; tick <= 3; tick++) {
    say(`first job (${tick}/3)`);
    await sleep(800);
  }
  say('my job is done. The grandchild is not my child: I cannot wait for it, and need not.');

  await step('The grandchild ends; its adopter reaps it');
  // We only watch its pid (kill(pid, 0)) until the kernel frees it, to keep the lesson tidy.
  const deadline = Date.now() + paced(5000) + 10_000;
  while (pidExists(grandPid) && Date.now() < deadline) await sleep(50);
  say(pidExists(grandPid) ? `${grandPid} is still there: its adopter has not reaped it.` : `${grandPid} is gone, reaped by its adopter. No zombie.`);
  explain('A daemon is started this way: fork, setsid, fork. It outlives whoever started it, has');
  explain('no terminal, and is reaped by PID 1 (or a subreaper) when it ends.');
}

async function middle(): Promise<void> {
  name('middle');
  // detached: setsid() in the grandchild. It gets our pid, to notice when we are gone.
  const grand = forkSelf('grandchild', { detached: true, args: [String(process.pid)] });
  process.send?.({ grandchild: grand.pid });
  await once(process, 'message'); // we hold on a moment so you can see three generations
  say('I exit now, without waiting for my child.');
  // The course's os._exit(0): end now, without waiting for the running child (a Node parent
  // would otherwise wait for it). process.exit() would still run 'exit' handlers; we have none.
  process.exit(0);
}

async function grandchild(): Promise<void> {
  name('grandchild');
  const bornTo = Number(process.argv[2]);
  const sid = posix.sessionOf();
  fact('grandchild.sid', sid);
  say(`I am the grandchild ${process.pid}, child of ${process.ppid}; my session is ${sid} (me).`);
  while (process.ppid === bornTo) await sleep(20); // process.ppid is getppid(): read live
  fact('adopter', process.ppid);
  say(`the middle is gone: I was adopted by ${process.ppid}. Nobody waits for me, and I do not mind.`);
  for (let tick = 1; tick <= 5; tick++) {
    say(`second job, in my own session (${tick}/5)`);
    fact('grandchild.tick', tick);
    await sleep(800);
  }
  say('done: I exit; my adopter collects my status.');
}
