// The projector page and the handout under `--lang zh`: every word of the runner's HTML in
// Chinese, in the course's terms (僵尸进程, 孤儿进程, 回收 …), with none of the English left; the
// lesson's own output and checkpoint names in Chinese too (its lesson.zh.json), so that nothing on
// the page is English but code, commands, STAT letters and process titles.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { catalogue } from '../../../lessons/index.js';
import { STAT_MEANINGS, STAT_MEANINGS_ZH } from '../../../lib/words/stat-meanings.js';
import { escapeHtml } from '../../../lib/present/views/html.js';
import { VIEW_WORDS } from '../../../lib/words/views.js';
import { loadPageAssets } from '../../../lib/present/web/assets.js';
import { PAGE_WORDS } from '../../../lib/words/page.js';
import { runLesson, runnerCli, type LessonRun } from '../../support/run-lesson.js';
import { CJK, wordLeaves } from '../../support/words.js';
import { englishWords } from '../../zh/english.js';
import { chromiumMissing, openBrowser, projectorLink, waitInPage, type Browser } from '../../support/browser.js';

const IDEOGRAPH = /[\u4e00-\u9fff]/;

const EN = PAGE_WORDS.en;
const ZH = PAGE_WORDS.zh;
const ZOMBIES_ZH = catalogue.find((lesson) => lesson.number === 5)!.zh.title;

/** Every word, by its path: strings as they are, functions called with sample values. */
const leaves = (words: object): Map<string, string> => wordLeaves(words, () => [5, 'x', 7, 'y']);

/** The fixed English words a Chinese page must not show (the sentences, not the formats). */
const ENGLISH_WORDS = [
  ...Object.values(EN.page).map((text) => text.trim()),
  EN.picture.running,
  EN.picture.stepMode,
  EN.picture.reaped,
  EN.picture.notReapedYet,
  EN.picture.runnerTitle,
  EN.picture.runnerNote,
  EN.picture.initNote,
  EN.chart.nothingSeenYet,
  'finished',
  'born to',
  'reaped by',
  'adopted by',
  'killed by',
  'exit ',
  'PPID ',
];

describe('the words of the page, the handout and the chart', () => {
  test('every English word has a Chinese one, different, in Chinese characters or punctuation', () => {
    const en = leaves(EN);
    const zh = leaves(ZH);
    expect([...zh.keys()]).toEqual([...en.keys()]);
    expect(en.size).toBeGreaterThan(50);
    for (const [path, english] of en) {
      expect(zh.get(path), path).toMatch(CJK);
      expect(zh.get(path), path).not.toBe(english);
    }
  });

  test('index.html is filled in each language, every word in place', () => {
    const english = loadPageAssets('en')['/']!.body;
    const chinese = loadPageAssets('zh')['/']!.body;
    expect(english).toContain('<html lang="en">');
    expect(chinese).toContain('<html lang="zh-CN">');
    for (const page of [english, chinese]) expect(page).not.toMatch(/\{\{|\}\}/);
    for (const [name, word] of Object.entries(ZH.page)) expect(chinese, name).toContain(escapeHtml(word));
    for (const state of ['R', 'S', 'T']) expect(chinese).toContain(`${state} ${VIEW_WORDS.zh.stateNames[state]}`);
    expect(chinese).toContain('僵尸进程');
    expect(chinese).toContain('孤儿进程');
    for (const word of Object.values(EN.page)) expect(chinese).not.toContain(word.trim());
  });
});

describe('--lang zh --record FILE: the handout of lesson 05 in Chinese', () => {
  let dir: string;
  let run: LessonRun;
  let html: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'procbook-handout-zh-'));
    const file = join(dir, 'zombie.html');
    run = await runLesson('zombie', { pace: 0.3, args: ['--lang', 'zh', '--record', file] });
    html = readFileSync(file, 'utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const texts = (tag: string): string[] => [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>(.*?)</${tag}>`, 'g'))].map((match) => match[1]!);

  test('is Chinese: lang, the title from the catalogue, every heading', () => {
    expect(run.code).toBe(0);
    expect(html).toContain('<html lang="zh-CN">');
    expect(run.stdout).toMatch(/讲义已保存：.*zombie\.html/);
    expect(texts('title')[0]).toBe(`第 5 课：${ZOMBIES_ZH}`); // the page's; the chart's tooltips follow
    expect(texts('h1')).toEqual(['第 5 课：僵尸进程']);
    expect(texts('h2')).toEqual(['时间线', '检查点', '进程', '本课的输出']);
    const columns = texts('th');
    expect(columns[0]).toBe('PID'); // what ps prints, in every language
    for (const column of columns.slice(1)) expect(column).toMatch(IDEOGRAPH);
    expect(html).toMatch(/本课已结束（退出码 0）。内核所见：\d+ 个进程，共 [\d.]+s。/);
    expect(html).toContain('运行器的 PID 是');
  });

  test('the processes, the STAT key and the chart speak the course’s terms', () => {
    const child = run.timeline.fact<number>('child.pid')!;
    const lesson = run.timeline.data.lessonPid;
    expect(html).toContain(`退出码 3，由 ${lesson}（父进程）回收`);
    expect(html).toContain(`<dd>${escapeHtml(STAT_MEANINGS_ZH.Z!)}</dd>`);
    const chart = /<svg class="timeline-chart"[^]*?<\/svg>/.exec(html)![0];
    expect(chart).toContain('aria-label="本课各进程的时间线"');
    expect(chart).toMatch(new RegExp(`data-pid="${child}"[^]*?class="span state-Z"`));
    expect(chart).toContain(`>Z ${VIEW_WORDS.zh.stateNames.Z}</text>`);
    expect(chart).toMatch(/<title>Z [\d.]+s–[\d.]+s，父进程 \d+<\/title>/);
    expect(html).toMatch(/<li class="checkpoint"><b>[^<]+<\/b>，在 [\d.]+s<span class="mono">（PID \d+）<\/span><\/li>/);
  });

  test('no English heading or sentence is left, the lesson’s own lines included', () => {
    // What the lesson printed and named is the lesson's, English by design; the markup (class
    // names, styles) is nobody's reading. What is left is what the runner wrote for people.
    let runnersOwn = html
      .replace(/<style>[^]*?<\/style>/g, '')
      .replace(/<pre class="output">[^]*?<\/pre>/, '')
      .replace(/<b>[^<]*<\/b>/g, '')
      .replace(/<title>\d+\. [^<]*<\/title>/g, '')
      .replace(/<[^>]*>/g, ' ');
    for (const record of run.timeline.data.processes) runnersOwn = runnersOwn.split(escapeHtml(record.title)).join(' ');
    const shown = html.replace(/<[^>]*>/g, ' '); // what a reader sees (a chart mark keeps its English name in data-name)
    expect(shown).not.toContain('A child that will finish quickly'); // the lesson's step, shown in Chinese
    expect(html).toContain('<b>一个很快就会结束的子进程</b>');
    expect(shown).not.toContain('my event loop is blocked');
    expect(html).toContain('我的事件循环被阻塞了');
    const english = [
      EN.handout.title(5, 'Zombies'),
      EN.handout.timeline,
      EN.handout.checkpoints,
      EN.handout.processes,
      EN.handout.printed,
      ...Object.values(EN.handout.columns),
      EN.handout.lessonEnded('exit 0'),
      'What the kernel showed',
      'Run with procbook',
      'Nothing here was simulated',
      STAT_MEANINGS.Z!,
      STAT_MEANINGS.S!,
      ', reaped by',
      ', parent ',
      'Z zombie',
    ];
    for (const word of english) expect(runnersOwn, word).not.toContain(escapeHtml(word));
  });
});

describe('--lang zh: a mistake with --record or --web-port is one Chinese sentence', () => {
  test.each([
    [['--record', '/no/such/folder/x.html'], '--record 无法写入'],
    [['--web-port', 'eighty'], '--web-port 需要 1 到 65535 之间的端口号'],
  ])('%s', (args, start) => {
    const result = spawnSync(process.execPath, [runnerCli, 'lesson', 'zombie', '--plain', '--lang', 'zh', ...args], { encoding: 'utf8', input: '' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^procbook: ${start}.*。\\n$`));
    expect(result.stdout).toBe('');
  });
});

interface ZombieMoment {
  lesson: string;
  status: string;
  note: string;
  tip: string;
  pid: number;
}

interface FinalPage {
  lang: string;
  title: string;
  headings: string[];
  key: string[];
  banner: string;
  notes: string[];
  captions: string[];
  chartKey: string[];
  chartLabel: string;
  checkpoints: string[];
  text: string;
}

describe.skipIf(chromiumMissing !== undefined)(`the projector page under --lang zh, in headless Chromium${chromiumMissing ? ` — skipped: ${chromiumMissing}` : ''}`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('lesson 05: Chinese words from the server, and the zombie box still drawn', async () => {
    const { page } = browser;
    let runner: ChildProcess | undefined;
    let link: Promise<string> | undefined;
    const running = runLesson('zombie', {
      pace: 0.5,
      interval: 50,
      args: ['--web', '--lang', 'zh'],
      onStart: (started) => {
        runner = started;
        link = projectorLink(started, '投影页面：'); // the runner's line in Chinese
      },
    });
    try {
      await page.goto(await link!);
      // Read the zombie's box in the same poll that finds it: a moment later it may be reaped.
      const zombie = `document.querySelector('#nodes .node.zombie[data-title="child"]')`;
      const moment = (await (
        await page.waitForFunction(
          `${zombie} && {
            lesson: document.querySelector('#lesson').textContent,
            status: document.querySelector('#status').textContent,
            note: ${zombie}.querySelector('.note').textContent,
            tip: ${zombie}.querySelector('title').textContent,
            pid: Number(${zombie}.dataset.pid),
          }`,
          undefined,
          { timeout: 8000, polling: 20 },
        )
      ).jsonValue()) as ZombieMoment;

      await waitInPage(page, 'window.procbook.ended', "the page to get the run's end");
      const final = (await page.evaluate(`(() => {
        const all = (selector) => [...document.querySelectorAll(selector)].map((element) => element.textContent.trim());
        return {
          lang: document.documentElement.lang,
          title: document.title,
          headings: [...document.querySelectorAll('h2')].filter((element) => !element.closest('[hidden]')).map((element) => element.textContent.trim()),
          key: all('#key li'),
          banner: document.querySelector('#banner').textContent,
          notes: all('#nodes .note'),
          captions: all('#chart .caption'),
          chartKey: all('#chart svg > text:not(.tick)'),
          chartLabel: document.querySelector('#chart svg').getAttribute('aria-label'),
          checkpoints: all('#checkpoints li'),
          text: document.body.innerText,
        };
      })()`)) as FinalPage;

      const run = await running;
      expect(run.code).toBe(0);
      // The box drawn as a zombie is the process the kernel showed as one.
      expect(moment.pid).toBe(run.timeline.fact<number>('child.pid'));
      expect(run.timeline.process(moment.pid)!.everIn('Z')).toBe(true);
      expect(moment.lesson).toBe(`第 5 课：${ZOMBIES_ZH}`);
      expect(moment.status).toMatch(/^(运行中|已结束)/);
      expect(moment.note).toMatch(/^(退出码 \d+|已退出) · 还没被回收$/);
      expect(moment.tip).toMatch(/^child \d+：僵尸，/);

      expect(final.lang).toBe('zh-CN');
      expect(final.title).toBe(`procbook 第 5 课：${ZOMBIES_ZH}`);
      expect(final.headings).toEqual([`${ZH.page.processesNow} ${ZH.page.arrowsToParent}`, '时间线', '输出']);
      expect(final.key).toEqual(['R 运行', 'S 睡眠', 'T 暂停', 'Z 僵尸进程：已退出，还没被回收', '被收养（孤儿进程）', '已回收']);
      expect(final.banner).toBe('本课已结束（退出码 0）。运行器已停止，这是最后的画面。');
      expect(final.chartLabel).toBe('本课各进程的时间线');
      expect(final.chartKey).toContain('Z 僵尸');
      expect(final.captions.length).toBe(run.timeline.data.processes.length);
      expect(final.captions.some((caption) => /退出码 3，由 \d+（父进程）回收/.test(caption))).toBe(true);
      expect(final.checkpoints.length).toBe(run.timeline.data.checkpoints.length);
      for (const item of final.checkpoints) expect(item).toMatch(/（\d+\.\ds）$/);

      // Nothing the runner says on the page is left in English.
      const runnersWords = [moment.status, moment.note, final.banner, ...final.headings, ...final.key, ...final.notes, ...final.captions, ...final.chartKey];
      for (const text of runnersWords) for (const word of ENGLISH_WORDS) expect(text, `"${word}" in "${text}"`).not.toContain(word);

      // Nor anything the lesson says: the checkpoints in Chinese, and on the whole page not one
      // English word outside code, commands, STAT letters and process titles.
      expect(final.checkpoints[0]).toMatch(/^一个很快就会结束的子进程（/);
      const titles = run.timeline.data.processes.map((record) => record.title);
      const english = final.text.split('\n').map((line) => ({ line, words: englishWords(line, titles) })).filter((each) => each.words.length > 0);
      expect(english, 'lines of the page with English words').toEqual([]);
      expect(final.text).toContain('我的事件循环被阻塞了');
    } finally {
      if (runner?.exitCode === null && runner.signalCode === null) runner.kill('SIGINT');
      await running.catch(() => undefined);
    }
  });
});
