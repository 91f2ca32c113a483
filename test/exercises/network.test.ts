// The exercise's network (lib/exercises/network.ts): in a sandbox it has one of its own, with only
// a loopback, and the check reaches it through sockets the sandbox's keeper makes in there and
// hands over. First the channel against a keeper played by this test (one that answers, and the
// ways a taken-over one could go wrong: each fails the check, none passes it); then a real sandbox.
import { closeSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pathsOf, type Exercise } from '../../lib/exercises/catalogue.js';
import { stopCompiler } from '../../lib/exercises/compile.js';
import { CheckFailure, fail } from '../../lib/exercises/harness.js';
import { MESSAGE_BYTES, REQUEST } from '../../lib/exercises/keeper.js';
import { hostNetwork, SandboxNetwork } from '../../lib/exercises/network.js';
import { runCheck } from '../../lib/exercises/run-check.js';
import { sandboxProblem } from '../../lib/exercises/sandbox.js';
import { inetSocket, receiveWithDescriptor, sendWithDescriptor, socketPair } from '../../lib/posix/index.js';

const linux = process.platform === 'linux';

/** The keeper's side of a network's channel, played by the test: what it was asked, and an answer. */
function keeperOf(network: SandboxNetwork): { end: number; requests(): Buffer[]; answer(kind: number, fd?: number, errno?: number): void } {
  const end = network.keeperEnd!;
  network.keeperEnd = undefined; // ours now: the network no longer closes it
  return {
    end,
    requests() {
      const all: Buffer[] = [];
      for (;;) {
        const got = receiveWithDescriptor(end, MESSAGE_BYTES);
        if (typeof got === 'string') return all;
        all.push(got.bytes);
      }
    },
    answer(kind, fd, errno = 0) {
      const bytes = Buffer.alloc(MESSAGE_BYTES);
      bytes[0] = kind;
      bytes.writeInt32BE(errno, 4);
      expect(sendWithDescriptor(end, bytes, fd)).toBe(true);
    },
  };
}

/** The sentence a promise failed the check with. */
async function sentence(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CheckFailure) return error.message;
    throw error;
  }
  return 'no failure';
}

describe.runIf(linux)('the channel to the keeper', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((socket) => socket.end('hello\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('asked in order, it hands over a TCP socket the check connects, and a UDP socket bound where asked', async () => {
    const network = new SandboxNetwork();
    const keeper = keeperOf(network);
    try {
      const connection = network.connect(port, '127.0.0.1');
      const datagrams = network.udp('127.0.0.7', 0);
      expect(keeper.requests().map((each) => [each[0], [...each.subarray(1, 5)].join('.'), each.readUInt16BE(5)])).toEqual([
        [REQUEST.tcp, '0.0.0.0', 0],
        [REQUEST.udp, '127.0.0.7', 0],
      ]);
      const tcp = inetSocket('tcp');
      const udp = inetSocket('udp', '127.0.0.7', 0);
      keeper.answer(REQUEST.tcp, tcp);
      keeper.answer(REQUEST.udp, udp);
      closeSync(tcp);
      closeSync(udp);
      const socket = (await connection)!;
      const said = await new Promise<string>((resolve) => socket.once('data', (data) => resolve(String(data))));
      expect(said).toBe('hello\n');
      socket.destroy();
      const bound = await datagrams;
      expect(bound.address().address).toBe('127.0.0.7');
      bound.close();
    } finally {
      network.close();
      closeSync(keeper.end);
    }
  });

  test('a request written before the exercise starts comes before the request to start it', () => {
    const network = new SandboxNetwork();
    const keeper = keeperOf(network);
    void network.udp('127.0.0.1', 0).catch(() => undefined);
    network.started();
    expect(keeper.requests().map((each) => each[0])).toEqual([REQUEST.udp, REQUEST.start]);
    network.close();
    closeSync(keeper.end);
  });

  test('what a taken-over keeper could do instead fails the check, with one sentence', async () => {
    const other = "The sandbox's keeper handed the check something other than the socket it asked for.";
    const tcp = (network: SandboxNetwork): Promise<unknown> => network.connect(port, '127.0.0.1');
    // What it is asked, what it hands over (the descriptor, the errno in its answer), what the check says.
    const cases: Array<[string, (network: SandboxNetwork) => Promise<unknown>, () => { kind: number; fd?: number; errno?: number } | undefined, string]> = [
      ['a Unix socket for a TCP one', tcp, () => {
        const [unix, peer] = socketPair();
        closeSync(peer);
        return { kind: REQUEST.tcp, fd: unix };
      }, other],
      ['a UDP socket at another address', (network) => network.udp('127.0.0.1', 0), () => ({ kind: REQUEST.udp, fd: inetSocket('udp', '127.0.0.9', 0) }), other],
      ['an answer to another request', tcp, () => ({ kind: REQUEST.udp, fd: inetSocket('udp') }), other],
      ['a socket with an error', tcp, () => ({ kind: REQUEST.tcp, fd: inetSocket('tcp'), errno: constants.errno.EMFILE }), other],
      ['an error', (network) => network.udp('127.0.0.1', 5), () => ({ kind: REQUEST.udp, errno: constants.errno.EADDRINUSE }), 'The check could not make a socket (EADDRINUSE).'],
      ['nothing', tcp, () => undefined, "The sandbox's keeper did not answer the check's request for a socket within 0.3 s."],
    ];
    for (const [what, ask, handed, expected] of cases) {
      const network = new SandboxNetwork(300);
      const keeper = keeperOf(network);
      try {
        const asked = ask(network);
        const answer = handed();
        if (answer) {
          keeper.answer(answer.kind, answer.fd, answer.errno);
          if (answer.fd !== undefined) closeSync(answer.fd); // the check has its own copy
        }
        expect(await sentence(asked), what).toBe(expected);
        // And every request after it, where the answers can no longer be told apart.
        if (expected === other) expect(await sentence(network.connect(port, '127.0.0.1')), what).toBe(expected);
      } finally {
        network.close();
        closeSync(keeper.end);
      }
    }
  });

  test('once the sandbox has ended, nobody accepts a connection, and a UDP socket asked for fails the check', async () => {
    const network = new SandboxNetwork();
    const keeper = keeperOf(network);
    const connection = network.connect(port, '127.0.0.1');
    const datagrams = network.udp('127.0.0.1', 0);
    closeSync(keeper.end);
    expect(await connection).toBeUndefined();
    expect(await sentence(datagrams)).toBe('The sandbox had ended before the check got the socket it asked for.');
    expect(await network.connect(port, '127.0.0.1')).toBeUndefined();
    network.close();
  });
});

describe.runIf(linux)("without a sandbox, this machine's network", () => {
  test('a UDP socket asked for is bound before udp() returns, as a sandbox binds it before the exercise starts', async () => {
    const probe = await hostNetwork.udp('127.0.0.1', 0);
    const port = probe.address().port; // free a moment ago
    probe.close();
    const asked = hostNetwork.udp('127.0.0.1', port);
    // Bound already, before the promise has come: binding the port again fails.
    expect(() => closeSync(inetSocket('udp', '127.0.0.1', port))).toThrow(/EADDRINUSE/);
    (await asked).close();
  });
});

describe.runIf(linux && sandboxProblem() === undefined)('a real sandbox', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'procbook-network-'));
  });
  afterAll(async () => {
    await stopCompiler();
    rmSync(dir, { recursive: true, force: true });
  });

  test("its only interface is a loopback; the check's UDP socket asked for before start() is there when it starts; the check reaches its server", { timeout: 60_000 }, async () => {
    // A program that says what network it is in, whether the check's UDP port was taken as it
    // started (binding it fails with EADDRINUSE), and answers a TCP client with a line.
    const file = join(dir, 'exercise.ts');
    writeFileSync(
      file,
      [
        "import dgram from 'node:dgram';",
        "import { createServer } from 'node:net';",
        "import { networkInterfaces } from 'node:os';",
        "const { udpPort, tcpPort } = JSON.parse(process.env.PROCBOOK_EXERCISE ?? '{}') as { udpPort: number; tcpPort: number };",
        "const probe = dgram.createSocket('udp4');",
        "const say = (how: string): void => console.log(`interfaces ${Object.keys(networkInterfaces()).join(',')}; udp ${udpPort} ${how} at start`);",
        "probe.once('error', (error: NodeJS.ErrnoException) => say(error.code === 'EADDRINUSE' ? 'taken' : String(error.code)));",
        "probe.bind(udpPort, '127.0.0.1', () => { say('free'); probe.close(); });",
        "createServer((socket) => socket.end('from inside\\n')).listen(tcpPort, '127.0.0.1');",
        'setTimeout(() => process.exit(0), 20_000).unref();',
      ].join('\n'),
    );
    const seen: { line?: string; start?: string; listening?: boolean } = {};
    const exercise: Exercise = {
      number: 16,
      slug: 'tcp-server',
      title: 'the network',
      check: async ({ network: networkFor, start, random }) => {
        const network = networkFor();
        const udpPort = random.int(20_000, 40_000);
        const tcpPort = udpPort + 1;
        const early = network.udp('127.0.0.1', udpPort);
        const running = start({ udpPort, tcpPort }, { network });
        const udp = await early;
        try {
          await running.until('its server to listen', async () => {
            const socket = await running.network.connect(tcpPort, '127.0.0.1');
            if (!socket) return false;
            seen.line = await new Promise<string>((resolve) => socket.once('data', (data) => resolve(String(data))));
            socket.destroy();
            return true;
          });
          const hex = `0100007F:${tcpPort.toString(16).toUpperCase().padStart(4, '0')}`;
          seen.listening = running.network.socketTable('tcp').some((line) => line.trim().split(/\s+/)[1] === hex);
        } finally {
          udp.close();
          running.kill('SIGKILL');
        }
        const finished = await running.done;
        seen.start = finished.output.find((each) => each.text.startsWith('interfaces'))?.text;
        if (!seen.line) fail('no line');
      },
    };
    const result = await runCheck(exercise, { file, resolveDir: pathsOf(exercise).folder });
    expect(result.passed, result.message).toBe(true);
    expect(seen.start).toMatch(/^interfaces lo; udp \d+ taken at start$/);
    expect(seen.line).toBe('from inside\n');
    // The kernel's table of its network, read from outside, shows its server listening.
    expect(seen.listening).toBe(true);
  });
});
