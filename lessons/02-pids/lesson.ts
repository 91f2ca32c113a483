// Lesson 02 — pids: who is who.
//
// The kernel gives every process a number, its PID, and remembers who started it: its parent
// (PPID). Processes also come in groups: a PROCESS GROUP is what Ctrl-C in a terminal signals
// all at once (a shell puts each pipeline in one), and a SESSION is a set of groups sharing one
// terminal. The first process of a group or session "leads" it: its pid is the group's or
// session's id. At the top of every tree is PID 1, which adopts processes whose parent died.
// Step 5 is the course's process state model, each state shown by a process of the lesson.
// execFileSync as Node's, from the lesson API: it also tells the runner the pid of the tool it runs.
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import {
  blockEventLoop, exited, explain, fact, forkSelf, listAllProcesses, name, posix, question, quote, role, say, sleep, stateOf, step, tempDir, execFileSync, whenKernelShows,
} from '../../lib/lesson/index.js';

if (role === 'main') await parent();
else if (role === 'spinner') await spinner();
else if (role === 'waiter') await waiter();
else if (role === 'vforker') await vforker(process.argv[2]!);
else await child();

async function parent(): Promise<void> {
  name('parent');
  await step('My pid and my parent');
  // Node has process.pid and process.ppid. It has no getpgid() or getsid(): those two come from
  // the C library through koffi (lib/posix), the way Python's os.getpgid() calls them.
  const me = { pid: process.pid, ppid: process.ppid, pgid: posix.processGroupOf(0), sid: posix.sessionOf(0) };
  say(`pid ${me.pid}, parent ${me.ppid}, process group ${me.pgid}, session ${me.sid}`);
  fact('parent.ids', me);
  explain(me.pid === me.sid
    ? 'My pid is my session id: I lead my own session (the runner started me with setsid), so the table shows s in my STAT.'
    : 'My session is my shell\'s: I am one process of the group the terminal runs in the foreground.');

  await step('Two children: one in my group, one in a group and session of its own');
  const together = forkSelf('child');
  const apart = forkSelf('child', { detached: true });
  say(`my children: ${together.pid} (same group) and ${apart.pid} (detached: setsid)`);
  fact('children', [together.pid, apart.pid]);
  await sleep(1500); // let each child report and the table show them

  await step('What ps says about this family');
  // `ps -o` picks the columns; -p the processes. The same numbers the table on the right shows.
  const pids = [process.pid, together.pid, apart.pid].join(',');
  const table = execFileSync('ps', ['-o', 'pid,ppid,pgid,sid,stat,comm', '-p', pids], { encoding: 'utf8' });
  quote(table.trimEnd()); // ps's own words, as ps printed them
  fact('ps', parsePs(table));
  explain('PGID: the process group; SID: the session. The detached child leads both (pid = pgid = sid).');

  await step('Who is PID 1 here?');
  const everyone = await listAllProcesses();
  const init = everyone.find((each) => each.pid === 1);
  say(`PID 1 is "${init?.name ?? 'unknown'}"${init?.cmd ? `: ${init.cmd.slice(0, 60)}` : ''}`);
  fact('pid1', init?.name ?? null);
  explain('On a desktop it is systemd; in a container often a tiny init (tini), or your program itself.');
  explain('PID 1 adopts orphans and must collect their exit status: lesson 04 shows that.');
  await Promise.all([exited(together), exited(apart)]);

  await step('Process states: running, ready, blocked; new, terminated');
  // The course's 三态: a process is RUNNING (on a CPU), READY (it could run, and waits for a CPU)
  // or BLOCKED (it waits for something: a timer, input, a disk). 五态 adds NEW (being created)
  // and TERMINATED (ended; its exit status not yet collected). ps shows them as STAT letters:
  //   R  running OR ready: one letter for both      S  blocked, and a signal wakes it
  //   D  blocked, and no signal but SIGKILL does    Z  terminated, not yet reaped
  // NEW has no letter. Here it is a child caught between its fork and its exec.
  const fifo = join(tempDir('states'), 'nobody-writes');
  posix.makeFifo(fifo); // a named pipe: opening it to read waits until someone opens it to write
  const spinning = forkSelf('spinner', { ipc: true });
  const waiting = forkSelf('waiter', { ipc: true });
  const vforking = forkSelf('vforker', { ipc: true, args: [fifo] });
  await Promise.all([spinning, waiting, vforking].map((each) => once(each, 'message')));
  await whenKernelShows(() => stateOf(vforking.pid!), (state) => state === 'D'); // its child exists now: every state is in the table
  fact('states', { spinner: spinning.pid, waiter: waiting.pid, vforker: vforking.pid });
  say(`spinner ${spinning.pid} computes, waiter ${waiting.pid} waits for a message, vforker ${vforking.pid} starts a child.`);
  explain('R: the spinner never stops to wait. With more runnable processes than cores, some wait');
  explain('for a CPU (ready) while others run; ps shows R for both, only the kernel counts them apart.');
  explain('S: the waiter sleeps until a message comes (a signal would wake it too).');
  explain("D: the vforker is inside posix_spawn, which waits, as vfork() does, until its child runs its");
  explain('program; no signal but SIGKILL ends that wait. Its child cannot: it is opening its input, a');
  explain("FIFO nobody writes to. That child is NEW: it has its own pid, but it is still a copy of the");
  explain("vforker (its name too), not yet running a program of its own.");
  // --predict: the student guesses, the table answers (lib/lesson/question.ts).
  await question({ about: vforking.pid!, ask: 'stat', reveal: { afterMs: 500 }, prompt: "The vforker waits inside posix_spawn for its child, which is stuck opening a FIFO. What will the vforker's STAT be half a second from now?" });
  const before = cpuTimes(spinning.pid!);
  await sleep(2000);
  const after = cpuTimes(spinning.pid!);
  if (before && after) {
    const [ran, ready, during] = [after.ran - before.ran, after.ready - before.ready, after.at - before.at];
    say(`in the last ${during.toFixed(0)} ms the spinner ran ${ran.toFixed(0)} ms and waited ready ${ready.toFixed(0)} ms: all of it R.`);
    fact('schedstat', { ran, ready, during });
  } else {
    say('no /proc/<pid>/schedstat here: the kernel\'s split of R into running and ready cannot be read.');
  }
  spinning.kill(); // SIGTERM: the spinner has no handler, it ends at once
  fact('fifo.opening', vforking.pid);
  const writer = await open(fifo, 'w'); // the child's open() returns: it runs `true`, the vforker is free
  await writer.close();
  fact('fifo.opened', vforking.pid);
  await once(vforking, 'exit');

  waiting.send('exit');
  say('The waiter exits now, while my event loop is blocked: nobody collects it yet.');
  explain("Z: TERMINATED. The waiter's code is done, the kernel keeps its exit status until I reap it.");
  // The waiter takes a moment to end (Node shuts down); then it stays Z for the rest of the 3 s.
  blockEventLoop(3000, 'the waiter is terminated, not reaped: Z');
  fact('parent.free', waiting.pid);
  await Promise.all([exited(waiting), exited(spinning)]); // the loop runs again: libuv reaps the waiter
}

/**
 * R: computes and never waits for anything, not even for its own event loop, until a signal ends
 * it (SIGTERM from the parent; Ctrl-C; the lesson's end takes its whole process group along).
 */
async function spinner(): Promise<void> {
  name('spinner');
  process.send?.('ready', () => {
    for (;;); // allocates nothing, so not even a garbage collection makes it wait
  });
}

/** S: waits for one message (a read on its channel), then ends. */
async function waiter(): Promise<void> {
  name('waiter');
  process.send?.('ready');
  await once(process, 'message');
  process.disconnect(); // nothing keeps it alive now: it ends, exit 0
}

/** D, and its child NEW: posix_spawn of `true`, whose input is a FIFO nobody writes to yet. */
async function vforker(fifo: string): Promise<void> {
  name('vforker');
  await new Promise((resolve) => process.send?.('ready', resolve));
  // The C library clones this process as vfork() does and this thread waits, in the kernel, until
  // the child has run exec. The child first opens its stdin, the FIFO: there it waits.
  const pid = posix.spawnWithLibc('true', ['true'], { stdinFrom: fifo, closeFrom: 3 });
  const ended = posix.waitForChild(pid, true); // libuv does not know this child: we reap it
  const code = 'exited' in ended ? ended.exited.code : null;
  say(`my child ${pid} ran true and exited with code ${code}; I reaped it with waitpid().`);
  fact('vforker.child', { pid, code });
  process.disconnect();
}

/** The time a process's main thread ran on a CPU and waited ready for one, in ms (Linux). */
function cpuTimes(pid: number): { ran: number; ready: number; at: number } | undefined {
  const file = `/proc/${pid}/schedstat`; // "<ns on a CPU> <ns waiting in a run queue> <timeslices>"
  if (!existsSync(file)) return undefined;
  const [ran = 0, ready = 0] = readFileSync(file, 'utf8').split(' ').map(Number);
  return { ran: ran / 1e6, ready: ready / 1e6, at: Number(process.hrtime.bigint()) / 1e6 };
}

async function child(): Promise<void> {
  name('child');
  const ids = { pid: process.pid, ppid: process.ppid, pgid: posix.processGroupOf(0), sid: posix.sessionOf(0) };
  say(`pid ${ids.pid}, parent ${ids.ppid}, group ${ids.pgid}, session ${ids.sid}`);
  fact('child.ids', ids);
  await sleep(3500);
}

function parsePs(text: string): Array<Record<string, string>> {
  const [header, ...rows] = text.trim().split('\n');
  const columns = (header ?? '').trim().toLowerCase().split(/\s+/);
  return rows.map((row) => {
    const cells = row.trim().split(/\s+/);
    return Object.fromEntries(columns.map((column, index) => [column, cells[index] ?? '']));
  });
}
