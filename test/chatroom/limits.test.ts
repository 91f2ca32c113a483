// The room's limits as processes (issue 18): one address cannot fill the room, a look-alike of the
// admin's name is refused on the wire, and a big room's fan-out (one system call for all its
// datagrams) reaches everyone in order.
import dgram from 'node:dgram';
import { beforeAll, expect, test } from 'vitest';
import { buildOnce, groupGone, groupMembers, inbox, joinedClient, members, pause, rawSocket, sendTo, startServer } from './support.js';

beforeAll(buildOnce, 60_000);

const sockets: dgram.Socket[] = [];

/** A UDP socket bound to one of the loopback addresses (all of 127.0.0.0/8 is this machine's). */
async function socketOn(address: string): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, address, () => resolve());
  });
  return socket;
}

async function until(condition: () => boolean, what: string, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(10);
  }
}

test('500 joins from one address (500 ports of 127.0.0.2) do not lock out another address (127.0.0.3)', async () => {
  const server = await startServer();
  try {
    const flood = await Promise.all(Array.from({ length: 500 }, () => socketOn('127.0.0.2')));
    const answers = flood.map((socket) => inbox(socket));
    // In batches, each answered before the next (UDP has no flow control: a burst of 500 could
    // overflow a receive buffer on a busy machine, and the test would count the kernel's losses).
    for (let start = 0; start < flood.length; start += 50) {
      const batch = flood.slice(start, start + 50);
      await Promise.all(batch.map((socket, index) => sendTo(socket, server.port, `L flood${start + index}`)));
      await until(() => answers.slice(start, start + 50).every((each) => each.length > 0), `answers to joins ${start}–${start + 49}`);
    }
    const first = answers.map((each) => each[0]);
    expect(first.filter((answer) => answer === 'OK')).toHaveLength(100);
    expect(first.filter((answer) => answer === 'Your address already has 100 names in the room, the most one address may hold; try again later.')).toHaveLength(400);
    // Someone else, from another address, still gets in, and hears the room.
    const other = await socketOn('127.0.0.3');
    const otherInbox = inbox(other);
    await sendTo(other, server.port, 'L alice');
    await until(() => otherInbox.includes('OK'), 'alice to be let in');
    await sendTo(flood[0]!, server.port, 'C flood0 hello');
    await until(() => otherInbox.includes('flood0: hello'), 'alice to hear flood0');
    expect((await members(server)).length).toBe(101);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- server:\n${server.proc.out.split('\n').filter((line) => !/ joined from /.test(line)).join('\n')}\n${server.proc.err}`);
  } finally {
    for (const socket of sockets.splice(0)) socket.close();
  }
}, 60_000);

test('"L аdmin" with a Cyrillic а is refused with a clear answer, and no member appears', async () => {
  const server = await startServer();
  const mallory = await rawSocket();
  const replies = inbox(mallory);
  await sendTo(mallory, server.port, 'L аdmin');
  await until(() => replies.length > 0, 'an answer');
  expect(replies).toEqual(["The name аdmin looks too much like admin, which is reserved for the room's admin."]);
  await server.proc.waitFor(/refused "аdmin" from 127\.0\.0\.1:\d+: The name аdmin looks too much like admin/);
  expect(await members(server)).toEqual([]);
});

test('a big room: each fan-out goes out in one system call; everyone hears every line, in order; Ctrl-C tells everyone and ends every process', async () => {
  const server = await startServer();
  const alice = await joinedClient(server.port, 'alice');
  const others = await Promise.all(Array.from({ length: 19 }, () => rawSocket()));
  const heard = others.map((socket) => inbox(socket));
  for (const [index, socket] of others.entries()) await sendTo(socket, server.port, `L m${index}`);
  await until(() => heard.every((each) => each.includes('OK')), 'all 19 to join');
  await server.proc.waitFor(/\d+ members: from now on each fan-out goes out in one system call \(sendmmsg\)/);
  // Every line reaches every other member, in the order it was said.
  for (let line = 0; line < 20; line++) alice.write(`line ${line}`);
  await until(() => heard.every((each) => each.filter((text) => text.startsWith('alice: line ')).length === 20), 'the 19 to hear alice 20 times');
  for (const each of heard) expect(each.filter((text) => text.startsWith('alice: line '))).toEqual(Array.from({ length: 20 }, (_, line) => `alice: line ${line}`));
  // Each member heard of those who joined after it, and never its own news.
  for (const [index, each] of heard.entries()) {
    expect(each.filter((text) => text.endsWith(' joined'))).toEqual(Array.from({ length: 18 - index }, (_, after) => `m${index + 1 + after} joined`));
  }
  await sendTo(others[3]!, server.port, 'C m3 hi alice');
  await alice.waitFor('m3: hi alice');
  expect(heard[3]!.filter((text) => text.includes('hi alice'))).toEqual([]);
  // Ctrl-C: the goodbye, then EXIT, reach everyone; then every process ends.
  server.proc.signalGroup('SIGINT');
  await until(() => heard.every((each) => each.at(-2) === 'The room is closing. Goodbye!' && each.at(-1) === 'EXIT'), 'everyone to be told the room closes');
  await alice.waitFor('The room is closing. Goodbye!');
  expect(await server.proc.waitExit()).toEqual({ code: 0, signal: null });
  await groupGone(server.proc.pid);
  expect((await alice.waitExit()).code).toBe(0);
}, 30_000);

test('the one-call fan-out: sendmmsg() on the server socket sends the same bytes to every address, all in one call', async () => {
  const { batchSender } = await import('../../chatroom/batch-send.js');
  const server = await rawSocket();
  const batch = batchSender(server);
  if (process.platform !== 'linux' || (process.arch !== 'x64' && process.arch !== 'arm64')) {
    expect(batch).toBeUndefined();
    return;
  }
  expect(batch).toBeDefined();
  const receivers = await Promise.all(Array.from({ length: 30 }, (_, index) => socketOn(`127.0.0.${2 + (index % 3)}`)));
  const heard = receivers.map((socket) => inbox(socket));
  const peers = receivers.map((socket) => ({ address: socket.address().address, port: socket.address().port }));
  // The count is what sendmmsg() itself returned: all 30 in one call.
  expect(batch!.send(Buffer.from('小明 说:你好'), peers)).toBe(30);
  await until(() => heard.every((each) => each.length === 1), 'all 30 to receive it');
  for (const each of heard) expect(each).toEqual(['小明 说:你好']);
  for (const socket of sockets.splice(0)) socket.close();
});
