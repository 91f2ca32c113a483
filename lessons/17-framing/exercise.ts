// Exercise 17 — a frame decoder that survives split and merged chunks.
//
// TCP and Unix stream sockets carry bytes, not messages: three writes may arrive as one chunk,
// and one write may arrive in several. The course puts a length in front of each message
// (struct.pack('!I', len) + a JSON body); in Node that is a 4-byte big-endian unsigned length
// (buffer.writeUInt32BE) followed by that many bytes of UTF-8 JSON.
//
// The receiver below (written for you) listens on `socket` and feeds every chunk it reads into
// your FrameDecoder; each message you return is recorded. Write `push(chunk)`:
//   - keep the bytes you have not used yet; return every COMPLETE message they hold, in order
//     (none if there is no complete one yet);
//   - cope with chunks that hold several frames, part of a frame, or only part of the 4-byte
//     length;
//   - decode UTF-8 only once a whole body is there: a multi-byte character ("你", an emoji) may be
//     split between two chunks.
//
// What the check looks at: it connects and sends frames merged into one write, split across
// writes (inside the length, inside a character), and one of 300 kB that the kernel splits by
// itself; every message must come out, equal to what was sent, in order.
//
//   try it:   npx tsx lessons/17-framing/exercise.ts     (it sends itself a few frames)
//   check it: npm run check -- 17         a hint: npm run hint -- 17
import { createHash } from 'node:crypto';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { fact, name, say, tempDir } from '../../lib/lesson/index.js';
import { given, underCheck } from '../../lib/exercises/kit.js';

class FrameDecoder {
  // TODO: the bytes received but not used yet.

  /** Takes the next chunk read from the stream; returns the messages completed by it. */
  push(chunk: Buffer): unknown[] {
    // TODO: append the chunk; while there is a whole frame (4 bytes of length, then that many
    //       bytes), cut it off, JSON.parse its body (as UTF-8) and collect the message.
    return [];
  }
}

// ---- the receiver (written for you) ----
const { socket } = given(() => ({ socket: join(tempDir('frames'), 'frames.sock') }));
name('receiver');
const server = createServer((connection) => {
  const decoder = new FrameDecoder();
  let count = 0;
  connection.on('data', (chunk: Buffer) => {
    for (const message of decoder.push(chunk)) {
      count++;
      say(`message ${count}: ${JSON.stringify(message).slice(0, 60)}`);
      fact('message', fingerprint(message));
    }
  });
  // One sender, then we are done.
  connection.on('end', () => {
    say(`the sender is done: ${count} messages`);
    server.close();
  });
});
server.listen(socket, () => {
  say(`receiving on ${socket}`);
  if (!underCheck) sendSamples();
});

/** What the check compares: a digest of the message (a 300 kB message is too big to pass on whole). */
function fingerprint(message: unknown): { sha256: string; start: string } {
  const text = JSON.stringify(message) ?? String(message);
  return { sha256: createHash('sha256').update(text).digest('hex'), start: text.slice(0, 80) };
}

/** Run alone: sends a few frames to ourselves, merged and split. */
function sendSamples(): void {
  const frame = (message: unknown): Buffer => {
    const body = Buffer.from(JSON.stringify(message));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    return Buffer.concat([length, body]);
  };
  const bytes = Buffer.concat([frame({ n: 1 }), frame({ n: 2, text: '你好' }), frame({ n: 3 })]);
  const sender = createConnection(socket, () => {
    sender.write(bytes.subarray(0, 17)); // one frame and a piece of the next
    setTimeout(() => sender.end(bytes.subarray(17)), 50);
  });
}
