// Lesson 17: streams merge and split, datagrams do not, and the length-prefixed codec recovers
// every message; checked on the lesson's run, and the codec itself unit by unit.
import { randomBytes } from 'node:crypto';
import { endianness } from 'node:os';
import { beforeAll, describe, expect, test } from 'vitest';
import { claim } from '../support/claims.js';
import type { ProcessHistory } from '../../lib/observe/timeline.js';
import { PREDICT_PACE, runPredicting, type PredictRun } from '../support/predict.js';
import { expectSaidWhileShown, lineAt } from '../support/pace.js';
import { ONE_SAMPLE, runLesson, stillRunning } from '../support/run-lesson.js';
import { encodeFrame, FrameDecoder, FrameError, packInt, type Frame } from '../../lessons/17-framing/frames.js';

const PACE = PREDICT_PACE;

describe('lesson 17 framing', () => {
  // Run as a student predicting would (--predict): its one question is answered, and every claim
  // below must hold in that run as in any other.
  let run: PredictRun;
  const factTime = (name: string): number => run.timeline.data.facts.find((fact) => fact.name === name)!.t;

  beforeAll(async () => {
    run = await runPredicting('framing', () => 'S');
  });

  const lessonPid = (): number => run.timeline.data.lessonPid;
  const titled = (title: string): ProcessHistory[] =>
    run.timeline.processes().filter((each) => each.title === title && each.firstParent === lessonPid()).sort((a, b) => a.record.startTicks - b.record.startTicks || a.pid - b.pid);
  const proc = (pid: number): ProcessHistory => {
    const found = run.timeline.process(pid);
    expect(found, `pid ${pid} in the table`).toBeDefined();
    return found!;
  };
  /** Blocked in read(): its whole process asleep in every sample taken in [from, to). */
  const asleepThroughout = (history: ProcessHistory, from: number, to: number): void => {
    // (A runner starved of CPU may take no sample in the window: then the table showed nothing there.)
    const stats = run.timeline.statsBetween(history, from, to);
    expect(stats.filter((stat) => !stat.startsWith('S'))).toEqual([]);
  };

  claim('receiver-busy', () => {
    const receivers = titled('receiver');
    expect(receivers).toHaveLength(3);
    const sender = proc(run.timeline.fact<number>('tcp.go')!);
    // from the moment it began its read() until it was told to read on (its sender exited meanwhile)
    const blocked = run.timeline.data.facts.filter((each) => each.name === 'receiver.blocked');
    expect(blocked.map((each) => [each.value, each.pid])).toEqual([['tcp', receivers[0]!.pid], ['udp', receivers[1]!.pid]]);
    expect(blocked[0]!.t).toBeLessThan(sender.record.exit!.t);
    // from the moment the kernel said it slept inside that read() (/proc/PID/wchan) until told to go on
    expect(run.timeline.fact('tcp.asleep')).toBe('unix_stream_read_generic');
    asleepThroughout(receivers[0]!, factTime('tcp.asleep'), factTime('tcp.go'));
  });

  claim('sender-exits-first', () => {
    const sender = proc(run.timeline.fact<number>('tcp.go')!);
    expect(sender.title).toBe('sender');
    expect(sender.firstParent).toBe(lessonPid());
    expect(sender.record.exit).toMatchObject({ code: 0, signal: null });
    // The sender had exited 2 s (× pace) before the receiver was allowed to read …
    expect(factTime('tcp.go') - sender.record.exit!.t).toBeGreaterThanOrEqual(2000 * PACE);
    // … and the receiver stayed busy 2 s (× pace) after the lesson said so.
    const busy = { from: factTime('tcp.asleep'), to: factTime('tcp.go') };
    expectSaidWhileShown(run.timeline, lineAt(run.timeline, '(three writes) and exited; the receiver is busy.'), [busy], PACE, 'the TCP receiver busy');
    expect(titled('receiver')[0]!.record.gone!).toBeGreaterThan(factTime('tcp.go'));
  });

  claim('merged', () => {
    expect(run.timeline.fact('tcp.merged')).toEqual({ chunks: [16], text: 'helloworld你好' });
  });

  claim('split', () => {
    const split = run.timeline.fact<{ chunks: number; total: number; largest: number }>('tcp.split')!;
    expect(split.total).toBe(1024 * 1024);
    expect(split.largest).toBeLessThanOrEqual(64 * 1024);
    expect(split.chunks).toBeGreaterThanOrEqual(16);
    const second = titled('sender')[1]!;
    expect(second.record.exit).toMatchObject({ code: 0, signal: null });
  });

  claim('udp-receiver-busy', () => {
    const sender = proc(run.timeline.fact<number>('udp.go')!);
    expect(sender.title).toBe('sender');
    expect(sender.firstParent).toBe(lessonPid());
    expect(sender.record.exit).toMatchObject({ code: 0, signal: null });
    expect(factTime('udp.go') - sender.record.exit!.t).toBeGreaterThanOrEqual(2000 * PACE);
    const busy = { from: factTime('udp.asleep'), to: factTime('udp.go') };
    expectSaidWhileShown(run.timeline, lineAt(run.timeline, 'the sender sent three datagrams and exited; the receiver is busy.'), [busy], PACE, 'the UDP receiver busy');
    const blocked = run.timeline.data.facts.filter((each) => each.name === 'receiver.blocked');
    expect(blocked[1]!.t).toBeLessThan(sender.record.exit!.t);
    expect(run.timeline.fact('udp.asleep')).toBe('unix_stream_read_generic');
    asleepThroughout(titled('receiver')[1]!, factTime('udp.asleep'), factTime('udp.go'));
  });

  claim('datagrams', () => {
    expect(run.timeline.fact('udp.messages')).toEqual(['hello', 'world', '你好']);
  });

  claim('frame-bytes', () => {
    // python3: h = json.dumps({'type':'text','from':'小明','total_size':6}, separators=(',',':'),
    //   ensure_ascii=False).encode(); (struct.pack('!I', len(h)) + h + '你好'.encode()).hex()
    expect(run.timeline.fact('frame.example')).toBe(PYTHON_FRAME);
    expect(PYTHON_FRAME.slice(0, 8)).toBe('0000002e');
    expect(Buffer.from(PYTHON_FRAME, 'hex').length).toBe(4 + 46 + 6);
    // json.dumps with its defaults, as the course calls it: 57 bytes, and the decoder reads it too
    const courseHeader = Buffer.from('{"type": "text", "from": "\\u5c0f\\u660e", "total_size": 6}');
    expect(courseHeader.length).toBe(57);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(courseHeader.length);
    const [frame] = new FrameDecoder().push(Buffer.concat([length, courseHeader, Buffer.from('你好')]));
    expect(frame!.header).toEqual({ type: 'text', from: '小明', total_size: 6 });
    expect(frame!.body.toString('utf8')).toBe('你好');
  });

  claim('byte-order', () => {
    // python3: struct.pack('i', 46).hex() → '2e000000' (on a little-endian machine, as this one);
    //   struct.pack('!I', 46).hex() → '0000002e'; struct.unpack('!I', struct.pack('i', 46))[0] → 771751936
    expect(endianness()).toBe('LE');
    expect(run.timeline.fact('frame.order')).toEqual({ i: '2e000000', networkI: '0000002e', endianness: 'LE', misread: 771_751_936 });
    expect(run.timeline.fact<string>('frame.example')!.slice(0, 8)).toBe('0000002e');
    // the same frame with its length packed with 'i', over the wire: the '!I' receiver refuses it
    const wrongOrder = run.timeline.facts<{ bad: string; code: string; message: string }>('frames.bad').find((each) => each.bad === "a length packed with 'i'");
    expect(wrongOrder).toMatchObject({ code: 'HEADER_TOO_LARGE' });
    expect(wrongOrder!.message).toContain('a frame header of 771751936 bytes');
  });

  claim('two-gigabytes', () => {
    // python3: struct.pack('i', 2**31 - 1).hex() → 'ffffff7f'; struct.pack('i', 2**31) raises
    //   struct.error: 'i' format requires -2147483648 <= number <= 2147483647
    expect(run.timeline.fact('frame.2GB')).toEqual({ largest: 'ffffff7f', error: 'RangeError' });
    expect(run.stdout).toContain(`struct.pack('i', 2**31): The value of "value" is out of range. It must be >= -2147483648 and <= 2147483647.`);
    expect(() => packInt(2 ** 31)).toThrow(RangeError);
    expect(packInt(-(2 ** 31)).toString('hex')).toBe('00000080');
  });

  claim('dribble', () => {
    const framesSender = titled('sender')[3]!;
    const dribble = run.timeline.data.facts.find((each) => each.name === 'frames.dribble')!;
    expect(dribble.pid).toBe(framesSender.pid);
    expect(dribble.value).toBe(Math.ceil(encodeFrame({ type: 'text', note: 'sent 3 bytes at a time' }, '一点一点').length / 3));
    expect(framesSender.record.exit).toMatchObject({ code: 0, signal: null });
    // in the table through every 30 ms (× pace) pause after its pieces
    expect(framesSender.record.firstSeen).toBeLessThanOrEqual(dribble.t);
    expect(framesSender.record.exit!.t - dribble.t).toBeGreaterThanOrEqual((dribble.value as number) * 30 * PACE);
    expect(framesSender.record.gone!).toBeGreaterThanOrEqual(framesSender.record.exit!.t);
  });

  claim('frames-exact', () => {
    const sent = run.timeline.fact<Array<Record<string, unknown>>>('frames.sent')!;
    const decoded = run.timeline.fact<{ received: unknown[]; chunks: number }>('frames.received')!;
    expect(sent).toHaveLength(5);
    expect(decoded.received).toEqual(sent);
    expect(sent[1]).toMatchObject({ from: '小明', text: '你好，世界', size: 15 });
    expect(sent[4]).toMatchObject({ type: 'file', size: 1024 * 1024 });
    // fewer reads than writes would mean merging; the 3-byte pieces and the 1 MiB body force more
    expect(decoded.chunks).toBeGreaterThan(5);
  });

  claim('bad-senders', () => {
    const bad = titled('sender').slice(4);
    expect(titled('sender')).toHaveLength(8);
    const closed = run.timeline.data.facts.filter((each) => each.name === 'sender.closed');
    expect(closed.map((each) => each.value)).toEqual(['an HTTP request', 'a header that is not JSON', 'a frame cut short', "a length packed with 'i'"]);
    expect(closed.map((each) => each.pid)).toEqual(bad.map((each) => each.pid));
    for (const sender of bad) expect(sender.record.exit).toMatchObject({ code: 0, signal: null });
  });

  claim('errors', () => {
    expect(run.timeline.facts('frames.bad')).toEqual([
      { bad: 'an HTTP request', code: 'HEADER_TOO_LARGE', message: expect.stringContaining('"GET "') },
      { bad: 'a header that is not JSON', code: 'BAD_HEADER', message: expect.stringContaining('not JSON') },
      { bad: 'a frame cut short', code: 'TRUNCATED', message: expect.stringContaining('middle of a frame') },
      { bad: "a length packed with 'i'", code: 'HEADER_TOO_LARGE', message: expect.stringContaining('771751936') },
    ]);
    expect(Buffer.from('GET ').readUInt32BE(0)).toBe(1_195_725_856);
    expect(Buffer.from('GET ').readInt32LE(0)).toBe(542_393_671); // the course's struct 'i' on a PC
  });

  claim('nothing-left', () => {
    expect(run.code).toBe(0);
    expect(run.timeline.leftovers()).toEqual([]);
  });

  test("predict: the blocked receiver's STAT, as the table showed it", () => {
    expect(run.questions).toHaveLength(1);
    const [question] = run.questions;
    const receiver = titled('receiver')[0]!;
    expect(question!.pid).toBe(receiver.pid);
    // read while it was kept busy: before it was told to go on
    expect(question!.dueAt!).toBeLessThan(factTime('tcp.go'));
    const slack = ONE_SAMPLE * run.timeline.data.sampleIntervalMs;
    const at = question!.revealedAt!;
    const seen = receiver.record.spans.filter((each) => each.to >= at - slack && each.from <= at + slack).map((each) => each.stat[0]);
    expect(seen).toContain(question!.actual);
    expect(question!.right).toBe(question!.actual === 'S');
    expect(run.stdout).toContain(`Predictions: ${question!.right ? 1 : 0} of 1 right.`);
  });
});

describe.concurrent('lesson 17 framing, interrupted', () => {
  // While the receiver is blocked with data waiting in the kernel, during UDP, during the frames.
  for (const point of ['the receiver is busy', '── 2.', '── 3.']) {
    claim('nothing-left', async () => {
      const run = await runLesson('framing', { interruptAfter: point });
      expect(run.code).toBe(130);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(stillRunning(run.timeline)).toEqual([]);
    }, 40_000);
  }
});

const PYTHON_FRAME =
  '0000002e7b2274797065223a2274657874222c2266726f6d223a22e5b08fe6988e222c22746f74616c5f73697a65223a367de4bda0e5a5bd';

describe('frames codec', () => {
  const messages: Array<[Record<string, unknown>, Buffer | string]> = [
    [{ type: 'text' }, 'hello'],
    [{ type: 'text', from: '小明' }, '你好，世界'],
    [{ type: 'empty' }, ''],
    [{ type: 'file', filename: '数据.bin' }, randomBytes(500)],
    [{ type: 'emoji' }, '🙂 é 你'],
  ];
  const stream = Buffer.concat(messages.map(([fields, body]) => encodeFrame(fields, body)));
  // Bodies compared as hex strings: quick to compare, and a difference still shows.
  const expected = messages.map(([fields, body]) => ({
    header: { ...fields, total_size: Buffer.byteLength(body) },
    body: Buffer.from(body).toString('hex'),
  }));
  const decodeIn = (pieces: Buffer[]): Array<{ header: Frame['header']; body: string }> => {
    const decoder = new FrameDecoder();
    const frames = pieces.flatMap((piece) => decoder.push(piece));
    decoder.end();
    return frames.map(({ header, body }) => ({ header, body: body.toString('hex') }));
  };

  test("encodes as Python's struct.pack('!I') + JSON header + body", () => {
    expect(encodeFrame({ type: 'text', from: '小明' }, '你好').toString('hex')).toBe(PYTHON_FRAME);
  });

  test('sizes count bytes: a Chinese header and body', () => {
    const frame = encodeFrame({ from: '小明' }, '你好');
    const headerBytes = frame.readUInt32BE(0);
    expect(headerBytes).toBe(Buffer.byteLength('{"from":"小明","total_size":6}'));
    expect(JSON.parse(frame.subarray(4, 4 + headerBytes).toString('utf8'))).toEqual({ from: '小明', total_size: 6 });
  });

  test('all frames in one chunk', () => {
    expect(decodeIn([stream])).toEqual(expected);
  });

  test('one byte at a time (the length, the header and multi-byte characters all split)', () => {
    const bytes = [...Array(stream.length).keys()].map((index) => stream.subarray(index, index + 1));
    expect(decodeIn(bytes)).toEqual(expected);
  });

  test('at every split point into two chunks', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      expect(decodeIn([stream.subarray(0, cut), stream.subarray(cut)])).toEqual(expected);
    }
  });

  test('a frame with an empty body completes without waiting for more bytes', () => {
    expect(new FrameDecoder().push(encodeFrame({ type: 'ping' }))).toEqual([
      { header: { type: 'ping', total_size: 0 }, body: Buffer.alloc(0) },
    ]);
  });

  const failure = (pieces: Buffer[], limits?: { header: number; body: number }): FrameError => {
    const decoder = new FrameDecoder(limits);
    try {
      for (const piece of pieces) decoder.push(piece);
      decoder.end();
    } catch (error) {
      expect(error).toBeInstanceOf(FrameError);
      return error as FrameError;
    }
    throw new Error('no error');
  };
  const sized = (header: string): Buffer => {
    const bytes = Buffer.from(header);
    const size = Buffer.alloc(4);
    size.writeUInt32BE(bytes.length);
    return Buffer.concat([size, bytes]);
  };

  test('an oversized length is refused as soon as its 4 bytes are in', () => {
    const decoder = new FrameDecoder();
    expect(() => decoder.push(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow(/4294967295 bytes is over the limit/);
    expect(failure([Buffer.from('GET / HTTP/1.1\r\n')]).code).toBe('HEADER_TOO_LARGE');
  });

  test('an oversized body is refused when the header announces it', () => {
    const error = failure([sized('{"total_size":2000}')], { header: 100, body: 1000 });
    expect(error.code).toBe('BODY_TOO_LARGE');
    expect(error.message).toMatch(/2000 bytes is over the limit of 1000/);
  });

  test('malformed headers: not JSON, not an object, no or bad total_size, empty', () => {
    for (const header of ['{oops', '[1,2]', 'null', '{"size":3}', '{"total_size":-1}', '{"total_size":1.5}', '{"total_size":"3"}']) {
      expect(failure([sized(header)]).code, header).toBe('BAD_HEADER');
    }
    expect(failure([Buffer.from([0, 0, 0, 0])]).message).toMatch(/cannot be empty/);
  });

  test('a stream that ends inside a frame is an error; at a boundary it is not', () => {
    const frame = encodeFrame({ type: 'text' }, 'hello');
    for (const cut of [1, 3, 4, 10, frame.length - 1]) {
      expect(failure([frame.subarray(0, cut)]).code, `cut at ${cut}`).toBe('TRUNCATED');
    }
    expect(() => decodeIn([frame, frame])).not.toThrow();
  });

  test('after an error the decoder stays failed', () => {
    const decoder = new FrameDecoder();
    expect(() => decoder.push(sized('{oops'))).toThrow(FrameError);
    expect(() => decoder.push(encodeFrame({ type: 'text' }, 'fine'))).toThrow(/not JSON/);
  });
});
