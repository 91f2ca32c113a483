// Exercise 17: the check is the sender. It writes length-prefixed frames merged into one write,
// split inside the length, split inside a character, and one big enough that the kernel splits
// it; every message must come out of the receiver whole and in order.
import { createHash } from 'node:crypto';
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import { errorLine, exitedCleanly } from '../claims.js';
import { describeEnd, fail, type Check } from '../harness.js';

interface Sent {
  message: unknown;
  /** How its frame travelled, for the failure sentence. */
  how: string;
}

function frame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

function write(socket: Socket, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => socket.write(bytes, (error) => (error ? reject(error) : resolve())));
}

/** A pause between two writes, so that the receiver reads them as two chunks. */
const apart = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 40));

/** The start of a message's JSON text. */
function short(text: string): string {
  return text.length > 70 ? `${text.slice(0, 67)}…` : text;
}

export const checkFrameDecoder: Check = async ({ work, start, random }) => {
  const socket = join(work, 'frames.sock');
  const token = random.hex(3);
  const sent: Sent[] = [
    { message: { n: 1, token }, how: 'merged with the next two frames in one write' },
    { message: { n: 2, text: 'merged' }, how: 'merged with the frames before and after it in one write' },
    { message: [3, token], how: 'merged with the two frames before it in one write' },
    { message: { n: 4, text: 'split inside its length' }, how: 'split after the first 2 bytes of its 4-byte length' },
    { message: { n: 5, text: `你好, ${token} 🙂` }, how: 'split in the middle of the character 你 (3 bytes in UTF-8)' },
    { message: { n: 6, big: `${'数据'.repeat(10_000)}${'x'.repeat(240_000)}` }, how: 'about 300 kB, split by the kernel into several chunks' },
    { message: { n: 7, token }, how: 'its first 3 bytes sent with the end of the big frame' },
    { message: '', how: 'an empty string, with the frame after it' },
    { message: { n: 9, last: true }, how: 'sent with the frame before it' },
  ];
  const frames = sent.map(({ message }) => frame(message));
  const running = start({ socket }, { timeoutMs: 10_000 });

  let sender: Socket | undefined;
  await running.until('the receiver to accept a connection at its socket path', async () => {
    sender = await new Promise<Socket | undefined>((resolve) => {
      const attempt = createConnection(socket);
      attempt.once('connect', () => resolve(attempt));
      attempt.once('error', () => resolve(undefined));
    });
    return sender !== undefined;
  });
  const out = sender!;
  out.on('error', () => undefined); // a receiver that crashed: its exit says more
  const [f1, f2, f3, f4, f5, f6, f7, f8, f9] = frames as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
  try {
    await write(out, Buffer.concat([f1, f2, f3]));
    await apart();
    await write(out, f4.subarray(0, 2));
    await apart();
    await write(out, f4.subarray(2));
    await apart();
    const cut = f5.indexOf(Buffer.from('你')) + 1; // after the first of its 3 bytes
    await write(out, f5.subarray(0, cut));
    await apart();
    await write(out, f5.subarray(cut));
    await apart();
    await write(out, Buffer.concat([f6, f7.subarray(0, 3)]));
    await apart();
    await write(out, f7.subarray(3));
    await apart();
    await write(out, Buffer.concat([f8, f9]));
    out.end();
  } catch {
    out.destroy(); // the receiver went away: what it printed and how it ended will say why
  }

  const result = await running.done;
  if (result.timedOut) exitedCleanly(result);
  // A receiver that crashed is judged on what came out before it did: the first message that did
  // not come out, and how it was sent, say which case the decoder could not handle.
  const crashed = result.code !== 0 || result.signal !== null;
  const said = errorLine(result)?.replace(/\.$/, '');
  const received = result.timeline.facts<{ sha256: string; start: string }>('message');
  for (const [index, { message, how }] of sent.entries()) {
    if (index >= received.length) {
      if (crashed) fail(`It ${describeEnd(result.code, result.signal)}${said ? ` (${said})` : ''} after ${index} of ${sent.length} messages had come out; message ${index + 1} was ${how}.`);
      if (index === 0) fail(`No message came out of the decoder; ${sent.length} were sent, the first ${how}.`);
      fail(`Only ${received.length} of ${sent.length} messages came out; message ${index + 1} was ${how}.`);
    }
    const text = JSON.stringify(message);
    const got = received[index];
    if (got?.sha256 !== createHash('sha256').update(text).digest('hex')) {
      const start = typeof got?.start === 'string' ? got.start : JSON.stringify(got) ?? 'nothing';
      fail(`Message ${index + 1} came out as ${short(start)}, but ${short(text)} was sent (${how}).`);
    }
  }
  if (received.length > sent.length) fail(`${received.length} messages came out, but ${sent.length} were sent; the extra one is ${short(String(received[sent.length]?.start))}.`);
  exitedCleanly(result);
};
