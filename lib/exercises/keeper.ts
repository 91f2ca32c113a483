// The sandbox's keeper: the process bwrap starts inside a check's sandbox (pid 2 of its pid
// namespace, under bwrap's init, pid 1), and the parent of the exercise's first process. It plays
// inside the sandbox the part the runner plays outside.
//
// Why it is there. bwrap ends the whole sandbox as soon as the process it started exits: its init
// tells bwrap, bwrap exits with that status, and --die-with-parent then kills the init, and with
// it every process of the namespace. Were the exercise that process, an orphan could never
// outlive its parent, nor a double fork's daemon its launcher: the sandbox itself would cut them
// short, and a check would judge the sandbox, not the exercise. And bwrap's init collects an
// orphan the instant it ends, so the table could not show whose it was by then.
//
// So the keeper, as the runner does outside:
//   - starts the exercise in a session of its own;
//   - is a child subreaper: what the exercise leaves (an orphan, a daemon) is adopted by it, not
//     by init. It collects such an orphan once it has ended, when the checker, which has seen it
//     a zombie in the table, says so (SIGUSR2), or at the latest HOLD_MS after it ended: as the
//     runner collects an adopted orphan at the sample after the one that showed it a zombie;
//   - once the exercise has exited, keeps the sandbox while anything else is left in it, for up
//     to the grace time; then it exits with the exercise's status (bwrap passes it on), and the
//     kernel ends whatever is left.
// And it makes the checker's sockets. The sandbox has a network of its own, with only a loopback
// (bwrap --unshare-net), which the checker outside cannot reach: a socket belongs to the network
// it was made in. So the checker asks the keeper, on a Unix socket it gave the sandbox as fd 4
// (the channel), for a TCP socket (unconnected) or a UDP socket (bound to an address of the
// loopback); the keeper makes it here and hands it over (SCM_RIGHTS), and the checker connects
// and talks through it itself: the bytes go through the kernel, not through the keeper. The
// checker's first request is that the keeper start the exercise: those it wrote before (a
// server's socket the exercise will send to) are made before the exercise exists.
// It prints nothing and reads nothing from the exercise. It is compiled alone, beside the
// exercise (compile.ts).
import { spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import { Socket } from 'node:net';
import { constants } from 'node:os';
import { becomeSubreaper, closeOnExec, reapIfExited } from '../posix/process.js';
import { inetSocket, sendWithDescriptor, socketKind } from '../posix/socket.js';
import { allStats } from '../proc/read.js';
import { send } from '../lesson/channel.js';

/** The keeper's pid inside the sandbox: the first process bwrap's init starts. */
export const KEEPER_PID = 2;
/** The signal the checker sends the keeper once it has seen its adopted orphans' zombies. */
export const SEEN_SIGNAL = 'SIGUSR2';
/** The descriptor the checker's channel is in the keeper (after stdin, stdout, stderr and the control channel). */
export const CHANNEL_FD = 4;
/** Every request and every answer on the channel is this many bytes. */
export const MESSAGE_BYTES = 8;
/**
 * A request: its kind (byte 0), then for a UDP socket the IPv4 address (bytes 1-4) and port
 * (5-6, big-endian) to bind it to. An answer: the kind asked for (byte 0), and 0 or the errno of
 * the call that failed (bytes 4-7, big-endian); with a 0 comes the socket.
 */
export const REQUEST = { start: 0x53, tcp: 0x54, udp: 0x55 } as const;

export function encodeRequest(kind: number, host = '0.0.0.0', port = 0): Buffer {
  const bytes = Buffer.alloc(MESSAGE_BYTES);
  bytes[0] = kind;
  host.split('.').forEach((part, index) => bytes.writeUInt8(Number(part) & 0xff, 1 + index));
  bytes.writeUInt16BE(port & 0xffff, 5);
  return bytes;
}

/** The longest an adopted orphan stays a zombie, should the checker never say it has seen it (a starved checker can take a second or more to sample). */
const HOLD_MS = 5000;

/** Whether any process is left in the namespace besides init and the keeper. */
function othersLeft(): boolean {
  try {
    // kill(-1, 0) asks about every process we may signal except init and ourselves; inside a pid
    // namespace that is every other process of the sandbox (a zombie too). It sends nothing.
    process.kill(-1, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Answers the checker's requests on the channel, in order, until it closes: makes each socket it
 * asks for in this network and hands it over. Calls `start` at the request to start the exercise.
 */
function serve(start: () => void): void {
  closeOnExec(CHANNEL_FD); // the exercise has no business with it
  const channel = new Socket({ fd: CHANNEL_FD, readable: true, writable: false });
  let open = true;
  let pending = Buffer.alloc(0);
  channel.on('error', () => undefined);
  channel.on('close', () => {
    open = false;
  });
  channel.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (open && pending.length >= MESSAGE_BYTES) {
      const request = pending.subarray(0, MESSAGE_BYTES);
      pending = pending.subarray(MESSAGE_BYTES);
      const kind = request[0]!;
      if (kind === REQUEST.start) {
        start();
        continue;
      }
      const answer = Buffer.alloc(MESSAGE_BYTES);
      answer[0] = kind;
      let fd: number | undefined;
      if (kind === REQUEST.tcp || kind === REQUEST.udp) {
        try {
          fd = inetSocket(kind === REQUEST.tcp ? 'tcp' : 'udp', [...request.subarray(1, 5)].join('.'), request.readUInt16BE(5));
        } catch (error) {
          answer.writeInt32BE(Math.abs(Number((error as NodeJS.ErrnoException).errno)) || constants.errno.EINVAL, 4);
        }
      } else {
        answer.writeInt32BE(constants.errno.EINVAL, 4);
      }
      try {
        open = sendWithDescriptor(CHANNEL_FD, answer, fd);
      } catch {
        open = false; // the channel broke: the checker, which waits for this answer, fails its check
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
    }
  });
}

function keep(graceMs: number, file: string): void {
  process.title = 'sandbox keeper';
  becomeSubreaper();
  // Without the checker's channel (fd 4 is not a Unix socket), the exercise starts at once.
  if (socketKind(CHANNEL_FD).kind === 'unix') serve(() => run(graceMs, file));
  else run(graceMs, file);
}

let started = false;

function run(graceMs: number, file: string): void {
  if (started) return;
  started = true;
  // The same standard streams and control channel (fd 3) the runner gave bwrap.
  const child = spawn(process.execPath, [file], { stdio: [0, 1, 2, 3], detached: true });
  // Tell the checker the exercise's pid here, before the exercise can say anything: its reports
  // carry this pid, and a starved checker may not read it from the kernel before it has ended.
  if (child.pid !== undefined) send({ type: 'spawned', pid: child.pid, parent: process.pid });
  child.once('error', (error) => {
    process.stderr.write(`procbook: the sandbox could not start the exercise (${error.message}).\n`);
    process.exit(127);
  });

  // Adopted orphans that have ended: since when each was seen a zombie. (Never the exercise
  // itself, nor a pid of -1: libuv collects its own child.)
  const zombies = new Map<number, number>();
  const collect = (all: boolean): void => {
    const now = Date.now();
    for (const stat of allStats()) {
      if (stat.ppid !== process.pid || stat.state !== 'Z' || stat.pid === child.pid) continue;
      const since = zombies.get(stat.pid) ?? now;
      zombies.set(stat.pid, since);
      if (all || now - since >= HOLD_MS) {
        try {
          reapIfExited(stat.pid);
        } catch {
          // no waitpid here: init collects it once the keeper has gone
        }
        zombies.delete(stat.pid);
      }
    }
  };
  process.on(SEEN_SIGNAL, () => collect(true));
  const watch = setInterval(() => collect(false), 50);

  child.once('exit', (code, signal) => {
    const status = code ?? 128 + (signal ? constants.signals[signal] : 0);
    const deadline = Date.now() + graceMs;
    const look = (): void => {
      if (!othersLeft() || Date.now() >= deadline) {
        clearInterval(watch);
        process.exit(status);
      }
      setTimeout(look, 10);
    };
    look();
  });
}

// Run as the sandbox's command: keeper.mjs <grace ms> <exercise file>.
if (process.argv[1]?.endsWith('/keeper.mjs')) {
  const [grace = '', file = ''] = process.argv.slice(2);
  keep(Number(grace) >= 0 ? Number(grace) : 300, file);
}
