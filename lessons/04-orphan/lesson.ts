// Lesson 04 — orphan: the parent dies first.
//
// A process's parent may exit while the process runs on. The process is then an ORPHAN, but
// never for long: the kernel gives it a new parent at once, the moment the old one exits. That
// adopter is PID 1 (init), or, if one of the orphan's living ancestors asked for the job, the
// nearest CHILD SUBREAPER (prctl(PR_SET_CHILD_SUBREAPER)): systemd --user on a desktop, tini in a
// container, and the procbook runner when a lesson runs inside it. When the orphan exits, the
// adopter collects its exit status (wait), so an orphan never stays a zombie for long.
//
// Three processes: `lesson` (this file's first process, which only watches and stays to the
// end) starts `parent`, which starts `child`. Then the parent exits and the child is orphaned.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
// execFileSync as Node's, from the lesson API: it also tells the runner the pid of the tool it runs.
import { exited, explain, fact, forkSelf, pidExists, hasRunner, name, paced, question, role, say, sleep, step, execFileSync } from '../../lib/lesson/index.js';

if (role === 'parent') await parent();
else if (role === 'child') await child();
else await lesson();

async function lesson(): Promise<void> {
  name('lesson');
  await step('A parent and its child');
  // Our own parent's pid goes down to the child, so it can tell whether that adopted it.
  const dad = forkSelf('parent', { ipc: true, args: [String(process.ppid)] });
  const [{ child: orphan }] = (await once(dad, 'message')) as [{ child: number }];
  fact('parent.pid', dad.pid);
  fact('child.pid', orphan);
  say(`I started parent ${dad.pid}; it started child ${orphan}. Three generations in the table.`);
  await sleep(2000);

  await step('The parent exits first');
  // --predict: the student guesses, the table answers (lib/lesson/question.ts).
  await question({ about: orphan, ask: 'parent', reveal: 'next-step', prompt: "The child's parent exits now. Who will be the child's parent then?" });
  dad.send('exit now');
  const { code } = await exited(dad);
  say(`parent ${dad.pid} exited (code ${code}). Its child ${orphan} runs on: an orphan.`);
  explain("Watch the child's PPID in the table: it changed the moment its parent exited.");
  await sleep(1500);

  await step('The orphan finishes; its adopter reaps it');
  // The orphan is not our child: we cannot wait() for it. We can only watch its pid until the
  // kernel frees it, which happens when its adopter collects its exit status.
  await question({ about: orphan, ask: 'alive', reveal: 'next-step', prompt: 'The orphan will finish its work and exit. Its first parent is long gone: at the end of the lesson, what is left of it?' });
  const deadline = Date.now() + paced(5000) + 10_000;
  while (pidExists(orphan) && Date.now() < deadline) await sleep(50);
  if (pidExists(orphan)) {
    say(`${orphan} is still there: its adopter has not reaped it (an init that never reaps?).`);
    return;
  }
  say(`${orphan} is gone: its adopter collected its exit status. No zombie is left.`);
  explain('An orphan is harmless: it always gets a new parent, and that parent reaps it.');
  explain('The course says "the system process adopts it"; on Linux that is PID 1 or a subreaper.');
}

async function parent(): Promise<void> {
  name('parent');
  const kid = forkSelf('child', { args: [...process.argv.slice(2), String(process.pid)] });
  process.send?.({ child: kid.pid });
  await once(process, 'message'); // the lesson says when
  say(`I exit now; my child ${kid.pid} keeps running.`);
  // A Node parent would stay alive while its child runs (the child keeps the event loop busy),
  // so it leaves explicitly: process.exit() ends it now, without waiting for its child. (Unlike
  // Python's os._exit() it would still run 'exit' handlers; this process has none.)
  process.exit(0);
}

async function child(): Promise<void> {
  name('child');
  const [lessonParent, bornTo] = process.argv.slice(2).map(Number);
  say(`I am the child ${process.pid}; my parent is ${process.ppid}.`);
  // process.ppid asks the kernel (getppid()) every time it is read.
  while (process.ppid === bornTo) await sleep(20);
  const adopter = process.ppid;
  const adopterName = commandOf(adopter);
  fact('adopter', { pid: adopter, name: adopterName });
  say(`my parent ${bornTo} is gone: I am an orphan. My new parent is ${adopter} (${adopterName}).`);
  if (adopter === 1) {
    explain('PID 1, init: the first process of the system adopts every orphan that has no');
    explain('subreaper above it, and collects its exit status when it ends.');
  } else {
    explain(`Not PID 1: ${adopter} is a child subreaper. A process may ask the kernel to adopt the`);
    explain('orphans among its descendants (prctl(PR_SET_CHILD_SUBREAPER, 1)); an orphan goes to');
    explain('its nearest living subreaper ancestor, and to PID 1 only if there is none.');
    if (hasRunner() && adopter === lessonParent) {
      explain('This one is the procbook runner that started the lesson: it is a subreaper so it');
      explain('can show you the lesson’s orphans and reap them.');
    }
  }
  for (let tick = 1; tick <= 3; tick++) {
    say(`orphan still working (${tick}/3)`);
    await sleep(1000);
  }
  say('done: I exit. My adopter will collect my exit status.');
}

/** The command name of a process: /proc/<pid>/comm on Linux, `ps` elsewhere. */
function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    try {
      return execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    } catch {
      return '?';
    }
  }
}
