// Exercise 11: with a stale socket file in the way, the server starts, echoes two clients at once,
// and on SIGTERM exits 0 and removes its file; with a live server in the way, it fails and leaves
// that server's file alone.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { errorLine } from '../claims.js';
import { describeEnd, fail, waitUntil, type Check } from '../harness.js';

/** Leaves a stale socket file at `path`: a server that is killed (SIGKILL) while it listens. */
async function staleSocketAt(path: string): Promise<void> {
  const script = `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`;
  const killed = spawn(process.execPath, ['-e', script], { stdio: 'ignore', env: { ...process.env } });
  await new Promise((resolve) => killed.once('exit', resolve));
  if (!existsSync(path) || !statSync(path).isSocket()) throw new Error(`could not leave a stale socket file at ${path}`);
}

function connect(path: string): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    socket.once('connect', () => resolve(socket));
    socket.once('error', () => resolve(undefined));
  });
}

async function answers(path: string): Promise<boolean> {
  const socket = await connect(path);
  socket?.destroy();
  return socket !== undefined;
}

/** Sends `text` and waits for as many bytes back; returns what came back. */
async function echoOf(socket: Socket, text: Buffer, ms: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    length += chunk.length;
  });
  socket.write(text);
  await waitUntil(() => length >= text.length || socket.destroyed, ms);
  return Buffer.concat(chunks);
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) resolve();
    else {
      socket.once('close', () => resolve());
      socket.end();
    }
  });
}

const listening = (server: Server, path: string): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });

export const checkEchoServer: Check = async (context) => {
  // Both situations at once: the stale file, and a live server in the way.
  const [stale, live] = await Promise.allSettled([withStaleFile({ ...context, random: context.random.fork('stale') }), withLiveServer({ ...context, random: context.random.fork('live') })]);
  if (stale.status === 'rejected') throw stale.reason;
  if (live.status === 'rejected') throw live.reason;
};

const withStaleFile: Check = async ({ work, start, random }) => {
  const path = join(work, 'a.sock');
  await staleSocketAt(path);
  const running = start({ socket: path });
  await running.until('it to accept a connection at its socket path (where a stale socket file was)', async () => running.exited() !== undefined || (await answers(path)), 5000);
  const gaveUp = running.exited();
  if (gaveUp && gaveUp.code === 0) fail('It exited with code 0 while the check was waiting for it to accept a connection at its socket path (where a stale socket file was).');
  if (gaveUp) {
    // It gave up on the path (or crashed on it): the file in its way was stale.
    const said = errorLine(await running.done);
    fail(`With only a stale socket file at the path (left by a server that was killed), it ${describeEnd(gaveUp.code, gaveUp.signal)}${said ? ` (${said})` : ''} instead of listening: nobody answers there (ECONNREFUSED), so the file is stale and may be removed.`);
  }

  const clients = await Promise.all([connect(path), connect(path)]);
  if (clients.some((client) => client === undefined)) fail('It refused a second client while the first was connected.');
  const texts = [`hello from client 1 ${random.hex(4)}\n`, `你好 from client 2 ${random.hex(4)}\n`].map((text) => Buffer.from(text));
  const echoes = await Promise.all(clients.map((client, index) => echoOf(client!, texts[index]!, 3000)));
  for (const [index, echo] of echoes.entries()) {
    const sent = texts[index]!;
    if (echo.length === 0) fail(`Client ${index + 1} sent ${sent.length} bytes and got nothing back within 3 s: send back to each client what it sends.`);
    if (!echo.equals(sent)) fail(`Client ${index + 1} sent ${JSON.stringify(sent.toString())} and got back ${JSON.stringify(echo.toString())}.`);
  }
  await Promise.all(clients.map((client) => closed(client!)));

  running.kill('SIGTERM');
  const stopped = await waitUntil(() => running.exited() !== undefined, 3000);
  if (!stopped) running.kill('SIGKILL'); // no need to wait for the run's time limit
  const result = await running.done;
  if (result.signal === 'SIGTERM') fail("It was killed by SIGTERM (Node's default action), so its socket file stayed: on SIGTERM, close the server.");
  if (!stopped) fail('It was still running 3 s after SIGTERM (its clients had gone): on SIGTERM, close the server and let the process end.');
  if (result.code !== 0 || result.signal !== null) {
    const said = errorLine(result);
    fail(`After SIGTERM it ${result.signal ? `was killed by ${result.signal}` : `exited with code ${result.code}`}${said ? `: ${said}` : ''}; it should exit with code 0.`);
  }
  if (existsSync(path)) fail('Its socket file was still there after it exited: close the server (server.close() removes the file) before exiting.');
};

const withLiveServer: Check = async ({ work, start }) => {
  const path = join(work, 'b.sock');
  let connections = 0;
  const other = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await listening(other, path);
  try {
    const inode = statSync(path).ino;
    const inodeNow = (): number | undefined => (existsSync(path) ? statSync(path).ino : undefined);
    const running = start({ socket: path });
    // It should give up by itself; if it takes the path instead, there is no need to wait longer.
    await waitUntil(() => running.exited() !== undefined || inodeNow() !== inode, 5000);
    const after = inodeNow();
    running.kill('SIGKILL');
    const result = await running.done;
    if (after === undefined) fail("With another server alive at the path, it removed that server's socket file: remove the file only when nobody answers (ECONNREFUSED).");
    if (after !== inode) fail("With another server alive at the path, it replaced that server's socket file with its own: remove the file only when nobody answers (ECONNREFUSED).");
    const before = connections;
    if (!(await answers(path)) || !(await waitUntil(() => connections > before, 5000))) fail('With another server alive at the path, that server no longer answered afterwards.');
    if (result.signal === 'SIGKILL') fail('With another server alive at the path, it was still running after 5 s: it should say so and exit with code 1.');
    if (result.code === 0) fail('With another server alive at the path, it exited with code 0: it should say so and exit with code 1.');
  } finally {
    await new Promise((resolve) => other.close(resolve));
  }
};
