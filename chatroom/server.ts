// The chatroom server: `npm run chat:server -- [--host H] [--port P]`.
//
// Two processes, as in the course (seed 004):
//   chat-server   owns the UDP socket and the member list; every datagram goes through it
//   chat-admin    reads the operator's keyboard; its lines reach everyone as the admin's
// The same file plays both roles: the server starts this file again with ROLE=admin (Node cannot
// fork() a running process; it starts a program from its first line instead).
import dgram from 'node:dgram';
import { fork, type ChildProcess } from 'node:child_process';
import { isIPv6 } from 'node:net';
import { ADMIN_HELP, runAdmin, type AdminMessage, type ServerToAdmin } from './admin.js';
import { DEFAULT_PORT, DEFAULT_SERVER_HOST, MAX_DATAGRAM, ROLE_ENV, hasControl, parsePort, quote, say } from './protocol.js';
import { Room, showPeer, type Outcome } from './room.js';

interface ServerOptions {
  host: string;
  port: number;
}

/** A mistake on the command line or in the environment: one sentence, a non-zero exit. */
function fail(sentence: string, code = 2): never {
  process.stderr.write(`chat-server: ${sentence}\n`);
  process.exit(code);
}

function parseServerArgs(args: string[]): ServerOptions | string {
  const options: ServerOptions = { host: DEFAULT_SERVER_HOST, port: DEFAULT_PORT };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--help' || flag === '-h') return 'usage: npm run chat:server -- [--host H] [--port P]   (default 0.0.0.0:9999; --port 0 picks a free port)';
    if (flag !== '--host' && flag !== '--port') return `unknown argument ${quote(arg)}; the options are --host H and --port P`;
    const value = inline ?? args[++index];
    if (value === undefined || value === '') return `${flag} needs a value`;
    if (flag === '--host') options.host = value;
    else {
      const port = parsePort(value, { allowZero: true });
      if (typeof port === 'string') return `${port} (--port)`;
      options.port = port;
    }
  }
  return options;
}

function bindProblem(error: NodeJS.ErrnoException, { host, port }: ServerOptions): string {
  const where = `${host}:${port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `UDP port ${port} is already in use on ${host} (another chat server?); choose another with --port.`;
    case 'EACCES':
      return `this user may not use port ${port} (ports below 1024 need privileges); choose another with --port.`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine; use --host 0.0.0.0 or one of its addresses.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot find the host ${quote(host)}.`;
    default:
      return `cannot listen on ${where}: ${error.message}.`;
  }
}

/**
 * The server's log. A flood of bad datagrams must not become a flood of log lines (which would
 * cost more than the datagrams): what anyone can cause by sending (a dropped datagram, a refused
 * join, a failed send) is logged up to a budget per second, and the rest is counted in one
 * summary line.
 */
const LOG_DROPS_PER_SECOND = 20;

class Log {
  private budget = LOG_DROPS_PER_SECOND;
  private hidden = 0;
  private timer: NodeJS.Timeout | undefined;

  line(text: string): void {
    process.stdout.write(`${text}\n`);
  }

  noisy(text: string): void {
    if (this.budget > 0) {
      this.budget--;
      this.line(text);
    } else {
      this.hidden++;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.budget = LOG_DROPS_PER_SECOND;
        this.flush();
      }, 1000);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.hidden > 0) this.line(`(${this.hidden} more lines like these not shown)`);
    this.hidden = 0;
  }
}

function runServer(args: string[]): void {
  process.title = 'chat-server';
  process.stdout.on('error', () => {});
  const options = parseServerArgs(args);
  if (typeof options === 'string' && options.startsWith('usage')) {
    process.stdout.write(`${options}\n`);
    return;
  }
  if (typeof options === 'string') fail(options);

  const log = new Log();
  const room = new Room();
  const socket = dgram.createSocket(isIPv6(options.host) ? 'udp6' : 'udp4');
  let admin: ChildProcess | undefined;
  let closing = false;
  let unsent = 0;
  const sent: Array<() => void> = [];

  /** Sends what the room decided. A failed send is logged, never thrown. */
  const apply = (outcome: Outcome): void => {
    if (outcome.log) {
      if (outcome.dropped || outcome.refused) log.noisy(outcome.log);
      else log.line(outcome.log);
    }
    const encoded = new Map<string, Buffer>();
    for (const { to, text } of outcome.sends) {
      let bytes = encoded.get(text);
      if (!bytes) encoded.set(text, (bytes = Buffer.from(text, 'utf8')));
      unsent++;
      const done = (error: Error | null): void => {
        unsent--;
        if (error) log.noisy(`could not send to ${showPeer(to)}: ${error.message}`);
        if (unsent === 0) for (const each of sent.splice(0)) each();
      };
      try {
        socket.send(bytes, to.port, to.address, done);
      } catch (error) {
        done(error instanceof Error ? error : new Error(String(error)));
      }
    }
  };

  socket.once('error', (error: NodeJS.ErrnoException) => fail(bindProblem(error, options), 1));
  socket.on('message', (bytes, from) => {
    if (closing) return;
    apply(room.receive(bytes, { address: from.address, port: from.port }));
  });

  socket.bind(options.port, options.host, () => {
    socket.removeAllListeners('error');
    // After the bind, a socket error (rare on UDP) is logged; the room goes on.
    socket.on('error', (error) => log.noisy(`socket error: ${error.message}`));
    const { address, port } = socket.address();
    log.line(`chat server listening on ${showPeer({ address, port })} (UDP), pid ${process.pid}`);
    log.line(ADMIN_HELP);
    admin = startAdmin();
  });

  const reply = (text: string): void => {
    const message: ServerToAdmin = { type: 'reply', text };
    if (admin?.connected) admin.send(message);
    else log.line(text);
  };

  const fromAdmin = (message: AdminMessage): void => {
    if (closing) return;
    if (message.type === 'say') {
      const text = message.text.replace(/\s/g, ' ');
      if (hasControl(text)) return reply('That line has control characters; it was not sent.');
      if (Buffer.byteLength(say.admin(text)) > MAX_DATAGRAM) return reply(`That line is too long (the limit is ${MAX_DATAGRAM} bytes); it was not sent.`);
      const outcome = room.adminSays(text);
      log.line(`admin said ${quote(text)} to ${outcome.sends.length} member(s)`);
      apply(outcome);
    } else if (message.type === 'who') {
      const members = room.members();
      reply(members.length === 0 ? 'members (0): the room is empty' : `members (${members.length}): ${members.join(' ')}`);
    } else if (message.type === 'kick') {
      const outcome = room.kick(message.name);
      apply({ sends: outcome.sends });
      reply(outcome.log ?? '');
    }
  };

  function startAdmin(): ChildProcess {
    // The same file again, as the admin; it shares our stdin (the keyboard) and stdout.
    const child = fork(process.argv[1] ?? '', [], {
      env: { ...process.env, [ROLE_ENV]: 'admin' },
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (message: AdminMessage) => fromAdmin(message));
    child.on('error', (error) => log.line(`admin console: ${error.message}`));
    child.on('exit', (code, signal) => {
      if (!closing) log.line(`the admin console ended (${signal ?? `code ${code}`}); the room goes on without it`);
    });
    return child;
  }

  /** Ctrl-C (or SIGTERM, or the terminal closing): tell every member, then stop. */
  const close = (signal: NodeJS.Signals): void => {
    if (closing) {
      // A second Ctrl-C: stop now.
      admin?.kill('SIGKILL');
      process.exit(130);
    }
    closing = true;
    log.line(`${signal}: closing the room`);
    apply(room.close());
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      log.flush();
      socket.close();
      if (admin && admin.exitCode === null && admin.signalCode === null) {
        if (admin.connected) admin.disconnect();
        // The console exits when its channel closes; if it does not, it is ended.
        setTimeout(() => admin?.kill('SIGKILL'), 2000).unref();
      }
    };
    if (unsent === 0) finish();
    else {
      sent.push(finish);
      setTimeout(finish, 1000).unref();
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => close(signal));
}

// Which part this process plays (last, once everything above is defined).
const role = process.env[ROLE_ENV];
delete process.env[ROLE_ENV];
if (role === 'admin') runAdmin();
else runServer(process.argv.slice(2));
