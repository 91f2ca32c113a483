// Exercise 12 — finish the chatroom's quit, on both sides.
//
// The course's homework: 完成退出功能 ("finish the quit feature"). In its protocol
// (chatroom/protocol.ts) a client that leaves sends "Q <name>"; the server tells everyone else
// "<name> left", sends "EXIT" to the one leaving and forgets the name; the client's two processes
// (the receiver, and its child the sender, sharing one UDP socket as after os.fork()) both end.
//
// This file is a small chatroom in the course's shape: run it as the server or as a client.
// Three parts of quit are missing:
//   1. the server, on "Q <name>" from a member: send EXIT to that member, "<name> left"
//      (say.left) to everyone else, and forget the name (it may be taken again);
//   2. the client's sender, when `quit` is typed: send "Q <name>" (quitRequest) instead of a chat
//      line, stop reading the keyboard, and end by itself (exit code 0);
//   3. the client's receiver, on EXIT: close the socket, wait until the sender has ended, and end
//      with exit code 0. (Only on EXIT: until then the server may still have lines for us.)
//
// What the check looks at: it is the clients of your server (raw UDP, the course's wire format):
// after Q, the leaver gets EXIT, the others get "<name> left", and the name can be taken again.
// And it is the server of your client: after `quit` is typed, a "Q <name>"; on EXIT, both
// processes end with code 0 by themselves, the sender collected by the receiver, and not before
// the EXIT came.
//
//   try it:   npx tsx lessons/12-chatroom/exercise.ts server          (in one terminal)
//             npx tsx lessons/12-chatroom/exercise.ts client alice    (in two others)
//   check it: npm run check -- 12         a hint: npm run hint -- 12
import type { ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { createInterface } from 'node:readline';
import { DEFAULT_PORT, EXIT, OK, QUIT_COMMAND, chatRequest, isExit, joinRequest, parseRequest, printable, quitRequest, say as words } from '../../chatroom/protocol.js';
import { stopReceiving } from '../../chatroom/shared-socket.js';
import { exited, forkSelf, name, role, say } from '../../lib/lesson/index.js';
import { given } from '../../lib/exercises/kit.js';

type Task = { part: 'server'; port: number } | { part: 'client'; me: string; port: number; typed?: string[] };
interface Peer {
  address: string;
  port: number;
}

const task = given((): Task => {
  const [part, ...rest] = process.argv.slice(2);
  if (part === 'client' && rest[0]) return { part, me: rest[0], port: Number(rest[1] ?? DEFAULT_PORT) };
  return { part: 'server', port: Number(part === 'server' && rest[0] ? rest[0] : DEFAULT_PORT) };
});
const HOST = '127.0.0.1';

if (role === 'sender') await sender();
else if (task.part === 'server') server(task.port);
else await receiver(task.me, task.port);

// ================================================================ the server
function server(port: number): void {
  name('chat server');
  const socket = dgram.createSocket('udp4');
  const members = new Map<string, Peer>(); // name -> the address it joined from
  const sendTo = (text: string, peer: Peer): void => socket.send(text, peer.port, peer.address);

  socket.on('message', (bytes, from) => {
    const parsed = parseRequest(bytes);
    if (!parsed.ok) return;
    const request = parsed.request;
    if (request.kind === 'join') {
      if (members.has(request.name)) return sendTo(words.taken(request.name), from);
      sendTo(OK, from);
      for (const peer of members.values()) sendTo(words.joined(request.name), peer);
      members.set(request.name, { address: from.address, port: from.port });
      say(`${request.name} joined from ${from.address}:${from.port}`);
    } else if (request.kind === 'chat') {
      if (!members.has(request.name)) return;
      for (const [other, peer] of members) if (other !== request.name) sendTo(words.chat(request.name, request.text), peer);
    } else {
      // TODO 1 (server): "Q <name>" (request.name). If that name is in the room: send it EXIT,
      //        tell everyone else words.left(name), and forget it (members.delete).
    }
  });
  socket.bind(port, HOST, () => say(`chat server on udp ${HOST}:${socket.address().port}; stop it with Ctrl-C`));
}

// ================================================================ the client: receiver (the first process)
async function receiver(me: string, port: number): Promise<void> {
  name('chat receiver');
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
  const answer = new Promise<string>((resolve) => socket.once('message', (bytes) => resolve(bytes.toString())));
  socket.send(joinRequest(me), port, HOST);
  const reply = await answer;
  if (reply !== OK) {
    say(printable(reply));
    process.exitCode = 1;
    socket.close();
    return;
  }
  say(`you are in the room as ${me}; type a message and Enter, or ${QUIT_COMMAND} to leave`);

  // The sender: this file again, with the keyboard. It gets our socket (as after fork()).
  const child: ChildProcess = forkSelf('sender', { ipc: true, stdio: ['inherit', 'inherit', 'inherit'] });
  child.send({ me, port }, socket);
  const onText = (text: string): void => {
    if (isExit(text)) {
      // TODO 3 (client, receiver): the server says we have left. Close the socket, wait until the
      //        sender has ended (exited(child)), and let this process end with code 0.
      return;
    }
    say(printable(text));
  };
  socket.on('message', (bytes) => onText(bytes.toString()));
  child.on('message', (forwarded: { text: string }) => onText(forwarded.text));
}

// ================================================================ the client: sender (the child)
async function sender(): Promise<void> {
  name('chat sender');
  const { me, port, socket } = await new Promise<{ me: string; port: number; socket: dgram.Socket }>((resolve) =>
    process.once('message', (message: { me: string; port: number }, handle: dgram.Socket) => resolve({ ...message, socket: handle })),
  );
  // Only the receiver reads from the shared socket; if this Node cannot stop our copy reading,
  // what it reads is passed on to the receiver.
  if (!stopReceiving(socket)) socket.on('message', (bytes) => process.send?.({ text: bytes.toString() }));
  const send = (text: string): void => socket.send(text, port, HOST);

  for await (const line of keyboard()) {
    if (line.trim() === QUIT_COMMAND) {
      // TODO 2 (client, sender): send quitRequest(me) instead of a chat line; once it is sent
      //        (socket.send's callback), close the socket and the channel to the receiver
      //        (process.disconnect()), and stop reading the keyboard (break).
    }
    if (line.trim() !== '') send(chatRequest(me, line));
  }
}

/** The lines typed at the keyboard; under a check, the lines the check types. */
async function* keyboard(): AsyncGenerator<string> {
  if (task.part === 'client' && task.typed) {
    for (const line of task.typed) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      yield line;
    }
    return;
  }
  yield* createInterface({ input: process.stdin, terminal: false });
}
