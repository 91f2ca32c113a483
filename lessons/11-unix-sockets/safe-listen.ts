// Listening on a socket file without stepping on anyone.
//
// A Unix socket server's address is a file. When the server closes, Node removes the file; when it
// is killed, nobody does, and the next listen() on that path fails with EADDRINUSE. The course's
// fix, "if the file exists, remove it", also removes the file of a server that is still RUNNING:
// that server goes on, unreachable, while a new one takes its name. The safe fix asks first:
//
//   listen → EADDRINUSE → is it a socket? → connect to it:
//     connected     a live server: leave its file alone and refuse to start
//     ECONNREFUSED  nobody is listening: the file is stale; remove it, listen again
//
// (A third server could still start between our connect and our unlink. Where that matters, hold
// a lock file while doing this: TLPI 55.6.)
import { lstatSync, unlinkSync } from 'node:fs';
import { connect, type Server } from 'node:net';

/** sizeof(sockaddr_un.sun_path): the most bytes a socket path can have (Linux 108, macOS/BSD 104). */
export const MAX_SOCKET_PATH = process.platform === 'linux' ? 108 : 104;

export type SocketPathProblem = 'TOO_LONG' | 'IN_USE' | 'NOT_A_SOCKET' | 'UNSURE';

/** A reason not to listen on a path, in one sentence. */
export class SocketPathError extends Error {
  constructor(
    message: string,
    readonly code: SocketPathProblem,
  ) {
    super(message);
  }
}

/** Refuses a path the kernel cannot hold (Node 20 would silently cut it short instead). */
export function checkSocketPath(path: string): void {
  const bytes = Buffer.byteLength(path);
  if (bytes > MAX_SOCKET_PATH) {
    throw new SocketPathError(
      `The socket path is ${bytes} bytes long, and a socket address holds at most ${MAX_SOCKET_PATH}: use a shorter folder or name.`,
      'TOO_LONG',
    );
  }
}

/** server.listen(path) as a promise: resolves once listening, rejects with the error (EADDRINUSE …). */
export function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(path, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Tries to connect: 'connected' if a server answered, otherwise the error code (ECONNREFUSED …). */
export function probe(path: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

export interface Listening {
  /** True if a stale file was found and removed first. */
  recovered: boolean;
  /** What a connect attempt on the existing file said, if there was one. */
  probe?: string;
}

/** Listens on `path`, removing a stale socket file first, never a live server's. */
export async function listenSafely(server: Server, path: string): Promise<Listening> {
  checkSocketPath(path);
  try {
    await listen(server, path);
    return { recovered: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || path.startsWith('\0')) throw error;
  }
  if (!lstatSync(path).isSocket()) {
    throw new SocketPathError(`${path} exists and is not a socket: not removing it.`, 'NOT_A_SOCKET');
  }
  const answer = await probe(path);
  if (answer === 'connected') {
    throw new SocketPathError(`A server is already listening on ${path}: leaving its file alone.`, 'IN_USE');
  }
  if (answer !== 'ECONNREFUSED') {
    throw new SocketPathError(`Connecting to ${path} said ${answer}, not ECONNREFUSED: not sure it is stale, not removing it.`, 'UNSURE');
  }
  unlinkSync(path); // nobody listens: the file is a dead server's
  await listen(server, path);
  return { recovered: true, probe: answer };
}
