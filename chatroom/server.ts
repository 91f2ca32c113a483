// The chatroom server: `npm run chat:server -- [--host H] [--port P] [--lang en|zh]`.
//
// Two processes, as in the course (seed 004):
//   chat-server   owns the UDP socket and the member list; every datagram goes through it
//   chat-admin    reads the operator's keyboard; its lines reach everyone as the admin's
// The same file plays both roles: the server starts this file again with ROLE=admin (Node cannot
// fork() a running process; it starts a program from its first line instead).
import dgram from 'node:dgram';
import { fork, type ChildProcess } from 'node:child_process';
import { isIPv6 } from 'node:net';
import { chatWords, type ChatWords } from '../lib/words/chat.js';
import { chooseLanguage, languageFlag, type Language } from '../lib/words/language.js';
import { runAdmin, type AdminMessage, type ServerToAdmin } from './admin.js';
import { DEFAULT_PORT, DEFAULT_SERVER_HOST, LANG_ENV, MAX_DATAGRAM, ROLE_ENV, hasControl, parsePort } from './protocol.js';
import { batchSender, type BatchSender } from './batch-send.js';
import { Room, showPeer, type Outcome, type Peer } from './room.js';

interface ServerOptions {
  host: string;
  port: number;
  language: Language;
}

/** A mistake on the command line or in the environment: one sentence, a non-zero exit. */
function fail(sentence: string, code = 2): never {
  process.stderr.write(`chat-server: ${sentence}\n`);
  process.exit(code);
}

function parseServerArgs(args: string[], language: Language): ServerOptions | string {
  const words = chatWords(language);
  const options: ServerOptions = { host: DEFAULT_SERVER_HOST, port: DEFAULT_PORT, language };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--help' || flag === '-h') return 'usage';
    if (flag !== '--host' && flag !== '--port' && flag !== '--lang') return words.serverUnknownArgument(arg);
    const value = inline ?? args[++index];
    if (value === undefined || value === '') return words.needsValue(flag);
    if (flag === '--host') options.host = value;
    else if (flag === '--lang') continue; // read before the rest (see runServer)
    else {
      const port = parsePort(value, { allowZero: true, words });
      if (typeof port === 'string') return `${port} (--port)`;
      options.port = port;
    }
  }
  return options;
}

function bindProblem(error: NodeJS.ErrnoException, { host, port }: ServerOptions, words: ChatWords): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return words.portInUse(port, host);
    case 'EACCES':
      return words.portNotAllowed(port);
    case 'EADDRNOTAVAIL':
      return words.notAnAddress(host);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return words.hostNotFound(host);
    default:
      return words.cannotListen(`${host}:${port}`, error.message);
  }
}

/**
 * The server's log. A flood of bad datagrams must not become a flood of log lines (which would
 * cost more than the datagrams): what anyone can cause by sending (a dropped datagram, a refused
 * join, a failed send) is logged up to a budget per second, and the rest is counted in one
 * summary line.
 */
const LOG_DROPS_PER_SECOND = 20;

/** From this many members on, the server sends each fan-out in one system call (batch-send.ts). */
const BATCH_FROM = 8;

/** The receive buffer asked for (bytes); see runServer. */
const RECEIVE_BUFFER = 4 << 20;

class Log {
  constructor(private readonly words: ChatWords) {}
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
    if (this.hidden > 0) this.line(this.words.notShown(this.hidden));
    this.hidden = 0;
  }
}

function runServer(args: string[]): void {
  process.title = 'chat-server';
  process.stdout.on('error', () => {});
  // The language first (--lang, else the locale), so that even a mistake in the other arguments
  // is told in it.
  const flag = languageFlag(args);
  const language = chooseLanguage(flag);
  if (!language) fail(chatWords('en').langChoices(flag ?? ''));
  const words = chatWords(language);
  const parsed = parseServerArgs(args, language);
  if (parsed === 'usage') {
    process.stdout.write(`${words.serverUsage}\n`);
    return;
  }
  if (typeof parsed === 'string') fail(parsed);
  const options: ServerOptions = parsed;

  const log = new Log(words);
  const room = new Room({ words });
  // A large receive buffer: the kernel queues what arrives while this process is not running
  // (another process has the core for a moment), instead of dropping it. The kernel caps it at
  // net.core.rmem_max (often 208 KiB to 4 MiB); the default is about 200 small datagrams.
  const socket = dgram.createSocket({ type: isIPv6(options.host) ? 'udp6' : 'udp4', recvBufferSize: RECEIVE_BUFFER });
  let admin: ChildProcess | undefined;
  let closing = false;
  let unsent = 0;
  const sent: Array<() => void> = [];

  /** The one-call fan-out (batch-send.ts), tried once the room is big. */
  let batch: BatchSender | undefined;
  let batchTried = false;

  /** Sends one datagram from this process. A failed send is logged, never thrown. */
  const sendHere = (bytes: Buffer, to: Peer): void => {
    if (!closing) {
      // The common case, with no callback: a callback costs Node two more turns per datagram
      // (and a fan-out is 99 of them). A failed send then comes as the socket's 'error' event.
      try {
        socket.send(bytes, to.port, to.address);
      } catch (error) {
        log.noisy(words.couldNotSend(showPeer(to), error instanceof Error ? error.message : String(error)));
      }
      return;
    }
    // Closing: count what is still on its way, so the socket closes after the last goodbye.
    unsent++;
    const done = (error: Error | null): void => {
      unsent--;
      if (error) log.noisy(words.couldNotSend(showPeer(to), error.message));
      if (unsent === 0) for (const each of sent.splice(0)) each();
    };
    try {
      socket.send(bytes, to.port, to.address, done);
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)));
    }
  };

  /** Sends what the room decided. */
  const apply = (outcome: Outcome): void => {
    if (outcome.log) {
      if (outcome.dropped || outcome.refused) log.noisy(outcome.log);
      else log.line(outcome.log);
    }
    if (!batchTried && room.size() >= BATCH_FROM) {
      batchTried = true;
      batch = batchSender(socket);
      if (batch) log.line(words.batching(room.size()));
    }
    if (batch && !closing && outcome.sends.length > 1 && socket.getSendQueueCount() === 0) {
      // Each text once, to all its addresses, in one system call (batch-send.ts). Each member
      // still gets its datagrams in the order the room decided: texts go out in the order they
      // first appear, and no member gets two of the same text in one outcome.
      const groups = new Map<string, Peer[]>();
      for (const { to, text } of outcome.sends) {
        const peers = groups.get(text);
        if (peers) peers.push(to);
        else groups.set(text, [to]);
      }
      for (const [text, peers] of groups) {
        const bytes = Buffer.from(text, 'utf8');
        const sent = batch.send(bytes, peers);
        for (const peer of peers.slice(sent)) sendHere(bytes, peer);
      }
      return;
    }
    const encoded = new Map<string, Buffer>();
    for (const { to, text } of outcome.sends) {
      let bytes = encoded.get(text);
      if (!bytes) encoded.set(text, (bytes = Buffer.from(text, 'utf8')));
      sendHere(bytes, to);
    }
  };

  socket.once('error', (error: NodeJS.ErrnoException) => fail(bindProblem(error, options, words), 1));
  socket.on('message', (bytes, from) => {
    if (closing) return;
    apply(room.receive(bytes, { address: from.address, port: from.port }));
  });

  socket.bind(options.port, options.host, () => {
    socket.removeAllListeners('error');
    // After the bind, a socket error (rare on UDP) is logged; the room goes on.
    socket.on('error', (error) => log.noisy(words.socketError(error.message)));
    const { address, port } = socket.address();
    log.line(words.listening(showPeer({ address, port }), process.pid));
    log.line(words.adminHelp);
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
      if (hasControl(text)) return reply(words.adminControl);
      if (Buffer.byteLength(words.admin(text)) > MAX_DATAGRAM) return reply(words.adminTooLong(MAX_DATAGRAM));
      const outcome = room.adminSays(text);
      log.line(words.adminSaid(text, outcome.sends.length));
      apply(outcome);
    } else if (message.type === 'who') {
      const members = room.members();
      reply(words.members(members));
    } else if (message.type === 'kick') {
      const outcome = room.kick(message.name);
      apply({ sends: outcome.sends });
      reply(outcome.log ?? '');
    }
  };

  function startAdmin(): ChildProcess {
    // The same file again, as the admin; it shares our stdin (the keyboard) and stdout.
    const child = fork(process.argv[1] ?? '', [], {
      env: { ...process.env, [ROLE_ENV]: 'admin', [LANG_ENV]: language },
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (message: AdminMessage) => fromAdmin(message));
    child.on('error', () => {});
    child.on('exit', (code, signal) => {
      if (!closing) log.line(words.adminEnded(signal ?? `code ${code}`));
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
    log.line(words.closingSignal(signal));
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
const given = process.env[LANG_ENV] === 'zh' ? 'zh' : 'en';
delete process.env[ROLE_ENV];
delete process.env[LANG_ENV];
if (role === 'admin') runAdmin(given);
else runServer(process.argv.slice(2));
