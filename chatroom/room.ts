// The room: who is in it, and what each datagram makes the server send. Pure state, no sockets:
// the server process feeds it datagrams and admin lines and sends what it returns.
//
// The course's server keeps a dict {name: addr} and trusts every datagram: anyone can send
// "C alice …" or "Q alice" and speak as, or kick out, alice. Here a member is a name AND the
// address (IP and port) that joined under it: a C or Q is accepted only from that address.
//
// Three limits keep one sender from taking the room (see the README's "Hardening"):
//   - a quota per IP address: one machine holds at most PER_ADDRESS names, however many ports it
//     sends from, so the room always has places for others;
//   - idle members give way, but only when their place is needed: the course's client sends
//     nothing while its user reads, so silence alone is no reason to drop anyone. When a join finds
//     the room full (or the address at its quota), the member that has been silent longest gives
//     way, if it has been silent for at least IDLE_MINUTES; it is told so, and so are the others;
//   - a name that looks like a member's (UTS #39 skeletons: "аlice" with a Cyrillic а) is refused,
//     as are names that look like the admin's (protocol.ts).
import { chatWords, type ChatWords } from '../lib/words/chat.js';
import { confusableKeys } from './confusables.js';
import { nameProblem, parseRequest, EXIT, OK } from './protocol.js';

export interface Peer {
  address: string;
  port: number;
}

export interface Send {
  to: Peer;
  text: string;
}

/** What one event did: datagrams to send, and a line for the server's log. */
export interface Outcome {
  sends: Send[];
  log?: string;
  /** The datagram was not acted on (malformed, or not allowed from that address). */
  dropped?: boolean;
  /** A join was refused (the reason went back to the asker). */
  refused?: boolean;
}

export const MAX_MEMBERS = 500;
/** The most names one IP address may hold (a fifth of the room: a class behind one NAT still fits). */
export const PER_ADDRESS = 100;
/** How long a member must have been silent before it may give its place to a newcomer. */
export const IDLE_MINUTES = 10;

export interface RoomOptions {
  /** The language of what the room sends and logs (default English). */
  words?: ChatWords;
  maxMembers?: number;
  perAddress?: number;
  idleMs?: number;
  /** The clock (milliseconds), so a test can move time on. */
  now?: () => number;
}

interface Member {
  name: string;
  peer: Peer;
  /** When a datagram from this member last arrived. */
  heard: number;
  keys: string[];
}

export function peerKey(peer: Peer): string {
  return `${peer.address}|${peer.port}`;
}

export function showPeer(peer: Peer): string {
  return peer.address.includes(':') ? `[${peer.address}]:${peer.port}` : `${peer.address}:${peer.port}`;
}


export class Room {
  /** name -> the member (insertion order = joining order). */
  private readonly byName = new Map<string, Member>();
  /** address (IP and port) -> name, so one address holds at most one name. */
  private readonly byAddress = new Map<string, string>();
  /** IP address -> how many names it holds. */
  private readonly perIp = new Map<string, number>();
  /** confusable key -> the member's name (see confusables.ts). */
  private readonly byKey = new Map<string, string>();
  private readonly words: ChatWords;
  private readonly maxMembers: number;
  private readonly perAddress: number;
  private readonly idleMs: number;
  private readonly now: () => number;

  constructor(options: number | RoomOptions = {}) {
    const given = typeof options === 'number' ? { maxMembers: options } : options;
    this.words = given.words ?? chatWords('en');
    this.maxMembers = given.maxMembers ?? MAX_MEMBERS;
    this.perAddress = given.perAddress ?? PER_ADDRESS;
    this.idleMs = given.idleMs ?? IDLE_MINUTES * 60_000;
    this.now = given.now ?? Date.now;
  }

  /** How many members the room has. */
  size(): number {
    return this.byName.size;
  }

  members(): string[] {
    return [...this.byName.keys()];
  }

  /** The address a member joined from. */
  addressOf(name: string): Peer | undefined {
    return this.byName.get(name)?.peer;
  }

  /** One datagram from a client. Never throws, whatever the bytes. */
  receive(bytes: Uint8Array, from: Peer): Outcome {
    const parsed = parseRequest(bytes);
    if (!parsed.ok) return drop(this.words.dropped(showPeer(from), parsed.drop));
    const request = parsed.request;
    if (request.kind === 'join') return this.join(request.name, from);
    // C and Q: only from the address that joined under that name.
    const letter = request.kind === 'chat' ? 'C' : 'Q';
    const member = this.byName.get(request.name);
    if (!member) return drop(this.words.droppedNotMember(letter, request.name, showPeer(from)));
    if (peerKey(member.peer) !== peerKey(from)) return drop(this.words.droppedWrongAddress(letter, request.name, showPeer(from), showPeer(member.peer)));
    member.heard = this.now();
    if (request.kind === 'quit') return this.leave(member);
    if (request.text.trim() === '') return drop(this.words.ignoredEmpty(request.name));
    return { sends: this.toAllBut(request.name, this.words.chat(request.name, request.text)) };
  }

  private join(name: string, from: Peer): Outcome {
    const refuse = (reason: string, why: string): Outcome => ({
      sends: [{ to: from, text: reason }],
      log: this.words.refusedLog(name.slice(0, 40), showPeer(from), why),
      refused: true,
    });
    const problem = nameProblem(name);
    if (problem) {
      const reason = this.words.nameProblem(problem);
      return refuse(reason, reason);
    }
    const holder = this.byName.get(name);
    if (holder && peerKey(holder.peer) === peerKey(from)) {
      // The same client asking again (its OK was lost, or it retried): say OK again, no news.
      holder.heard = this.now();
      return { sends: [{ to: from, text: OK }] };
    }
    if (holder) return refuse(this.words.taken(name), this.words.whyTaken);
    const keys = confusableKeys(name);
    const lookalike = keys.map((key) => this.byKey.get(key)).find((other) => other !== undefined);
    if (lookalike !== undefined) return refuse(this.words.likeMember(name, lookalike), this.words.whyLikeMember(lookalike));
    const already = this.byAddress.get(peerKey(from));
    if (already !== undefined) return refuse(this.words.alreadyIn(already), this.words.whyAlreadyIn(already));

    // Room for one more? If not, the longest-silent member gives way, if silent long enough.
    const sends: Send[] = [];
    const logs: string[] = [];
    if ((this.perIp.get(from.address) ?? 0) >= this.perAddress) {
      const idle = this.longestIdle((member) => member.peer.address === from.address);
      if (!idle) return refuse(this.words.addressFull(this.perAddress), this.words.whyAddressFull(this.perAddress));
      this.expire(idle, sends, logs);
    }
    if (this.byName.size >= this.maxMembers) {
      const idle = this.longestIdle(() => true);
      if (!idle) return refuse(this.words.full, this.words.whyFull);
      this.expire(idle, sends, logs);
    }
    // As the course's server: OK to the newcomer, the news to everyone already in.
    sends.push({ to: from, text: OK }, ...this.toAllBut(name, this.words.joined(name)));
    this.byName.set(name, { name, peer: from, heard: this.now(), keys });
    this.byAddress.set(peerKey(from), name);
    this.perIp.set(from.address, (this.perIp.get(from.address) ?? 0) + 1);
    for (const key of keys) this.byKey.set(key, name);
    logs.push(this.words.joinedLog(name, showPeer(from), this.byName.size));
    return { sends, log: logs.join('\n') };
  }

  /** The member silent longest among those that match, if silent for at least the idle time. */
  private longestIdle(matches: (member: Member) => boolean): Member | undefined {
    let oldest: Member | undefined;
    for (const member of this.byName.values()) if (matches(member) && (!oldest || member.heard < oldest.heard)) oldest = member;
    return oldest && this.now() - oldest.heard >= this.idleMs ? oldest : undefined;
  }

  /** An idle member gives way: it is told, and so is everyone else. */
  private expire(member: Member, sends: Send[], logs: string[]): void {
    const minutes = Math.floor((this.now() - member.heard) / 60_000);
    this.remove(member);
    sends.push({ to: member.peer, text: this.words.youExpired(minutes) }, { to: member.peer, text: EXIT }, ...this.toAllBut(undefined, this.words.expired(member.name, minutes)));
    logs.push(this.words.expiredLog(member.name, minutes, this.byName.size));
  }

  private leave(member: Member): Outcome {
    this.remove(member);
    return {
      sends: [{ to: member.peer, text: EXIT }, ...this.toAllBut(member.name, this.words.left(member.name))],
      log: this.words.leftLog(member.name, this.byName.size),
    };
  }

  private remove(member: Member): void {
    this.byName.delete(member.name);
    this.byAddress.delete(peerKey(member.peer));
    const count = (this.perIp.get(member.peer.address) ?? 1) - 1;
    if (count > 0) this.perIp.set(member.peer.address, count);
    else this.perIp.delete(member.peer.address);
    for (const key of member.keys) if (this.byKey.get(key) === member.name) this.byKey.delete(key);
  }

  /** A line from the admin console: it reaches everyone. */
  adminSays(text: string): Outcome {
    return { sends: this.toAllBut(undefined, this.words.admin(text)) };
  }

  /** The admin removes a member (a client that vanished without Q keeps its name until then). */
  kick(name: string): Outcome {
    const member = this.byName.get(name);
    if (!member) return { sends: [], log: this.words.noSuchMember(name) };
    this.remove(member);
    return {
      sends: [
        { to: member.peer, text: this.words.youWereKicked },
        { to: member.peer, text: EXIT },
        ...this.toAllBut(name, this.words.kicked(name)),
      ],
      log: this.words.kickedLog(name, this.byName.size),
    };
  }

  /** The server is stopping: everyone hears it and is told to stop. */
  close(): Outcome {
    const sends: Send[] = [];
    for (const member of this.byName.values()) sends.push({ to: member.peer, text: this.words.closing }, { to: member.peer, text: EXIT });
    const count = this.byName.size;
    this.byName.clear();
    this.byAddress.clear();
    this.perIp.clear();
    this.byKey.clear();
    return { sends, log: this.words.closingLog(count) };
  }

  private toAllBut(except: string | undefined, text: string): Send[] {
    const sends: Send[] = [];
    for (const [name, member] of this.byName) if (name !== except) sends.push({ to: member.peer, text });
    return sends;
  }
}

function drop(log: string): Outcome {
  return { sends: [], log, dropped: true };
}
