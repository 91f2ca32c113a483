// What the TCP checks (16, 18, 19) share: a free port to give the exercise, and a client that
// talks in lines, as a student's `nc 127.0.0.1 PORT` would. Its connections are made in the
// exercise's network (its sandbox's own loopback), through `running.network` (network.ts).
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { hasProc } from '../../proc/read.js';
import { waitUntil } from '../harness.js';
import type { Network } from '../network.js';

export const HOST = '127.0.0.1';

/**
 * A port nobody listens on now on this machine: the kernel picks one, and we let it go again. (In
 * a sandbox's network of its own every port is free; without one, the exercise shares this one.)
 */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Whether something accepts a connection on the port now, in the exercise's network. */
export async function accepts(network: Network, port: number): Promise<boolean> {
  const client = await LineClient.connect(network, port);
  client?.close();
  return client !== undefined;
}

/**
 * How many connections wait in the kernel for the server on HOST:`port` to accept them: the accept
 * queue of its listening socket (rx_queue of a LISTEN line in its network's /proc/net/tcp).
 * Undefined where the kernel does not say. Node calls a server's 'connection' listener at once
 * after each accept(), in the same turn of its event loop: at 0, every connection made so far has
 * reached that listener.
 */
export function waitingToBeAccepted(network: Network, port: number): number | undefined {
  if (!hasProc) return undefined;
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`; // 127.0.0.1, as the kernel prints it
  const fields = network
    .socketTable('tcp')
    .map((line) => line.trim().split(/\s+/))
    .find((each) => each[1] === local && each[3] === '0A'); // 0A: LISTEN
  const queue = fields?.[4]?.split(':')[1];
  return queue === undefined ? undefined : parseInt(queue, 16);
}

/** The most a client keeps of what a server sent and nobody has read yet. */
export const MAX_UNREAD = 64 * 1024;

/**
 * One connection, in lines. A server is the exercise's, so hostile until checked: one that sends
 * more than MAX_UNREAD characters nobody has read yet (a line without end, a flood) is hung up on
 * (`flooded`), rather than let it fill the checker's memory.
 */
export class LineClient {
  private readonly lines: string[] = [];
  private pending = '';
  private unread = 0;
  closedByPeer = false;
  flooded = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      if (this.flooded) return;
      this.unread += text.length;
      if (this.unread > MAX_UNREAD) {
        this.flooded = true;
        this.pending = '';
        this.lines.length = 0;
        socket.destroy();
        return;
      }
      this.pending += text;
      const parts = this.pending.split('\n');
      this.pending = parts.pop()!;
      this.lines.push(...parts);
    });
    socket.on('error', () => undefined); // a server that went away: its end says more
    socket.on('close', () => {
      this.closedByPeer = true;
    });
  }

  /** Connects to HOST:`port` in the exercise's network, or undefined if nobody accepts. */
  static async connect(network: Network, port: number): Promise<LineClient | undefined> {
    const socket = await network.connect(port, HOST);
    return socket && new LineClient(socket);
  }

  /** What came after the last line end: text still waiting for its "\n". */
  get partial(): string {
    return this.pending;
  }

  /** Every line received and not yet taken by next(). */
  get received(): readonly string[] {
    return this.lines;
  }

  send(line: string): void {
    if (!this.socket.destroyed) this.socket.write(`${line}\n`);
  }

  /** The next line that comes, or undefined if none comes within `ms` (or the connection closed). */
  async next(ms: number): Promise<string | undefined> {
    await waitUntil(() => this.lines.length > 0 || this.closedByPeer, ms);
    const line = this.lines.shift();
    if (line !== undefined) this.unread -= line.length + 1;
    return line;
  }

  /** Hangs up and waits until the connection is closed. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 1000).unref();
    });
  }
}
