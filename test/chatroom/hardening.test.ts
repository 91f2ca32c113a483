// What the course's server does not do: refuse forged and malformed datagrams, survive a flood of
// garbage with its member list exact, keep delivering when a client vanishes, and answer bad
// command lines with one sentence.
import { spawn } from 'node:child_process';
import { beforeAll, expect, test } from 'vitest';
import { checkName, parseRequest } from '../../chatroom/protocol.js';
import { ENGLISH, buildOnce, clientEntry, groupGone, groupMembers, inbox, joinedClient, members, pause, rawSocket, sendTo, serverEntry, startClient, startServer } from './support.js';

beforeAll(buildOnce, 60_000);

test('nobody can speak as, or kick out, someone else, nor speak as the admin', async () => {
  const server = await startServer();
  const [alice, bob] = await Promise.all([joinedClient(server.port, 'alice'), joinedClient(server.port, 'bob')]);
  const mallory = await rawSocket();
  const replies = inbox(mallory);
  for (const forged of ['C alice I am alice', 'Q alice', 'Q bob', 'C admin all hail mallory', 'C 管理员 伪造', 'L admin', 'L 管理员']) {
    await sendTo(mallory, server.port, forged);
  }
  // A datagram after them from bob: once it is through, theirs were handled.
  bob.write('marker');
  await alice.waitFor('bob: marker');
  await server.proc.waitFor(/dropped Q for bob from 127\.0\.0\.1:\d+: bob joined from/);
  expect(alice.out).not.toMatch(/I am alice|mallory|伪造/);
  expect(bob.out).not.toMatch(/alice: I am alice|mallory|伪造|You have left/);
  expect(server.proc.out).toMatch(/dropped C for alice from 127\.0\.0\.1:\d+: alice joined from/);
  expect(server.proc.out).toMatch(/dropped C for "admin" from .*: no such member/);
  expect(replies).toEqual(["The name admin is reserved for the room's admin.", "The name 管理员 is reserved for the room's admin."]);
  expect((await members(server)).sort()).toEqual(['alice', 'bob']);
});

test('malformed, empty, oversized and non-UTF-8 datagrams are dropped with a log line each', async () => {
  const server = await startServer();
  const alice = await joinedClient(server.port, 'alice');
  const attacker = await rawSocket();
  const bad: Array<[Uint8Array | string, RegExp]> = [
    [new Uint8Array(), /empty datagram/],
    [Buffer.alloc(1500, 0x43), /oversized datagram \(1500 bytes/],
    [Buffer.from([0x43, 0x20, 0x61, 0x20, 0xc3, 0x28]), /not UTF-8/],
    ['HELLO', /unknown request "HELLO"/],
    ['Q', /no space after Q/],
    ['C alice hi\nadmin: fake line', /control characters in a chat line/],
  ];
  for (const [data] of bad) await sendTo(attacker, server.port, data);
  for (const [, log] of bad) await server.proc.waitFor(log);
  const drops = server.proc.out.split('\n').filter((line) => line.startsWith('dropped a datagram from'));
  expect(drops).toHaveLength(bad.length);
  // Still serving.
  const bob = await joinedClient(server.port, 'bob');
  bob.write('still here');
  await alice.waitFor('bob: still here');
});

/** A deterministic pseudo-random source (xorshift32), so a failing run can be replayed. */
function randomSource(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

test('fuzz: 30,000 random and adversarial datagrams, then the room works and its member list is exact', async () => {
  const server = await startServer();
  const [alice, bob] = await Promise.all([joinedClient(server.port, 'alice'), joinedClient(server.port, 'bob')]);
  const random = randomSource(20_240_605);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const adversarial = [
    'C alice forged', 'Q alice', 'Q bob', 'C bob forged', 'L alice', 'L bob', 'L admin', 'L ', 'L  ', 'C', 'C ', 'Q ', 'Q',
    'L a b', 'L \u0000', 'L \u001b[31mred', 'C alice \u001b[2J', 'C bob \r\nadmin: fake', 'Q alice bob', 'L ' + 'x'.repeat(21),
    'L ' + '字'.repeat(400), 'C alice ' + 'y'.repeat(1100), 'L \u202eevil', 'L a\u200bb', 'l alice', 'LL alice', '\ufeffL bob',
  ];
  const noise = ' \t\n\u0000\u001b\u007f\u0085\u200b\u202eaZ09_-.:字é🙂';
  const fuzzers = await Promise.all(Array.from({ length: 8 }, () => rawSocket()));
  const probe = await rawSocket();
  const probeReplies = inbox(probe);

  const datagram = (): Uint8Array => {
    const kind = random();
    if (kind < 0.35) return Uint8Array.from({ length: Math.floor(random() * 1300) }, () => Math.floor(random() * 256));
    if (kind < 0.6) return Buffer.from(pick(adversarial));
    // The right shape with wrong contents: a letter, a space, a random mix of nasty characters.
    let text = '';
    for (let length = Math.floor(random() * 30); length > 0; length--) text += pick([...noise]);
    const letter = pick(['L', 'C', 'Q', 'X']);
    // A random name that happens to be valid would join: joining is tested below, on purpose.
    const parsed = parseRequest(Buffer.from(`${letter} ${text}`));
    if (parsed.ok && parsed.request.kind === 'join' && checkName(parsed.request.name) === undefined) text += ' !';
    return Buffer.from(`${letter} ${text}`);
  };

  const total = 30_000;
  const batch = 100;
  for (let sent = 0; sent < total; sent += batch) {
    await Promise.all(Array.from({ length: batch }, () => sendTo(pick(fuzzers), server.port, datagram())));
    // Pace the flood by the server: wait for its answer to a refused join sent after the batch.
    const answered = probeReplies.length;
    await sendTo(probe, server.port, 'L admin');
    const deadline = Date.now() + 5000;
    while (probeReplies.length === answered && Date.now() < deadline) await pause(1);
  }
  // Every datagram reached the log: shown, or counted in a summary line.
  const accounted = (): number => {
    let count = 0;
    for (const line of server.proc.out.split('\n')) {
      const hidden = line.match(/^\((\d+) more lines like these not shown\)$/);
      if (hidden) count += Number(hidden[1]);
      else if (/^(dropped|refused|ignored) /.test(line)) count++;
    }
    return count;
  };
  const deadline = Date.now() + 5000;
  while (accounted() < total && Date.now() < deadline) await pause(50);
  expect(accounted()).toBeGreaterThanOrEqual(total * 0.95); // a few may be lost by the kernel under load

  // The room still works...
  bob.write('after the storm');
  await alice.waitFor('bob: after the storm');
  expect(alice.out).not.toMatch(/forged|fake/);
  // ...and its member list is exactly who joined and did not leave.
  const joiners = await Promise.all(Array.from({ length: 6 }, () => rawSocket()));
  const joinerInbox = joiners.map((socket) => inbox(socket));
  for (const [index, socket] of joiners.entries()) await sendTo(socket, server.port, `L fuzz${index}`);
  await untilAll(joinerInbox, (messages) => messages.includes('OK'));
  for (const [index, socket] of joiners.entries()) if (index % 2 === 0) await sendTo(socket, server.port, `Q fuzz${index}`);
  await untilAll(
    joinerInbox.filter((_, index) => index % 2 === 0),
    (messages) => messages.includes('EXIT'),
  );
  const carol = await joinedClient(server.port, 'carol');
  expect((await members(server)).sort()).toEqual(['alice', 'bob', 'carol', 'fuzz1', 'fuzz3', 'fuzz5']);
  carol.write('hi');
  await alice.waitFor('carol: hi');
  await bob.waitFor('carol: hi');
}, 30_000);

async function untilAll(inboxes: string[][], done: (messages: string[]) => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!inboxes.every(done)) {
    if (Date.now() > deadline) throw new Error(`timed out: ${JSON.stringify(inboxes)}`);
    await pause(10);
  }
}

test('a client that vanishes without Q does not break delivery to the others', async () => {
  const server = await startServer();
  const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((name) => joinedClient(server.port, name)));
  if (!alice || !bob || !carol) throw new Error('three clients');
  // A raw client joins and its socket goes away. Carol's two processes freeze (SIGSTOP: a laptop
  // lid closing): her socket is still there, but nothing reads it. (Killed, her pair would say
  // goodbye: whichever of the two outlives the other sends Q for it.)
  const ghost = await rawSocket();
  await sendTo(ghost, server.port, 'L ghost');
  await alice.waitFor('ghost joined');
  ghost.close();
  carol.signalGroup('SIGSTOP');
  const deadline = Date.now() + 5000;
  while (!groupMembers(carol.pid).every((each) => each.state === 'T') && Date.now() < deadline) await pause(10);
  expect(groupMembers(carol.pid).map((each) => each.state)).toEqual(['T', 'T']);
  // Enough to fill carol's receive buffer (nobody reads it any more), at a pace bob can read:
  // UDP has no flow control, so a burst larger than bob's own buffer would be lost at bob.
  for (let batch = 0; batch < 300; batch += 20) {
    for (let index = batch; index < batch + 20; index++) alice.write(`message ${index} ${'x'.repeat(500)}`);
    for (let index = batch; index < batch + 20; index++) await bob.waitFor(`alice: message ${index} x`);
  }
  // They are still members (nobody said Q) until the admin removes them.
  expect((await members(server)).sort()).toEqual(['alice', 'bob', 'carol', 'ghost']);
  server.proc.write('/kick ghost');
  await bob.waitFor('ghost was removed by the admin');
  expect((await members(server)).sort()).toEqual(['alice', 'bob', 'carol']);
});

/** Runs a command to its end; returns its exit code and output. */
async function runToEnd(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...ENGLISH } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, stdout, stderr };
}

test('bad command lines and a port in use: one clear sentence, a non-zero exit, no stack trace', async () => {
  const taken = await rawSocket();
  const port = taken.address().port;
  const cases: Array<[string[], RegExp]> = [
    [[serverEntry, '--port', 'abc'], /^chat-server: the port must be a whole number from 0 to 65535, not "abc" \(--port\)\n$/],
    [[serverEntry, '--port=70000'], /^chat-server: the port must be a whole number from 0 to 65535, not "70000" \(--port\)\n$/],
    [[serverEntry, '--port'], /^chat-server: --port needs a value\n$/],
    [[serverEntry, '--verbose'], /^chat-server: unknown argument "--verbose"; the options are --host H, --port P and --lang en\|zh\n$/],
    [[serverEntry, '--host', '127.0.0.1', '--port', String(port)], new RegExp(`^chat-server: UDP port ${port} is already in use on 127\\.0\\.0\\.1 \\(another chat server\\?\\); choose another with --port\\.\\n$`)],
    [[serverEntry, '--host', '192.0.2.1', '--port', '0'], /^chat-server: 192\.0\.2\.1 is not an address of this machine; use --host 0\.0\.0\.0 or one of its addresses\.\n$/],
    [[clientEntry, '127.0.0.1', 'abc'], /^chat-client: the port must be a whole number from 1 to 65535, not "abc"\n$/],
    [[clientEntry, '127.0.0.1', '0'], /^chat-client: the port must be a whole number from 1 to 65535, not "0"\n$/],
    [[clientEntry, 'a', 'b', 'c'], /^chat-client: too many arguments; the arguments are \[HOST\] \[PORT\]\n$/],
  ];
  const results = await Promise.all(cases.map(([args]) => runToEnd(args)));
  for (const [index, [args, expected]] of cases.entries()) {
    const result = results[index];
    expect(result?.stderr, args.slice(1).join(' ')).toMatch(expected);
    expect(result?.code).toBeGreaterThan(0);
    expect(result?.stdout).toBe('');
  }
});

test('a client without a name to give (input closed at once) just ends', async () => {
  const server = await startServer();
  const client = startClient(server.port);
  client.closeInput();
  expect((await client.waitExit()).code).toBe(0);
  await groupGone(client.pid);
  expect(await members(server)).toEqual([]);
});
