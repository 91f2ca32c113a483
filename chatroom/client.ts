// The chatroom client: `npm run chat:client -- [HOST] [PORT] [--lang en|zh]` (default 127.0.0.1 9999).
//
// Two processes, as in the course (seed 004: the parent receives, the forked child sends):
//   chat-receiver   the process you started: receives every datagram from the server and prints it
//   chat-sender     its child: reads the keyboard and sends L, C and Q to the server
// They share ONE UDP socket (see shared-socket.ts), so the server sees one address.
// Quitting ends both: `quit` (or Ctrl-D, or Ctrl-C) makes the sender send Q; the server answers
// EXIT; the receiver prints it, ends the sender and exits.
//
// One Node process could do both jobs: its event loop would wait for the keyboard and the socket
// at the same time. Python's input() and recvfrom() block, so the course needs two processes to
// type and receive at once; here the split is kept to show it, and the README says more.
import dgram from 'node:dgram';
import { fork, type ChildProcess } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { createInterface } from 'node:readline';
import {
  DEFAULT_CLIENT_HOST,
  DEFAULT_PORT,
  MAX_DATAGRAM,
  OK,
  QUIT_COMMAND,
  LANG_ENV,
  ROLE_ENV,
  chatRequest,
  checkName,
  decodeUtf8,
  hasControl,
  isExit,
  joinRequest,
  parsePort,
  printable,
  quitRequest,
} from './protocol.js';
import { chatWords, type ChatWords } from '../lib/words/chat.js';
import { chooseLanguage, languageFlag, type Language } from '../lib/words/language.js';
import { showPeer, type Peer } from './room.js';
import { stopReceiving } from './shared-socket.js';

/** Receiver -> sender. The first message carries the shared socket. */
type ToSender =
  | { type: 'socket'; server: Peer; where: string }
  /** The receiver knows the name now: the server's answer to L can only be read as about it. */
  | { type: 'asking' }
  | { type: 'joined' }
  | { type: 'refused'; reason: string };

/** Sender -> receiver. */
type ToReceiver =
  | { type: 'joining'; name: string }
  | { type: 'leaving' }
  /** Only if this Node cannot stop the sender's copy of the socket reading: what it read. */
  | { type: 'datagram'; base64: string; from: Peer };

/** How long the sender waits for the server's answer to L before sending it again, and how often
 * (so a client with no server gives up after about 2 s). */
const JOIN_RETRY_MS = 700;
const JOIN_ATTEMPTS = 3;
/** How long the sender waits for EXIT after sending Q. */
const LEAVE_WAIT_MS = 2000;
/** Test hook: behave as if this Node had no way to stop the sender reading (the fallback path). */
const SENDER_READS_ENV = 'PROCBOOK_CHAT_SENDER_READS';

function fail(sentence: string, code = 2): never {
  process.stderr.write(`chat-client: ${sentence}\n`);
  process.exit(code);
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function parseClientArgs(all: string[], words: ChatWords): { host: string; port: number } | string {
  if (all.includes('--help') || all.includes('-h')) return 'usage';
  // --lang X was read first (see runReceiver); the rest are HOST and PORT.
  const args = all.filter((arg, index) => arg !== '--lang' && all[index - 1] !== '--lang' && !arg.startsWith('--lang='));
  const unknown = args.find((arg) => arg.startsWith('-'));
  if (unknown) return words.clientUnknownOption(unknown);
  if (args.length > 2) return words.tooManyArguments;
  const host = args[0] ?? DEFAULT_CLIENT_HOST;
  const port = parsePort(args[1] ?? String(DEFAULT_PORT), { allowZero: false, words });
  if (typeof port === 'string') return port;
  return { host, port };
}

// ================================================================ the receiver (the first process)

async function runReceiver(args: string[]): Promise<void> {
  process.title = 'chat-receiver';
  process.stdout.on('error', () => {});
  // The language first (--lang, else the locale), so that even a mistake in the other arguments
  // is told in it.
  const flag = languageFlag(args);
  const language = chooseLanguage(flag);
  if (!language) fail(chatWords('en').langChoices(flag ?? ''));
  const words = chatWords(language);
  const parsed = parseClientArgs(args, words);
  if (parsed === 'usage') return print(words.clientUsage);
  if (typeof parsed === 'string') fail(parsed);
  const { host, port } = parsed;
  let address = host;
  if (!isIP(host)) {
    try {
      address = (await lookup(host)).address;
    } catch {
      fail(words.hostNotFound(host));
    }
  }
  const server: Peer = { address, port };
  const where = host === address ? showPeer(server) : `${host} (${showPeer(server)})`;

  const socket = dgram.createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
  let sender: ChildProcess | undefined;
  let name: string | undefined;
  let phase: 'joining' | 'in' = 'joining';
  let ending = false;

  /** Ends both processes: the sender first, then this one, with `code`. */
  const finish = (code: number, sentence?: string): void => {
    if (ending) return;
    ending = true;
    if (sentence) (code === 0 ? process.stdout : process.stderr).write(`${code === 0 ? '' : 'chat-client: '}${sentence}\n`);
    process.exitCode = code;
    const done = (): void => {
      try {
        socket.close();
      } catch {
        // already closed
      }
    };
    if (sender && sender.exitCode === null && sender.signalCode === null) {
      sender.once('exit', done);
      sender.kill('SIGTERM');
      setTimeout(() => sender?.kill('SIGKILL'), 2000).unref();
    } else done();
  };

  const toSender = (message: ToSender): void => {
    if (sender?.connected) sender.send(message);
  };

  const onDatagram = (bytes: Buffer, from: Peer): void => {
    if (ending) return;
    // Only the server speaks to us (the sender has also connect()ed the socket to it, so the
    // kernel already drops anything else).
    if (from.address !== server.address || from.port !== server.port) return;
    const text = decodeUtf8(bytes) ?? bytes.toString('utf8');
    if (phase === 'joining') {
      if (name === undefined) return; // nothing asked yet
      if (text === OK) {
        phase = 'in';
        print(words.inTheRoom(name, QUIT_COMMAND));
        toSender({ type: 'joined' });
      } else if (isExit(text)) {
        finish(0, words.sentAway);
      } else {
        // The sender knows how many times it asked, so it tells a late answer to a repeated L
        // from the answer about the name it asks now.
        toSender({ type: 'refused', reason: printable(text) });
      }
      return;
    }
    if (text === OK) return; // a late answer to a repeated L
    if (isExit(text)) return finish(0, words.youLeft);
    print(printable(text));
  };

  socket.on('message', (bytes, from) => onDatagram(bytes, { address: from.address, port: from.port }));
  socket.on('error', (error: NodeJS.ErrnoException) => {
    // The kernel's ICMP "port unreachable" comes back on the connected socket as ECONNREFUSED.
    if (error.code === 'ECONNREFUSED') {
      finish(1, phase === 'joining' ? words.nothingListening(where) : words.serverGone(where));
    } else finish(1, words.networkError(error.message));
  });

  // Ctrl-C reaches both processes: the sender turns it into `quit`, and this one waits for the
  // server's EXIT. If that does not come (the sender is gone, the server is silent), stop anyway.
  process.on('SIGINT', () => {
    if (!sender || sender.exitCode !== null || sender.signalCode !== null) process.exit(130);
    setTimeout(() => finish(130), LEAVE_WAIT_MS + 500).unref();
  });

  socket.bind(0, () => {
    // The child: this same file again, as the sender. It gets the keyboard (stdin) and our
    // stdout; the socket follows on the IPC channel.
    sender = fork(process.argv[1] ?? '', [], {
      env: { ...process.env, [ROLE_ENV]: 'sender', [LANG_ENV]: language },
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    });
    const message: ToSender = { type: 'socket', server, where };
    sender.send(message, socket, { keepOpen: true });
    sender.on('message', (message: ToReceiver) => {
      if (message.type === 'joining') {
        name = message.name;
        toSender({ type: 'asking' });
      } else if (message.type === 'datagram') onDatagram(Buffer.from(message.base64, 'base64'), message.from);
    });
    sender.on('error', () => {});
    sender.on('exit', (code, signal) => {
      if (ending) return;
      // The sender ended on its own: it said why (no server, the keyboard closed before a name
      // was given) or it was killed. If it was killed while we were in the room, say goodbye for it.
      if (signal && phase === 'in' && name !== undefined) {
        try {
          socket.send(quitRequest(name), server.port, server.address, () => finish(1));
        } catch {
          finish(1);
        }
      } else finish(code ?? 1);
    });
  });
}

// ================================================================ the sender (the child)

function runSender(language: Language): void {
  const words = chatWords(language);
  process.title = 'chat-sender';
  process.stdout.on('error', () => {});
  process.once('message', (message: ToSender, handle: unknown) => {
    if (message.type !== 'socket' || !(handle instanceof dgram.Socket)) fail(words.noSocketPassed, 1);
    startSending(handle, message.server, message.where, words);
  });
}

function startSending(socket: dgram.Socket, server: Peer, where: string, words: ChatWords): void {
  const toReceiver = (message: ToReceiver, then?: () => void): void => {
    if (process.connected && process.send) process.send(message, undefined, {}, () => then?.());
    else then?.();
  };
  // Only the receiver reads from the shared socket. If this Node offers no way to stop reading
  // here, what this copy reads is handed over to the receiver instead.
  if (process.env[SENDER_READS_ENV] === '1' || !stopReceiving(socket)) {
    socket.on('message', (bytes, from) => toReceiver({ type: 'datagram', base64: bytes.toString('base64'), from: { address: from.address, port: from.port } }));
  }
  const gone = (error: NodeJS.ErrnoException): never =>
    fail(error.code === 'ECONNREFUSED' ? words.serverGone(where) : words.networkError(error.message), 1);
  socket.on('error', gone);

  let state: 'name' | 'joining' | 'chat' | 'leaving' = 'name';
  let name = '';
  let inputEnded = false;
  /** Asked to quit while the server's answer to L is still awaited. */
  let leaveWhenAnswered = false;
  const queue: string[] = [];
  let joinTimer: NodeJS.Timeout | undefined;
  const interactive = process.stdin.isTTY === true;

  let connected = false;
  /** Sends one datagram to the server; a failure means the server is gone. Never throws. */
  const send = (text: string, then?: () => void): void => {
    const done = (error: Error | null): void => {
      if (error) gone(error);
      then?.();
    };
    try {
      if (connected) socket.send(text, done);
      else socket.send(text, server.port, server.address, done);
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)));
    }
  };
  const askName = (): void => {
    if (interactive) process.stdout.write(words.askName);
  };

  /** How many times L was sent for the name asked now. */
  let asked = 0;
  /**
   * Answers still to come for an L repeated before its first answer arrived (a slow server
   * answers each one): they are about a name already refused, not the name asked now.
   */
  let lateAnswers = 0;
  const join = (attempt: number): void => {
    if (leaveWhenAnswered && attempt > 0) process.exit(0);
    if (attempt >= JOIN_ATTEMPTS) fail(words.noAnswer(where), 1);
    send(joinRequest(name));
    asked = attempt + 1;
    joinTimer = setTimeout(() => join(attempt + 1), JOIN_RETRY_MS);
  };

  const leave = (): void => {
    if (state === 'leaving') return;
    // Not in the room yet: Q now could name someone else (the course's server would delete
    // whoever holds that name). Wait for the answer to L.
    if (state === 'joining') {
      leaveWhenAnswered = true;
      return;
    }
    const wasIn = state === 'chat';
    state = 'leaving';
    if (!wasIn) process.exit(0);
    // The receiver hears first, then the server (whose EXIT the receiver waits for).
    toReceiver({ type: 'leaving' }, () => send(quitRequest(name)));
    setTimeout(() => {
      print(words.leavingAnyway(where));
      process.exit(0);
    }, LEAVE_WAIT_MS).unref();
  };

  /** Takes typed lines in order, each as what is being asked at that moment. */
  const pump = (): void => {
    while (queue.length > 0 && (state === 'name' || state === 'chat')) {
      const line = queue.shift() ?? '';
      if (state === 'name') {
        const wanted = line.trim();
        const problem = checkName(wanted, words);
        if (problem) {
          print(`${problem} ${words.tryAnotherName}`);
          askName();
          continue;
        }
        name = wanted;
        state = 'joining';
        // L goes out once the receiver has the name (it says 'asking'): then the server's answer
        // cannot reach it while it still thinks of the name asked before.
        toReceiver({ type: 'joining', name });
      } else {
        const text = line.replace(/\t/g, ' ');
        if (text.trim() === QUIT_COMMAND) return leave();
        if (text.trim() === '') continue;
        if (hasControl(text)) {
          print(words.lineHasControl);
          continue;
        }
        const request = chatRequest(name, text);
        if (Buffer.byteLength(request) > MAX_DATAGRAM) {
          print(words.lineTooLong(Buffer.byteLength(text), MAX_DATAGRAM - 30));
          continue;
        }
        send(request);
      }
    }
    if (queue.length === 0 && inputEnded) {
      if (state === 'name') process.exit(0); // the keyboard closed before anyone joined
      if (state === 'chat') leave();
    }
  };

  process.on('message', (message: ToSender) => {
    if (message.type === 'asking' && state === 'joining') {
      join(0);
    } else if (message.type === 'joined' && state === 'joining') {
      clearTimeout(joinTimer);
      state = 'chat';
      if (leaveWhenAnswered) return leave();
      pump();
    } else if (message.type === 'refused' && lateAnswers > 0) {
      lateAnswers--; // a late answer about a name refused before
    } else if (message.type === 'refused' && state === 'joining') {
      clearTimeout(joinTimer);
      if (leaveWhenAnswered) process.exit(0);
      lateAnswers += asked - 1;
      print(message.reason);
      state = 'name';
      askName();
      pump();
    }
  });
  // The receiver is gone: leave the room if we are in it, and stop.
  process.on('disconnect', () => {
    if (state === 'chat') send(quitRequest(name), () => process.exit(1));
    else process.exit(1);
  });
  // Ctrl-C means quit (once; a second one stops at once).
  let interrupted = false;
  process.on('SIGINT', () => {
    if (interrupted || state === 'name') process.exit(130);
    interrupted = true;
    leave();
  });

  const readKeyboard = (): void => {
    // terminal: false keeps the terminal's own line editing and Ctrl-C as a signal.
    const lines = createInterface({ input: process.stdin, terminal: false });
    lines.on('line', (line) => {
      queue.push(line);
      pump();
    });
    lines.on('close', () => {
      inputEnded = true;
      pump();
    });
    askName();
  };

  // Connecting a UDP socket sends nothing: it fixes the peer, so the kernel drops datagrams from
  // anyone else and reports "port unreachable" (ECONNREFUSED) for a server that is not there.
  // (Not over IPv6: Node 20 forgets to give a socket received from another process its IPv6
  // connect, which then fails with EINVAL. Unconnected, the client still works; a missing server
  // is then noticed by the join timeout, and the receiver still ignores anyone but the server.)
  if (isIP(server.address) === 6) return readKeyboard();
  socket.connect(server.port, server.address, (error?: Error) => {
    if (!error) connected = true;
    readKeyboard();
  });
}

// Which part this process plays.
const role = process.env[ROLE_ENV];
const given = process.env[LANG_ENV] === 'zh' ? 'zh' : 'en';
delete process.env[ROLE_ENV];
delete process.env[LANG_ENV];
if (role === 'sender') runSender(given);
else void runReceiver(process.argv.slice(2));
