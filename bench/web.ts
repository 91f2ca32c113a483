// The projector page in a room: how late a page draws a new picture of the table (from the
// sample that saw it to the page's own clock when it drew it: the page keeps these, as
// window.procbook.latencies), beside one page alone, in the same run. Lesson 05 under --web
// --web-host 127.0.0.2 and headless Debian Chromium (one context per page, as in a room). Two
// rooms of 60: one probe page with 59 streams read by plain HTTP clients (the server's fan-out, as
// in a class where every page runs on its own laptop), and 60 Chromium pages all drawing on this
// one machine's cores.
//   PROCBOOK_BENCH_PAGES=N  another room size (default 60)
import { spawn } from 'node:child_process';
import { get, type ClientRequest } from 'node:http';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { projectRoot } from '../lib/run/paths.js';
import { ratio } from './stats.js';

const CHROMIUM = '/usr/bin/chromium';
const cli = join(projectRoot, 'dist', 'lib', 'cli', 'main.mjs');

interface Room {
  latencies: number[];
  pages: number;
  streams: number;
}

/** A page's event stream read by a plain HTTP client (no drawing), until the server ends it. */
function stream(base: string): ClientRequest {
  return get(`${base}events`, { agent: false }, (response) => response.resume()).on('error', () => undefined);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Runs lesson 05 with `pages` pages open at the room's link; the latencies one page recorded. */
async function room(browser: Browser, pages: number, streams = 0): Promise<Room> {
  // --predict holds the lesson at its first question until the room is open (answers on stdin).
  const runner = spawn(process.execPath, [cli, 'lesson', 'zombie', '--plain', '--predict', '--web', '--web-host', '127.0.0.2', '--pace', '1'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  runner.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<void>((resolve) => runner.once('exit', () => resolve()));
  const opened: Page[] = [];
  const readers: ClientRequest[] = [];
  try {
    const deadline = Date.now() + 20_000;
    let link: string | undefined;
    while (!(link = /For the room \(read-only\): (http:\/\/127\.0\.0\.2:\d+\/)$/m.exec(stdout)?.[1]) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const teacher = /Projector view \(yours, do not share it\): (http:\/\/\S+)/.exec(stdout)?.[1];
    if (!link || !teacher) throw new Error(`the runner printed no links: ${stdout.slice(0, 300)}`);
    const open = async (url: string): Promise<Page> => {
      const context = await browser.newContext({ viewport: { width: 800, height: 600 }, bypassCSP: true });
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'commit' });
      opened.push(page);
      return page;
    };
    await open(teacher);
    const probe = await open(link);
    for (let index = 1; index < pages; index += 20) await Promise.all(Array.from({ length: Math.min(20, pages - index) }, () => open(link!)));
    for (let index = 0; index < streams; index++) readers.push(stream(link));
    while (!stdout.includes('answer with ') && runner.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 50));
    // Only what is drawn from here on counts: every page is open.
    await probe.evaluate('window.procbook.latencies.length = 0');
    runner.stdin!.end('Z\nexit 3\n');
    await exited;
    await probe.waitForFunction('window.procbook && window.procbook.ended === true', undefined, { timeout: 30_000 });
    const latencies = (await probe.evaluate('window.procbook.latencies')) as number[];
    return { latencies, pages, streams };
  } finally {
    for (const reader of readers) reader.destroy();
    for (const page of opened) await page.context().close().catch(() => undefined);
    if (runner.exitCode === null && runner.signalCode === null) runner.kill('SIGINT');
    await exited;
  }
}

export async function benchWeb(): Promise<string[]> {
  if (!existsSync(CHROMIUM)) return [`skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`];
  const pages = Number(process.env.PROCBOOK_BENCH_PAGES ?? 60);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--renderer-process-limit=2'] });
  try {
    const alone = await room(browser, 1);
    const streamed = await room(browser, 1, pages - 1);
    const drawn = await room(browser, pages);
    const median = (each: Room): number => percentile(each.latencies, 50);
    const line = (each: Room, what: string): string =>
      `${what}: ${each.latencies.length} pictures, median ${median(each).toFixed(0)} ms, p95 ${percentile(each.latencies, 95).toFixed(0)} ms from the sample to the probe page (${ratio(median(each) / Math.max(1, median(alone)))} one page alone)`;
    return [
      line(alone, 'one page alone'),
      line(streamed, `one page + ${pages - 1} streams (a room of ${pages} laptops, as the server sees it)`),
      line(drawn, `${pages} Chromium pages drawing on this machine's ${availableParallelism()} cores`),
    ];
  } finally {
    await browser.close();
  }
}
