// Solution to exercise 17: a frame decoder that survives split and merged chunks.
import { createHash } from 'node:crypto';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { fact, name, say, tempDir } from '../lib/lesson/index.js';
import { given, underCheck } from '../lib/exercises/kit.js';

class FrameDecoder {
  /** The bytes received but not used yet. */
  private pending: Buffer = Buffer.alloc(0);

  /** Takes the next chunk read from the stream; returns the messages completed by it. */
  push(chunk: Buffer): unknown[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const messages: unknown[] = [];
    // A frame is complete once the 4 bytes of its length AND that many bytes are here.
    while (this.pending.length >= 4) {
      const length = this.pending.readUInt32BE(0);
      if (this.pending.length < 4 + length) break; // wait for more
      // Bytes first, text last: only a whole body is decoded, so no character is ever cut.
      messages.push(JSON.parse(this.pending.toString('utf8', 4, 4 + length)));
      this.pending = this.pending.subarray(4 + length);
    }
    return messages;
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
