// Lesson 18 reads a server's event loop from /proc (epoll.ts). Here a small Python program holds an
// epoll instance watching one of each kind of descriptor the lesson names, and one more: a TCP
// connection the client has reset, which the kernel has taken out of /proc/net/tcp while the
// server still holds (and watches) its descriptor. That one must read as a closed socket, never as
// a Unix socket: the lesson waits for it to leave the list before it says the list is back to
// what it was (a full run once counted it, as a Unix socket, among the descriptors left).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { expect, test } from 'vitest';
import { eventLoopOf, type Watched } from '../../lessons/18-multiplexing/epoll.js';

const HOLDER = `
import json, select, socket, struct, sys
server = socket.socket(); server.bind(('127.0.0.1', 0)); server.listen()
port = server.getsockname()[1]
reset = socket.create_connection(('127.0.0.1', port)); reset_end, _ = server.accept()
live = socket.create_connection(('127.0.0.1', port)); live_end, _ = server.accept()
mine, theirs = socket.socketpair()
loop = select.epoll()
for each in (server, reset_end, live_end, mine): loop.register(each.fileno(), select.EPOLLIN)
reset.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0)); reset.close()
print(json.dumps({'listening': server.fileno(), 'reset': reset_end.fileno(), 'live': live_end.fileno(), 'livePort': live.getsockname()[1], 'unix': mine.fileno(), 'port': port}), flush=True)
sys.stdin.read()
`;

test('a connection the client reset reads as a closed socket; the others as what they are', async () => {
  const holder = spawn('python3', ['-c', HOLDER], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: holder.stdout! }).once('line', resolve);
      holder.once('exit', () => reject(new Error('the Python holder exited before it said its descriptors')));
    });
    const fds = JSON.parse(line) as { listening: number; reset: number; live: number; livePort: number; unix: number; port: number };
    const what = (watched: Watched[], fd: number): Watched | undefined => watched.find((each) => each.fd === fd);
    // The reset reaches the server's end at once on loopback; read until the kernel shows it, for up to 5 s.
    const deadline = Date.now() + 5000;
    let view = eventLoopOf(holder.pid!);
    while (what(view.watched, fds.reset)?.what !== 'closed socket' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      view = eventLoopOf(holder.pid!);
    }
    expect(view.watched.map((each) => each.fd).sort((a, b) => a - b)).toEqual([fds.listening, fds.reset, fds.live, fds.unix].sort((a, b) => a - b));
    expect(what(view.watched, fds.reset)).toEqual({ fd: fds.reset, what: 'closed socket' });
    expect(what(view.watched, fds.live)).toEqual({ fd: fds.live, what: `client :${fds.livePort}`, client: fds.livePort });
    expect(what(view.watched, fds.unix)).toEqual({ fd: fds.unix, what: 'unix socket' });
    expect(what(view.watched, fds.listening)).toEqual({ fd: fds.listening, what: `listening :${fds.port}` });
  } finally {
    holder.kill('SIGKILL');
    if (holder.exitCode === null && holder.signalCode === null) await new Promise((resolve) => holder.once('exit', resolve));
  }
});
