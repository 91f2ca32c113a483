// The wire format and the room's rules, without sockets or processes.
import { describe, expect, test } from 'vitest';
import { adminCommand } from '../../chatroom/admin.js';
import { checkName, parsePort, parseRequest, printable, MAX_DATAGRAM, EXIT, OK } from '../../chatroom/protocol.js';
import { Room, type Peer, type Outcome } from '../../chatroom/room.js';
import { chatWords } from '../../lib/words/chat.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const alice: Peer = { address: '127.0.0.1', port: 5001 };
const bob: Peer = { address: '127.0.0.1', port: 5002 };
const carol: Peer = { address: '10.0.0.3', port: 5001 };
const mallory: Peer = { address: '127.0.0.1', port: 6666 };

/** What each peer is sent, as "port text". */
const delivered = (outcome: Outcome): string[] => outcome.sends.map((send) => `${send.to.port} ${send.text}`);

describe('parseRequest', () => {
  test('the three requests of the course', () => {
    expect(parseRequest(bytes('L alice'))).toEqual({ ok: true, request: { kind: 'join', name: 'alice' } });
    expect(parseRequest(bytes('C alice hello  there '))).toEqual({ ok: true, request: { kind: 'chat', name: 'alice', text: 'hello  there ' } });
    expect(parseRequest(bytes('Q alice'))).toEqual({ ok: true, request: { kind: 'quit', name: 'alice' } });
    // The course's client sends "C name " for an empty line, and Chinese text.
    expect(parseRequest(bytes('C 小明 '))).toEqual({ ok: true, request: { kind: 'chat', name: '小明', text: '' } });
    expect(parseRequest(bytes('C 小明 你好'))).toEqual({ ok: true, request: { kind: 'chat', name: '小明', text: '你好' } });
    // One trailing newline is forgiven (netcat).
    expect(parseRequest(bytes('L bob\n'))).toEqual({ ok: true, request: { kind: 'join', name: 'bob' } });
  });

  test('what cannot be understood says why', () => {
    const reason = (data: Uint8Array): string => {
      const parsed = parseRequest(data);
      return parsed.ok ? 'ok' : parsed.reason;
    };
    expect(reason(new Uint8Array())).toBe('empty datagram');
    expect(reason(Buffer.alloc(MAX_DATAGRAM + 1, 'a'))).toMatch(/oversized/);
    expect(reason(Buffer.from([0x4c, 0x20, 0xff, 0xfe]))).toMatch(/not UTF-8/);
    expect(reason(Buffer.from([0x4c, 0x20, 0xe4, 0xbd]))).toMatch(/not UTF-8/); // a cut-off character
    expect(reason(bytes('X alice'))).toMatch(/unknown request/);
    expect(reason(bytes('Lalice'))).toMatch(/no space/);
    expect(reason(bytes('C'))).toMatch(/no space/);
    expect(reason(bytes('C '))).toMatch(/without a name/);
    expect(reason(bytes('Q alice bob'))).toMatch(/exactly one name/);
    expect(reason(bytes('Q '))).toMatch(/exactly one name/);
    expect(reason(bytes('C alice hi\nadmin: everyone leave'))).toMatch(/control characters/);
    expect(reason(bytes('C alice \u001b[2Jcleared'))).toMatch(/control characters/);
    expect(reason(bytes('C alice \u202eevil'))).toMatch(/control characters/);
  });
});

test('checkName: empty, spaces, control characters, length, charset, reserved', () => {
  expect(checkName('alice')).toBeUndefined();
  expect(checkName('小明')).toBeUndefined();
  expect(checkName('a.b-c_1')).toBeUndefined();
  expect(checkName('')).toMatch(/empty/);
  expect(checkName('   ')).toMatch(/empty/);
  expect(checkName('a b')).toMatch(/spaces/);
  expect(checkName('a\u0007')).toMatch(/control/);
  expect(checkName('a\u200bb')).toMatch(/invisible/);
  expect(checkName('x'.repeat(21))).toMatch(/at most 20/);
  expect(checkName('字'.repeat(20))).toBeUndefined();
  expect(checkName('a:b')).toMatch(/letters, digits/);
  expect(checkName('-.')).toMatch(/at least one letter/);
  for (const reserved of ['admin', 'Admin', 'ADMIN', '管理员', 'server', 'ａｄｍｉｎ']) expect(checkName(reserved)).toMatch(/reserved/);
});

test('printable: the course server newline goes, escape sequences show', () => {
  expect(printable('\n欢迎 bob 进入聊天室')).toBe('欢迎 bob 进入聊天室');
  expect(printable('a\u001b[2Jb')).toBe('a\ufffd[2Jb');
});

test('parsePort', () => {
  expect(parsePort('0', { allowZero: true })).toBe(0);
  expect(parsePort('9999', { allowZero: false })).toBe(9999);
  for (const bad of ['', 'abc', '-1', '65536', '1.5', '0x10', ' 80']) expect(typeof parsePort(bad, { allowZero: true })).toBe('string');
  expect(typeof parsePort('0', { allowZero: false })).toBe('string');
});

test('adminCommand', () => {
  expect(adminCommand('hello all')).toEqual({ type: 'say', text: 'hello all' });
  expect(adminCommand('  ')).toBeUndefined();
  expect(adminCommand('/who')).toEqual({ type: 'who' });
  expect(adminCommand('/kick bob')).toEqual({ type: 'kick', name: 'bob' });
  expect(adminCommand('/kick')).toMatch(/Usage/);
  expect(adminCommand('//who')).toEqual({ type: 'say', text: '/who' });
  expect(adminCommand('/nope')).toMatch(/Unknown command/);
});

describe('Room', () => {
  test('join, chat, leave: the course behaviour', () => {
    const room = new Room();
    expect(delivered(room.receive(bytes('L alice'), alice))).toEqual([`5001 ${OK}`]);
    expect(delivered(room.receive(bytes('L bob'), bob))).toEqual([`5002 ${OK}`, '5001 bob joined']);
    expect(delivered(room.receive(bytes('C bob hi there'), bob))).toEqual(['5001 bob: hi there']);
    expect(delivered(room.adminSays('welcome'))).toEqual(['5001 admin: welcome', '5002 admin: welcome']);
    expect(delivered(room.receive(bytes('Q bob'), bob))).toEqual([`5002 ${EXIT}`, '5001 bob left']);
    expect(room.members()).toEqual(['alice']);
  });

  test('refusals come back to the asker with the reason; nothing changes', () => {
    const room = new Room();
    room.receive(bytes('L alice'), alice);
    expect(delivered(room.receive(bytes('L alice'), bob))).toEqual(['5002 The name alice is taken; choose another.']);
    expect(delivered(room.receive(bytes('L admin'), bob))).toEqual(["5002 The name admin is reserved for the room's admin."]);
    expect(delivered(room.receive(bytes('L a b'), bob))).toEqual(['5002 A name cannot contain spaces.']);
    expect(delivered(room.receive(bytes('L alice2'), alice))).toEqual(['5001 You are already in the room as alice.']);
    expect(room.members()).toEqual(['alice']);
  });

  test('a repeated L from the same address is answered OK again, without news', () => {
    const room = new Room();
    room.receive(bytes('L alice'), alice);
    room.receive(bytes('L bob'), bob);
    expect(delivered(room.receive(bytes('L alice'), alice))).toEqual([`5001 ${OK}`]);
    expect(room.members()).toEqual(['alice', 'bob']);
  });

  test('C and Q only from the address that joined under that name (same IP, other port too)', () => {
    const room = new Room();
    room.receive(bytes('L alice'), alice);
    room.receive(bytes('L bob'), bob);
    for (const spoofer of [mallory, carol]) {
      const chat = room.receive(bytes('C alice I am alice'), spoofer);
      expect(chat.sends).toEqual([]);
      expect(chat.dropped).toBe(true);
      expect(chat.log).toMatch(/alice joined from 127\.0\.0\.1:5001/);
      expect(room.receive(bytes('Q alice'), spoofer).sends).toEqual([]);
    }
    expect(room.receive(bytes('Q carol'), carol).log).toMatch(/no such member/);
    expect(room.members()).toEqual(['alice', 'bob']);
  });

  test('kick and close', () => {
    const room = new Room();
    room.receive(bytes('L alice'), alice);
    room.receive(bytes('L bob'), bob);
    expect(delivered(room.kick('bob'))).toEqual(['5002 The admin removed you from the room.', `5002 ${EXIT}`, '5001 bob was removed by the admin']);
    expect(room.kick('nobody').sends).toEqual([]);
    expect(delivered(room.close())).toEqual(['5001 The room is closing. Goodbye!', `5001 ${EXIT}`]);
    expect(room.members()).toEqual([]);
  });

  test('a full room refuses', () => {
    const room = new Room(2);
    room.receive(bytes('L a'), { address: '127.0.0.1', port: 1 });
    room.receive(bytes('L b'), { address: '127.0.0.1', port: 2 });
    expect(room.receive(bytes('L c'), { address: '127.0.0.1', port: 3 }).sends[0]?.text).toMatch(/full/);
  });

  test('fuzz: 20,000 random and adversarial datagrams never throw, never touch members they do not own', () => {
    const room = new Room();
    room.receive(bytes('L alice'), alice);
    room.receive(bytes('L bob'), bob);
    let seed = 42;
    const random = (): number => {
      // xorshift32: the same datagrams every run
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    };
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)] as T;
    const adversarial = ['C alice ', 'Q alice', 'Q bob', 'C bob forged', 'L alice', 'L admin', 'L ', 'C', 'Q', 'L \u0000', 'C alice \n', 'Q alice extra', 'L ' + 'x'.repeat(2000)];
    const attackers: Peer[] = Array.from({ length: 50 }, (_, index) => ({ address: '127.0.0.1', port: 7000 + index }));
    let joined = 0;
    for (let index = 0; index < 20_000; index++) {
      const from = pick(attackers);
      let data: Uint8Array;
      const kind = random();
      if (kind < 0.4) data = Uint8Array.from({ length: Math.floor(random() * 1100) }, () => Math.floor(random() * 256));
      else if (kind < 0.7) data = bytes(pick(adversarial));
      else {
        const letter = pick(['L', 'C', 'Q', 'X', 'l']);
        const text = Array.from({ length: Math.floor(random() * 12) }, () => String.fromCharCode(Math.floor(random() * 0x3000))).join('');
        data = bytes(`${letter} ${text}`);
      }
      const outcome = room.receive(data, from);
      // Nobody but the sender itself is ever written to on behalf of a non-member...
      for (const send of outcome.sends) {
        if (send.to.port === from.port) continue;
        // ...except the news that a new member joined, which goes to everyone in.
        expect(send.text).toMatch(/ joined$/);
      }
      if (!outcome.dropped && outcome.log?.match(/ joined from .* in the room\)$/)) joined++;
      if (!outcome.dropped && outcome.log?.match(/ left \(\d+ in the room\)$/)) joined--;
    }
    const members = room.members();
    expect(members.slice(0, 2)).toEqual(['alice', 'bob']);
    expect(members.length).toBe(2 + joined);
    for (const name of members.slice(2)) expect(room.addressOf(name)?.port).toBeGreaterThanOrEqual(7000);
    expect(room.addressOf('alice')).toEqual(alice);
    expect(room.addressOf('bob')).toEqual(bob);
  });
});

describe('Room limits (issue 18): a quota per address, idle members give way, look-alike names', () => {
  const from = (address: string, port: number): Peer => ({ address, port });

  test('one IP address holds at most its quota of names, however many ports it sends from; another address still gets in', () => {
    const room = new Room({ perAddress: 100 });
    let accepted = 0;
    for (let port = 1; port <= 500; port++) {
      const outcome = room.receive(bytes(`L flood${port}`), from('127.0.0.2', port));
      if (outcome.sends[0]?.text === OK) accepted++;
      else expect(outcome.sends[0]?.text).toBe('Your address already has 100 names in the room, the most one address may hold; try again later.');
    }
    expect(accepted).toBe(100);
    expect(delivered(room.receive(bytes('L alice'), from('127.0.0.3', 5000)))[0]).toBe(`5000 ${OK}`);
    expect(room.size()).toBe(101);
  });

  test('idle members give way only when their place is needed, the longest silent first, after the idle time', () => {
    let now = 0;
    const room = new Room({ maxMembers: 3, idleMs: 10 * 60_000, now: () => now });
    room.receive(bytes('L a'), from('10.0.0.1', 1));
    now += 1000;
    room.receive(bytes('L b'), from('10.0.0.2', 2));
    room.receive(bytes('L c'), from('10.0.0.3', 3));
    // a speaks later than b: b is the longest silent.
    now += 60_000;
    room.receive(bytes('C a still here'), from('10.0.0.1', 1));
    // Full, and nobody silent for 10 minutes yet: refused, nobody removed.
    now += 5 * 60_000;
    expect(room.receive(bytes('L d'), from('10.0.0.4', 4)).sends[0]?.text).toBe('The room is full; try again later.');
    expect(room.members()).toEqual(['a', 'b', 'c']);
    // 10 minutes of silence for b (and c, who joined at the same moment; b joined first): b gives way.
    now += 5 * 60_000;
    const outcome = room.receive(bytes('L d'), from('10.0.0.4', 4));
    expect(delivered(outcome)).toEqual([
      '2 You were removed from the room after 11 minutes of silence, to make room for someone new.',
      `2 ${EXIT}`,
      '1 b was removed after 11 minutes of silence, to make room',
      '3 b was removed after 11 minutes of silence, to make room',
      `4 ${OK}`,
      '1 d joined',
      '3 d joined',
    ]);
    expect(room.members()).toEqual(['a', 'c', 'd']);
    // A room that is not full keeps every silent member, however long.
    now += 24 * 60 * 60_000;
    room.receive(bytes('Q d'), from('10.0.0.4', 4));
    expect(delivered(room.receive(bytes('L e'), from('10.0.0.5', 5)))[0]).toBe(`5 ${OK}`);
    expect(room.members()).toEqual(['a', 'c', 'e']);
  });

  test('an address at its quota: its own longest-silent name gives way, not someone else', () => {
    let now = 0;
    const room = new Room({ perAddress: 2, idleMs: 1000, now: () => now });
    room.receive(bytes('L other'), from('10.0.0.9', 9));
    room.receive(bytes('L x1'), from('10.0.0.1', 1));
    room.receive(bytes('L x2'), from('10.0.0.1', 2));
    now += 2000;
    expect(room.receive(bytes('L x3'), from('10.0.0.1', 3)).sends.find((send) => send.to.port === 3)?.text).toBe(OK);
    expect(room.members()).toEqual(['other', 'x2', 'x3']);
  });

  test('names that look like the admin\'s (UTS #39 skeletons) are refused with the reason', () => {
    const room = new Room();
    const lookalikes: Array<[string, string]> = [
      ['аdmin', 'admin'], // Cyrillic а
      ['аdmіn', 'admin'], // Cyrillic а and і
      ['ΑDΜΙΝ', 'admin'], // Greek capitals
      ['adm1n', 'admin'],
      ['adrnin', 'admin'], // r n for m
      ['rооt', 'root'],
      ['r00t', 'root'],
      ['Ѕуstem', 'system'],
    ];
    for (const [name, like] of lookalikes) {
      expect(checkName(name), name).toBe(`The name ${name} looks too much like ${like}, which is reserved for the room's admin.`);
      expect(delivered(room.receive(bytes(`L ${name}`), alice))).toEqual([`5001 The name ${name} looks too much like ${like}, which is reserved for the room's admin.`]);
    }
    for (const fine of ['admins', 'bob', '小明', 'root2', 'ädmin']) expect(checkName(fine), fine).toBeUndefined();
    expect(room.members()).toEqual([]);
  });

  test('a name that looks like a member\'s is refused while that member is in, and free again after', () => {
    const room = new Room();
    room.receive(bytes('L alice'), alice);
    expect(delivered(room.receive(bytes('L аlice'), bob))).toEqual(['5002 The name аlice looks too much like alice, who is in the room; choose another.']);
    expect(delivered(room.receive(bytes('L Alice'), bob))).toEqual(['5002 The name Alice looks too much like alice, who is in the room; choose another.']);
    room.receive(bytes('Q alice'), alice);
    expect(delivered(room.receive(bytes('L аlice'), bob))[0]).toBe(`5002 ${OK}`);
  });

  test('in Chinese: the course\'s sentences; the wire words stay OK and EXIT', () => {
    const room = new Room({ words: chatWords('zh') });
    expect(delivered(room.receive(bytes('L 小明'), alice))).toEqual([`5001 ${OK}`]);
    expect(delivered(room.receive(bytes('L 小红'), bob))).toEqual([`5002 ${OK}`, '5001 小红 进入了聊天室']);
    expect(delivered(room.receive(bytes('C 小红 你好'), bob))).toEqual(['5001 小红 说:你好']);
    expect(delivered(room.adminSays('大家好'))).toEqual(['5001 管理员 说:大家好', '5002 管理员 说:大家好']);
    expect(delivered(room.receive(bytes('L 小明'), carol))).toEqual(['5001 该用户已存在（小明），请换一个姓名。']);
    expect(delivered(room.receive(bytes('Q 小红'), bob))).toEqual([`5002 ${EXIT}`, '5001 小红 退出了聊天室']);
    expect(room.receive(bytes('X'), mallory).log).toBe('丢弃了来自 127.0.0.1:6666 的数据报：未知的请求 "X"');
  });
});
