// The chatroom's fan-out: 100 clients on loopback, each message to the 99 others, at steady
// offered rates, for our server and the course's Python server (seed 004) in the same run.
//
//   npm run bench                                  (this is one of its sections)
//   node bin/procbook.mjs run bench/chat.ts        this section alone
//
// The 100 clients are plain UDP sockets in this process (the same for both servers, so the
// comparison is fair). Figures: deliveries per second that arrived, the share that did not
// (lost in a socket buffer somewhere on the way), and the server's CPU use while it fanned out.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../lib/run/paths.js';
import { readStat, udpCounters } from '../lib/proc/read.js';

const CLIENTS = 100;
/** Messages per second offered to the server (each is 99 deliveries). */
const RATES = [200, 1000];
const SECONDS = 2;
const TICK_MS = 10;

interface Target {
  label: string;
  command: string;
  args: string[];
  /** Finds the port in the server's output. */
  port: { stream: 'stdout' | 'stderr'; pattern: RegExp };
}

interface Result {
  rate: number;
  sent: number;
  delivered: number;
  seconds: number;
  cpu: number;
  /** Datagrams the kernel dropped for a full receive buffer meanwhile (whole machine). */
  kernelDrops: number;
}

/** The kernel's count of UDP datagrams dropped because a socket's receive buffer was full. */
function rcvbufErrors(): number {
  return udpCounters()?.RcvbufErrors ?? 0;
}

const targets: Target[] = [
  {
    label: 'ours (Node)',
    command: process.execPath,
    args: [join(projectRoot, 'dist', 'chatroom', 'server.mjs'), '--host', '127.0.0.1', '--port', '0'],
    port: { stream: 'stdout', pattern: /listening on [^ ]+:(\d+) / },
  },
  {
    label: 'course (Python)',
    command: 'python3',
    args: ['-u', join(projectRoot, 'test', 'fixtures', 'course', 'launch.py'), 'seed004_server.py'],
    port: { stream: 'stderr', pattern: /listening on (\d+)/ },
  },
];

const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readStat(pid);
  return stat ? (stat.utime + stat.stime) / 100 : 0; // USER_HZ is 100 on Linux
}

async function startServer(target: Target): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(target.command, target.args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  let text = '';
  const stream = target.port.stream === 'stdout' ? child.stdout : child.stderr;
  const other = target.port.stream === 'stdout' ? child.stderr : child.stdout;
  other?.resume();
  const port = await new Promise<number>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`${target.label} did not start: ${text}`)), 10_000);
    stream?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = text.match(target.port.pattern);
      if (match) {
        clearTimeout(timer);
        stream.resume();
        done(Number(match[1]));
      }
    });
    child.once('error', (error) => fail(error));
  });
  // From now on the log is not needed: keep reading it so the server never blocks on a full pipe.
  stream?.removeAllListeners('data');
  stream?.resume();
  return { child, port };
}

function stopServer(child: ChildProcess): Promise<void> {
  const gone = new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once('exit', () => done());
  });
  try {
    process.kill(-(child.pid ?? 0), 'SIGKILL'); // its group: the admin console too
  } catch {
    // gone
  }
  return gone;
}

async function measure(target: Target, rates: number[]): Promise<Result[]> {
  const { child, port } = await startServer(target);
  const sockets: dgram.Socket[] = [];
  try {
    let delivered = 0;
    let lastArrival = 0;
    let tag = 'warmup';
    const joined = new Set<number>();
    for (let index = 0; index < CLIENTS; index++) {
      const socket = dgram.createSocket('udp4');
      sockets.push(socket);
      socket.on('message', (bytes) => {
        const text = bytes.toString();
        if (text === 'OK') joined.add(index);
        else if (text.includes(tag)) {
          delivered++;
          lastArrival = performance.now();
        }
      });
      await new Promise<void>((done) => socket.bind(0, '127.0.0.1', done));
    }
    // Join everyone (again after a while if an answer was lost).
    for (let attempt = 0; attempt < 5 && joined.size < CLIENTS; attempt++) {
      for (const [index, socket] of sockets.entries()) if (!joined.has(index)) socket.send(`L c${index}`, port, '127.0.0.1');
      const deadline = Date.now() + 1000;
      while (joined.size < CLIENTS && Date.now() < deadline) await pause(10);
    }
    if (joined.size < CLIENTS) throw new Error(`${target.label}: only ${joined.size} of ${CLIENTS} clients could join`);
    await pause(300); // the join news settles

    const results: Result[] = [];
    for (const rate of rates) {
      tag = `m${rate}-`;
      delivered = 0;
      let sent = 0;
      const cpuBefore = cpuSeconds(child.pid ?? 0);
      const dropsBefore = rcvbufErrors();
      const started = performance.now();
      // A steady rate: every tick, the messages due by now, each from the next client in turn.
      for (let elapsed = 0; elapsed < SECONDS * 1000; elapsed = performance.now() - started) {
        const due = Math.floor((elapsed * rate) / 1000);
        for (; sent < due; sent++) {
          const from = sent % CLIENTS;
          sockets[from]?.send(`C c${from} ${tag}${sent}`, port, '127.0.0.1');
        }
        await pause(TICK_MS);
      }
      // Wait until the deliveries stop coming (or all have come). A second of quiet: on a busy
      // machine a server can stall for a few hundred ms and then catch up.
      const expected = sent * (CLIENTS - 1);
      let quietSince = performance.now();
      let seen = delivered;
      while (delivered < expected && performance.now() - quietSince < 1000) {
        await pause(20);
        if (delivered !== seen) {
          seen = delivered;
          quietSince = performance.now();
        }
      }
      const cpu = cpuSeconds(child.pid ?? 0) - cpuBefore;
      results.push({ rate, sent, delivered, seconds: (Math.max(lastArrival, started) - started) / 1000, cpu, kernelDrops: rcvbufErrors() - dropsBefore });
    }
    return results;
  } finally {
    for (const socket of sockets) socket.close();
    await stopServer(child);
  }
}

const number = (value: number): string => Math.round(value).toLocaleString('en-US');

export async function benchChat(): Promise<string[]> {
  if (process.platform !== 'linux') return ['chatroom: this bench reads /proc; Linux only, skipped.'];
  if (!existsSync(targets[0]?.args[0] ?? '')) return ['chatroom: dist/chatroom/server.mjs is missing: run `npm run build` first.'];
  const lines = [
    `${CLIENTS} clients on loopback, each message fanned out to the ${CLIENTS - 1} others; ${SECONDS} s per offered rate.`,
    `${'server'.padEnd(17)}${'offered msg/s'.padStart(14)}${'deliveries/s'.padStart(14)}${'loss'.padStart(9)}${'kernel drops'.padStart(14)}${'server CPU'.padStart(12)}`,
  ];
  for (const target of targets) {
    let results: Result[];
    try {
      results = await measure(target, RATES);
    } catch (error) {
      lines.push(`${target.label.padEnd(17)}not measured: ${(error as Error).message}`);
      continue;
    }
    for (const result of results) {
      const expected = result.sent * (CLIENTS - 1);
      const loss = expected === 0 ? 0 : 1 - result.delivered / expected;
      lines.push(
        `${target.label.padEnd(17)}${number(result.rate).padStart(14)}${number(result.delivered / Math.max(result.seconds, 1e-3)).padStart(14)}` +
          `${`${(loss * 100).toFixed(2)}%`.padStart(9)}${number(result.kernelDrops).padStart(14)}` +
          `${`${Math.round((result.cpu / Math.max(result.seconds, 1e-3)) * 100)}%`.padStart(12)}`,
      );
    }
  }
  lines.push('deliveries/s: datagrams that reached a client, over the time from the first send to the last arrival.');
  lines.push('loss: the share of the expected deliveries (messages × 99) that never arrived; kernel drops: UDP');
  lines.push('datagrams the kernel dropped meanwhile for a full receive buffer (machine-wide: where loss happens).');
  lines.push('server CPU: of one core. The 100 clients share this process, so the highest rates measure it too.');
  return lines;
}

// Run alone (`node bin/procbook.mjs run bench/chat.ts`): print the section.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.on('error', () => {}); // piped into `head`, say
  for (const line of await benchChat()) process.stdout.write(`${line}\n`);
}
