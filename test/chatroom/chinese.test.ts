// The chatroom in the course's Chinese (issue 19): `--lang zh` or a Chinese locale changes every
// sentence a person reads, in the course's words ("xxx 进入了聊天室", "xxx 说:…", "该用户已存在"),
// and nothing on the wire: the course's client and server still understand ours.
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, test } from 'vitest';
import { chatWords, type ChatWords } from '../../lib/words/chat.js';
import { ENGLISH, Proc, buildOnce, clientEntry, groupGone, inbox, python, rawSocket, sendTo, serverEntry, startPythonServer, type Server } from './support.js';

beforeAll(buildOnce, 60_000);

const CHINESE = { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' };

/** Our server, speaking Chinese (by --lang zh, or by the locale when `env` says so). */
async function chineseServer(args = ['--lang', 'zh'], env: Record<string, string> = ENGLISH): Promise<Server> {
  const proc = new Proc(process.execPath, [serverEntry, '--host', '127.0.0.1', '--port', '0', ...args], env);
  const match = await proc.waitFor(/聊天室服务端在 127\.0\.0\.1:(\d+) 上监听（UDP），pid \d+/);
  return { proc, port: Number(match[1]) };
}

test("our server in Chinese with the course's Python client: the course's sentences, the same wire", async () => {
  const server = await chineseServer();
  await server.proc.waitFor('输入一行后按回车：聊天室里的每个人都会收到这条管理员消息。');
  const alice = python('seed004_client.py', ['127.0.0.1', String(server.port)]);
  await alice.waitFor('请输入姓名:');
  alice.write('小明');
  await alice.waitFor('您已进入聊天室');
  const bob = python('seed004_client.py', ['127.0.0.1', String(server.port)]);
  bob.write('小明');
  await bob.waitFor('该用户已存在（小明），请换一个姓名。\n请输入姓名:');
  bob.write('小红');
  await bob.waitFor('您已进入聊天室');
  await alice.waitFor('小红 进入了聊天室');
  bob.write('大家好');
  await alice.waitFor('小红 说:大家好');
  server.proc.write('欢迎');
  for (const each of [alice, bob]) await each.waitFor('管理员 说:欢迎');
  // The wire words are the course's bytes, whatever the language: OK, EXIT.
  const raw = await rawSocket();
  const replies = inbox(raw);
  await sendTo(raw, server.port, 'L raw');
  await sendTo(raw, server.port, 'Q raw');
  const deadline = Date.now() + 5000;
  while (!replies.includes('EXIT') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(replies.filter((text) => text === 'OK' || text === 'EXIT')).toEqual(['OK', 'EXIT']);
  bob.write('quit');
  await alice.waitFor('小红 退出了聊天室');
  await bob.waitExit();
  await groupGone(bob.pid);
  await server.proc.waitFor(/小红 退出了聊天室（共 \d+ 人）/);
  server.proc.signalGroup('SIGINT');
  await alice.waitFor('聊天室即将关闭，再见！');
  expect((await alice.waitExit()).code).toBe(0);
  alice.closeInput();
  await server.proc.waitExit();
});

test("our client in Chinese with the course's Python server", async () => {
  const server = await startPythonServer('seed004_server.py');
  const alice = new Proc(process.execPath, [clientEntry, '127.0.0.1', String(server.port), '--lang', 'zh'], ENGLISH);
  alice.write('小明');
  await alice.waitFor('您已进入聊天室（姓名：小明）。输入消息后按回车发送；输入 quit 退出。');
  const bob = new Proc(process.execPath, [clientEntry, '127.0.0.1', String(server.port)], CHINESE); // the locale alone
  bob.write('小明');
  await bob.waitFor('该用户已存在'); // the course server's own refusal, printed
  bob.write('a b');
  await bob.waitFor('姓名不能包含空格。 请换一个姓名。');
  bob.write('小红');
  await bob.waitFor('您已进入聊天室（姓名：小红）');
  await alice.waitFor('欢迎 小红 进入聊天室');
  bob.write('quit');
  await bob.waitFor('您已退出聊天室。');
  expect((await bob.waitExit()).code).toBe(0);
  await groupGone(bob.pid);
  await alice.waitFor('小红退出了聊天室');
});

test('the locale picks Chinese; --lang en wins over it; a wrong --lang is one sentence', async () => {
  const byLocale = await chineseServer([], CHINESE);
  await byLocale.proc.waitFor('输入一行后按回车');
  const english = new Proc(process.execPath, [serverEntry, '--host', '127.0.0.1', '--port', '0', '--lang', 'en'], CHINESE);
  await english.waitFor(/chat server listening on 127\.0\.0\.1:\d+ \(UDP\)/);
  const cases: Array<[string[], Record<string, string>, RegExp]> = [
    [[serverEntry, '--port', 'abc', '--lang', 'zh'], ENGLISH, /^chat-server: 端口必须是 0 到 65535 之间的整数，而不是 "abc" \(--port\)\n$/],
    [[serverEntry, '--verbose'], CHINESE, /^chat-server: 没有参数 "--verbose"；可用的选项是 --host H、--port P 和 --lang en\|zh\n$/],
    [[serverEntry, '--lang', 'fr'], ENGLISH, /^chat-server: --lang must be en or zh, not "fr"\n$/],
    [[clientEntry, '127.0.0.1', '0', '--lang', 'zh'], ENGLISH, /^chat-client: 端口必须是 1 到 65535 之间的整数，而不是 "0"\n$/],
    [[clientEntry, 'a', 'b', 'c'], CHINESE, /^chat-client: 参数太多了；参数是 \[HOST\] \[PORT\]\n$/],
  ];
  for (const [args, env, expected] of cases) {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(stderr, args.slice(1).join(' ')).toMatch(expected);
    expect(code).toBeGreaterThan(0);
  }
});

describe('the words', () => {
  const han = /[\u4e00-\u9fff]/;
  /** Every sentence of a language, each function called with sample arguments. */
  function sentences(words: ChatWords): Map<string, string> {
    const all = new Map<string, string>();
    for (const [key, value] of Object.entries(words) as Array<[string, unknown]>) {
      if (typeof value === 'string') all.set(key, value);
      else if (typeof value === 'function' && key === 'nameProblem') {
        for (const kind of ['empty', 'spaces', 'invisible', 'tooLong', 'characters', 'noLetter', 'reserved', 'likeReserved'] as const) {
          all.set(`${key}.${kind}`, words.nameProblem({ kind, max: 20, name: 'аdmin', like: 'admin' } as never));
        }
      } else if (typeof value === 'function' && (key === 'dropReason' || key === 'dropped')) {
        for (const kind of ['empty', 'oversized', 'notUtf8', 'unknown', 'noSpace', 'quitArguments', 'chatWithoutName', 'controlInChat'] as const) {
          const reason = { kind, bytes: 2000, limit: 1024, start: 'X', letter: 'Q', got: 'a b', name: 'bob' } as never;
          all.set(`${key}.${kind}`, key === 'dropped' ? words.dropped('127.0.0.1:1', reason) : words.dropReason(reason));
        }
      } else if (key === 'members') {
        all.set('members.none', words.members([]));
        all.set('members.some', words.members(['bob', 'amy']));
      } else if (typeof value === 'function') {
        all.set(key, (value as (...args: unknown[]) => string)('bob', 3, 'x', 'y'));
      }
    }
    return all;
  }

  test('every sentence has its Chinese, and the Chinese is Chinese', () => {
    const en = sentences(chatWords('en'));
    const zh = sentences(chatWords('zh'));
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
    // What stays the same in both: the chat line's own shape is the course's ("bob 说:x" vs "bob: x").
    for (const [key, text] of zh) expect(text, key).toMatch(han);
  });

  test("the course's own sentences", () => {
    const zh = chatWords('zh');
    expect(zh.joined('xxx')).toBe('xxx 进入了聊天室');
    expect(zh.left('xxx')).toBe('xxx 退出了聊天室');
    expect(zh.chat('xxx', '你好')).toBe('xxx 说:你好');
    expect(zh.admin('你好')).toBe('管理员 说:你好');
    expect(zh.taken('xxx')).toMatch(/^该用户已存在/);
    expect(zh.askName).toBe('请输入姓名:');
    expect(zh.inTheRoom('xxx', 'quit')).toMatch(/^您已进入聊天室/);
  });
});
