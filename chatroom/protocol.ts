// The chatroom's wire format, shared by the server, the client and the tests.
//
// It is the course's protocol (seed 004), unchanged: one UTF-8 text per UDP datagram.
//
//   client -> server     L <name>           join under <name>
//                        C <name> <text>    say <text> to everyone else
//                        Q <name>           leave
//   server -> client     OK                 the join is accepted
//                        EXIT               you have left: stop (seed 000's server sends "quit")
//                        anything else      text to print (a refusal reason while joining)
//
// Everything here is pure: no sockets, no processes, so it is tested directly.

import { chatWords, type ChatWords, type DropReason, type NameProblem } from '../lib/words/chat.js';
import { confusableKeys } from './confusables.js';

const english = chatWords('en');

/** The course's port (seed 004 binds 0.0.0.0:9999). */
export const DEFAULT_PORT = 9999;
export const DEFAULT_SERVER_HOST = '0.0.0.0';
export const DEFAULT_CLIENT_HOST = '127.0.0.1';

/** The course's server reads with recvfrom(1024): a longer datagram is not one we accept. */
export const MAX_DATAGRAM = 1024;
/** A sensible length for a name, in characters. */
export const MAX_NAME = 20;

export const OK = 'OK';
export const EXIT = 'EXIT';
/** Seed 000's server says "quit" instead of "EXIT"; the client accepts both. */
export const LEGACY_EXIT = 'quit';
/** What a user types to leave (seed 004's client: text.strip() == 'quit'). */
export const QUIT_COMMAND = 'quit';

/** The name the admin's lines go out under; no client may take it (nor the other reserved ones). */
export const ADMIN_NAME = 'admin';
const RESERVED = new Set(['admin', 'administrator', 'server', 'system', 'root', '管理员', '管理者', '系统']);

// ---------------------------------------------------------------- client -> server

export function joinRequest(name: string): string {
  return `L ${name}`;
}
export function chatRequest(name: string, text: string): string {
  return `C ${name} ${text}`;
}
export function quitRequest(name: string): string {
  return `Q ${name}`;
}

export type Request =
  | { kind: 'join'; name: string }
  | { kind: 'chat'; name: string; text: string }
  | { kind: 'quit'; name: string };

/** A request, or why the datagram cannot be understood (`reason` in English, `drop` for the log in any language). */
export type Parsed = { ok: true; request: Request } | { ok: false; reason: string; drop: DropReason };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text of a datagram, or undefined when it is not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** C0 and C1 control characters and DEL (a newline in a chat line could fake a second line). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Bidirectional overrides and isolates: they reorder what follows them on screen. */
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;
/** Zero-width and other invisible characters: fine inside a sentence (emoji use U+200D), not in a name. */
const INVISIBLE = /[\u200b-\u200f\u2060-\u2064\ufeff]/;

/** Would this text, printed, move the cursor, start a new line or reorder the line? */
export function hasControl(text: string): boolean {
  return CONTROL.test(text) || BIDI.test(text);
}

/**
 * Parses one datagram from a client. A request that can be understood is returned even when it
 * will be refused (a join with a bad name gets a reason back); what cannot be understood is
 * `ok: false` with the reason, for the log.
 */
export function parseRequest(bytes: Uint8Array): Parsed {
  const refuse = (drop: DropReason): Parsed => ({ ok: false, reason: english.dropReason(drop), drop });
  if (bytes.length === 0) return refuse({ kind: 'empty' });
  if (bytes.length > MAX_DATAGRAM) return refuse({ kind: 'oversized', bytes: bytes.length, limit: MAX_DATAGRAM });
  const decoded = decodeUtf8(bytes);
  if (decoded === undefined) return refuse({ kind: 'notUtf8', bytes: bytes.length });
  // Forgive one trailing newline, so `echo "L bob" | nc -u` works too.
  const text = decoded.endsWith('\r\n') ? decoded.slice(0, -2) : decoded.endsWith('\n') ? decoded.slice(0, -1) : decoded;
  const command = text[0];
  if (command !== 'L' && command !== 'C' && command !== 'Q') return refuse({ kind: 'unknown', start: text.slice(0, 12) });
  if (text[1] !== ' ') return refuse({ kind: 'noSpace', letter: command });
  const rest = text.slice(2);
  if (command === 'L') return { ok: true, request: { kind: 'join', name: rest } };
  if (command === 'Q') {
    if (rest === '' || /\s/.test(rest)) return refuse({ kind: 'quitArguments', got: rest.slice(0, 24) });
    return { ok: true, request: { kind: 'quit', name: rest } };
  }
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  if (name === '') return refuse({ kind: 'chatWithoutName' });
  const said = space < 0 ? '' : rest.slice(space + 1);
  if (hasControl(said)) return refuse({ kind: 'controlInChat', name: name.slice(0, 24) });
  return { ok: true, request: { kind: 'chat', name, text: said } };
}

/** Why a name cannot be used, or undefined when it can. */
export function nameProblem(name: string): NameProblem | undefined {
  if (name.trim() === '') return { kind: 'empty' };
  if (/\s/.test(name)) return { kind: 'spaces' };
  if (hasControl(name) || INVISIBLE.test(name)) return { kind: 'invisible' };
  if ([...name].length > MAX_NAME) return { kind: 'tooLong', max: MAX_NAME };
  if (!/^[\p{L}\p{N}_.-]+$/u.test(name)) return { kind: 'characters' };
  if (!/[\p{L}\p{N}]/u.test(name)) return { kind: 'noLetter' };
  if (isReserved(name)) return { kind: 'reserved', name };
  const like = reservedLookalike(name);
  if (like) return { kind: 'likeReserved', name, like };
  return undefined;
}

/** The sentence that says why a name cannot be used (English unless told), or undefined when it can. */
export function checkName(name: string, words: ChatWords = english): string | undefined {
  const problem = nameProblem(name);
  return problem && words.nameProblem(problem);
}

export function isReserved(name: string): boolean {
  return RESERVED.has(name.normalize('NFKC').toLowerCase());
}

let reservedKeys: Map<string, string> | undefined;

/** The reserved name this one looks like (UTS #39 skeletons: "аdmin" with a Cyrillic а), if any. */
export function reservedLookalike(name: string): string | undefined {
  if (!reservedKeys) {
    reservedKeys = new Map();
    for (const reserved of RESERVED) for (const key of confusableKeys(reserved)) reservedKeys.set(key, reserved);
  }
  for (const key of confusableKeys(name)) {
    const like = reservedKeys.get(key);
    if (like) return like;
  }
  return undefined;
}

// ---------------------------------------------------------------- server -> client

/** What the server sends to print, in English (the exercise of lesson 12 and its check use these). */
export const say = {
  joined: english.joined,
  left: english.left,
  chat: english.chat,
  admin: english.admin,
  kicked: english.kicked,
  youWereKicked: english.youWereKicked,
  closing: english.closing,
  taken: english.taken,
  alreadyIn: english.alreadyIn,
  full: english.full,
};

/** Is this datagram from the server the end of our session? */
export function isExit(text: string): boolean {
  return text === EXIT || text === LEGACY_EXIT;
}

/**
 * A server's text made safe to print on a terminal: the course's server puts a newline before
 * each message (for its own prompt), which goes; a control character left inside (an escape
 * sequence that could move the cursor or fake a line) becomes visible as U+FFFD.
 */
export function printable(text: string): string {
  const trimmed = text.replace(/^[\r\n]+|[\r\n]+$/g, '');
  return trimmed.replace(/\t/g, '    ').replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '\ufffd');
}

// ---------------------------------------------------------------- command lines

export function quote(text: string): string {
  return JSON.stringify(text);
}

/** A port number from the command line, or the sentence that says what is wrong with it. */
export function parsePort(text: string, { allowZero, words = english }: { allowZero: boolean; words?: ChatWords }): number | string {
  const min = allowZero ? 0 : 1;
  if (!/^\d{1,5}$/.test(text) || Number(text) < min || Number(text) > 65535) return words.portRange(min, text);
  return Number(text);
}

// ---------------------------------------------------------------- processes

/** Which part a process plays when the server or client starts its own file again. */
export const ROLE_ENV = 'PROCBOOK_CHAT_ROLE';
/** The language a started part speaks (the one its parent was asked for). */
export const LANG_ENV = 'PROCBOOK_CHAT_LANG';
