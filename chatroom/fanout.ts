// The server's fan-out helpers: a small pool of processes that share the server's UDP socket and
// send for it.
//
// Every chat line that comes in goes out to everyone else: in a room of 100, one datagram in is 99
// datagrams out, and sending them is nearly all the server's work. One process does that work on
// one core. So once the room is big, the server starts a few helper processes (`chat-fanout`),
// hands each the SAME socket (child.send(message, socket): the descriptor travels over the IPC
// channel as SCM_RIGHTS, as in the client's pair), and from then on gives each helper its share of
// every fan-out: the members whose port is k modulo the number of helpers. The server still
// receives every datagram and decides everything; the helpers only send. Each member is always
// served by the same helper, so what one member receives arrives in the order the server decided.
//
// The course shares its server socket the same way after fork(): its admin child sends on the
// parent's socket. Node has no fork(), so the socket is passed instead.
import type dgram from 'node:dgram';
import { stopReceiving } from './shared-socket.js';

/** Server -> helper: the first message carries the socket; then batches to send; then 'end'. */
export type ToFanout =
  | { type: 'socket' }
  /** Each group: [text, address, port, address, port, …]. */
  | { type: 'send'; groups: Array<Array<string | number>> }
  | { type: 'end' };

/** Helper -> server. */
export type FromFanout = { type: 'ready' } | { type: 'cannot'; why: string };

/** Which helper serves a member: always the same one, so each member's datagrams stay in order. */
export function helperFor(port: number, helpers: number): number {
  return port % helpers;
}

export function runFanout(): void {
  process.title = 'chat-fanout';
  // Ctrl-C reaches the whole process group; the server decides what it means (close the room,
  // then tell this helper to end).
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => {});
  process.on('SIGHUP', () => {});
  process.stdout.on('error', () => {});
  let socket: dgram.Socket | undefined;

  const reply = (message: FromFanout): void => {
    if (process.connected) process.send?.(message);
  };

  /** Ends once every datagram handed to the kernel has gone (at most a second). */
  const end = (): void => {
    const deadline = Date.now() + 1000;
    const check = (): void => {
      if (!socket || socket.getSendQueueCount() === 0 || Date.now() > deadline) process.exit(0);
      setTimeout(check, 10);
    };
    check();
  };

  process.on('message', (message: ToFanout, handle: unknown) => {
    if (message.type === 'socket') {
      socket = handle as dgram.Socket;
      // Only the server reads the shared socket: a datagram read here would never be answered.
      if (!stopReceiving(socket)) {
        reply({ type: 'cannot', why: 'this Node cannot stop a passed socket reading' });
        process.exit(0);
      }
      socket.on('error', () => {}); // a failed send to a vanished client: UDP just loses it
      reply({ type: 'ready' });
    } else if (message.type === 'send' && socket) {
      for (const group of message.groups) {
        const bytes = Buffer.from(String(group[0]), 'utf8');
        for (let index = 1; index + 1 < group.length; index += 2) {
          try {
            socket.send(bytes, Number(group[index + 1]), String(group[index]));
          } catch {
            // a closed socket while ending: nothing more to send
          }
        }
      }
    } else if (message.type === 'end') end();
  });
  // The server is gone (it closed the room, or died): so is its helper.
  process.on('disconnect', end);
}
