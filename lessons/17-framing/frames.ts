// The course's message framing, as a small codec. Every message on the stream is one FRAME:
//
//   ┌──────────────────────┬──────────────────────────────┬──────────────────────┐
//   │ 4 bytes: header size │ header: JSON, UTF-8          │ body: total_size     │
//   │ big-endian, unsigned │ {"total_size": n, …}         │ bytes, anything      │
//   └──────────────────────┴──────────────────────────────┴──────────────────────┘
//
// The 4 bytes are Python's struct.pack('!I', len(h_bytes)): '!' network order (big-endian), 'I'
// an unsigned 32-bit int; in Node, buffer.writeUInt32BE. Every size counts BYTES, never
// characters: '你好' is 2 characters and 6 bytes of UTF-8.
//
// The decoder takes chunks as the stream delivers them (a whole frame, three frames at once, one
// byte at a time: the stream does not say) and returns every frame they complete. It never waits
// for more than it was told to expect, and it refuses what cannot be a frame at once, with a
// sentence, instead of waiting forever for four gigabytes that will never come.

import { endianness } from 'node:os';

export interface FrameHeader {
  /** The size of the body in bytes (the course's name for it). */
  total_size: number;
  [field: string]: unknown;
}

export interface Frame {
  header: FrameHeader;
  body: Buffer;
}

export interface Limits {
  /** The largest header we accept, in bytes. */
  header: number;
  /** The largest body we accept, in bytes. */
  body: number;
}

export const DEFAULT_LIMITS: Limits = { header: 64 * 1024, body: 16 * 1024 * 1024 };

export type FrameProblem = 'HEADER_TOO_LARGE' | 'BODY_TOO_LARGE' | 'BAD_HEADER' | 'TRUNCATED';

/** Why a stream is not (or no longer) a stream of frames, in one sentence. */
export class FrameError extends Error {
  constructor(
    readonly code: FrameProblem,
    message: string,
  ) {
    super(message);
  }
}

/** One frame: the header's fields plus total_size, then the body. */
export function encodeFrame(fields: Record<string, unknown>, body: Buffer | string = Buffer.alloc(0)): Buffer {
  const bodyBytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const headerBytes = Buffer.from(JSON.stringify({ ...fields, total_size: bodyBytes.length }), 'utf8');
  const size = Buffer.alloc(4);
  size.writeUInt32BE(headerBytes.length); // struct.pack('!I', len(h_bytes))
  return Buffer.concat([size, headerBytes, bodyBytes]);
}

/**
 * struct.pack('i', n), as the course's server packs the header's size: a SIGNED 32-bit int in this
 * machine's OWN byte order (little-endian on x86 and ARM). So its largest value is 2**31 - 1
 * (a size of 2 GB or more throws a RangeError, as Python raises struct.error), and a receiver
 * that reads '!I' (big-endian) reads another number.
 */
export function packInt(n: number): Buffer {
  const bytes = Buffer.alloc(4);
  if (endianness() === 'LE') bytes.writeInt32LE(n);
  else bytes.writeInt32BE(n);
  return bytes;
}

type Part = 'size' | 'header' | 'body';

export class FrameDecoder {
  // What we are reading now, and into what: each part's size is known before it starts.
  private part: Part = 'size';
  private target: Buffer = Buffer.alloc(4);
  private filled = 0;
  private header: FrameHeader | undefined;
  private failed: FrameError | undefined;

  constructor(private readonly limits: Limits = DEFAULT_LIMITS) {}

  /** Takes the next chunk from the stream; returns the frames it completes (often none). */
  push(chunk: Buffer): Frame[] {
    if (this.failed) throw this.failed;
    const frames: Frame[] = [];
    let offset = 0;
    while (offset < chunk.length || this.complete()) {
      if (!this.complete()) {
        const copied = chunk.copy(this.target, this.filled, offset, offset + this.target.length - this.filled);
        this.filled += copied;
        offset += copied;
        continue;
      }
      const frame = this.next(); // this part is complete: move on to the next one
      if (frame) frames.push(frame);
    }
    return frames;
  }

  /** The stream ended: throws if it ended in the middle of a frame. */
  end(): void {
    if (this.failed) throw this.failed;
    if (this.part === 'size' && this.filled === 0) return;
    this.fail('TRUNCATED', `the stream ended in the middle of a frame: ${this.filled} of the ${this.target.length} bytes of its ${this.part}.`);
  }

  private complete(): boolean {
    return this.filled === this.target.length && !this.failed;
  }

  private expect(part: Part, bytes: number): void {
    this.part = part;
    this.target = Buffer.alloc(bytes);
    this.filled = 0;
  }

  /** Moves past a completed part; returns a frame when that part was the last one. */
  private next(): Frame | undefined {
    if (this.part === 'size') {
      const size = this.target.readUInt32BE(0);
      if (size > this.limits.header) {
        const ascii = this.target.toString('latin1').replace(/[^\x20-\x7e]/g, '.');
        this.fail('HEADER_TOO_LARGE', `a frame header of ${size} bytes is over the limit of ${this.limits.header}: this is not a frame (its first 4 bytes read "${ascii}").`);
      }
      if (size === 0) this.fail('BAD_HEADER', 'a frame header of 0 bytes: a header is a JSON object and cannot be empty.');
      this.expect('header', size);
      return undefined;
    }
    if (this.part === 'header') {
      this.header = this.parseHeader(this.target);
      if (this.header.total_size > this.limits.body) {
        this.fail('BODY_TOO_LARGE', `a frame body of ${this.header.total_size} bytes is over the limit of ${this.limits.body}.`);
      }
      this.expect('body', this.header.total_size);
      return undefined;
    }
    const frame = { header: this.header!, body: this.target };
    this.expect('size', 4);
    return frame;
  }

  private parseHeader(bytes: Buffer): FrameHeader {
    let header: unknown;
    try {
      header = JSON.parse(bytes.toString('utf8'));
    } catch {
      this.fail('BAD_HEADER', `the frame header is not JSON: ${JSON.stringify(bytes.toString('utf8').slice(0, 40))}.`);
    }
    if (typeof header !== 'object' || header === null || Array.isArray(header)) {
      this.fail('BAD_HEADER', 'the frame header is JSON but not an object.');
    }
    const size = (header as { total_size?: unknown }).total_size;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      this.fail('BAD_HEADER', `the frame header has no valid total_size (a whole number of bytes): ${JSON.stringify(size) ?? 'none'}.`);
    }
    return header as FrameHeader;
  }

  private fail(code: FrameProblem, message: string): never {
    this.failed = new FrameError(code, message);
    throw this.failed;
  }
}
