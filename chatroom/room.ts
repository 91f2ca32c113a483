// The room: who is in it, and what each datagram makes the server send. Pure state, no sockets:
// the server process feeds it datagrams and admin lines and sends what it returns.
//
// The course's server keeps a dict {name: addr} and trusts every datagram: anyone can send
// "C alice …" or "Q alice" and speak as, or kick out, alice. Here a member is a name AND the
// address (IP and port) that joined under it: a C or Q is accepted only from that address.
import { checkName, parseRequest, quote, say, EXIT, OK } from './protocol.js';

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

export function peerKey(peer: Peer): string {
  return `${peer.address}|${peer.port}`;
}

export function showPeer(peer: Peer): string {
  return peer.address.includes(':') ? `[${peer.address}]:${peer.port}` : `${peer.address}:${peer.port}`;
}

export class Room {
  /** name -> the address that joined under it (insertion order = joining order). */
  private readonly byName = new Map<string, Peer>();
  /** address -> name, so one address holds at most one name. */
  private readonly byAddress = new Map<string, string>();

  constructor(private readonly maxMembers = MAX_MEMBERS) {}

  /** How many members the room has. */
  size(): number {
    return this.byName.size;
  }

  members(): string[] {
    return [...this.byName.keys()];
  }

  /** Every member's address, for the closing message. */
  addressOf(name: string): Peer | undefined {
    return this.byName.get(name);
  }

  /** One datagram from a client. Never throws, whatever the bytes. */
  receive(bytes: Uint8Array, from: Peer): Outcome {
    const parsed = parseRequest(bytes);
    if (!parsed.ok) return drop(`dropped a datagram from ${showPeer(from)}: ${parsed.reason}`);
    const request = parsed.request;
    if (request.kind === 'join') return this.join(request.name, from);
    // C and Q: only from the address that joined under that name.
    const owner = this.byName.get(request.name);
    if (!owner) return drop(`dropped ${request.kind === 'chat' ? 'C' : 'Q'} for ${quote(request.name)} from ${showPeer(from)}: no such member`);
    if (peerKey(owner) !== peerKey(from)) {
      return drop(
        `dropped ${request.kind === 'chat' ? 'C' : 'Q'} for ${request.name} from ${showPeer(from)}: ${request.name} joined from ${showPeer(owner)}`,
      );
    }
    if (request.kind === 'quit') return this.leave(request.name, owner);
    if (request.text.trim() === '') return drop(`ignored an empty line from ${request.name}`);
    return { sends: this.toAllBut(request.name, say.chat(request.name, request.text)) };
  }

  private join(name: string, from: Peer): Outcome {
    const refuse = (reason: string, why: string): Outcome => ({
      sends: [{ to: from, text: reason }],
      log: `refused ${quote(name.slice(0, 40))} from ${showPeer(from)}: ${why}`,
      refused: true,
    });
    const bad = checkName(name);
    if (bad) return refuse(bad, bad);
    const holder = this.byName.get(name);
    if (holder && peerKey(holder) === peerKey(from)) {
      // The same client asking again (its OK was lost, or it retried): say OK again, no news.
      return { sends: [{ to: from, text: OK }] };
    }
    if (holder) return refuse(say.taken(name), 'name taken');
    const already = this.byAddress.get(peerKey(from));
    if (already !== undefined) return refuse(say.alreadyIn(already), `that address is already ${already}`);
    if (this.byName.size >= this.maxMembers) return refuse(say.full, 'room full');
    // As the course's server: OK to the newcomer, the news to everyone already in.
    const sends: Send[] = [{ to: from, text: OK }, ...this.toAllBut(name, say.joined(name))];
    this.byName.set(name, from);
    this.byAddress.set(peerKey(from), name);
    return { sends, log: `${name} joined from ${showPeer(from)} (${this.byName.size} in the room)` };
  }

  private leave(name: string, owner: Peer): Outcome {
    this.remove(name, owner);
    return {
      sends: [{ to: owner, text: EXIT }, ...this.toAllBut(name, say.left(name))],
      log: `${name} left (${this.byName.size} in the room)`,
    };
  }

  private remove(name: string, owner: Peer): void {
    this.byName.delete(name);
    this.byAddress.delete(peerKey(owner));
  }

  /** A line from the admin console: it reaches everyone. */
  adminSays(text: string): Outcome {
    return { sends: this.toAllBut(undefined, say.admin(text)) };
  }

  /** The admin removes a member (a client that vanished without Q keeps its name until then). */
  kick(name: string): Outcome {
    const owner = this.byName.get(name);
    if (!owner) return { sends: [], log: `no member is called ${quote(name)}` };
    this.remove(name, owner);
    return {
      sends: [
        { to: owner, text: say.youWereKicked },
        { to: owner, text: EXIT },
        ...this.toAllBut(name, say.kicked(name)),
      ],
      log: `${name} was removed by the admin (${this.byName.size} in the room)`,
    };
  }

  /** The server is stopping: everyone hears it and is told to stop. */
  close(): Outcome {
    const sends: Send[] = [];
    for (const peer of this.byName.values()) sends.push({ to: peer, text: say.closing }, { to: peer, text: EXIT });
    const count = this.byName.size;
    this.byName.clear();
    this.byAddress.clear();
    return { sends, log: `the room is closing; told ${count} member(s)` };
  }

  private toAllBut(except: string | undefined, text: string): Send[] {
    const sends: Send[] = [];
    for (const [name, peer] of this.byName) if (name !== except) sends.push({ to: peer, text });
    return sends;
  }
}

function drop(log: string): Outcome {
  return { sends: [], log, dropped: true };
}
