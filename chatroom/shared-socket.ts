// One UDP socket, two processes: how the client's pair shares its socket.
//
// In the course the client creates its socket, then calls os.fork(): parent and child hold the
// same socket, the child only sends (sendto) and the parent only receives (recvfrom). The server
// sees one address, whoever of the two sent.
//
// Node has no fork(), but it can pass an open socket to another process: child.send(message,
// socket, { keepOpen: true }) sends the descriptor over the IPC channel (SCM_RIGHTS), and both
// processes then hold the same kernel socket (/proc/<pid>/fd shows the same socket:[inode] in
// both). One difference remains: a Node UDP socket always reads. If both processes read, each
// datagram goes to whichever asks first. So the sending process stops reading its copy.
import type dgram from 'node:dgram';

/**
 * Stops this process reading from `socket` (the kernel socket stays open for sending). Node has
 * no public call for this: it is the recvStop() of the socket's libuv handle, reached through
 * Node's internal state. Returns false if that is not there (another Node version); the caller
 * then passes on whatever it reads.
 */
export function stopReceiving(socket: dgram.Socket): boolean {
  const key = Object.getOwnPropertySymbols(socket).find((symbol) => symbol.description === 'state symbol');
  if (!key) return false;
  const state: unknown = Reflect.get(socket, key);
  if (typeof state !== 'object' || state === null) return false;
  const handle: unknown = Reflect.get(state, 'handle');
  if (typeof handle !== 'object' || handle === null) return false;
  const recvStop: unknown = Reflect.get(handle, 'recvStop');
  if (typeof recvStop !== 'function') return false;
  return recvStop.call(handle) === 0;
}
