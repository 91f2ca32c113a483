// The server's admin console: its own process, as in the course (seed 004 forks a child that
// reads input() and sends "C 管理员 <text>" to the server's own UDP port).
//
// The course's way has a hole: the admin's datagram is like any other, so any client can send
// "C 管理员 …" and speak as the admin. Here the console talks to the server over the IPC channel
// that child_process.fork() opened between the two processes (a Unix socketpair no one else
// holds): nothing that arrives on the UDP port can pass for the admin.
import { createInterface } from 'node:readline';
import { chatWords, type ChatWords } from '../lib/words/chat.js';
import type { Language } from '../lib/words/language.js';

/** Console -> server. */
export type AdminMessage = { type: 'say'; text: string } | { type: 'who' } | { type: 'kick'; name: string } | { type: 'help' };
/** Server -> console. */
export type ServerToAdmin = { type: 'reply'; text: string };

/** A console line as a message to the server, or a sentence for the operator. */
export function adminCommand(line: string, words: ChatWords = chatWords('en')): AdminMessage | string | undefined {
  const trimmed = line.trim();
  if (trimmed === '') return undefined;
  if (trimmed.startsWith('//')) return { type: 'say', text: trimmed.slice(1) };
  if (!trimmed.startsWith('/')) return { type: 'say', text: trimmed };
  const [command, ...rest] = trimmed.split(/\s+/);
  if (command === '/who') return { type: 'who' };
  if (command === '/help') return { type: 'help' };
  if (command === '/kick' && rest.length === 1 && rest[0]) return { type: 'kick', name: rest[0] };
  if (command === '/kick') return words.kickUsage;
  return words.unknownCommand(command ?? '');
}

export function runAdmin(language: Language): void {
  const words = chatWords(language);
  process.title = 'chat-admin';
  // Ctrl-C reaches the whole foreground process group: the server decides what it means (close
  // the room, then end this console). Until then the console keeps going.
  process.on('SIGINT', () => {});
  // The server is gone (it closed the room, or died): so is its console.
  process.on('disconnect', () => process.exit(0));
  process.stdout.on('error', () => {});
  process.on('message', (message: ServerToAdmin) => {
    if (message.type === 'reply') process.stdout.write(`${message.text}\n`);
  });
  // terminal: false keeps the terminal in its normal (cooked) mode, so Ctrl-C stays a signal to
  // the process group rather than a key read here.
  const lines = createInterface({ input: process.stdin, terminal: false });
  let unsent = 0;
  let ended = false;
  const endIfDone = (): void => {
    if (ended && unsent === 0 && process.connected) process.disconnect();
  };
  lines.on('line', (line) => {
    const command = adminCommand(line, words);
    if (command === undefined) return;
    if (typeof command === 'string') process.stdout.write(`${command}\n`);
    else if (command.type === 'help') process.stdout.write(`${words.adminHelp}\n`);
    else if (process.connected && process.send) {
      unsent++;
      process.send(command, undefined, {}, () => {
        unsent--;
        endIfDone();
      });
    }
  });
  // The console's input ended (Ctrl-D, or no terminal at all): the room goes on without it.
  lines.on('close', () => {
    ended = true;
    endIfDone();
  });
}
