// Our server with our client, as processes: the behaviour of issue 5.
import { beforeAll, expect, test } from 'vitest';
import { buildOnce, groupGone, groupMembers, joinedClient, members, rawSocket, startClient, startServer } from './support.js';
import { descriptorsOf, socketTable } from '../../lib/proc/read.js';

beforeAll(buildOnce, 60_000);

test('join with a checked name: refusals give the reason and the client asks again', async () => {
  const server = await startServer();
  const alice = await joinedClient(server.port, 'alice');
  const bob = startClient(server.port);
  for (const name of ['alice', 'admin', 'bob smith', '', 'bob']) bob.write(name);
  await bob.waitFor('You are in the room as bob.');
  expect(bob.out).toContain('The name alice is taken; choose another.');
  expect(bob.out).toContain("The name admin is reserved for the room's admin.");
  expect(bob.out).toContain('A name cannot contain spaces.');
  expect(bob.out).toContain('A name cannot be empty.');
  await alice.waitFor('bob joined');
  expect(await members(server)).toEqual(['alice', 'bob']);
});

test('a slow server answering a repeated L twice: the late answer is not taken for the next name', async () => {
  // A stand-in server that answers nothing until the client has asked for "alice" twice (its
  // retry after 700 ms), refuses once, and sends the second refusal (the late answer to the
  // repeated L) only when "bob" is asked, just before letting bob in.
  const server = await rawSocket();
  const port = (server.address() as { port: number }).port;
  const asked: string[] = [];
  const refusal = 'The name alice is taken; choose another.';
  server.on('message', (bytes, from) => {
    const text = bytes.toString('utf8');
    asked.push(text);
    const answer = (reply: string): void => void server.send(reply, from.port, from.address);
    if (text === 'L alice' && asked.filter((each) => each === 'L alice').length === 2) answer(refusal);
    else if (text === 'L bob') {
      answer(refusal);
      answer('OK');
    }
  });
  const client = startClient(port);
  client.write('alice');
  client.write('bob'); // typed at once: it waits its turn, and is asked as soon as alice is refused
  await client.waitFor('You are in the room as bob.');
  expect(asked.slice(0, 2)).toEqual(['L alice', 'L alice']);
  expect(client.out.split('The name alice is taken').length - 1).toBe(1);
  expect(asked.filter((each) => each === 'L bob')).toHaveLength(1);
});

test('chat and left reach everyone but the speaker, the admin reaches everyone; the processes and their shared socket', async () => {
  const server = await startServer();
  // carol's sender plays the fallback for a Node that cannot stop a socket reading: it hands
  // what it reads to the receiver. She must get everything all the same.
  const [alice, bob, carol] = await Promise.all([
    joinedClient(server.port, 'alice'),
    joinedClient(server.port, 'bob'),
    joinedClient(server.port, 'carol', { PROCBOOK_CHAT_SENDER_READS: '1' }),
  ]);
  expect((await members(server)).sort()).toEqual(['alice', 'bob', 'carol']);

  // The process table: chat-server over chat-admin; each client is chat-receiver over chat-sender.
  const serverGroup = groupMembers(server.proc.pid);
  expect(serverGroup.map((each) => each.title).sort()).toEqual(['chat-admin', 'chat-server']);
  expect(serverGroup.find((each) => each.title === 'chat-admin')?.ppid).toBe(server.proc.pid);
  const pair = groupMembers(alice.pid);
  expect(pair.map((each) => each.title).sort()).toEqual(['chat-receiver', 'chat-sender']);
  const sender = pair.find((each) => each.title === 'chat-sender');
  expect(sender?.ppid).toBe(alice.pid);
  // Receiver and sender hold one and the same UDP socket, as after fork() in the course.
  const udp = udpInodes();
  const aliceSockets = socketsOf(alice.pid);
  const shared = [...socketsOf(sender?.pid ?? 0)].filter((link) => aliceSockets.has(link) && udp.has(link));
  expect(shared).toHaveLength(1);

  for (let index = 0; index < 10; index++) bob.write(`hello ${index} from bob, 你好`);
  for (const each of [alice, carol]) for (let index = 0; index < 10; index++) await each.waitFor(`bob: hello ${index} from bob, 你好\n`);
  server.proc.write('the admin speaks');
  for (const each of [alice, bob, carol]) await each.waitFor('admin: the admin speaks');
  expect(bob.out).not.toContain('bob: hello'); // not echoed to the speaker

  carol.write('quit');
  await alice.waitFor('carol left');
  await bob.waitFor('carol left');
  await carol.waitFor('You have left the room.');
  expect(await carol.waitExit()).toEqual({ code: 0, signal: null });
  await groupGone(carol.pid); // its sender ended too
  expect((await members(server)).sort()).toEqual(['alice', 'bob']);
});

function socketsOf(pid: number): Set<string> {
  return new Set([...descriptorsOf(pid).values()].filter((link) => link.startsWith('socket:')));
}

/** Every UDP socket on the machine, as "socket:[inode]" (the form /proc/<pid>/fd shows). */
function udpInodes(): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['udp', 'udp6'] as const) {
    for (const line of socketTable(table)) {
      const inode = line.trim().split(/\s+/)[9];
      if (inode) inodes.add(`socket:[${inode}]`);
    }
  }
  return inodes;
}

test('Ctrl-C on the server tells every client the room is closing; every process ends', async () => {
  const server = await startServer();
  const clients = await Promise.all([joinedClient(server.port, 'alice'), joinedClient(server.port, 'bob')]);
  server.proc.signalGroup('SIGINT'); // Ctrl-C reaches the server and its admin console
  for (const each of clients) {
    await each.waitFor('The room is closing. Goodbye!');
    expect(await each.waitExit()).toEqual({ code: 0, signal: null });
    await groupGone(each.pid);
  }
  expect(await server.proc.waitExit()).toEqual({ code: 0, signal: null });
  await groupGone(server.proc.pid); // the admin console ended with it
});

test('Ctrl-C, or the end of the keyboard input (Ctrl-D), leaves the room and ends both processes', async () => {
  const server = await startServer();
  const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((name) => joinedClient(server.port, name)));
  if (!alice || !bob || !carol) throw new Error('three clients');
  bob.signalGroup('SIGINT');
  carol.write('one last word');
  carol.closeInput();
  await alice.waitFor('carol: one last word');
  await alice.waitFor('bob left');
  await alice.waitFor('carol left');
  for (const each of [bob, carol]) {
    expect((await each.waitExit()).code).toBe(0);
    await groupGone(each.pid);
  }
  expect(await members(server)).toEqual(['alice']);
});

test('a client whose server is not there says so within a few seconds', async () => {
  // Nothing on the port: the kernel answers "port unreachable" and the client says so at once.
  const closed = await rawSocket();
  const freePort = closed.address().port;
  closed.close();
  // Something on the port that never answers (a hung server, or datagrams lost on the way): the
  // client gives up after its retries.
  const silent = await rawSocket();
  const started = Date.now();
  const [nobody, waiting] = [startClient(freePort), startClient(silent.address().port)];
  nobody.write('alice');
  waiting.write('alice');
  await nobody.waitFor(/nothing is listening at 127\.0\.0\.1:\d+/, { stream: 'err', timeout: 3000 });
  await waiting.waitFor(/no chat server answers at 127\.0\.0\.1:\d+/, { stream: 'err', timeout: 5000 });
  expect(Date.now() - started).toBeLessThan(5000);
  for (const each of [nobody, waiting]) {
    expect((await each.waitExit()).code).toBe(1);
    await groupGone(each.pid);
  }
});

test('a server that dies under a client: the next line says it is gone', async () => {
  const server = await startServer();
  const alice = await joinedClient(server.port, 'alice');
  server.proc.signalGroup('SIGKILL');
  await server.proc.waitExit();
  alice.write('anyone there?');
  await alice.waitFor(/the chat server at 127\.0\.0\.1:\d+ has gone away/, { stream: 'err' });
  expect((await alice.waitExit()).code).toBe(1);
  await groupGone(alice.pid);
});
