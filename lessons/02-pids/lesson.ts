// Lesson 02 — pids: who is who.
//
// The kernel gives every process a number, its PID, and remembers who started it: its parent
// (PPID). Processes also come in groups: a PROCESS GROUP is what Ctrl-C in a terminal signals
// all at once (a shell puts each pipeline in one), and a SESSION is a set of groups sharing one
// terminal. The first process of a group or session "leads" it: its pid is the group's or
// session's id. At the top of every tree is PID 1, which adopts processes whose parent died.
// execFileSync as Node's, from the lesson API: it also tells the runner the pid of the tool it runs.
import {
  exited, explain, fact, forkSelf, listAllProcesses, name, posix, quote, role, say, sleep, step, execFileSync,
} from '../../lib/lesson/index.js';

if (role === 'main') await parent();
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
