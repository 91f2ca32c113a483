// Exercise 12: quit on both sides of the course's UDP chatroom. The check is the clients of the
// student's server (raw datagrams in the course's wire format), and the server of the student's
// client (whose two processes it watches end). Its sockets are the exercise's network's (its
// sandbox's own loopback, network.ts), each a socket of its own, as a client of the course's is.
import { hasProc } from '../../proc/read.js';
import type { Random } from '../random.js';
import dgram from 'node:dgram';
import { EXIT, OK, chatRequest, joinRequest, quitRequest, say as words } from '../../../chatroom/protocol.js';
import { childrenCollected, childrenOf, errorLine, liveChildren, who } from '../claims.js';
import { fail, waitUntil, type Check } from '../harness.js';
import type { Network } from '../network.js';

const HOST = '127.0.0.1';

/** A UDP socket of the check's, with the datagrams it received, in order. */
interface Udp {
  socket: dgram.Socket;
  port: number;
  received: Array<{ text: string; from: { address: string; port: number } }>;
  send(text: string, port: number): void;
  /** The next datagram not yet taken (its text), or undefined after `ms`. */
  next(ms: number): Promise<string | undefined>;
  close(): void;
}

/** A UDP socket of the exercise's network, bound to HOST:`port` (0: any). */
async function udp(network: Network, port = 0): Promise<Udp> {
  const socket = await network.udp(HOST, port);
  const received: Udp['received'] = [];
  let taken = 0;
  socket.on('message', (bytes, from) => received.push({ text: bytes.toString(), from: { address: from.address, port: from.port } }));
  socket.on('error', () => undefined); // ICMP "port unreachable" after the exercise is gone
  return {
    socket,
    port: socket.address().port,
    received,
    send: (text, to) => socket.send(text, to, HOST),
    async next(ms) {
      await waitUntil(() => received.length > taken, ms);
      return received.length > taken ? received[taken++]!.text : undefined;
    },
    close: () => socket.close(),
  };
}

/**
 * Whether the kernel shows a UDP socket bound to this port in the exercise's network (its
 * /proc/net/udp, Linux). Elsewhere: undefined, and the check just tries.
 */
function udpBound(network: Network, port: number): boolean | undefined {
  if (!hasProc) return undefined;
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return network.socketTable('udp').some((line) => line.trim().split(/\s+/)[1]?.endsWith(hex));
}

/**
 * A UDP port free on this machine's loopback (bound, read, released). (In a sandbox's network of
 * its own every port is free; without one, the exercise shares this one.)
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = dgram.createSocket('udp4');
    probe.once('error', reject);
    probe.bind(0, HOST, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const tagger = (random: Random) => (): string => random.hex(2);

/**
 * How long the check waits for an answer a right server sends at once. Generous: a starved machine
 * (in CI, the reference server once took more than 1 s to answer a join) is no wrong server, and a
 * server that never answers costs only this wait.
 */
const ANSWER_MS = 5000;

export const checkChatQuit: Check = async (context) => {
  const [server, client] = await Promise.allSettled([yourServer({ ...context, random: context.random.fork('server') }), yourClient({ ...context, random: context.random.fork('client') })]);
  if (server.status === 'rejected') throw server.reason;
  if (client.status === 'rejected') throw client.reason;
};

/** Your server: the check's clients join, one leaves, the name is free again. */
const yourServer: Check = async ({ start, random }) => {
  const tag = tagger(random);
  const port = await freePort();
  const running = start({ part: 'server', port }, { timeoutMs: 15_000 });
  const clients: Udp[] = [];
  try {
    for (let index = 0; index < 3; index++) clients.push(await udp(running.network));
    const [ana, bo, again] = clients as [Udp, Udp, Udp];
    const [a, b] = [`ana${tag()}`, `bo${tag()}`];
    await running.until(`the server to bind UDP port ${port}`, () => udpBound(running.network, port) !== false, 5000);
    ana.send(joinRequest(a), port);
    const welcome = await ana.next(ANSWER_MS);
    if (welcome !== OK) fail(`The server answered "L ${a}" with ${welcome === undefined ? 'nothing' : JSON.stringify(welcome)}, not OK.`);
    bo.send(joinRequest(b), port);
    if ((await bo.next(ANSWER_MS)) !== OK) fail(`The server did not answer "L ${b}" with OK.`);
    await ana.next(ANSWER_MS); // "<b> joined"

    // A quit from nobody in the room must change nothing (and must not crash the server).
    bo.send(quitRequest(`nobody${tag()}`), port);
    bo.send(quitRequest(b), port);
    const exit = await bo.next(ANSWER_MS);
    if (exit === undefined) fail(`After "Q ${b}", the server sent ${b} nothing within ${ANSWER_MS / 1000} s: send EXIT to the one leaving.`);
    if (exit !== EXIT) fail(`After "Q ${b}", the server sent ${b} ${JSON.stringify(exit)}, not EXIT.`);
    const told = await ana.next(ANSWER_MS);
    if (told !== words.left(b)) {
      fail(`After "Q ${b}", ${a} was ${told === undefined ? 'told nothing' : `sent ${JSON.stringify(told)}`}: tell everyone else ${JSON.stringify(words.left(b))}.`);
    }
    if (running.exited()) fail(`The server ended after "Q ${b}"; it should go on serving the others.`);

    again.send(joinRequest(b), port);
    const rejoin = await again.next(ANSWER_MS);
    if (rejoin !== OK) fail(`After ${b} left, "L ${b}" from another client was answered ${rejoin === undefined ? 'with nothing' : JSON.stringify(rejoin)}, not OK: forget the name of the one who left.`);
    await ana.next(ANSWER_MS); // "<b> joined"
    ana.send(chatRequest(a, 'still here'), port);
    if ((await again.next(ANSWER_MS)) !== words.chat(a, 'still here')) fail(`A chat line from ${a} did not reach the new ${b}.`);
    const stray = await bo.next(200);
    if (stray !== undefined) fail(`The old ${b}, who had left, still got ${JSON.stringify(stray)}: forget the address of the one who left.`);
  } finally {
    for (const each of clients) each.close();
    running.kill('SIGTERM');
    await running.done;
  }
};

/** Your client: the check is its server; `quit` is typed, EXIT is answered, both processes end. */
const yourClient: Check = async ({ start, random, network: networkFor }) => {
  const tag = tagger(random);
  const me = `cy${tag()}`;
  // The check's server socket is made in the exercise's network before the exercise starts: the
  // client's first datagram, sent at once, must find it there.
  const network = networkFor();
  const port = await freePort();
  const bound = udp(network, port);
  const running = start({ part: 'client', me, port, typed: [`hello from ${me}`, 'quit'] }, { timeoutMs: 15_000, network });
  const server = await bound; // without it, the check fails (and the run is ended with it)
  try {
    await running.until(`the client to join (L ${me})`, () => server.received.length > 0);
    const join = server.received[0]!;
    if (join.text !== joinRequest(me)) fail(`The client's first datagram was ${JSON.stringify(join.text)}, not "L ${me}".`);
    server.socket.send(OK, join.from.port, join.from.address);
    await server.next(0);
    const chat = await server.next(3000);
    if (chat !== chatRequest(me, `hello from ${me}`)) fail(`After joining, the client sent ${chat === undefined ? 'nothing' : JSON.stringify(chat)}, not the line typed.`);
    const quit = await server.next(3000);
    if (quit === undefined) fail(`After \`quit\` was typed, the client sent nothing within 3 s: send "Q ${me}".`);
    if (quit !== quitRequest(me)) fail(`After \`quit\` was typed, the client sent ${JSON.stringify(quit)}, not "Q ${me}".`);

    // The server's EXIT comes a moment later: the client must still be there to receive it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (running.exited()) fail("The client had already exited when the server's EXIT came: the receiver ends on EXIT, not before (the server may still have lines for it).");
    server.socket.send(EXIT, join.from.port, join.from.address);
    const ended = await waitUntil(() => running.exited() !== undefined, 3000);
    const left = liveChildren(running.rows(), running.pid);
    if (!ended) running.kill('SIGKILL'); // no need to wait for the run's time limit
    const result = await running.done;
    if (!ended) {
      fail(`After EXIT, the client was still running 3 s later${left.length > 0 ? ` (and so was its sender, ${left.join(', ')})` : ''}: on EXIT, close the receiver's socket and wait for the sender to end.`);
    }
    if (result.code !== 0 || result.signal !== null) {
      const said = errorLine(result);
      fail(`After EXIT, the client's receiver ${result.signal ? `was killed by ${result.signal}` : `exited with code ${result.code}`}${said ? `: ${said}` : ''}; it should end with code 0.`);
    }
    const senders = childrenOf(result);
    for (const sender of senders) {
      const exit = sender.record.exit;
      if (exit?.signal) fail(`The client's sender ${who(sender)} was killed by ${exit.signal}: after sending Q it should end by itself.`);
      if (exit && exit.code !== 0) fail(`The client's sender ${who(sender)} exited with code ${exit.code}; it should end with code 0.`);
    }
    childrenCollected(result, senders, 'the receiver must wait for the sender before it ends.');
  } finally {
    server.close();
  }
};
