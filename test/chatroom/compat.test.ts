// Wire compatibility with the course: our server with the course's Python client (seed 004), and
// our client with the course's Python servers (seed 004, and seed 000 that says "quit" not "EXIT").
// The Python client is driven through its stdin, as a person would type.
import { beforeAll, expect, test } from 'vitest';
import { buildOnce, groupGone, joinedClient, members, python, startClient, startPythonServer, startServer } from './support.js';

beforeAll(buildOnce, 60_000);

test("our server with the course's Python client (and ours in the same room)", async () => {
  const server = await startServer();
  const alice = python('seed004_client.py', ['127.0.0.1', String(server.port)]);
  await alice.waitFor('请输入姓名:');
  alice.write('alice');
  await alice.waitFor('您已进入聊天室');

  // A taken name: the course's client prints our reason and asks again.
  const bob = python('seed004_client.py', ['127.0.0.1', String(server.port)]);
  bob.write('alice');
  await bob.waitFor('The name alice is taken; choose another.\n请输入姓名:');
  bob.write('bob');
  await bob.waitFor('您已进入聊天室');
  await alice.waitFor('bob joined');

  const carol = await joinedClient(server.port, 'carol');
  await alice.waitFor('carol joined');
  bob.write('hello from python, 你好');
  await alice.waitFor('bob: hello from python, 你好');
  await carol.waitFor('bob: hello from python, 你好');
  carol.write('hello from node');
  await alice.waitFor('carol: hello from node');
  await bob.waitFor('carol: hello from node');
  server.proc.write('the admin speaks');
  for (const each of [alice, bob, carol]) await each.waitFor('admin: the admin speaks');

  // The course's client leaves with "quit": its sender sends Q and exits, its receiver stops on EXIT.
  bob.write('quit');
  await alice.waitFor('bob left');
  await carol.waitFor('bob left');
  await bob.waitExit();
  await groupGone(bob.pid);
  expect((await members(server)).sort()).toEqual(['alice', 'carol']);

  // Ctrl-C on the server: the course's client prints the news and its receiver stops on EXIT.
  server.proc.signalGroup('SIGINT');
  await alice.waitFor('The room is closing. Goodbye!');
  expect((await alice.waitExit()).code).toBe(0);
  // (Its sender child still waits in input(), as in the course, until its input ends.)
  alice.closeInput();
  await groupGone(alice.pid);
  await carol.waitExit();
  await server.proc.waitExit();
});

test("our client with the course's Python server (seed 004)", async () => {
  const server = await startPythonServer('seed004_server.py');
  const alice = await joinedClient(server.port, 'alice');
  const bob = startClient(server.port);
  bob.write('alice');
  await bob.waitFor('该用户已存在'); // the course server's refusal, printed, and the name asked again
  bob.write('bob');
  await bob.waitFor('You are in the room as bob.');
  await alice.waitFor('欢迎 bob 进入聊天室');
  bob.write('hi, 你好');
  await alice.waitFor('bob 说:hi, 你好');
  // The course server's admin child reads its stdin and sends "C 管理员 …".
  server.proc.write('大家好');
  await alice.waitFor('管理员 说:大家好');
  await bob.waitFor('管理员 说:大家好');
  bob.write('quit');
  await bob.waitFor('You have left the room.');
  expect((await bob.waitExit()).code).toBe(0);
  await groupGone(bob.pid);
  await alice.waitFor('bob退出了聊天室');
  // The course's server has no Ctrl-C handling; when it dies, our client notices at its next line.
  server.proc.signalGroup('SIGKILL');
  await server.proc.waitExit();
  // Its forked admin child holds the same socket: until it is gone too, a datagram is still
  // taken in (and no "port unreachable" comes back).
  await groupGone(server.proc.pid);
  alice.write('anyone?');
  await alice.waitFor('has gone away', { stream: 'err' });
  expect((await alice.waitExit()).code).toBe(1);
});

test('our client with the first version of the course server (seed 000: "quit" instead of "EXIT")', async () => {
  const server = await startPythonServer('seed000_server.py');
  const [alice, bob] = await Promise.all([joinedClient(server.port, 'alice'), joinedClient(server.port, 'bob')]);
  bob.write('hi');
  await alice.waitFor('bob : hi');
  bob.write('quit');
  expect((await bob.waitExit()).code).toBe(0);
  await groupGone(bob.pid);
  await alice.waitFor('bob 退出了聊天室');
});
