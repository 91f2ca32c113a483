// The chatroom at saturation: 100 clients on loopback, each message fanned out to the 99 others.
// For each server (ours, and the course's Python server, seed 004, in the same run) the offered
// rate goes up step by step until more than 1% of the deliveries are lost; the server's
// saturation is the most deliveries per second it made with at most 1% lost.
//
//   npm run bench                                  (this is one of its sections)
//   node bin/procbook.mjs run bench/chat.ts        this section alone
//
// The 100 clients live in CLIENT_PROCESSES child processes started from this file (ROLE=clients),
// so that receiving 200,000+ datagrams a second is not one process's job: the load generator must
// not be the limit it measures. The same clients load both servers, so the comparison is fair.
// Every loop here is bounded (a fixed number of rate steps, each a fixed time, each wait with a
// deadline) and everything this bench starts ends with it.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allStats, readStat, udpCounters as kernelUdp } from '../lib/proc/read.js';
import { projectRoot } from '../lib/run/paths.js';

const CLIENTS = 100;
const CLIENT_PROCESSES = 2;
/** The first offered rate (messages a second; each is 99 deliveries), and the factor between steps. */
const FIRST_RATE = 250;
const RATE_FACTOR = 1.25;
const MAX_STEPS = 18;
const STEP_SECONDS = 1.5;
/** Loss above this at a rate means the server is past saturation. */
const LOSS_LIMIT = 0.01;
/** Two steps in a row over the limit end the climb (one alone may be a moment of noise). */
const OVER_IN_A_ROW = 2;
const TRIALS = Number(process.env.PROCBOOK_BENCH_CHAT_TRIALS ?? 2);
const ROLE_ENV = 'PROCBOOK_BENCH_CHAT_ROLE';

interface Target {
  label: string;
  short: string;
  command: string;
  args: string[];
  /** Finds the port in the server's output. */
  port: { stream: 'stdout' | 'stderr'; pattern: RegExp };
}

const targets: Target[] = [
  {
    label: 'ours (Node)',
    short: 'ours',
    command: process.execPath,
    args: [join(projectRoot, 'dist', 'chatroom', 'server.mjs'), '--host', '127.0.0.1', '--port', '0'],
    port: { stream: 'stdout', pattern: /listening on [^ ]+:(\d+) / },
  },
  {
    label: 'course (Python)',
    short: 'course',
    command: 'python3',
    args: ['-u', join(projectRoot, 'test', 'fixtures', 'course', 'launch.py'), 'seed004_server.py'],
    port: { stream: 'stderr', pattern: /listening on (\d+)/ },
  },
];

// ---------------------------------------------------------------- the clients (child processes)

/** Parent -> clients. */
type ToClients = { type: 'join'; port: number; first: number; count: number } | { type: 'offer'; rate: number; seconds: number; tag: string } | { type: 'count' };
/** Clients -> parent. */
type FromClients = { type: 'joined'; count: number } | { type: 'offered'; sent: number } | { type: 'counted'; received: number; lastArrival: number };

function runClients(): void {
  process.title = 'bench-chat-clients';
  const sockets: dgram.Socket[] = [];
  const names: string[] = [];
  let port = 0;
  let tag = Buffer.from('\0none');
  let received = 0;
  let lastArrival = 0;
  const reply = (message: FromClients): void => {
    if (process.connected) process.send?.(message);
  };
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (message: ToClients) => {
    if (message.type === 'join') {
      // New sockets for each server: nothing late from the one before counts here.
      for (const socket of sockets.splice(0)) socket.close();
      names.splice(0);
      port = message.port;
      const joined = new Set<number>();
      for (let index = 0; index < message.count; index++) {
        const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 << 20 });
        const slot = sockets.length;
        sockets.push(socket);
        names.push(`c${message.first + index}`);
        socket.on('message', (bytes) => {
          if (bytes.length === 2 && bytes.toString() === 'OK') joined.add(slot);
          else if (bytes.includes(tag)) {
            received++;
            lastArrival = performance.now() + performance.timeOrigin;
          }
        });
        await new Promise<void>((done) => socket.bind(0, '127.0.0.1', done));
      }
      // Join everyone (again after a while if an answer was lost), a bounded number of times.
      for (let attempt = 0; attempt < 5 && joined.size < sockets.length; attempt++) {
        for (const [slot, socket] of sockets.entries()) if (!joined.has(slot)) socket.send(`L ${names[slot]}`, port, '127.0.0.1');
        const deadline = Date.now() + 1000;
        while (joined.size < sockets.length && Date.now() < deadline) await pause(10);
      }
      reply({ type: 'joined', count: joined.size });
    } else if (message.type === 'offer') {
      tag = Buffer.from(message.tag);
      received = 0;
      let sent = 0;
      const started = performance.now();
      // A steady rate: every tick, the messages due by now, each from the next client in turn.
      for (let elapsed = 0; elapsed < message.seconds * 1000; elapsed = performance.now() - started) {
        const due = Math.floor((elapsed * message.rate) / 1000);
        for (; sent < due; sent++) {
          const slot = sent % sockets.length;
          sockets[slot]?.send(`C ${names[slot]} ${message.tag}${sent}`, port, '127.0.0.1');
        }
        await pause(5);
      }
      reply({ type: 'offered', sent });
    } else if (message.type === 'count') {
      reply({ type: 'counted', received, lastArrival });
    }
  });
}

// ---------------------------------------------------------------- the measuring process

interface Step {
  rate: number;
  sent: number;
  delivered: number;
  loss: number;
  /** Deliveries per second, from the first send to the last arrival. */
  perSecond: number;
  /** CPU of the server's processes and of the clients' processes, in cores. */
  serverCpu: number;
  clientCpu: number;
  /** The kernel's UDP counters over the step (machine-wide): datagrams sent, received, dropped for a full buffer. */
  out: number;
  in: number;
  rcvbufErrors: number;
}

/** The kernel's UDP counters (machine-wide). */
function udpCounters(): { out: number; in: number; rcvbufErrors: number } {
  const counters = kernelUdp();
  return { out: counters?.OutDatagrams ?? 0, in: counters?.InDatagrams ?? 0, rcvbufErrors: counters?.RcvbufErrors ?? 0 };
}

const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** CPU time (user + kernel) of every process in a process group, in seconds. */
function groupCpu(pgid: number): number {
  let ticks = 0;
  for (const stat of allStats()) if (stat.pgid === pgid) ticks += stat.utime + stat.stime;
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** CPU time (user + kernel) of these processes, in seconds. */
function cpuOf(children: ChildProcess[]): number {
  let ticks = 0;
  for (const child of children) {
    const stat = readStat(child.pid ?? 0);
    if (stat) ticks += stat.utime + stat.stime;
  }
  return ticks / 100;
}

async function startServer(target: Target): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(target.command, target.args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' } });
  let text = '';
  const stream = target.port.stream === 'stdout' ? child.stdout : child.stderr;
  const other = target.port.stream === 'stdout' ? child.stderr : child.stdout;
  other?.resume();
  try {
    const port = await new Promise<number>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`${target.label} did not start: ${text}`)), 10_000);
      stream?.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const match = text.match(target.port.pattern);
        if (match) {
          clearTimeout(timer);
          done(Number(match[1]));
        }
      });
      child.once('error', (error) => fail(error));
    });
    // From now on the log is not needed: keep reading it so the server never blocks on a full pipe.
    stream?.removeAllListeners('data');
    stream?.resume();
    return { child, port };
  } catch (error) {
    await stopServer(child);
    throw error;
  }
}

function stopServer(child: ChildProcess): Promise<void> {
  const gone = new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once('exit', () => done());
  });
  try {
    process.kill(-(child.pid ?? 0), 'SIGKILL'); // its group: the admin console and any helper too
  } catch {
    // gone
  }
  return gone;
}

/** One request to every client process, and their answers. */
function ask<T extends FromClients['type']>(clients: ChildProcess[], message: ToClients | ((index: number) => ToClients), answer: T, timeoutMs: number): Promise<Array<Extract<FromClients, { type: T }>>> {
  return Promise.all(
    clients.map(
      (child, index) =>
        new Promise<Extract<FromClients, { type: T }>>((done, fail) => {
          const timer = setTimeout(() => {
            child.off('message', listen);
            fail(new Error(`the bench's clients did not answer ${answer} within ${timeoutMs} ms`));
          }, timeoutMs);
          const listen = (reply: FromClients): void => {
            if (reply.type !== answer) return;
            clearTimeout(timer);
            child.off('message', listen);
            done(reply as Extract<FromClients, { type: T }>);
          };
          child.on('message', listen);
          child.send(typeof message === 'function' ? message(index) : message);
        }),
    ),
  );
}

async function climb(target: Target, clients: ChildProcess[]): Promise<Step[]> {
  const { child, port } = await startServer(target);
  try {
    const perProcess = CLIENTS / clients.length;
    const joined = await ask(clients, (index) => ({ type: 'join', port, first: index * perProcess, count: perProcess }), 'joined', 15_000);
    const count = joined.reduce((sum, each) => sum + each.count, 0);
    if (count < CLIENTS) throw new Error(`only ${count} of ${CLIENTS} clients could join`);
    await pause(300); // the join news settles

    const steps: Step[] = [];
    let overInARow = 0;
    let rate = FIRST_RATE;
    for (let step = 0; step < MAX_STEPS && overInARow < OVER_IN_A_ROW; step++, rate = Math.round(rate * RATE_FACTOR)) {
      const tag = `m${step}x${Math.random().toString(36).slice(2, 6)}-`;
      const serverBefore = groupCpu(child.pid ?? 0);
      const clientsBefore = cpuOf(clients);
      const udpBefore = udpCounters();
      const started = performance.now() + performance.timeOrigin;
      const offered = await ask(clients, { type: 'offer', rate: rate / clients.length, seconds: STEP_SECONDS, tag }, 'offered', STEP_SECONDS * 1000 + 10_000);
      const sent = offered.reduce((sum, each) => sum + each.sent, 0);
      const expected = sent * (CLIENTS - 1);
      // Wait until the deliveries stop coming (or all have come): half a second of quiet, at most 5 s.
      let delivered = 0;
      let lastArrival = started;
      let seen = -1;
      let quietSince = performance.now();
      const deadline = performance.now() + 5000;
      while (performance.now() < deadline) {
        const counts = await ask(clients, { type: 'count' }, 'counted', 5000);
        delivered = counts.reduce((sum, each) => sum + each.received, 0);
        lastArrival = Math.max(started, ...counts.map((each) => each.lastArrival));
        if (delivered >= expected) break;
        if (delivered !== seen) {
          seen = delivered;
          quietSince = performance.now();
        } else if (performance.now() - quietSince > 500) break;
        await pause(50);
      }
      const seconds = Math.max((lastArrival - started) / 1000, STEP_SECONDS);
      const loss = expected === 0 ? 0 : 1 - delivered / expected;
      const udpAfter = udpCounters();
      steps.push({
        out: udpAfter.out - udpBefore.out,
        in: udpAfter.in - udpBefore.in,
        rcvbufErrors: udpAfter.rcvbufErrors - udpBefore.rcvbufErrors,
        rate,
        sent,
        delivered,
        loss,
        perSecond: delivered / seconds,
        serverCpu: (groupCpu(child.pid ?? 0) - serverBefore) / seconds,
        clientCpu: (cpuOf(clients) - clientsBefore) / seconds,
      });
      overInARow = loss > LOSS_LIMIT ? overInARow + 1 : 0;
    }
    return steps;
  } finally {
    await stopServer(child);
  }
}

/** The most deliveries a second made with at most 1% lost (0 if no step kept under it). */
function saturation(steps: Step[]): number {
  return Math.max(0, ...steps.filter((step) => step.loss <= LOSS_LIMIT).map((step) => step.perSecond));
}

const number = (value: number): string => Math.round(value).toLocaleString('en-US');

/** The bench's client processes: this file again, in its clients role. */
function startClients(): ChildProcess[] {
  const self = fileURLToPath(import.meta.url);
  return Array.from({ length: CLIENT_PROCESSES }, () =>
    fork(self, [], { env: { ...process.env, [ROLE_ENV]: 'clients' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
}

export async function benchChat(): Promise<string[]> {
  if (process.platform !== 'linux') return ['chatroom: this bench reads /proc; Linux only, skipped.'];
  if (!existsSync(targets[0]?.args[0] ?? '')) return ['chatroom: dist/chatroom/server.mjs is missing: run `npm run build` first.'];
  const lines = [
    `${CLIENTS} clients on loopback (in ${CLIENT_PROCESSES} processes), each message fanned out to the ${CLIENTS - 1} others; the offered rate rises`,
    `×${RATE_FACTOR} a step (${STEP_SECONDS} s each) from ${number(FIRST_RATE)} msg/s until loss passes ${LOSS_LIMIT * 100}% twice in a row; ${TRIALS} trials, interleaved.`,
    `${'server'.padEnd(17)}${'trial'.padStart(6)}${'offered msg/s'.padStart(15)}${'deliveries/s'.padStart(14)}${'loss'.padStart(9)}${'server CPU'.padStart(12)}${'clients CPU'.padStart(13)}`,
  ];
  const best = new Map<string, number[]>();
  /** CPU seconds and deliveries over the steps at ≤ 1% loss, per server: the cost of a delivery. */
  const cost = new Map<string, { cpu: number; delivered: number }>();
  const clients = startClients();
  try {
    for (let trial = 1; trial <= TRIALS; trial++) {
      for (const target of targets) {
        let steps: Step[];
        try {
          steps = await climb(target, clients);
        } catch (error) {
          lines.push(`${target.label.padEnd(17)}${String(trial).padStart(6)}  not measured: ${(error as Error).message}`);
          continue;
        }
        for (const step of steps) {
          lines.push(
            `${target.label.padEnd(17)}${String(trial).padStart(6)}${number(step.rate).padStart(15)}${number(step.perSecond).padStart(14)}` +
              `${`${(step.loss * 100).toFixed(2)}%`.padStart(9)}${`${Math.round(step.serverCpu * 100)}%`.padStart(12)}${`${Math.round(step.clientCpu * 100)}%`.padStart(13)}` +
              (process.env.PROCBOOK_BENCH_CHAT_DEBUG ? `  sent ${step.sent} expected ${step.sent * (CLIENTS - 1)} delivered ${step.delivered} udp out ${step.out} in ${step.in} rcvbuf ${step.rcvbufErrors}` : ''),
          );
        }
        best.set(target.short, [...(best.get(target.short) ?? []), saturation(steps)]);
        const spent = cost.get(target.short) ?? { cpu: 0, delivered: 0 };
        for (const step of steps.filter((each) => each.loss <= LOSS_LIMIT)) {
          spent.cpu += (step.serverCpu * step.delivered) / Math.max(step.perSecond, 1);
          spent.delivered += step.delivered;
        }
        cost.set(target.short, spent);
      }
    }
  } finally {
    for (const child of clients) {
      if (child.connected) child.disconnect();
      child.kill('SIGKILL');
    }
  }
  lines.push('deliveries/s: datagrams that reached a client, from the first send to the last arrival. loss: the share of');
  lines.push('the expected deliveries (messages × 99) that never arrived. CPU: of one core, all the processes of each.');
  const ours = Math.max(0, ...(best.get('ours') ?? []));
  const course = Math.max(0, ...(best.get('course') ?? []));
  lines.push(`saturation per trial (deliveries/s at ≤ 1% loss): ours ${(best.get('ours') ?? []).map(number).join(', ')}; course ${(best.get('course') ?? []).map(number).join(', ')}`);
  const perMillion = (short: string): number => {
    const spent = cost.get(short);
    return spent && spent.delivered > 0 ? (spent.cpu / spent.delivered) * 1e6 : NaN;
  };
  lines.push(
    `server CPU per million deliveries (steps at ≤ 1% loss): ours ${perMillion('ours').toFixed(2)} s, course ${perMillion('course').toFixed(2)} s` +
      ` (the course's needs ${(perMillion('course') / perMillion('ours')).toFixed(2)}× ours)`,
  );
  if (course === 0) lines.push(`the course's server lost more than 1% at every rate offered, from ${number(FIRST_RATE)} msg/s on.`);
  lines.push(`saturation: ours ${number(ours)}/s, course ${number(course)}/s = ${course > 0 ? (ours / course).toFixed(2) : '∞'}×`);
  return lines;
}

// Which part this process plays: the clients (started by the bench), or the bench run alone
// (`node bin/procbook.mjs run bench/chat.ts`), which prints the section.
if (process.env[ROLE_ENV] === 'clients') {
  delete process.env[ROLE_ENV];
  runClients();
} else if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.on('error', () => {}); // piped into `head`, say
  for (const line of await benchChat()) process.stdout.write(`${line}\n`);
}
