// The exercise's network, as a check reaches it: the sockets a check talks to an exercise through.
//
// In a sandbox the exercise has a network of its own with only a loopback (bwrap --unshare-net):
// it can reach nothing of this machine's, nor anything beyond, and nothing outside can reach its
// servers. A socket belongs for good to the network it was made in, so the check has its sockets
// made in there: it asks the sandbox's keeper (keeper.ts) on a channel of their own (a Unix socket
// pair: its other end is the keeper's fd 4), and the keeper hands each one over (SCM_RIGHTS). The
// check then connects it, or sends from it, itself; the kernel carries the bytes, and everything
// the check judges (a refused connection, the accept queue, a hang-up, the address and port a
// datagram comes from) is the kernel's, as on the machine's own loopback.
//
// The keeper runs beside the exercise, with its uid, so a hostile exercise can take it over. It
// then gains nothing: what it could hand over instead is checked (a TCP or UDP socket as asked for,
// else the check fails), and a socket of its network only reaches the exercise, which could have
// sent those bytes itself. A keeper that does not answer fails the check; it never passes one.
//
// Without a sandbox (a student's own check where bubblewrap cannot run) the exercise shares this
// machine's network, and so do the check's sockets.
import dgram from 'node:dgram';
import { closeSync } from 'node:fs';
import { Socket } from 'node:net';
import { constants } from 'node:os';
import { receiveWithDescriptor, sendWithDescriptor, socketKind, socketPair } from '../posix/socket.js';
import { socketTable } from '../proc/read.js';
import { encodeRequest, MESSAGE_BYTES, REQUEST } from './keeper.js';
import { CheckFailure, seconds } from './harness.js';

/** The network an exercise runs in, as its check reaches it. */
export interface Network {
  /** A TCP connection to `host`:`port` in the exercise's network; undefined if nobody accepts it (or the network is gone). */
  connect(port: number, host: string): Promise<Socket | undefined>;
  /**
   * A UDP socket of the exercise's network, bound to `host`:`port` (0: any port). Asked for before
   * the exercise starts (the network given to start()), it is bound before the exercise runs.
   */
  udp(host: string, port: number): Promise<dgram.Socket>;
  /** The kernel's table of this network's sockets (/proc/net/udp …), a line per socket; [] where it cannot be read. */
  socketTable(name: 'udp' | 'tcp'): string[];
}

/** A UDP socket whose address is looked up at once (an IP address is its own): bind() binds before it returns. */
function udpSocket(): dgram.Socket {
  return dgram.createSocket({
    type: 'udp4',
    lookup: (address: string, _options: unknown, callback: (error: Error | null, address: string, family: number) => void) => callback(null, address, 4),
  } as dgram.SocketOptions);
}

function connected(socket: Socket, port: number, host: string): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const refused = (): void => {
      socket.destroy();
      resolve(undefined);
    };
    socket.once('error', refused);
    socket.once('connect', () => {
      socket.off('error', refused);
      resolve(socket);
    });
    socket.connect(port, host);
  });
}

function bound(socket: dgram.Socket, options: { port: number; address: string } | { fd: number }): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error): void => reject(new CheckFailure(`The check could not make a socket (${(error as NodeJS.ErrnoException).code ?? error.message}).`));
    socket.once('error', failed);
    socket.bind(options, () => {
      socket.off('error', failed);
      resolve(socket);
    });
  });
}

/** This machine's network: an exercise run without a sandbox shares it. */
export const hostNetwork: Network = {
  connect: (port, host) => connected(new Socket(), port, host),
  udp: (host, port) => bound(udpSocket(), { port, address: host }),
  socketTable: (name) => socketTable(name),
};

/** How long the keeper may take to hand over a socket (a loaded machine is slow; it takes a few ms). */
const ANSWER_MS = 5000;

type Answer = { fd: number } | { errno: number } | 'closed';

/** A sandbox's network, reached through its keeper. One per run of the exercise. */
export class SandboxNetwork implements Network {
  /** Our end of the channel, and the keeper's (handed to bwrap, then closed here). */
  private readonly ours: number;
  keeperEnd: number | undefined;
  private readonly waiting: Array<{ kind: number; host: string; port: number; since: number; resolve(answer: Answer): void; reject(error: Error): void }> = [];
  private broken: CheckFailure | undefined;
  private closed = false;
  private polling = false;
  /** The host pid of a process in the sandbox's network (its init), once known. */
  private member: () => number | undefined = () => undefined;

  /** `answerMs`: how long the keeper may take to answer (a test makes it short). */
  constructor(private readonly answerMs = ANSWER_MS) {
    [this.ours, this.keeperEnd] = socketPair();
  }

  /** Says where to read the network's socket tables: any process that is in it. */
  memberPid(pid: () => number | undefined): void {
    this.member = pid;
  }

  /**
   * Asks the keeper to start the exercise: once it has made the sockets asked for so far. Then
   * closes our copy of the keeper's end (bwrap has its own by now).
   */
  started(): void {
    this.send(REQUEST.start);
    if (this.keeperEnd !== undefined) closeSync(this.keeperEnd);
    this.keeperEnd = undefined;
  }

  /** The run is over: the channel closes, and what is still asked for gets no socket. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.keeperEnd !== undefined) closeSync(this.keeperEnd);
    this.keeperEnd = undefined;
    closeSync(this.ours);
    for (const each of this.waiting.splice(0)) each.resolve('closed');
  }

  async connect(port: number, host: string): Promise<Socket | undefined> {
    const answer = await this.ask(REQUEST.tcp);
    if (answer === 'closed') return undefined; // the sandbox, and its network, are gone: nobody accepts
    if ('errno' in answer) throw new CheckFailure(`The check could not make a socket (${errnoName(answer.errno)}).`);
    return connected(new Socket({ fd: answer.fd, readable: true, writable: true }), port, host);
  }

  async udp(host: string, port: number): Promise<dgram.Socket> {
    const answer = await this.ask(REQUEST.udp, host, port);
    if (answer === 'closed') throw new CheckFailure('The sandbox had ended before the check got the socket it asked for.');
    if ('errno' in answer) throw new CheckFailure(`The check could not make a socket (${errnoName(answer.errno)}).`);
    return bound(udpSocket(), { fd: answer.fd });
  }

  socketTable(name: 'udp' | 'tcp'): string[] {
    const pid = this.member();
    return pid === undefined ? [] : socketTable(name, pid);
  }

  private send(kind: number, host?: string, port?: number): boolean {
    return !this.closed && sendWithDescriptor(this.ours, encodeRequest(kind, host, port));
  }

  /** Sends a request; its answer comes in its turn (the keeper answers in order). */
  private ask(kind: number, host = '0.0.0.0', port = 0): Promise<Answer> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.closed) return Promise.resolve('closed');
    return new Promise<Answer>((resolve, reject) => {
      if (!this.send(kind, host, port)) return resolve('closed');
      this.waiting.push({ kind, host, port, since: Date.now(), resolve, reject });
      this.poll();
    });
  }

  /** Reads answers while any is awaited: every 2 ms, until each comes or its time is up. */
  private poll(): void {
    if (this.polling) return;
    this.polling = true;
    const look = (): void => {
      this.polling = false;
      if (this.closed) return;
      for (;;) {
        const head = this.waiting[0];
        if (!head) return;
        const got = receiveWithDescriptor(this.ours, MESSAGE_BYTES);
        if (got === 'closed') return this.close();
        if (got === 'nothing yet') {
          if (Date.now() - head.since > this.answerMs) return this.fail(new CheckFailure(`The sandbox's keeper did not answer the check's request for a socket within ${seconds(this.answerMs)}.`));
          break;
        }
        const [fd, ...more] = got.fds;
        for (const extra of more) closeSync(extra);
        const errno = got.bytes.length === MESSAGE_BYTES ? got.bytes.readInt32BE(4) : -1;
        if (got.bytes.length !== MESSAGE_BYTES || got.bytes[0] !== head.kind || (errno === 0) !== (fd !== undefined)) {
          if (fd !== undefined) closeSync(fd);
          return this.fail(somethingElse());
        }
        if (fd !== undefined && !asAsked(fd, head)) {
          closeSync(fd);
          return this.fail(somethingElse());
        }
        this.waiting.shift();
        head.resolve(fd === undefined ? { errno } : { fd });
      }
      this.polling = true;
      setTimeout(look, 2);
    };
    setImmediate(look);
  }

  /** The keeper said something that is not an answer: every request waiting, and from now on, fails with it. */
  private fail(error: CheckFailure): void {
    this.broken = error;
    for (const each of this.waiting.splice(0)) each.reject(error);
  }
}

/**
 * Whether `fd` is the socket asked for: a TCP socket that does not listen, or a UDP socket bound
 * to the address asked for (to the port too, unless any would do).
 */
function asAsked(fd: number, asked: { kind: number; host: string; port: number }): boolean {
  const what = socketKind(fd);
  if (asked.kind === REQUEST.tcp) return what.kind === 'tcp' && !what.listening;
  return what.kind === 'udp' && what.address?.host === asked.host && (asked.port === 0 || what.address.port === asked.port);
}

function somethingElse(): CheckFailure {
  return new CheckFailure("The sandbox's keeper handed the check something other than the socket it asked for.");
}

function errnoName(errno: number): string {
  return Object.entries(constants.errno).find(([, value]) => value === errno)?.[0] ?? `errno ${errno}`;
}
