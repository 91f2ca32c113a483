// The lesson's end of the control socket (see protocol.ts). Absent when a lesson runs alone.
import { fstatSync, readSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { CONTROL_FD, ENV, jsonLines, type LessonMessage, type RunnerMessage, type Stamped } from './protocol.js';

let fd: number | undefined;
let reader: Socket | undefined;
const waiting: Array<() => void> = [];
let goAheads = 0;
let onRunnerGone: (() => void) | undefined;
/** Something to Atomics.wait on: a way to pause this thread for 1 ms without the event loop. */
const pause = new Int32Array(new SharedArrayBuffer(4));

function connect(): void {
  const value = process.env[ENV.control];
  if (!value) return;
  const [fdText, inode] = value.split(':');
  const candidate = Number(fdText);
  try {
    const stat = fstatSync(candidate);
    if (!stat.isSocket() || (inode && String(stat.ino) !== inode)) return;
    fd = candidate;
    // Children started by forkSelf inherit the same socket and check its inode.
    process.env[ENV.control] = `${candidate}:${stat.ino}`;
  } catch {
    fd = undefined;
  }
}
connect();
waitForStart();

/**
 * A lesson's first process, started gated (ENV.gate), waits here for the runner's 'start': the
 * runner started it before it was ready to follow it (so as to get ready while Node starts), and
 * nothing it does may come before. Its children are not gated.
 */
function waitForStart(): void {
  if (process.env[ENV.gate] !== '1') return;
  delete process.env[ENV.gate];
  readBlocking((message) => {
    if (message.type === 'continue') goAheads++;
    return message.type === 'start';
  }, 1);
}

/**
 * Reads the runner's messages with read(2), this thread blocked (event loop and all), until
 * `enough` says so for one of them, or the runner is gone (end of the socket, or an error: then the
 * lifeline ends the lesson). When libuv has made the socket non-blocking, it is asked again every
 * `everyMs`, the thread asleep in between (Atomics.wait).
 */
function readBlocking(enough: (message: RunnerMessage) => boolean, everyMs: number): void {
  if (fd === undefined) return;
  const buffer = Buffer.alloc(512);
  let pending = '';
  for (;;) {
    let count: number;
    try {
      count = readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, everyMs);
        continue;
      }
      return;
    }
    if (count === 0) return;
    pending += buffer.toString('utf8', 0, count);
    let done = false;
    jsonLines<RunnerMessage>((message) => {
      done = enough(message) || done;
    })(pending.slice(0, pending.lastIndexOf('\n') + 1));
    pending = pending.slice(pending.lastIndexOf('\n') + 1);
    if (done) return;
  }
}

export function hasRunner(): boolean {
  return fd !== undefined;
}

export function controlFd(): number | undefined {
  return fd;
}


export function send(message: LessonMessage): void {
  if (fd === undefined) return;
  const stamped: Stamped<LessonMessage> = { ...message, at: Number(process.hrtime.bigint()) / 1e6 };
  const bytes = Buffer.from(`${JSON.stringify(stamped)}\n`);
  // The socket is blocking as inherited; should it ever be non-blocking and full (a runner starved
  // of CPU), wait for the runner rather than lose the message: 1 ms at a time, for up to 5 s.
  for (let attempt = 0; attempt < 5000; attempt++) {
    try {
      writeSync(fd, bytes);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return; // the runner is gone
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}


/**
 * Only the lesson's first process listens on the socket: for go-aheads in step mode, and for the
 * end of the socket, which means the runner is gone.
 */
export function listen(runnerGone: () => void): void {
  if (fd === undefined || reader) return;
  onRunnerGone = runnerGone;
  reader = new Socket({ fd, readable: true, writable: false });
  reader.on(
    'data',
    jsonLines<RunnerMessage>((message) => {
      if (message.type !== 'continue') return;
      const next = waiting.shift();
      if (next) next();
      else goAheads++;
    }),
  );
  reader.on('end', () => onRunnerGone?.());
  reader.on('error', () => onRunnerGone?.());
  reader.unref();
}

/** Resolves at the runner's next go-ahead. */
export function goAhead(): Promise<void> {
  if (goAheads > 0) {
    goAheads--;
    return Promise.resolve();
  }
  return new Promise<void>((resolve) => {
    waiting.push(() => resolve());
    // While waiting, the socket must keep the lesson alive.
    reader?.ref();
  }).then(() => {
    if (waiting.length === 0) reader?.unref();
  });
}

/**
 * Blocks this thread — event loop and all — until the runner's next go-ahead: how a lesson whose
 * event loop is blocked on purpose (a parent too busy to reap its zombie) waits in step mode.
 * A promise could not: nothing resolves while the loop is blocked. So the socket is read here
 * directly (readBlocking, every 10 ms), the loop still blocked. Returns at once if the runner has
 * gone (end of the socket) or a go-ahead came early.
 */
export function goAheadBlocking(): void {
  if (fd === undefined) return;
  if (goAheads > 0) {
    goAheads--;
    return;
  }
  // A key pressed twice: the next step goes on at once, as it would have.
  let continues = 0;
  readBlocking((message) => message.type === 'continue' && ++continues > 0, 10);
  goAheads += Math.max(0, continues - 1);
}
