// The room's rules at their edges: the server's log line for each datagram, an empty line, a
// name too long even to log whole, the idle time to the millisecond, an address's quota given
// back when its names leave.
import { describe, expect, test } from 'vitest';
import { EXIT, OK } from '../../chatroom/protocol.js';
import { Room, peerKey, showPeer, type Peer } from '../../chatroom/room.js';
import { chatWords } from '../../lib/words/chat.js';

const words = chatWords('en');
const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const at = (address: string, port: number): Peer => ({ address, port });
const alice = at('127.0.0.1', 5001);
const bob = at('127.0.0.1', 5002);

test('showPeer and peerKey: an IPv6 address in brackets; one key per address and port', () => {
  expect(showPeer(alice)).toBe('127.0.0.1:5001');
  expect(showPeer(at('::1', 7))).toBe('[::1]:7');
  expect(peerKey(alice)).not.toBe(peerKey(bob));
  expect(peerKey(at('1.2.3.4', 5))).toBe(peerKey(at('1.2.3.4', 5)));
});

describe('what the server logs', () => {
  test('a join: the joined line alone', () => {
    const room = new Room();
    expect(room.receive(bytes('L alice'), alice).log).toBe(words.joinedLog('alice', '127.0.0.1:5001', 1));
    expect(room.receive(bytes('L bob'), bob).log).toBe(words.joinedLog('bob', '127.0.0.1:5002', 2));
  });

  test('C and Q from someone who is no member: dropped, the letter named', () => {
    const room = new Room();
    const chat = room.receive(bytes('C ghost hi'), alice);
    expect(chat).toEqual({ sends: [], log: words.droppedNotMember('C', 'ghost', '127.0.0.1:5001'), dropped: true });
    expect(room.receive(bytes('Q ghost'), alice).log).toBe(words.droppedNotMember('Q', 'ghost', '127.0.0.1:5001'));
  });

  test('C and Q from another address than the member joined from: dropped, the letter named', () => {
    const room = new Room();
    room.receive(bytes('L alice'), alice);
    expect(room.receive(bytes('C alice hi'), bob).log).toBe(words.droppedWrongAddress('C', 'alice', '127.0.0.1:5002', '127.0.0.1:5001'));
    expect(room.receive(bytes('Q alice'), bob).log).toBe(words.droppedWrongAddress('Q', 'alice', '127.0.0.1:5002', '127.0.0.1:5001'));
    expect(room.members()).toEqual(['alice']);
  });

  test('an empty line, or one of spaces only, is not sent to anyone', () => {
    const room = new Room();
    room.receive(bytes('L alice'), alice);
    room.receive(bytes('L bob'), bob);
    for (const line of ['C alice ', 'C alice    ']) {
      expect(room.receive(bytes(line), alice)).toEqual({ sends: [], log: words.ignoredEmpty('alice'), dropped: true });
    }
    expect(room.receive(bytes('C alice  hi '), alice).sends).toEqual([{ to: bob, text: words.chat('alice', ' hi ') }]);
  });

  test('a refused join: the reason to the asker, the log with the name cut at 40 characters', () => {
    const room = new Room();
    const long = 'n'.repeat(60);
    const outcome = room.receive(bytes(`L ${long}`), alice);
    expect(outcome.refused).toBe(true);
    expect(outcome.dropped).toBeUndefined();
    expect(outcome.sends).toHaveLength(1);
    expect(outcome.sends[0]!.to).toEqual(alice);
    expect(outcome.log).toContain('n'.repeat(40));
    expect(outcome.log).not.toContain('n'.repeat(41));
    room.receive(bytes('L alice'), alice);
    expect(room.receive(bytes('L alice'), bob)).toMatchObject({ refused: true, log: words.refusedLog('alice', '127.0.0.1:5002', words.whyTaken) });
  });

  test('an accepted join is not marked refused or dropped', () => {
    const outcome = new Room().receive(bytes('L alice'), alice);
    expect(outcome.refused).toBeUndefined();
    expect(outcome.dropped).toBeUndefined();
  });

  test('a member giving way: its removal and the newcomer, one log line each', () => {
    let now = 5 * 60_000;
    const room = new Room({ maxMembers: 1, idleMs: 60_000, now: () => now });
    room.receive(bytes('L alice'), alice);
    now += 12 * 60_000 + 59_999; // silent 12 minutes and 59.999 seconds: 12 minutes
    const outcome = room.receive(bytes('L bob'), bob);
    expect(outcome.log).toBe([words.expiredLog('alice', 12, 0), words.joinedLog('bob', '127.0.0.1:5002', 1)].join('\n'));
    expect(outcome.sends.slice(0, 2)).toEqual([
      { to: alice, text: words.youExpired(12) },
      { to: alice, text: EXIT },
    ]);
  });
});

test('the idle time to the millisecond: silent exactly that long gives way, a millisecond less does not', () => {
  let now = 0;
  const room = new Room({ maxMembers: 1, idleMs: 1000, now: () => now });
  room.receive(bytes('L alice'), alice);
  now = 999;
  expect(room.receive(bytes('L bob'), bob).sends).toEqual([{ to: bob, text: words.full }]);
  now = 1000;
  expect(room.receive(bytes('L bob'), bob).sends.at(-1)).toEqual({ to: bob, text: OK });
  expect(room.members()).toEqual(['bob']);
});

test("an address's quota is given back name by name as its members leave", () => {
  const room = new Room({ perAddress: 2 });
  const from = (port: number): Peer => at('10.0.0.1', port);
  room.receive(bytes('L a'), from(1));
  room.receive(bytes('L b'), from(2));
  expect(room.receive(bytes('L c'), from(3)).refused).toBe(true); // at its quota
  room.receive(bytes('Q a'), from(1)); // one place back, not more
  expect(room.receive(bytes('L c'), from(3)).refused).toBeUndefined();
  expect(room.receive(bytes('L d'), from(4)).refused).toBe(true);
  room.kick('b');
  room.kick('c');
  expect(room.receive(bytes('L d'), from(4)).refused).toBeUndefined();
  expect(room.receive(bytes('L e'), from(5)).refused).toBeUndefined();
  expect(room.receive(bytes('L f'), from(6)).refused).toBe(true);
  expect(room.members()).toEqual(['d', 'e']);
});

test('addressOf: where a member joined from; nothing for a name not in the room', () => {
  const room = new Room();
  room.receive(bytes('L alice'), alice);
  expect(room.addressOf('alice')).toEqual(alice);
  expect(room.addressOf('bob')).toBeUndefined();
});
