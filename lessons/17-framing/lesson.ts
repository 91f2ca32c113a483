// Lesson 17 — framing: where does one message end and the next begin?
//
// TCP carries a STREAM of bytes. It keeps their order and loses none, but it keeps no boundaries:
// three send() calls may arrive as one recv(), one send() as several. The course calls this 粘包
// ("sticky packets"). UDP is the opposite: each datagram arrives whole, as its own message.
//
// The course's fix: put the length first. Each message becomes a frame: a 4-byte length of the
// header (the course packs it with struct.pack('i', …), native byte order; we write '!I', network
// order), a JSON header that says how big the body is, then the body. (The course first packed
// the body's size itself, and struct.pack('i', …) fails past 2 GB: hence the JSON header.) The
// receiver reads exactly as many bytes as announced, and knows where the next frame starts.
//
// A sender and a receiver, two processes, talk over loopback (127.0.0.1) on a port the kernel
// picks (port 0), so the lesson never collides with anything else on the machine.
import { createHash, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { readSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { endianness } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import { sleepsIn, whenKernelShows, exited, explain, fact, forkSelf, name, question, quote, role, say, sleep, step } from '../../lib/lesson/index.js';
import { encodeFrame, FrameDecoder, packInt, type FrameError } from './frames.js';

const WRITES = ['hello', 'world', '你好'];
const BAD = ['an HTTP request', 'a header that is not JSON', 'a frame cut short', "a length packed with 'i'"];

if (role === 'receiver') await receiver(process.argv[2] as 'tcp' | 'udp' | 'frames');
else if (role === 'sender') await sender(process.argv[2]!, Number(process.argv[3]));
else await parent();

async function parent(): Promise<void> {
  name('parent');

  await step('TCP is a byte stream: three writes, one read');
  let receiving = await startReceiver('tcp');
  let sending = forkSelf('sender', { args: ['three writes', String(receiving.port)] });
  await exited(sending); // its three writes wait in the receiver's kernel buffer, unread
  fact('tcp.asleep', await asleepInRead(receiving.child.pid!));
  say(`the sender wrote ${JSON.stringify(WRITES)} (three writes) and exited; the receiver is busy.`);
  // --predict: the student guesses, the table answers (lib/lesson/question.ts).
  await question({ about: receiving.child.pid!, ask: 'stat', reveal: { afterMs: 500 }, prompt: 'The receiver is blocked in read() on its stdin until we write to it. What will its STAT be 0.5 s from now?' });
  await sleep(2000);
  fact('tcp.go', sending.pid);
  receiving.child.stdin!.write('go'); // the receiver may read now
  const merged = await report<{ chunks: number[]; text: string }>(receiving.child);
  say(`the receiver's reads returned ${merged.chunks.length} chunk(s) of ${merged.chunks.join(', ')} bytes: "${merged.text}"`);
  fact('tcp.merged', merged);
  explain('Three writes became one read: the stream kept the bytes, not where one write ended.');

  sending = forkSelf('sender', { args: ['one big write', String(receiving.port)] });
  const split = await report<{ chunks: number[]; text: string }>(receiving.child);
  const total = split.chunks.reduce((sum, each) => sum + each, 0);
  say(`one write of ${total.toLocaleString('en')} bytes was read in ${split.chunks.length} chunks (the largest ${Math.max(...split.chunks).toLocaleString('en')} bytes)`);
  fact('tcp.split', { chunks: split.chunks.length, total, largest: Math.max(...split.chunks) });
  explain('And one write became many reads. Nothing on the stream says "a message ends here".');
  await stop(receiving.child, sending);

  await step('UDP keeps message boundaries');
  receiving = await startReceiver('udp');
  sending = forkSelf('sender', { args: ['three datagrams', String(receiving.port)] });
  await exited(sending);
  fact('udp.asleep', await asleepInRead(receiving.child.pid!));
  say('the sender sent three datagrams and exited; the receiver is busy.');
  await sleep(2000);
  fact('udp.go', sending.pid);
  receiving.child.stdin!.write('go');
  const datagrams = await report<{ messages: string[] }>(receiving.child);
  say(`three datagrams sent, the receiver got ${datagrams.messages.length} messages: ${JSON.stringify(datagrams.messages)}`);
  fact('udp.messages', datagrams.messages);
  explain('Each datagram is read whole, by itself, however long it waited. (UDP may lose or reorder');
  explain('datagrams on a network; on loopback it does neither, here.)');
  await stop(receiving.child, sending);

  await step("A length in front: the course's struct + JSON header");
  const example = encodeFrame({ type: 'text', from: '小明' }, '你好');
  say(`'你好' is ${'你好'.length} characters but ${Buffer.byteLength('你好')} bytes of UTF-8: every size counts bytes.`);
  say(`one frame, ${example.length} bytes:`);
  say(`  ${example.subarray(0, 4).toString('hex')}  the header's size: struct.pack('!I', ${example.readUInt32BE(0)})`);
  say(`  ${example.subarray(4, example.length - 6).toString('utf8')}  the header (JSON)`);
  say(`  ${example.subarray(example.length - 6).toString('hex')}  the body: 你好`);
  fact('frame.example', example.toString('hex'));
  // The course packs that size with struct.pack('i', …): a C int in this machine's own byte order.
  const size = example.readUInt32BE(0);
  const packed = packInt(size);
  const order = endianness() === 'LE' ? 'little-endian' : 'big-endian';
  say(`the course's struct.pack('i', ${size}) gives ${packed.toString('hex')}: this machine's own byte order, ${order}. '!I' is always big-endian (network order).`);
  say(`read as '!I', those 4 bytes say ${packed.readUInt32BE(0).toLocaleString('en')}: both ends must agree on the order.`);
  fact('frame.order', { i: packed.toString('hex'), networkI: example.subarray(0, 4).toString('hex'), endianness: endianness(), misread: packed.readUInt32BE(0) });
  // And 'i' is signed: 2**31 - 1 bytes (2 GB) is the largest size it can announce.
  say(`struct.pack('i', 2**31 - 1) gives ${packInt(2 ** 31 - 1).toString('hex')}, the largest: 2,147,483,647 bytes. One more byte:`);
  try {
    packInt(2 ** 31);
  } catch (error) {
    quote(`struct.pack('i', 2**31): ${(error as Error).message}`); // Node's own words (Python: struct.error)
    fact('frame.2GB', { largest: packInt(2 ** 31 - 1).toString('hex'), error: (error as Error).name });
  }
  explain("That is why the course moved the body's size into the JSON header: 'i' fails past 2 GB, and");
  explain('total_size in JSON can be any whole number. The 4 bytes in front now count only the header.');
  receiving = await startReceiver('frames');
  sending = forkSelf('sender', { args: ['frames', String(receiving.port)] });
  const decoded = await report<{ received: unknown[]; chunks: number }>(receiving.child);
  await exited(sending);
  say(`the receiver read ${decoded.chunks} chunks and decoded ${decoded.received.length} frames, each exactly as sent.`);
  fact('frames.received', decoded);
  explain('Merged or split, it does not matter any more: the decoder reads 4 bytes, then the header,');
  explain('then total_size bytes, whatever chunks they come in.');

  await step('What is not a frame gets an error, not a hang');
  for (const bad of BAD) {
    sending = forkSelf('sender', { args: [bad, String(receiving.port)] });
    const { error } = await report<{ error: { code: string; message: string } }>(receiving.child);
    await exited(sending);
    quote(`${bad}: ${error.code}: ${error.message}`); // the decoder's own error, as it gives it
    fact('frames.bad', { bad, ...error });
  }
  explain('"GET " read as a length is 1,195,725,856. A receiver that trusts it waits forever for a');
  explain('gigabyte; one that checks says so at once and closes the connection. So does a frame');
  explain("whose length was packed with 'i': a different byte order is a different number.");
  await stop(receiving.child);
}

/**
 * Waits until the kernel says the process sleeps inside read() on its stdin (a Unix socket, as
 * Node's 'pipe' is): /proc/PID/wchan names the kernel function it waits in. 5 s at most.
 */
async function asleepInRead(pid: number): Promise<string> {
  return (await whenKernelShows(() => sleepsIn(pid), (where) => where === 'unix_stream_read_generic')) ?? '(unknown: no /proc here)';
}

// ── the receiver ─────────────────────────────────────────────────────────────────────────────

interface Receiving {
  child: ChildProcess;
  port: number;
}

async function startReceiver(kind: 'tcp' | 'udp' | 'frames'): Promise<Receiving> {
  // stdin is a pipe from us: the receiver blocks on it until we say "go".
  const child = forkSelf('receiver', { ipc: true, args: [kind], stdio: ['pipe', 'inherit', 'inherit'] });
  const { port } = await report<{ port: number }>(child);
  return { child, port };
}

/** The next thing a child reports over its IPC channel. */
async function report<T>(child: ChildProcess): Promise<T> {
  const [message] = (await once(child, 'message')) as [T];
  return message;
}

async function stop(child: ChildProcess, ...others: ChildProcess[]): Promise<void> {
  child.stdin?.end();
  child.disconnect();
  await Promise.all([child, ...others].map((each) => exited(each)));
}

async function receiver(kind: 'tcp' | 'udp' | 'frames'): Promise<void> {
  name('receiver');
  process.on('disconnect', () => process.exit(0)); // our parent is done with us

  // "Busy": block the whole process in read() on stdin until the parent writes to it. Whatever
  // arrives meanwhile waits in the kernel: the connection is accepted, the bytes are buffered.
  const busyUntilTold = (): void => {
    fact('receiver.blocked', kind);
    void readSync(0, Buffer.alloc(2));
  };

  if (kind === 'udp') {
    const socket = createSocket('udp4');
    const messages: string[] = [];
    socket.on('message', (message) => {
      messages.push(message.toString('utf8')); // one 'message' = one recvfrom() = one datagram
      if (messages.length === WRITES.length) process.send!({ messages });
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    process.send!({ port: socket.address().port }, busyUntilTold);
    return;
  }

  const server = createServer((connection) => (kind === 'tcp' ? readRaw(connection) : readFrames(connection)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  if (kind === 'tcp') process.send!({ port }, busyUntilTold);
  else process.send!({ port });
}

/** Reads a connection to its end and reports the size of every chunk read() returned. */
function readRaw(connection: Socket): void {
  const chunks: Buffer[] = [];
  connection.on('data', (chunk: Buffer) => chunks.push(chunk));
  connection.on('end', () => {
    const text = Buffer.concat(chunks);
    process.send!({ chunks: chunks.map((chunk) => chunk.length), text: text.length < 100 ? text.toString('utf8') : '' });
  });
}

/** Reads a connection frame by frame; an error ends the connection at once. */
function readFrames(connection: Socket): void {
  const decoder = new FrameDecoder();
  const received: unknown[] = [];
  let chunks = 0;
  const failed = (error: unknown): void => {
    const { code, message } = error as FrameError;
    process.send!({ error: { code, message } });
    connection.destroy(); // hang up: this peer does not speak our protocol
  };
  connection.on('data', (chunk: Buffer) => {
    chunks++;
    try {
      for (const { header, body } of decoder.push(chunk)) {
        const { total_size: _size, ...fields } = header;
        received.push(summary(fields, body));
      }
    } catch (error) {
      failed(error);
    }
  });
  connection.on('end', () => {
    try {
      decoder.end();
      process.send!({ received, chunks });
    } catch (error) {
      failed(error);
    }
  });
  connection.on('error', () => connection.destroy());
}

/** What a message carried, small enough to compare: its fields, its size, and its text or md5. */
function summary(fields: Record<string, unknown>, body: Buffer) {
  const size = body.length;
  return fields.type === 'text' ? { ...fields, size, text: body.toString('utf8') } : { ...fields, size, md5: md5(body) };
}

function md5(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex');
}

// ── the sender ───────────────────────────────────────────────────────────────────────────────

async function sender(what: string, port: number): Promise<void> {
  name('sender');
  if (what === 'three datagrams') {
    const socket = createSocket('udp4');
    for (const text of WRITES) await new Promise((resolve) => socket.send(text, port, '127.0.0.1', resolve));
    socket.close();
    return;
  }
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true); // no Nagle: every write leaves at once, as its own TCP segment
  await once(socket, 'connect');
  if (what === 'three writes') for (const text of WRITES) socket.write(text);
  if (what === 'one big write') socket.write(Buffer.alloc(1024 * 1024, 'x'));
  if (what === 'frames') await sendFrames(socket);
  if (what === 'an HTTP request') socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
  if (what === 'a header that is not JSON') socket.write(Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('{not json!}')]));
  if (what === 'a frame cut short') socket.write(encodeFrame({ type: 'text' }, 'this frame is cut short').subarray(0, 30));
  if (what === "a length packed with 'i'") {
    const frame = encodeFrame({ type: 'text', from: '小明' }, '你好'); // step 3's example
    socket.write(Buffer.concat([packInt(frame.readUInt32BE(0)), frame.subarray(4)])); // struct.pack('i', len(h)) + h + body
  }
  if (BAD.includes(what)) {
    // A bad sender does not hang up: it waits. Only the receiver's check ends the connection.
    if (what === 'a frame cut short') socket.end();
    await once(socket, 'close');
    fact('sender.closed', what);
    return;
  }
  socket.end();
  await once(socket, 'finish'); // everything handed to the kernel
  socket.destroy();
}

async function sendFrames(socket: Socket): Promise<void> {
  const file = randomBytes(1024 * 1024);
  const messages: Array<{ fields: Record<string, unknown>; body: string | Buffer }> = [
    { fields: { type: 'text' }, body: 'hello' },
    { fields: { type: 'text', from: '小明' }, body: '你好，世界' },
    { fields: { type: 'text' }, body: '' },
    { fields: { type: 'text', note: 'sent 3 bytes at a time' }, body: '一点一点' },
    { fields: { type: 'file', filename: 'data.bin', md5: md5(file) }, body: file }, // the course's header
  ];
  const frames = messages.map(({ fields, body }) => encodeFrame(fields, body));
  socket.write(Buffer.concat(frames.slice(0, 3))); // three frames in ONE write
  fact('frames.dribble', Math.ceil(frames[3]!.length / 3));
  for (let at = 0; at < frames[3]!.length; at += 3) {
    socket.write(frames[3]!.subarray(at, at + 3)); // one frame in 3-byte pieces: even its length is split
    await sleep(30);
  }
  socket.write(frames[4]!); // 1 MiB: the stream splits it
  fact('frames.sent', messages.map(({ fields, body }) => summary(fields, Buffer.from(body))));
}
