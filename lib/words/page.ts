// The words of the runner's HTML: the projector page (`--web`), the handout (`--record FILE`), the
// timeline chart both of them draw, and the lines and mistakes the runner prints about them, in
// each language the runner speaks.
//
// What the terminal views already say (how a process ended, who adopted it, the state names, the
// STAT meanings) comes from ../views/words.ts, so the page, the handout and the terminal say the
// same thing the same way; only what is new on a page is here. The browser gets these words from
// the server (filled into index.html, or inside each picture), never from a copy in page.js.
//
// Chinese uses the course's terms (僵尸进程, 孤儿进程, 父进程, 收养, 回收, 运行器, 检查点, 时间线)
// and full-width punctuation, and puts a space between itself and a Latin word or a number.
// A lesson's own output and checkpoint names are the lesson's: it prints them in the student's
// language itself (lib/lesson/translate.ts), and a checkpoint shows its `shown` name when it has one.
import { currentLanguage, type Language } from './language.js';

/** `<html lang>` of the page and the handout. */
export const HTML_LANG: Record<Language, string> = { en: 'en', zh: 'zh-CN' };

export interface PageWords {
  /** The fixed words of index.html, filled in when the server starts (each `{{name}}` there). */
  page: {
    pageTitle: string;
    connecting: string;
    /** aria-label of the tree's pane. */
    treePane: string;
    processesNow: string;
    arrowsToParent: string;
    /** aria-label of the tree's drawing. */
    treeDiagram: string;
    /** The legend's meaning of a zombie's box (the other states are named as in the terminal). */
    zombieKey: string;
    adoptedKey: string;
    reapedKey: string;
    timeline: string;
    output: string;
    /** The status when the event stream breaks. */
    connectionLost: string;
    /** The banner when the run ended before any finished picture came. */
    lessonStopped: string;
    /** Follows the banner's sentence once the runner has stopped (English puts a space between sentences, Chinese does not). */
    runnerStopped: string;
  };

  /** What each picture (snapshot.ts) tells the page. */
  picture: {
    /** "05 Zombies": the page's heading. */
    heading(number: number | undefined, title: string): string;
    /** The browser tab. */
    documentTitle(number: number | undefined, slug: string, title: string): string;
    running: string;
    stepMode: string;
    pausedAt(name: string): string;
    /** "finished", "finished (exit 0)". */
    finished(how: string | undefined): string;
    /** The banner once the lesson has finished: "The lesson finished (exit 0)." */
    lessonEnded(status: string): string;
    /** A gone process's state, and the start of its note. */
    reaped: string;
    notReapedYet: string;
    bornTo(pid: number): string;
    /** The note of a process in its first parent's box. */
    parentIs(ppid: number): string;
    /** The title of the lesson's process before it names itself. */
    lesson: string;
    runnerTitle: string;
    runnerNote: string;
    initNote: string;
    outsideTitle(pid: number): string;
    outsideNote: string;
    /** A box's tooltip; `state` is '' for the runner's and init's boxes. */
    tip(title: string, pid: number, state: string, note: string): string;
    /** A checkpoint, on the page's list and on the chart: "the child exits (1.2s)". */
    checkpoint(name: string, at: string): string;
  };

  /** The timeline chart (../views/timeline-svg.ts). */
  chart: {
    /** aria-label of the chart. */
    label: string;
    nothingSeenYet: string;
    /** A live process's caption: "sleeping (S)". */
    stateNow(state: string, stat: string): string;
    rowTip(title: string, pid: number, ending: string): string;
    spanTip(stat: string, from: string, to: string, ppid: number): string;
  };

  /** The handout (../handout/handout.ts). */
  handout: {
    title(number: number | undefined, title: string): string;
    /** The first sentence under the title; the date is UTC. */
    recorded(at: string, intervalMs: number): string;
    /** The second: "The lesson ended (exit 0)." */
    lessonEnded(how: string | undefined): string;
    lessonStopped: string;
    /** The ending and "What the kernel showed: …" (../views/words.ts) as two sentences. */
    outcome(ending: string, kernelShowed: string): string;
    timeline: string;
    timelineHelp: string;
    checkpoints: string;
    noCheckpoints: string;
    /** " at 1.2s " between a checkpoint's name and its pid, with the spaces it needs around it. */
    checkpointAt(at: string): string;
    /** "(pid 7504)" after it. */
    checkpointPid(pid: number): string;
    processes: string;
    columns: { process: string; bornTo: string; seenAt: string; statOverTime: string; howItEnded: string };
    printed: string;
    printedNothing: string;
    footer(slug: string, lessonPid: number, runnerPid: number): string;
  };

  /**
   * The room's side of predict mode (`--predict --web`): what a student's page and the teacher's
   * page say about the question open now. Sent with each question; page.js has no words of its own.
   */
  room: {
    /** The box's heading, with the question's number. */
    heading(number: number): string;
    /** Above a student's buttons. */
    pick: string;
    /** Under them once chosen. */
    yourAnswer(value: string): string;
    /** The room's answers are taken until the teacher answers in the terminal. */
    open: string;
    closed: string;
    /** The teacher's histogram: how many answered. */
    answers(count: number): string;
    /** The teacher's own answer, given in the terminal. */
    teacherAnswer(value: string): string;
    /** The reveal: what the table showed. */
    tableShowed(value: string): string;
    right: string;
    wrong: string;
    /** A student who gave no answer. */
    noAnswer: string;
  };

  /** What the runner prints in the terminal about the page and the handout. */
  terminal: {
    projector(url: string): string;
    /** The teacher's own link (it carries the teacher's token) when the room can open the page. */
    teacherPage(url: string): string;
    /** One line per address the room can open. */
    roomPage(url: string): string;
    /** Bound to every address, but none of them is reachable from another machine. */
    noRoomAddress: string;
    webHostInvalid(given: string): string;
    webHostNotHere(host: string): string;
    /** After the terminal's answer: the room's answers beside it. */
    roomAnswers(counts: string, total: number): string;
    projectorWaiting(url: string): string;
    pageMissing(path: string): string;
    webPortRange(given: string): string;
    portInUse(port: number): string;
    portNotAllowed(port: number): string;
    /** `address`: host:port as it was asked for. */
    cannotListen(address: string, why: string): string;
    handoutSaved(path: string): string;
  };
}

const en: PageWords = {
  page: {
    pageTitle: 'procbook — projector view',
    connecting: 'connecting…',
    treePane: 'the process tree now',
    processesNow: 'Processes now',
    arrowsToParent: '(arrows point to the parent)',
    treeDiagram: 'process tree',
    zombieKey: 'zombie: dead, not reaped',
    adoptedKey: 'adopted (orphan)',
    reapedKey: 'reaped',
    timeline: 'Timeline',
    output: 'Output',
    connectionLost: 'connection lost: is the runner still running?',
    lessonStopped: 'The lesson was stopped.',
    runnerStopped: ' The runner has stopped; this is the final picture.',
  },
  picture: {
    heading: (number, title) => (number === undefined ? title : `${String(number).padStart(2, '0')} ${title}`),
    documentTitle: (number, slug) => (number === undefined ? `procbook watch ${slug}` : `procbook ${String(number).padStart(2, '0')} ${slug}`),
    running: 'running',
    stepMode: 'step mode',
    pausedAt: (name) => `paused at: ${name} — press space in the terminal`,
    finished: (how) => `finished${how ? ` (${how})` : ''}`,
    lessonEnded: (status) => `The lesson ${status}.`,
    reaped: 'reaped',
    notReapedYet: 'not reaped yet',
    bornTo: (pid) => `born to ${pid}`,
    parentIs: (ppid) => `PPID ${ppid}`,
    lesson: 'lesson',
    runnerTitle: 'procbook runner',
    runnerNote: 'subreaper: takes the lesson’s orphans',
    initNote: 'PID 1: takes orphans nobody else takes',
    outsideTitle: (pid) => `process ${pid}`,
    outsideNote: 'outside the lesson',
    tip: (title, pid, state, note) => `${title} ${pid}: ${state ? `${state}, ` : ''}${note}`,
    checkpoint: (name, at) => `${name} (${at})`,
  },
  chart: {
    label: "timeline of the lesson's processes",
    nothingSeenYet: 'No process of the lesson was seen yet.',
    stateNow: (state, stat) => `${state} (${stat})`,
    rowTip: (title, pid, ending) => `${title} ${pid}: ${ending}`,
    spanTip: (stat, from, to, ppid) => `${stat} ${from}–${to}, parent ${ppid}`,
  },
  handout: {
    title: (number, title) => (number === undefined ? `procbook watch — ${title}` : `Lesson ${String(number).padStart(2, '0')} — ${title}`),
    recorded: (at, intervalMs) => `Run with procbook on ${at} UTC (the process table sampled every ${intervalMs} ms).`,
    lessonEnded: (how) => `The lesson ${how ? `ended (${how})` : 'ended'}.`,
    lessonStopped: 'The lesson was stopped before the end.',
    outcome: (ending, kernelShowed) => `${ending} ${kernelShowed}.`,
    timeline: 'The timeline',
    timelineHelp:
      'One bar per process, on one time axis: read down a column to see every process at the same moment.\n' +
      "The numbered marks are the lesson's checkpoints.",
    checkpoints: 'Checkpoints',
    noCheckpoints: 'The lesson marked no checkpoints.',
    checkpointAt: (at) => ` at ${at} `,
    checkpointPid: (pid) => `(pid ${pid})`,
    processes: 'The processes',
    columns: { process: 'process', bornTo: 'born to', seenAt: 'seen at', statOverTime: 'STAT over time', howItEnded: 'how it ended' },
    printed: 'What the lesson printed',
    printedNothing: 'The lesson printed nothing.',
    footer: (slug, lessonPid, runnerPid) =>
      `procbook · ${slug} · pid ${lessonPid} was the lesson, pid ${runnerPid} the runner.\n` +
      "Nothing here was simulated: every state was read from the kernel's process table while the lesson ran.",
  },
  room: {
    heading: (number) => `Prediction ${number}`,
    pick: 'What will the table show? Pick one:',
    yourAnswer: (value) => `Your answer: ${value}. You can change it until the teacher answers.`,
    open: 'The room is answering.',
    closed: 'Answers are closed: watch the table.',
    answers: (count) => (count === 1 ? '1 answer' : `${count} answers`),
    teacherAnswer: (value) => `Answered in the terminal: ${value}`,
    tableShowed: (value) => `The table showed: ${value}.`,
    right: 'You were right.',
    wrong: 'Not this time.',
    noAnswer: 'You gave no answer.',
  },
  terminal: {
    projector: (url) => `Projector view: ${url}`,
    teacherPage: (url) => `Projector view (yours, do not share it): ${url}`,
    roomPage: (url) => `For the room (read-only): ${url}`,
    noRoomAddress: 'For the room: this machine has no address another machine can reach (only loopback).',
    webHostInvalid: (given) => `--web-host takes an IP address of this machine (127.0.0.1, or 0.0.0.0 for every address), not "${given}".`,
    webHostNotHere: (host) => `${host} is not an address of this machine: leave --web-host out, or use 0.0.0.0 for every address.`,
    roomAnswers: (counts, total) => (total === 0 ? 'The room: no answers.' : `The room: ${counts} (${total === 1 ? '1 answer' : `${total} answers`}).`),
    projectorWaiting: (url) => `Projector view: ${url}  (open it; the lesson starts when the page is open, or press Enter)`,
    pageMissing: (path) => `the projector page is missing (${path}): reinstall procbook.`,
    webPortRange: (given) => `--web-port takes a port number from 1 to 65535, not "${given}".`,
    portInUse: (port) => `port ${port} is in use: choose another with --web-port N, or leave --web-port out to take a free port.`,
    portNotAllowed: (port) => `port ${port} is not allowed here: choose one above 1023 with --web-port N.`,
    cannotListen: (address, why) => `the projector page cannot listen on ${address} (${why}).`,
    handoutSaved: (path) => `Handout saved: ${path}`,
  },
};

/** "第 5 课：僵尸进程": the lesson as the course names it. */
const zhLesson = (number: number | undefined, title: string): string => (number === undefined ? `观察程序：${title}` : `第 ${number} 课：${title}`);

const zh: PageWords = {
  page: {
    pageTitle: 'procbook — 投影页面',
    connecting: '正在连接…',
    treePane: '当前的进程树',
    processesNow: '当前的进程',
    arrowsToParent: '（箭头指向父进程）',
    treeDiagram: '进程树',
    zombieKey: '僵尸进程：已退出，还没被回收',
    adoptedKey: '被收养（孤儿进程）',
    reapedKey: '已回收',
    timeline: '时间线',
    output: '输出',
    connectionLost: '连接已断开：运行器还在运行吗？',
    lessonStopped: '本课被中途停止。',
    runnerStopped: '运行器已停止，这是最后的画面。',
  },
  picture: {
    heading: zhLesson,
    documentTitle: (number, _slug, title) => `procbook ${zhLesson(number, title)}`,
    running: '运行中',
    stepMode: '单步模式',
    pausedAt: (name) => `停在：${name} — 请在终端里按空格继续`,
    finished: (how) => `已结束${how ? `（${how}）` : ''}`,
    lessonEnded: (status) => `本课${status}。`,
    reaped: '已回收',
    notReapedYet: '还没被回收',
    bornTo: (pid) => `原父进程 ${pid}`,
    parentIs: (ppid) => `父进程 ${ppid}`,
    lesson: '本课进程',
    runnerTitle: 'procbook 运行器',
    runnerNote: 'subreaper：收养本课的孤儿进程',
    initNote: 'PID 1：收养没有别人收养的孤儿进程',
    outsideTitle: (pid) => `进程 ${pid}`,
    outsideNote: '不属于本课',
    tip: (title, pid, state, note) => `${title} ${pid}：${state ? `${state}，` : ''}${note}`,
    checkpoint: (name, at) => `${name}（${at}）`,
  },
  chart: {
    label: '本课各进程的时间线',
    nothingSeenYet: '还没有看到本课的任何进程。',
    stateNow: (state, stat) => `${state}（${stat}）`,
    rowTip: (title, pid, ending) => `${title} ${pid}：${ending}`,
    spanTip: (stat, from, to, ppid) => `${stat} ${from}–${to}，父进程 ${ppid}`,
  },
  handout: {
    title: zhLesson,
    recorded: (at, intervalMs) => `用 procbook 运行于 ${at} UTC（每 ${intervalMs} 毫秒读取一次进程表）。`,
    lessonEnded: (how) => `本课已结束${how ? `（${how}）` : ''}。`,
    lessonStopped: '本课在结束前被停止了。',
    outcome: (ending, kernelShowed) => `${ending}${kernelShowed}。`,
    timeline: '时间线',
    timelineHelp:
      '每个进程一条横条，共用一条时间轴：沿着一列往下看，就是同一时刻的所有进程。\n' + '带编号的标记是本课的检查点。',
    checkpoints: '检查点',
    noCheckpoints: '本课没有标记检查点。',
    checkpointAt: (at) => `，在 ${at}`,
    checkpointPid: (pid) => `（PID ${pid}）`,
    processes: '进程',
    columns: { process: '进程', bornTo: '原父进程', seenAt: '出现于', statOverTime: 'STAT 的变化', howItEnded: '如何结束' },
    printed: '本课的输出',
    printedNothing: '本课没有输出任何内容。',
    footer: (slug, lessonPid, runnerPid) =>
      `procbook · ${slug} · 本课进程的 PID 是 ${lessonPid}，运行器的 PID 是 ${runnerPid}。\n` +
      '这里没有任何模拟：每一个状态都是本课运行时从内核的进程表里读到的。',
  },
  room: {
    heading: (number) => `预测 ${number}`,
    pick: '进程表接下来会显示什么？选一个：',
    yourAnswer: (value) => `你的回答：${value}。老师在终端里作答之前，你都可以改。`,
    open: '全班正在作答。',
    closed: '作答已结束：请看进程表。',
    answers: (count) => `共 ${count} 个回答`,
    teacherAnswer: (value) => `终端里的回答：${value}`,
    tableShowed: (value) => `进程表显示的是：${value}。`,
    right: '你答对了。',
    wrong: '这次没答对。',
    noAnswer: '你没有作答。',
  },
  terminal: {
    projector: (url) => `投影页面：${url}`,
    teacherPage: (url) => `投影页面（你自己的，不要分享）：${url}`,
    roomPage: (url) => `给全班（只读）：${url}`,
    noRoomAddress: '给全班：这台机器没有其他机器能访问的地址（只有回环地址）。',
    webHostInvalid: (given) => `--web-host 需要本机的一个 IP 地址（127.0.0.1，或者 0.0.0.0 表示所有地址），而不是“${given}”。`,
    webHostNotHere: (host) => `${host} 不是本机的地址：去掉 --web-host，或者用 0.0.0.0 表示所有地址。`,
    roomAnswers: (counts, total) => (total === 0 ? '全班：没有人作答。' : `全班：${counts}（共 ${total} 个回答）。`),
    // Two spaces after the link, as in English: a terminal must not take the bracket for part of it.
    projectorWaiting: (url) => `投影页面：${url}  （请打开它；页面打开后本课才开始，也可以直接按回车键）`,
    pageMissing: (path) => `投影页面的文件不见了（${path}）：请重新安装 procbook。`,
    webPortRange: (given) => `--web-port 需要 1 到 65535 之间的端口号，而不是“${given}”。`,
    portInUse: (port) => `端口 ${port} 已被占用：用 --web-port N 换一个，或者去掉 --web-port，自动选一个空闲端口。`,
    portNotAllowed: (port) => `这里不允许使用端口 ${port}：请用 --web-port N 选一个大于 1023 的端口。`,
    cannotListen: (address, why) => `投影页面无法在 ${address} 上监听（${why}）。`,
    handoutSaved: (path) => `讲义已保存：${path}`,
  },
};

export const PAGE_WORDS: Record<Language, PageWords> = { en, zh };

/** The words in the language the runner speaks now (see ../language.ts), unless one is given. */
export function pageWords(language: Language = currentLanguage()): PageWords {
  return PAGE_WORDS[language];
}
