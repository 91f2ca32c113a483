// Chinese (`--lang zh`, or a zh locale): the runner's words in the course's terms, every column
// still aligned with wide characters, and a README.zh.md beside every lesson README.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { catalogue } from '../../../lessons/index.js';
import { STAT_MEANINGS, STAT_MEANINGS_ZH } from '../../../lib/words/stat-meanings.js';
import type { TableRow } from '../../../lib/observe/observer.js';
import type { OutputLine, TimelineData } from '../../../lib/observe/timeline.js';
import { availableLessons } from '../../../lib/cli/catalogue.js';
import { chooseLanguage, languageFlag, languageFromEnvironment, parseLanguage, setLanguage } from '../../../lib/words/language.js';
import { menuChoices } from '../../../lib/cli/menu.js';
import { observedAnswer } from '../../../lib/present/answers.js';
import { FrameRenderer } from '../../../lib/present/views/frame.js';
import { renderLegend } from '../../../lib/present/views/legend.js';
import { createLiveView } from '../../../lib/present/views/live.js';
import { createPlainView } from '../../../lib/present/views/plain.js';
import { renderSummary } from '../../../lib/present/views/summary.js';
import { renderTable } from '../../../lib/present/views/table.js';
import { stripAnsi, wrapLine } from '../../../lib/present/views/text.js';
import type { View } from '../../../lib/present/views/types.js';
import { VIEW_WORDS } from '../../../lib/words/views.js';
import { projectRoot, runLesson, runnerCli } from '../../support/run-lesson.js';
import { TABLE_OPTIONS, familyRows, viewState, zombieTimeline } from './fixtures.js';
import { TestTerminal } from '../../support/terminal.js';

const CJK = /[\u4e00-\u9fff]/;

/** The orphan lesson's table with Chinese process titles (a lesson may name its processes so). */
function chineseRows(): TableRow[] {
  const names: Record<string, string> = {
    parent: '父进程',
    child: '子进程',
    grandchild: '二级子进程',
    'zombie-child': '僵尸子进程',
    orphan: '孤儿进程',
    'stopped-orphan': '暂停的孤儿',
    'reaped-child': '已回收的子进程',
  };
  return familyRows().map((each) => ({ ...each, title: names[each.title] ?? each.title }));
}

function chineseTimeline(): TimelineData {
  const timeline = zombieTimeline();
  const names: Record<string, string> = { parent: '父进程', child: '子进程', orphan: '孤儿进程' };
  return { ...timeline, processes: timeline.processes.map((each) => ({ ...each, title: names[each.title] ?? each.title })) };
}

const CHINESE_OUTPUT: OutputLine[] = [
  { t: 1, stream: 'stdout', text: '\x1b[36mparent 7504\x1b[0m: 我是父进程，我的子进程是 7515' },
  { t: 2, stream: 'stdout', text: 'child 7515: 我是子进程，我先退出；父进程还没有回收我的退出状态，所以我现在是一个僵尸进程，STAT 是 Z。' },
  { t: 3, stream: 'stdout', text: '  父进程的事件循环被阻塞了三秒钟：这段时间里，Node 无法调用 waitpid()，子进程就一直留在进程表里。' },
  { t: 4, stream: 'stderr', text: '错误：这是一行写到 stderr 的中文' },
];

/** The cell column of the first cell on row y showing `char`, or -1. */
function cellColumn(term: TestTerminal, y: number, char: string): number {
  for (let x = 0; x < term.columns; x++) if (term.cell(x, y).getChars() === char) return x;
  return -1;
}

/** The cell column where row y first shows `text`, from column `from` on (wide characters count as two cells). */
function columnOf(term: TestTerminal, y: number, text: string, from = 0): number {
  const line = term.screen.buffer.active.getLine(term.screen.buffer.active.viewportY + y)!;
  for (let x = from; x < term.columns; x++) if (line.translateToString(true, x).startsWith(text)) return x;
  return -1;
}

describe('choosing the language', () => {
  test('--lang as people write it; the locale as POSIX reads it (LC_ALL, then LC_MESSAGES, then LANG)', () => {
    for (const text of ['zh', 'zh-CN', 'zh_TW', 'ZH', 'cn', '中文']) expect(parseLanguage(text)).toBe('zh');
    for (const text of ['en', 'en_US', 'english', 'C']) expect(parseLanguage(text)).toBe('en');
    expect(parseLanguage('fr')).toBeUndefined();

    expect(languageFromEnvironment({ LANG: 'zh_CN.UTF-8' })).toBe('zh');
    expect(languageFromEnvironment({ LANG: 'zh_CN.UTF-8', LC_ALL: 'C' })).toBe('en');
    expect(languageFromEnvironment({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_TW.UTF-8' })).toBe('zh');
    expect(languageFromEnvironment({ LANG: 'C.UTF-8' })).toBe('en');
    expect(languageFromEnvironment({})).toBe('en');

    expect(languageFlag(['5', '--lang', 'zh', '--plain'])).toBe('zh');
    expect(languageFlag(['--lang=en', '5'])).toBe('en');
    expect(languageFlag(['5'])).toBeUndefined();
    expect(chooseLanguage('en', { LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(chooseLanguage(undefined, { LANG: 'zh_CN.UTF-8' })).toBe('zh');
  });

  function cli(args: string[], env: Record<string, string>): { status: number | null; stderr: string; stdout: string } {
    const base = { ...process.env };
    delete base.LC_ALL;
    delete base.LC_MESSAGES;
    delete base.LANG;
    const result = spawnSync(process.execPath, [runnerCli, ...args], { env: { ...base, ...env }, encoding: 'utf8', timeout: 10_000 });
    return { status: result.status, stderr: result.stderr, stdout: result.stdout };
  }

  test('LANG=zh_CN.UTF-8 selects Chinese; --lang en and LC_ALL=C override it; a bad --lang is one sentence', () => {
    const zh = cli(['lesson', 'nosuch'], { LANG: 'zh_CN.UTF-8' });
    expect(zh.status).toBe(2);
    expect(zh.stderr).toMatch(/^procbook: 没有“nosuch”这一课。可选的课有：1 fork, .*5 zombie.*。\n$/);

    const pace = cli(['lesson', '5', '--pace', '99'], { LANG: 'zh_CN.UTF-8' });
    expect(pace.stderr).toBe('procbook: --pace 需要 0 到 20 之间的数字（1 为正常速度），而不是“99”。\n');
    expect(cli(['lesson', '--bogus'], { LANG: 'zh_CN.UTF-8' }).stderr).toMatch(/^procbook: 没有 --bogus 这个选项（用法：npm run lesson /);

    expect(cli(['lesson', 'nosuch', '--lang', 'en'], { LANG: 'zh_CN.UTF-8' }).stderr).toMatch(/^procbook: there is no lesson "nosuch"\./);
    expect(cli(['lesson', 'nosuch'], { LANG: 'zh_CN.UTF-8', LC_ALL: 'C' }).stderr).toMatch(/^procbook: there is no lesson "nosuch"\./);
    expect(cli(['lesson', 'nosuch', '--lang=zh'], { LANG: 'C.UTF-8' }).stderr).toMatch(/^procbook: 没有“nosuch”这一课/);

    const bad = cli(['lesson', '5', '--lang', 'fr'], { LANG: 'C.UTF-8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('procbook: --lang takes en or zh, not "fr".\n');
    expect(cli(['lesson', '--help', '--lang', 'zh'], {}).stdout).toMatch(/^用法：npm run lesson .*\[--lang en\|zh\]\n可选的课有：/);
  });
});

describe('in Chinese', () => {
  beforeEach(() => setLanguage('zh'));
  afterEach(() => setLanguage('en'));

  test('every lesson, every STAT letter and every state has its Chinese words', () => {
    for (const info of catalogue) for (const text of Object.values(info.zh)) expect(text).toMatch(CJK);
    expect(Object.keys(STAT_MEANINGS_ZH)).toEqual(Object.keys(STAT_MEANINGS));
    expect(Object.keys(VIEW_WORDS.zh.stateNames)).toEqual(Object.keys(VIEW_WORDS.en.stateNames));
    expect(availableLessons().find((lesson) => lesson.number === 5)?.title).toBe('僵尸进程');
    expect(availableLessons().find((lesson) => lesson.number === 4)?.title).toBe('孤儿进程');
    expect(availableLessons().find((lesson) => lesson.number === 9)?.title).toBe('进程池');
  });

  test('the plain log: table headings, marks, the pause, the end and the summary chart in Chinese', () => {
    let text = '';
    const view = createPlainView({ write: (more) => (text += more), color: false, width: 100 });
    view.update(viewState({ rows: chineseRows(), now: 2500, pausedAt: 'the child exits' }));
    view.update(viewState({ rows: chineseRows(), now: 2600, finished: { code: 0, signal: null } }));
    view.close(chineseTimeline());
    const lines = text.split('\n');

    expect(lines[0]).toBe('[2.50s]  PID PPID STAT 时长 进程名');
    expect(text).toContain('被 4711（运行器）收养，原父进程 7545');
    expect(text).toContain('被 1（init）收养，原父进程 7545');
    expect(text).toContain('已退出 · 退出码 3');
    expect(text).toContain('[2.50s] 停在：the child exits — 按空格继续');
    expect(text).toContain('[2.60s] 本课结束（退出码 0）');
    expect(text).toContain('内核所见：3 个进程，共 4s（每列 = ');
    expect(text).toMatch(/父进程 7504 +S+\s+(↳ )?退出码 0，由 4711（运行器）回收/);
    expect(text).toMatch(/└─ 子进程 7515 +S*Z+\s+(↳ )?退出码 0，由 7504（父进程）回收/);
    expect(text).toContain('被 SIGTERM 杀死，由 4711（运行器）收养并回收');
    expect(text).toContain('检查点：1 start a child (0s) · 2 the child exits (1s) · 3 reap it (3s)');
    expect(text).toContain('状态：S 睡眠 · Z 僵尸   （空白：不存在）');
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(100);
  });

  test('the table: every column starts in the same cell on every row, Chinese headings and titles included', () => {
    const lines = renderTable(chineseRows(), TABLE_OPTIONS);
    const fixed = (line: string): number => stringWidth(/^( *\S+ +\S+ +\S+ +\S+ )/.exec(line)![1]!);
    expect(lines[0]).toBe(' PID PPID STAT 时长 进程名');
    for (const line of lines) {
      expect(fixed(line)).toBe(fixed(lines[0]!));
      expect(stringWidth(line)).toBeLessThanOrEqual(TABLE_OPTIONS.width);
    }
    // Squeezed, the Chinese marks get shorter in cells, never past the width.
    for (const width of [30, 40, 50, 60]) {
      for (const line of renderTable(chineseRows(), { ...TABLE_OPTIONS, width })) expect(stringWidth(line)).toBeLessThanOrEqual(width);
    }
    expect(renderTable(chineseRows(), { ...TABLE_OPTIONS, width: 40 }).join('\n')).toContain('被收养');
  });

  test('the STAT legend in the course’s words, its meanings in one column after the widest key', () => {
    const lines = renderLegend(familyRows(), { width: 200, color: false });
    expect(lines.map((line) => line.split(' ')[0])).toEqual(['R', 'S', 'T', 'Z', 's', 'l', '被收养', '已退出']);
    expect(lines[3]).toBe(`Z       ${STAT_MEANINGS_ZH.Z}`);
    expect(lines[3]).toContain('僵尸进程：已经退出，但父进程还没有回收它的退出状态');
    expect(lines[4]).toBe('s       （跟在状态字母后）会话组组长');
    expect(lines[6]).toMatch(/^被收养  孤儿进程：/);
    for (const line of lines) expect(stringWidth(/^(\S+ +)/.exec(line)![1]!)).toBe(8);

    const narrow = renderLegend(familyRows(), { width: 30, color: true });
    for (const line of narrow) expect(stringWidth(line)).toBeLessThanOrEqual(30);
    const z = narrow.findIndex((line) => stripAnsi(line).startsWith('Z '));
    expect(stripAnsi(narrow[z + 1]!)).toMatch(/^ {8}\S/);

    const compact = renderLegend(familyRows(), { width: 60, color: false, compact: true });
    expect(compact.join(' ')).toBe('R 运行态 · S 睡眠 · T 暂停 · Z 僵尸进程 · s 会话组组长 · l 多线程 · 被收养（父进程先退出） · 已退出（已结束并被回收）');
    for (const line of compact) expect(stringWidth(line)).toBeLessThanOrEqual(60);
  });

  test('Chinese text wraps between characters, never leaving a closing bracket or comma at a line’s start', () => {
    const texts = [
      STAT_MEANINGS_ZH.S!,
      '孤儿进程：它的父进程先退出了，内核把它交给另一个进程收养（init 或 subreaper）',
      '父进程的事件循环被阻塞了三秒钟：这段时间里，Node 无法调用 waitpid()，子进程就一直留在进程表里。',
    ];
    for (const text of texts) {
      for (let width = 8; width <= 40; width++) {
        const lines = wrapLine(text, width);
        for (const line of lines) {
          expect(stringWidth(line)).toBeLessThanOrEqual(width);
          expect(line).not.toMatch(/^[）」，。、；：！？]/);
          expect(line).not.toMatch(/[（「]$/);
        }
        // Nothing lost: the lines are the text, less the spaces where it broke.
        expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
        // A Latin word is not cut when it fits on a line.
        if (width >= 12) expect(lines.join('\n')).not.toMatch(/subr\neaper|wait\npid/);
      }
    }
    expect(wrapLine('  缩进的一段中文会保持它的缩进，续行也一样。', 12).every((line) => line.startsWith('  '))).toBe(true);
  });

  test('the summary chart: labels, the axis and the endings line up in cells', () => {
    const lines = renderSummary(chineseTimeline(), { width: 100, color: false }).split('\n');
    // The tick labels start over the chart's first column ("0s"); the checkpoints' axis too.
    const ticks = lines.find((line) => /^ +0s /.test(line))!;
    const chartStart = stringWidth(ticks.slice(0, ticks.indexOf('0s')));
    const axis = lines.find((line) => line.startsWith('检查点 '))!;
    expect(stringWidth(axis.slice(0, axis.search(/[1├]/)))).toBe(chartStart);
    const parent = lines.find((line) => line.startsWith('父进程 7504'))!;
    expect(stringWidth(parent.slice(0, parent.indexOf('S')))).toBe(chartStart);
    const rows = lines.filter((line) => /退出码|被 SIG/.test(line) && !line.startsWith('状态'));
    expect(rows).toHaveLength(3);
    const endings = rows.map((line) => stringWidth(line.slice(0, line.search(/退出码|被 SIG/))));
    expect(new Set(endings).size).toBe(1);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(100);
    // Narrow: the endings go under each row, still within the width.
    for (const line of renderSummary(chineseTimeline(), { width: 50, color: true }).split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(50);
  });

  test('every frame line is exactly as wide as the screen, side by side and stacked', () => {
    const state = viewState({
      lesson: { number: 5, slug: 'zombie', title: '僵尸进程' },
      rows: chineseRows(),
      output: CHINESE_OUTPUT,
      pausedAt: '父进程忙着，子进程退出了',
    });
    for (const size of [
      { columns: 120, rows: 30 },
      { columns: 100, rows: 12 },
      { columns: 80, rows: 30 },
      { columns: 61, rows: 20 },
      { columns: 41, rows: 16 },
    ]) {
      const lines = new FrameRenderer(true).render(state, size);
      expect(lines).toHaveLength(size.rows);
      for (const line of lines) expect(stringWidth(line)).toBe(size.columns);
    }
  });

  describe('the live view in a headless terminal', () => {
    let term: TestTerminal | undefined;
    let view: View | undefined;
    afterEach(() => {
      view?.close(chineseTimeline());
      term?.dispose();
      term = undefined;
      view = undefined;
    });

    test('side by side: Chinese in both panes, the divider in one column on every row', async () => {
      term = new TestTerminal(120, 30);
      view = createLiveView({ stdout: term, color: true, minFrameMs: 0 });
      view.update(viewState({ lesson: { number: 5, slug: 'zombie', title: '僵尸进程' }, rows: chineseRows(), output: CHINESE_OUTPUT }));
      const rows = await term.text();
      expect(rows[0]).toMatch(/^ 05 僵尸进程 +2\.5s · 正常速度 · q：退出$/);

      const divider = cellColumn(term, 1, '│');
      expect(divider).toBeGreaterThan(50);
      for (let y = 1; y < 30; y++) expect(term.cell(divider, y).getChars()).toBe('│');
      // The Chinese output wraps before the divider and is all there.
      const left = rows.slice(1).map((line) => line.slice(0, line.indexOf('│')).trimEnd());
      expect(left.join('')).toContain('父进程的事件循环被阻塞了三秒钟');
      for (let y = 1; y < 30; y++) {
        const line = term.screen.buffer.active.getLine(y)!;
        expect(stringWidth(line.translateToString(true, 0, divider).trimEnd())).toBeLessThanOrEqual(divider - 1);
      }

      // The table: headings and titles in Chinese, each column in one cell column.
      const header = rows.findIndex((line) => line.includes('进程名'));
      const titleX = columnOf(term, header, '进程名', divider);
      expect(titleX).toBeGreaterThan(divider);
      expect(columnOf(term, header + 1, '父进程', divider)).toBe(titleX);
      expect(columnOf(term, header + 2, '├─ 子进程', divider)).toBe(titleX);
      expect(columnOf(term, header, 'STAT', divider)).toBe(columnOf(term, header + 1, 'Ssl', divider));
      expect(rows.join('\n')).toContain('被 4711（运行器）收养');
      // … and the legend below it.
      expect(rows.some((line) => /│ Z +僵尸进程：/.test(line))).toBe(true);
      expect(rows.some((line) => /│ 被收养 +孤儿进程：/.test(line))).toBe(true);
    });

    test('stacked (80 columns): the Chinese divider line and the table below it, aligned', async () => {
      term = new TestTerminal(80, 30);
      view = createLiveView({ stdout: term, color: true, minFrameMs: 0 });
      view.update(viewState({ lesson: { number: 4, slug: 'orphan', title: '孤儿进程' }, rows: chineseRows(), output: CHINESE_OUTPUT, stepMode: true }));
      const rows = await term.text();
      expect(rows[0]).toMatch(/^ 04 孤儿进程 .*单步模式 · q：退出$/);
      const divider = rows.findIndex((line) => line.startsWith('── 进程 ──'));
      expect(divider).toBeGreaterThan(3);
      expect(rows[divider]).toHaveLength(80 - 2); // two wide characters: 80 cells
      expect(rows[divider + 1]).toBe(' PID PPID STAT 时长 进程名');
      const titleX = columnOf(term, divider + 1, '进程名');
      expect(columnOf(term, divider + 2, '父进程')).toBe(titleX);
    });
  });

  test('predict mode still compares answers as values: an exit is "exit 0" whatever the language', () => {
    const child = zombieTimeline().processes.find((each) => each.pid === 7515)!;
    expect(observedAnswer('exit', child, 3500)).toBe('exit 0');
  });

  test('the menu: Chinese titles and summaries, every entry within the terminal in cells', () => {
    const lessons = availableLessons();
    for (const columns of [50, 80, 100, 140]) {
      const choices = menuChoices(lessons, new Set([5]), columns);
      for (const choice of choices) {
        expect(stringWidth(`${choice.message} ${choice.hint}`)).toBeLessThanOrEqual(columns - 8);
        if (choice.hint) expect(choice.hint.startsWith('— ')).toBe(true);
      }
      expect(choices.find((choice) => choice.name === '5')?.message).toBe(' 5  僵尸进程 ✓');
    }
    const narrow = menuChoices(lessons, new Set(), 60);
    expect(narrow.some((choice) => choice.hint.endsWith('…'))).toBe(true);
  });
});

describe('end to end, in Chinese', () => {
  test('lesson 5 --plain --lang zh: the kernel’s zombie in Chinese words', async () => {
    const run = await runLesson('5', { args: ['--lang', 'zh'] });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\] +PID +PPID STAT 时长 进程名\n/);
    expect(run.stdout).toMatch(/\d+ +\d+ Z +\S+ └─ child/);
    expect(run.stdout).toMatch(/本课结束（退出码 0）/);
    expect(run.stdout).toContain('内核所见：');
    expect(run.stdout).toMatch(/└─ child \d+ +\S+ +退出码 3，由 \d+（父进程）回收/);
    expect(run.stdout).toMatch(/状态：.*Z 僵尸/);
    // The lesson's own lines are Chinese too: lesson.ts stays English, lesson.zh.json beside it.
    expect(run.stdout).toContain('── 1. 一个很快就会结束的子进程');
    expect(run.stdout).not.toContain('A child that will finish quickly');
    expect(run.timeline.processes().some((each) => each.everIn('Z'))).toBe(true);
  });

  const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
  test.skipIf(!hasScript)('the menu in a real terminal under LANG=zh_CN.UTF-8: no entry wraps; Ctrl-C leaves with 130', async () => {
    const term = new TestTerminal(80, 30);
    const command = `stty cols 80 rows 30; exec '${process.execPath}' '${runnerCli}' lesson`;
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', LANG: 'zh_CN.UTF-8' };
    delete env.LC_ALL;
    delete env.LC_MESSAGES;
    const runner = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env });
    runner.stdout.on('data', (chunk: Buffer) => term.write(chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => runner.once('close', (code) => resolve(code)));
    try {
      // The menu is drawn in more than one write: wait for its last row, the hint, too.
      const deadline = Date.now() + 10_000;
      const drawn = (lines: string[]): boolean => lines.some((line) => line.includes('选哪一课？')) && lines.some((line) => line.includes('↑/↓'));
      while (!drawn(await term.text())) {
        if (Date.now() > deadline) throw new Error('timed out waiting for the menu');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const menu = await term.text();
      expect(menu.some((line) => /5 +僵尸进程 +— 子进程先退出/.test(line))).toBe(true);
      expect(menu.some((line) => /9 +进程池/.test(line))).toBe(true);
      expect(menu.some((line) => line.includes('用 ↑/↓ 或输入课号选择，回车开始 · Esc 或 q 离开'))).toBe(true);
      const start = menu.findIndex((line) => line.includes('选哪一课？'));
      const end = menu.findIndex((line, index) => index > start && (line.trim() === '' || line.includes('↑/↓')));
      const entries = menu.slice(start + 1, end === -1 ? undefined : end);
      expect(entries.length).toBeGreaterThanOrEqual(3);
      for (const line of entries) expect(line).toMatch(/^\S?\s+\d+\s{2}\S/);
      runner.stdin.write('\x1b[B\x1b[B'); // moving redraws the list: still no stray line
      // The redraw comes in more than one write too: wait until it is whole (a changed screen with
      // every entry row back), then look at it.
      const before = menu.join('\n');
      const entriesOf = (lines: string[]): string[] => lines.slice(start + 1, start + 1 + entries.length);
      const redrawn = (lines: string[]): boolean => lines.join('\n') !== before && drawn(lines) && entriesOf(lines).every((line) => line.trim() !== '');
      const movedBy = Date.now() + 10_000;
      while (!redrawn(await term.text()) && Date.now() < movedBy) await new Promise((resolve) => setTimeout(resolve, 50));
      const moved = await term.text();
      expect(moved.join('\n')).not.toBe(before);
      for (const line of entriesOf(moved)) expect(line).toMatch(/^\S?\s+\d+\s{2}\S/);
      runner.stdin.write('\x03');
      expect(await exited).toBe(130);
      expect((await term.text()).join('\n')).toContain('没有选择任何一课。');
    } finally {
      runner.kill('SIGKILL');
      term.dispose();
    }
  });
});

describe('README.zh.md beside every lesson README', () => {
  const KEY_TERMS: Record<string, string[]> = {
    '01': ['子进程', '父进程'],
    '02': ['进程组', '会话'],
    '03': ['退出码', '退出状态', '信号'],
    '04': ['孤儿进程', '收养'],
    '05': ['僵尸进程', '回收'],
    '06': ['僵尸进程', '回收'],
    '07': ['二级子进程', '守护进程'],
    '08': ['信号', '僵尸进程'],
    '09': ['进程池'],
    '10': ['管道', '消息队列'],
    '11': ['本地套接字'],
    '12': ['聊天室'],
    '13': ['守护进程'],
    '14': ['锁', '信号量'],
    '15': ['共享内存'],
    '16': ['并发', '回收'],
    '17': ['粘包'],
  };
  const folders = readdirSync(join(projectRoot, 'lessons'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(projectRoot, 'lessons', entry.name, 'README.md')))
    .map((entry) => entry.name);

  test('there are lesson READMEs to check', () => {
    expect(folders.length).toBeGreaterThanOrEqual(16);
  });

  test.each(folders)('%s: README.zh.md exists, links both ways, uses the course’s terms and keeps every code block', (folder) => {
    const dir = join(projectRoot, 'lessons', folder);
    const zhPath = join(dir, 'README.zh.md');
    expect(existsSync(zhPath), `lessons/${folder}/README.zh.md is missing: translate lessons/${folder}/README.md`).toBe(true);
    const en = readFileSync(join(dir, 'README.md'), 'utf8');
    const zh = readFileSync(zhPath, 'utf8');
    expect(en.split('\n')[0]).toBe('[中文](README.zh.md)');
    expect(zh).toContain('](README.md)');
    const title = zh.split('\n').find((line) => line.startsWith('# '));
    expect(title).toMatch(CJK);
    for (const term of KEY_TERMS[folder.slice(0, 2)] ?? []) expect(zh, `${folder}: ${term}`).toContain(term);
    // Code is not translated: every fenced block of the English page is in the Chinese one as it is.
    for (const block of en.match(/```[\s\S]*?```/g) ?? []) expect(zh).toContain(block);
    // Nothing left out wholesale: the Chinese page has as many sections as the English one.
    expect(zh.match(/^## /gm)?.length ?? 0).toBe(en.match(/^## /gm)?.length ?? 0);
  });
});
