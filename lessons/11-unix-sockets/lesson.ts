// Lesson 11 — unix sockets: a server whose address is a file.
//
// A Unix domain socket (AF_UNIX) is a socket between processes on the same machine. Its address
// is not an IP and a port but a PATH: listen() makes a special file there (type "s" in ls -l),
// and clients connect() to that path. The course's Python does socket(AF_UNIX, SOCK_STREAM),
// bind(path), listen(); in Node it is the same `net` module as TCP, given a path instead of a port.
//
// The file is where the trouble is: who removes it, what a killed server leaves behind, how long
// the path may be, and (on Linux) how to have no file at all.
import { once } from 'node:events';
import { existsSync, lstatSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
// execFileSync as Node's, from the lesson API: it also tells the runner the pid of the tool it runs.
import { exited, explain, fact, forkSelf, name, question, role, say, sleep, step, tempDir, execFileSync } from '../../lib/lesson/index.js';
import { checkSocketPath, listen, listenSafely, MAX_SOCKET_PATH, SocketPathError } from './safe-listen.js';

// How a server claims its path: just listen, listen safely, or the course's way (remove, then listen).
type Mode = 'plain' | 'safe' | 'course';

// An address is a path, or "@name" for a Linux abstract name (the way ss and /proc/net/unix write it).
const socketAddress = (text: string): string => (text.startsWith('@') ? `\0${text.slice(1)}` : text);

if (role === 'server') await server(process.argv[2]!, process.argv[3] as Mode);
else if (role === 'client') await client(process.argv[2]!);
else await parent();

async function parent(): Promise<void> {
  name('parent');
  const dir = tempDir('unix');
  const path = join(dir, 'server.sock');
  checkSocketPath(path); // a very long TMPDIR would make even this path too long
  fact('socket.path', path);

  await step('A server on a socket file');
  let plain = await startServer(path, 'plain');
  const listing = execFileSync('ls', ['-l', path]).toString().trim();
  say(`ls -l: ${listing}`);
  fact('socket.ls', listing);
  fact('socket.isSocket', lstatSync(path).isSocket());
  explain('The first letter is the type: s, a socket. It has no content; it is a name clients connect to.');
  await exited(forkSelf('client', { args: [path] }));

  await step('Closing the server removes its file');
  plain.child.disconnect(); // our server closes when its parent lets go of it
  await exited(plain.child);
  fact('close.server', plain.child.pid);
  say(`after close(): ${existsSync(path) ? 'the file is still there' : 'the file is gone'}`);
  fact('close.exists', existsSync(path));
  explain("Node's server.close() unlinks the socket file (Python's socket.close() does not).");

  await step('A killed server leaves its file behind');
  plain = await startServer(path, 'plain');
  fact('kill.listening', plain.child.pid);
  await sleep(1000);
  plain.child.kill('SIGKILL'); // no chance to clean up
  await exited(plain.child);
  fact('kill.server', plain.child.pid);
  say(`after SIGKILL: ${existsSync(path) ? 'the file is still there' : 'the file is gone'}`);
  fact('kill.left', { exists: existsSync(path), isSocket: existsSync(path) && lstatSync(path).isSocket() });
  const again = await startServer(path, 'plain');
  await exited(again.child);
  say(`a new server on the same path: ${again.said.refused}`);
  fact('kill.relisten', { ...again.said, pid: again.child.pid });
  explain('The stale file blocks the name: listen() fails with EADDRINUSE although nobody listens.');

  await step('Safe recovery: remove the file only if nobody answers');
  const safe = await startServer(path, 'safe');
  say(`a careful server connected first; it was told ${safe.said.probe}, removed the stale file and listens.`);
  fact('recovery.dead', { ...safe.said, pid: safe.child.pid });
  const inode = lstatSync(path).ino;
  const second = await startServer(path, 'safe');
  await exited(second.child);
  say(`a second careful server on the same path: ${second.said.refused}`);
  fact('recovery.live', { ...second.said, pid: second.child.pid, sameFile: lstatSync(path).ino === inode });
  await exited(forkSelf('client', { args: [path] }));
  explain('The careful server still has its file, and the next client reached it.');

  // The course's server instead removes the file whenever it exists. Against a LIVE server:
  const course = await startServer(path, 'course');
  fact('course.server', course.child.pid);
  await exited(forkSelf('client', { args: [path] }));
  say(`the course's server removed the file and took the name; the careful server (pid ${safe.child.pid}) still runs, but that client reached the new one.`);
  fact('course.orphaned', { pid: safe.child.pid, alive: safe.child.exitCode === null && safe.child.signalCode === null });
  // --predict: the student guesses, the table answers (lib/lesson/question.ts).
  await question({ about: safe.child.pid!, ask: 'alive', reveal: { afterMs: 500 }, prompt: "The careful server's socket file now leads to another server. What will the careful server be 0.5 s from now?" });
  explain('A running server nobody can reach: its file is gone, and no path leads to its socket any more.');
  await sleep(2000); // look at the table: it is still there
  course.child.disconnect();
  await exited(course.child);
  safe.child.disconnect();
  await exited(safe.child);

  await step('How long a socket path can be');
  const long = join(dir, 'a'.repeat(120 - Buffer.byteLength(dir) - 1));
  try {
    checkSocketPath(long);
  } catch (error) {
    say(`checkSocketPath: ${(error as SocketPathError).message}`);
    fact('path.refused', { bytes: Buffer.byteLength(long), code: (error as SocketPathError).code });
  }
  // Without the check, what does Node do? Only in our private folder, and we tidy up after it.
  const before = new Set(readdirSync(dir));
  const unchecked = createServer();
  await listen(unchecked, long);
  const made = readdirSync(dir).filter((file) => !before.has(file));
  await new Promise((resolve) => unchecked.close(resolve));
  const left = made.filter((file) => existsSync(join(dir, file)));
  const madeBytes = made.map((file) => Buffer.byteLength(join(dir, file)));
  say(`Node listened on a ${Buffer.byteLength(long)}-byte path without a word; the file it made has a ${madeBytes.join(', ')}-byte path.`);
  say(`after close(): ${left.length} such file(s) left behind.`);
  fact('path.unchecked', { askedBytes: Buffer.byteLength(long), madeBytes, leftAfterClose: left.length });
  for (const file of left) unlinkSync(join(dir, file));
  explain(`sun_path holds ${MAX_SOCKET_PATH} bytes; the rest was cut off, and close() removed the long name`);
  explain("that never existed. Keep socket paths short (a short folder, a short name), or check them.");

  await step('Linux abstract names: a socket without a file');
  if (process.platform !== 'linux') {
    say('Abstract names are a Linux feature: nothing to show on this system.');
    return;
  }
  const abstract = `@procbook-${process.pid}`;
  const filesBefore = readdirSync(dir).length;
  let named = await startServer(abstract, 'plain');
  // The kernel's list of Unix sockets: the last column is the address; "@" stands for a NUL byte.
  const listed = readFileSync('/proc/net/unix', 'utf8')
    .split('\n')
    .map((line) => line.split(' ').at(-1)!)
    .find((address) => address === abstract || address.startsWith(`${abstract}@`));
  say(`/proc/net/unix lists it as: ${listed ?? '(not found)'}`);
  say(`new files on disk: ${readdirSync(dir).length - filesBefore}`);
  fact('abstract.listed', { listed, newFiles: readdirSync(dir).length - filesBefore, pid: named.child.pid });
  if (listed && listed.length > abstract.length) {
    explain(`Node ${process.version} pads the name with NUL bytes to all ${MAX_SOCKET_PATH} bytes of sun_path (each @ is one).`);
    explain('A C or Python client must send the same padded name, or the kernel says ECONNREFUSED.');
  }
  await exited(forkSelf('client', { args: [abstract] }));
  named.child.kill('SIGKILL');
  await exited(named.child);
  named = await startServer(abstract, 'plain');
  say(`after a SIGKILL, a new server on ${abstract}: ${named.said.listening ? 'listens at once' : named.said.refused}`);
  fact('abstract.relisten', { ...named.said, pid: named.child.pid });
  named.child.disconnect();
  await exited(named.child);
  explain('A name that begins with a NUL byte lives only in the kernel: it vanishes with its socket, so');
  explain('there is never a stale file. It has no file permissions either: any local process may connect.');
}

// ── the children ─────────────────────────────────────────────────────────────────────────────

interface ServerSaid {
  listening?: boolean;
  recovered?: boolean;
  probe?: string;
  refused?: string;
  code?: string;
}

/** Starts a server process and waits for its first word: listening, or why not. */
async function startServer(address: string, how: Mode) {
  const child = forkSelf('server', { ipc: true, args: [address, how] });
  const [said] = (await once(child, 'message')) as [ServerSaid];
  return { child, said };
}

/** The course's receiving end: answer every message with "Receive". */
async function server(address: string, how: Mode): Promise<void> {
  name(how === 'plain' ? 'server' : `server (${how})`);
  const server = createServer((connection) => {
    connection.setEncoding('utf8');
    connection.on('error', () => connection.destroy()); // a client that hangs up abruptly must not crash us
    connection.on('data', (text: string) => {
      fact('served', text);
      connection.write(`Receive: ${text} (server ${process.pid})`);
    });
  });
  try {
    const at = socketAddress(address);
    if (how === 'course' && existsSync(at)) unlinkSync(at); // the course: if os.path.exists(f): os.remove(f)
    const result = how === 'safe' ? await listenSafely(server, at) : await listen(server, at).then(() => ({ recovered: false }));
    process.send!({ listening: true, ...result });
    say(`listening on ${address}`);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    process.send!({ refused: code === 'EADDRINUSE' ? `listen() failed: EADDRINUSE (the address is in use).` : message, code });
    process.exitCode = 1;
    process.disconnect();
    return;
  }
  process.on('disconnect', () => server.close()); // close(): stop listening, and unlink the file
}

async function client(address: string): Promise<void> {
  name('client');
  const socket = connect(socketAddress(address));
  await once(socket, 'connect');
  socket.setEncoding('utf8');
  const replies: string[] = [];
  for (const line of ['hello', '你好']) {
    await sleep(300);
    socket.write(line);
    const [reply] = (await once(socket, 'data')) as [string]; // one small reply, one read (lesson 17: not always!)
    say(`sent "${line}", got "${reply}"`);
    replies.push(reply);
  }
  socket.end();
  fact('client.replies', replies);
}
