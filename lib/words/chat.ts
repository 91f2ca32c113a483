// Every sentence the chatroom shows a person (chatroom/): what the server sends its members to
// print, the reasons a name is refused, the client's screen, the server's log and admin console,
// and the one-sentence errors of both command lines, in English and in the course's Chinese.
//
// The Chinese is the course's where the course has the sentence (seed 004 and the seed 000 notes:
// "xxx 进入了聊天室", "xxx 退出了聊天室", "xxx 说:…", "管理员 说:…", "该用户已存在", "请输入姓名",
// "您已进入聊天室", "退出聊天室"). Only what is printed changes: the wire (L, C, Q, OK, EXIT) is the
// same bytes in both languages, so the course's client and server understand ours either way.
// No language is global: the caller passes it in.
import type { Language } from './language.js';

/** Why a datagram was not acted on (for the server's log). */
export type DropReason =
  | { kind: 'empty' }
  | { kind: 'oversized'; bytes: number; limit: number }
  | { kind: 'notUtf8'; bytes: number }
  | { kind: 'unknown'; start: string }
  | { kind: 'noSpace'; letter: string }
  | { kind: 'quitArguments'; got: string }
  | { kind: 'chatWithoutName' }
  | { kind: 'controlInChat'; name: string };

/** Why a name cannot be used. */
export type NameProblem =
  | { kind: 'empty' }
  | { kind: 'spaces' }
  | { kind: 'invisible' }
  | { kind: 'tooLong'; max: number }
  | { kind: 'characters' }
  | { kind: 'noLetter' }
  | { kind: 'reserved'; name: string }
  | { kind: 'likeReserved'; name: string; like: string };

export interface ChatWords {
  // ---- sent by the server, printed by every client (ours and the course's)
  joined(name: string): string;
  left(name: string): string;
  chat(name: string, text: string): string;
  admin(text: string): string;
  kicked(name: string): string;
  youWereKicked: string;
  closing: string;
  taken(name: string): string;
  likeMember(name: string, member: string): string;
  alreadyIn(name: string): string;
  full: string;
  addressFull(limit: number): string;
  expired(name: string, minutes: number): string;
  youExpired(minutes: number): string;
  nameProblem(problem: NameProblem): string;

  // ---- the server's log and admin console
  listening(where: string, pid: number): string;
  adminHelp: string;
  dropReason(reason: DropReason): string;
  dropped(from: string, reason: DropReason): string;
  droppedNotMember(letter: string, name: string, from: string): string;
  droppedWrongAddress(letter: string, name: string, from: string, owner: string): string;
  ignoredEmpty(name: string): string;
  refusedLog(name: string, from: string, why: string): string;
  whyTaken: string;
  whyLikeMember(member: string): string;
  whyAlreadyIn(name: string): string;
  whyFull: string;
  whyAddressFull(limit: number): string;
  joinedLog(name: string, from: string, count: number): string;
  leftLog(name: string, count: number): string;
  expiredLog(name: string, minutes: number, count: number): string;
  noSuchMember(name: string): string;
  kickedLog(name: string, count: number): string;
  closingLog(count: number): string;
  closingSignal(signal: string): string;
  adminSaid(text: string, count: number): string;
  adminControl: string;
  adminTooLong(limit: number): string;
  members(names: string[]): string;
  adminEnded(how: string): string;
  notShown(count: number): string;
  couldNotSend(to: string, message: string): string;
  socketError(message: string): string;
  batching(members: number): string;
  kickUsage: string;
  unknownCommand(command: string): string;

  // ---- the server's command line (one sentence, then exit 2; or a bind problem, exit 1)
  serverUsage: string;
  serverUnknownArgument(arg: string): string;
  needsValue(flag: string): string;
  portRange(min: number, given: string): string;
  langChoices(given: string): string;
  portInUse(port: number, host: string): string;
  portNotAllowed(port: number): string;
  notAnAddress(host: string): string;
  hostNotFound(host: string): string;
  cannotListen(where: string, message: string): string;

  // ---- the client
  clientUsage: string;
  clientUnknownOption(option: string): string;
  tooManyArguments: string;
  askName: string;
  tryAnotherName: string;
  inTheRoom(name: string, quit: string): string;
  sentAway: string;
  youLeft: string;
  nothingListening(where: string): string;
  serverGone(where: string): string;
  networkError(message: string): string;
  noAnswer(where: string): string;
  lineHasControl: string;
  lineTooLong(bytes: number, limit: number): string;
  leavingAnyway(where: string): string;
  noSocketPassed: string;
}

const show = (text: string): string => JSON.stringify(text);

const en: ChatWords = {
  joined: (name) => `${name} joined`,
  left: (name) => `${name} left`,
  chat: (name, text) => `${name}: ${text}`,
  admin: (text) => `admin: ${text}`,
  kicked: (name) => `${name} was removed by the admin`,
  youWereKicked: 'The admin removed you from the room.',
  closing: 'The room is closing. Goodbye!',
  taken: (name) => `The name ${name} is taken; choose another.`,
  likeMember: (name, member) => `The name ${name} looks too much like ${member}, who is in the room; choose another.`,
  alreadyIn: (name) => `You are already in the room as ${name}.`,
  full: 'The room is full; try again later.',
  addressFull: (limit) => `Your address already has ${limit} names in the room, the most one address may hold; try again later.`,
  expired: (name, minutes) => `${name} was removed after ${minutes} minutes of silence, to make room`,
  youExpired: (minutes) => `You were removed from the room after ${minutes} minutes of silence, to make room for someone new.`,
  nameProblem: (problem) => {
    switch (problem.kind) {
      case 'empty':
        return 'A name cannot be empty.';
      case 'spaces':
        return 'A name cannot contain spaces.';
      case 'invisible':
        return 'A name cannot contain control or invisible characters.';
      case 'tooLong':
        return `A name can have at most ${problem.max} characters.`;
      case 'characters':
        return "A name can only have letters, digits, '_', '-' and '.'.";
      case 'noLetter':
        return 'A name needs at least one letter or digit.';
      case 'reserved':
        return `The name ${problem.name} is reserved for the room's admin.`;
      case 'likeReserved':
        return `The name ${problem.name} looks too much like ${problem.like}, which is reserved for the room's admin.`;
    }
  },

  listening: (where, pid) => `chat server listening on ${where} (UDP), pid ${pid}`,
  adminHelp: [
    'Type a line and press Enter: everyone in the room reads it as the admin.',
    '  /who          who is in the room',
    '  /kick NAME    remove a member (for instance one whose client vanished)',
    '  //text        say a line that starts with "/"',
    'Ctrl-C closes the room.',
  ].join('\n'),
  dropReason: (reason) => dropReason(reason),
  dropped: (from, reason) => `dropped a datagram from ${from}: ${dropReason(reason)}`,
  droppedNotMember: (letter, name, from) => `dropped ${letter} for ${show(name)} from ${from}: no such member`,
  droppedWrongAddress: (letter, name, from, owner) => `dropped ${letter} for ${name} from ${from}: ${name} joined from ${owner}`,
  ignoredEmpty: (name) => `ignored an empty line from ${name}`,
  refusedLog: (name, from, why) => `refused ${show(name)} from ${from}: ${why}`,
  whyTaken: 'name taken',
  whyLikeMember: (member) => `looks like ${member}, a member`,
  whyAlreadyIn: (name) => `that address is already ${name}`,
  whyFull: 'room full',
  whyAddressFull: (limit) => `that IP address already has ${limit} names`,
  joinedLog: (name, from, count) => `${name} joined from ${from} (${count} in the room)`,
  leftLog: (name, count) => `${name} left (${count} in the room)`,
  expiredLog: (name, minutes, count) => `${name} was removed after ${minutes} minutes of silence, to make room (${count} in the room)`,
  noSuchMember: (name) => `no member is called ${show(name)}`,
  kickedLog: (name, count) => `${name} was removed by the admin (${count} in the room)`,
  closingLog: (count) => `the room is closing; told ${count} member(s)`,
  closingSignal: (signal) => `${signal}: closing the room`,
  adminSaid: (text, count) => `admin said ${show(text)} to ${count} member(s)`,
  adminControl: 'That line has control characters; it was not sent.',
  adminTooLong: (limit) => `That line is too long (the limit is ${limit} bytes); it was not sent.`,
  members: (names) => (names.length === 0 ? 'members (0): the room is empty' : `members (${names.length}): ${names.join(' ')}`),
  adminEnded: (how) => `the admin console ended (${how}); the room goes on without it`,
  notShown: (count) => `(${count} more lines like these not shown)`,
  couldNotSend: (to, message) => `could not send to ${to}: ${message}`,
  socketError: (message) => `socket error: ${message}`,
  batching: (members) => `${members} members: from now on each fan-out goes out in one system call (sendmmsg)`,
  kickUsage: 'Usage: /kick NAME',
  unknownCommand: (command) => `Unknown command ${command}; /help lists them.`,

  serverUsage:
    'usage: npm run chat:server -- [--host H] [--port P] [--lang en|zh]   (default 0.0.0.0:9999; --port 0 picks a free port)',
  serverUnknownArgument: (arg) => `unknown argument ${show(arg)}; the options are --host H, --port P and --lang en|zh`,
  needsValue: (flag) => `${flag} needs a value`,
  portRange: (min, given) => `the port must be a whole number from ${min} to 65535, not ${show(given)}`,
  langChoices: (given) => `--lang must be en or zh, not ${show(given)}`,
  portInUse: (port, host) => `UDP port ${port} is already in use on ${host} (another chat server?); choose another with --port.`,
  portNotAllowed: (port) => `this user may not use port ${port} (ports below 1024 need privileges); choose another with --port.`,
  notAnAddress: (host) => `${host} is not an address of this machine; use --host 0.0.0.0 or one of its addresses.`,
  hostNotFound: (host) => `cannot find the host ${show(host)}.`,
  cannotListen: (where, message) => `cannot listen on ${where}: ${message}.`,

  clientUsage: 'usage: npm run chat:client -- [HOST] [PORT] [--lang en|zh]   (default 127.0.0.1 9999)',
  clientUnknownOption: (option) => `unknown option ${show(option)}; the arguments are [HOST] [PORT] and --lang en|zh`,
  tooManyArguments: 'too many arguments; the arguments are [HOST] [PORT]',
  askName: 'Your name: ',
  tryAnotherName: 'Try another name.',
  inTheRoom: (name, quit) => `You are in the room as ${name}. Type a message and press Enter; type ${quit} to leave.`,
  sentAway: 'The server sent you away.',
  youLeft: 'You have left the room.',
  nothingListening: (where) => `nothing is listening at ${where} (is the chat server running?).`,
  serverGone: (where) => `the chat server at ${where} has gone away.`,
  networkError: (message) => `network error: ${message}.`,
  noAnswer: (where) => `no chat server answers at ${where}.`,
  lineHasControl: 'That line has control characters; it was not sent.',
  lineTooLong: (bytes, limit) => `That line is too long (${bytes} bytes; a message can have about ${limit}); it was not sent.`,
  leavingAnyway: (where) => `The server at ${where} did not answer; leaving anyway.`,
  noSocketPassed: 'the receiver did not pass its socket.',
};

function dropReason(reason: DropReason): string {
  switch (reason.kind) {
    case 'empty':
      return 'empty datagram';
    case 'oversized':
      return `oversized datagram (${reason.bytes} bytes, limit ${reason.limit})`;
    case 'notUtf8':
      return `not UTF-8 (${reason.bytes} bytes)`;
    case 'unknown':
      return `unknown request ${show(reason.start)}`;
    case 'noSpace':
      return `no space after ${reason.letter}`;
    case 'quitArguments':
      return `Q wants exactly one name, got ${show(reason.got)}`;
    case 'chatWithoutName':
      return 'C without a name';
    case 'controlInChat':
      return `control characters in a chat line from ${show(reason.name)}`;
  }
}

function dropReasonZh(reason: DropReason): string {
  switch (reason.kind) {
    case 'empty':
      return '空数据报';
    case 'oversized':
      return `数据报太长（${reason.bytes} 字节，上限 ${reason.limit}）`;
    case 'notUtf8':
      return `不是 UTF-8（${reason.bytes} 字节）`;
    case 'unknown':
      return `未知的请求 ${show(reason.start)}`;
    case 'noSpace':
      return `${reason.letter} 后面没有空格`;
    case 'quitArguments':
      return `Q 后面应当正好是一个姓名，收到的是 ${show(reason.got)}`;
    case 'chatWithoutName':
      return 'C 后面没有姓名';
    case 'controlInChat':
      return `${show(reason.name)} 的聊天消息里有控制字符`;
  }
}

const zh: ChatWords = {
  // The course's own sentences (seed 004's server and the task list of the course).
  joined: (name) => `${name} 进入了聊天室`,
  left: (name) => `${name} 退出了聊天室`,
  chat: (name, text) => `${name} 说:${text}`,
  admin: (text) => `管理员 说:${text}`,
  kicked: (name) => `${name} 被管理员移出了聊天室`,
  youWereKicked: '管理员已将您移出聊天室。',
  closing: '聊天室即将关闭，再见！',
  taken: (name) => `该用户已存在（${name}），请换一个姓名。`,
  likeMember: (name, member) => `姓名 ${name} 和聊天室里的 ${member} 看起来太像了，请换一个姓名。`,
  alreadyIn: (name) => `您已经以 ${name} 的身份在聊天室里了。`,
  full: '聊天室已满，请稍后再试。',
  addressFull: (limit) => `您的地址在聊天室里已有 ${limit} 个姓名，一个地址最多只能有这么多，请稍后再试。`,
  expired: (name, minutes) => `${name} 已 ${minutes} 分钟没有发言，为了给新人腾出位置，已被移出聊天室`,
  youExpired: (minutes) => `您已 ${minutes} 分钟没有发言，为了给新人腾出位置，您已被移出聊天室。`,
  nameProblem: (problem) => {
    switch (problem.kind) {
      case 'empty':
        return '姓名不能为空。';
      case 'spaces':
        return '姓名不能包含空格。';
      case 'invisible':
        return '姓名不能包含控制字符或不可见字符。';
      case 'tooLong':
        return `姓名最多 ${problem.max} 个字符。`;
      case 'characters':
        return "姓名只能包含字母、数字、'_'、'-' 和 '.'。";
      case 'noLetter':
        return '姓名至少要有一个字母或数字。';
      case 'reserved':
        return `姓名 ${problem.name} 留给聊天室的管理员。`;
      case 'likeReserved':
        return `姓名 ${problem.name} 和 ${problem.like} 看起来太像了，${problem.like} 留给聊天室的管理员。`;
    }
  },

  listening: (where, pid) => `聊天室服务端在 ${where} 上监听（UDP），pid ${pid}`,
  adminHelp: [
    '输入一行后按回车：聊天室里的每个人都会收到这条管理员消息。',
    '  /who          聊天室里有谁',
    '  /kick 姓名    把一个成员移出聊天室（例如客户端已经消失的成员）',
    '  //文字        发送一行以 "/" 开头的消息',
    '按 Ctrl-C 关闭聊天室。',
  ].join('\n'),
  dropReason: (reason) => dropReasonZh(reason),
  dropped: (from, reason) => `丢弃了来自 ${from} 的数据报：${dropReasonZh(reason)}`,
  droppedNotMember: (letter, name, from) => `丢弃了来自 ${from} 的 ${letter}（${show(name)}）：没有这个成员`,
  droppedWrongAddress: (letter, name, from, owner) => `丢弃了来自 ${from} 的 ${letter}（${name}）：${name} 是从 ${owner} 进入的`,
  ignoredEmpty: (name) => `忽略了 ${name} 的一行空消息`,
  refusedLog: (name, from, why) => `拒绝了来自 ${from} 的 ${show(name)}：${why}`,
  whyTaken: '姓名已存在',
  whyLikeMember: (member) => `和成员 ${member} 看起来太像`,
  whyAlreadyIn: (name) => `这个地址已经是 ${name}`,
  whyFull: '聊天室已满',
  whyAddressFull: (limit) => `这个 IP 地址已有 ${limit} 个姓名`,
  joinedLog: (name, from, count) => `${name} 从 ${from} 进入了聊天室（共 ${count} 人）`,
  leftLog: (name, count) => `${name} 退出了聊天室（共 ${count} 人）`,
  expiredLog: (name, minutes, count) => `${name} 已 ${minutes} 分钟没有发言，为了腾出位置被移出聊天室（共 ${count} 人）`,
  noSuchMember: (name) => `没有叫 ${show(name)} 的成员`,
  kickedLog: (name, count) => `${name} 被管理员移出了聊天室（共 ${count} 人）`,
  closingLog: (count) => `聊天室正在关闭；已通知 ${count} 个成员`,
  closingSignal: (signal) => `${signal}：关闭聊天室`,
  adminSaid: (text, count) => `管理员消息 ${show(text)} 已发给 ${count} 个成员`,
  adminControl: '这一行有控制字符，没有发送。',
  adminTooLong: (limit) => `这一行太长了（上限 ${limit} 字节），没有发送。`,
  members: (names) => (names.length === 0 ? '成员（0）：聊天室是空的' : `成员（${names.length}）：${names.join(' ')}`),
  adminEnded: (how) => `管理员控制台结束了（${how}）；聊天室继续运行`,
  notShown: (count) => `（还有 ${count} 行类似的日志没有显示）`,
  couldNotSend: (to, message) => `无法发送给 ${to}：${message}`,
  socketError: (message) => `套接字错误：${message}`,
  batching: (members) => `${members} 个成员：从现在起每次转发都用一次系统调用（sendmmsg）发出`,
  kickUsage: '用法：/kick 姓名',
  unknownCommand: (command) => `没有 ${command} 这个命令；/help 列出所有命令。`,

  serverUsage:
    '用法：npm run chat:server -- [--host H] [--port P] [--lang en|zh]   （默认 0.0.0.0:9999；--port 0 表示任选一个空闲端口）',
  serverUnknownArgument: (arg) => `没有参数 ${show(arg)}；可用的选项是 --host H、--port P 和 --lang en|zh`,
  needsValue: (flag) => `${flag} 后面需要一个值`,
  portRange: (min, given) => `端口必须是 ${min} 到 65535 之间的整数，而不是 ${show(given)}`,
  langChoices: (given) => `--lang 只能是 en 或 zh，而不是 ${show(given)}`,
  portInUse: (port, host) => `${host} 上的 UDP 端口 ${port} 已被占用（另一个聊天室服务端？）；用 --port 换一个端口。`,
  portNotAllowed: (port) => `当前用户不能使用端口 ${port}（1024 以下的端口需要特权）；用 --port 换一个端口。`,
  notAnAddress: (host) => `${host} 不是本机的地址；请用 --host 0.0.0.0 或本机的某个地址。`,
  hostNotFound: (host) => `找不到主机 ${show(host)}。`,
  cannotListen: (where, message) => `无法在 ${where} 上监听：${message}。`,

  clientUsage: '用法：npm run chat:client -- [HOST] [PORT] [--lang en|zh]   （默认 127.0.0.1 9999）',
  clientUnknownOption: (option) => `没有选项 ${show(option)}；参数是 [HOST] [PORT] 和 --lang en|zh`,
  tooManyArguments: '参数太多了；参数是 [HOST] [PORT]',
  askName: '请输入姓名:',
  tryAnotherName: '请换一个姓名。',
  inTheRoom: (name, quit) => `您已进入聊天室（姓名：${name}）。输入消息后按回车发送；输入 ${quit} 退出。`,
  sentAway: '服务端让您离开了聊天室。',
  youLeft: '您已退出聊天室。',
  nothingListening: (where) => `${where} 上没有程序在监听（聊天室服务端运行了吗？）。`,
  serverGone: (where) => `${where} 上的聊天室服务端已经不在了。`,
  networkError: (message) => `网络错误：${message}。`,
  noAnswer: (where) => `${where} 上没有聊天室服务端应答。`,
  lineHasControl: '这一行有控制字符，没有发送。',
  lineTooLong: (bytes, limit) => `这一行太长了（${bytes} 字节；一条消息最多约 ${limit} 字节），没有发送。`,
  leavingAnyway: (where) => `${where} 上的服务端没有应答；直接退出。`,
  noSocketPassed: '接收进程没有把套接字交过来。',
};

const words: Record<Language, ChatWords> = { en, zh };

export function chatWords(language: Language): ChatWords {
  return words[language];
}
