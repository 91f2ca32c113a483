// Peer instruction end to end: lesson 05 under `--predict --web --web-host 127.0.0.2`, a class of 60:
// a few headless Chromium pages (one browser context each: one cookie each) and the rest plain HTTP
// clients doing what the page does (fetch / for a cookie, read /events, POST /answer), the
// teacher's page at the teacher's link. (60 real pages are bench/web.ts's: on two cores they take
// a minute, which the suite cannot spend.) The students answer; the teacher's page
// draws one histogram with the room's counts before the terminal answers; the terminal's answer
// still drives the lesson; the room's counts are in the timeline; then every page shows what the
// table showed.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { chromium, type Browser as PlaywrightBrowser, type Page } from 'playwright-core';
import { Timeline } from '../../../lib/observe/timeline.js';
import { CHROMIUM, chromiumMissing, waitInPage } from '../../support/browser.js';
import { runnerCli, stillRunning, until } from '../../support/run-lesson.js';

/** The class: 60 students, as in a room; the first PAGES of them in Chromium (each its own context, so its own cookie). */
const STUDENTS = 60;
const PAGES = 4;
const HOST = '127.0.0.2';

interface View {
  number: number;
  open: boolean;
  choices: Array<{ value: string }>;
  mine?: string;
  actual?: string;
  actualText?: string;
  verdict?: string;
}

/** A student without a browser: the page's three requests, by hand. */
class HttpStudent {
  views: View[] = [];
  private cookie = '';
  private stream?: import('node:http').ClientRequest;

  constructor(private readonly base: string) {}

  private send(method: string, path: string, body?: string, onResponse?: (response: import('node:http').IncomingMessage) => void): import('node:http').ClientRequest {
    const headers: Record<string, string> = { Cookie: this.cookie };
    if (body !== undefined) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
    const sent = request(new URL(path, this.base), { method, headers, agent: false }, onResponse);
    sent.on('error', () => undefined);
    sent.end(body);
    return sent;
  }

  async join(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.send('GET', '/', undefined, (response) => {
        this.cookie = String(response.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
        response.resume().on('end', () => (this.cookie ? resolve() : reject(new Error('no cookie'))));
      });
    });
    this.stream = this.send('GET', '/events', undefined, (response) => {
      let pending = '';
      response.setEncoding('utf8').on('data', (chunk: string) => {
        pending += chunk;
        let end: number;
        while ((end = pending.indexOf('\n\n')) >= 0) {
          const message = pending.slice(0, end);
          pending = pending.slice(end + 2);
          if (/^event: end$/m.test(message)) this.leave(); // as the page does: the runner waits for it
          if (/^event: room$/m.test(message)) this.views.push(JSON.parse(/^data: (.*)$/m.exec(message)![1]!) as View);
        }
      });
    });
  }

  get view(): View | undefined {
    return this.views.at(-1);
  }

  answer(number: number, value: string): Promise<number> {
    return new Promise((resolve) => this.send('POST', '/answer', JSON.stringify({ question: number, answer: value }), (response) => resolve(response.resume().statusCode ?? 0)));
  }

  leave(): void {
    this.stream?.destroy();
  }
}

describe.skipIf(chromiumMissing !== undefined)(`a room of ${STUDENTS} students${chromiumMissing ? ` — skipped: ${chromiumMissing}` : ''}`, () => {
  test(`${STUDENTS} students (${PAGES} of them headless pages) answer lesson 05's first question: one histogram on the teacher's page, the counts in the timeline`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'procbook-room-'));
    const jsonPath = join(dir, 'timeline.json');
    const runner = spawn(
      process.execPath,
      [runnerCli, 'lesson', 'zombie', '--predict', '--plain', '--web', '--web-host', HOST, '--pace', '0.3', '--interval', '200', '--json', jsonPath],
      { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env } },
    );
    let stdout = '';
    let stderr = '';
    runner.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    runner.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => runner.once('exit', (code) => resolve(code)));
    let browser: PlaywrightBrowser | undefined;
    let others: HttpStudent[] = [];
    try {
      await until(() => /For the room \(read-only\): /.test(stdout) || runner.exitCode !== null, 20_000, 'the links');
      const teacherLink = /Projector view \(yours, do not share it\): (http:\/\/127\.0\.0\.2:\d+\/\?teacher=[\w-]+)/.exec(stdout)?.[1];
      const roomLink = /For the room \(read-only\): (http:\/\/127\.0\.0\.2:\d+\/)$/m.exec(stdout)?.[1];
      expect(teacherLink, stdout + stderr).toBeDefined();
      expect(teacherLink!.startsWith(roomLink!)).toBe(true);

      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--renderer-process-limit=2', '--disable-site-isolation-trials'] });
      const open = async (url: string): Promise<Page> => {
        const context = await browser!.newContext({ viewport: { width: 800, height: 600 }, bypassCSP: true });
        const page = await context.newPage();
        await page.goto(url, { waitUntil: 'commit' });
        return page;
      };
      const teacher = await open(teacherLink!);
      // The token left the address bar at once (the projector shows it to the room).
      await waitInPage(teacher, `location.href === ${JSON.stringify(roomLink)}`, 'the token out of the address bar');
      const students: Page[] = await Promise.all(Array.from({ length: PAGES }, () => open(roomLink!)));
      others = Array.from({ length: STUDENTS - PAGES }, () => new HttpStudent(roomLink!));
      await Promise.all(others.map((student) => student.join()));

      // The first question: every student's page offers its choices; the teacher's page offers none.
      await until(() => stdout.includes('answer with '), 30_000, 'the first question');
      await Promise.all(students.map((page) => waitInPage(page, `window.procbook?.room?.number === 1 && document.querySelectorAll('#room-choices button:not([disabled])').length > 0`, 'the choices on a student page', 30_000)));
      await until(() => others.every((student) => student.view?.number === 1 && student.view.open), 20_000, 'the question on every plain student');
      await waitInPage(teacher, `window.procbook?.room?.number === 1`, 'the question on the teacher page', 20_000);
      expect(await teacher.locator('#room-choices button').count()).toBe(0);
      const values = (await students[0]!.$$eval('#room-choices button', (buttons) => buttons.map((button) => (button as unknown as { dataset: { value: string } }).dataset.value)));
      expect(values).toEqual(['R', 'S', 'T', 'Z', 'gone']);

      // Student i picks values[i % 5] (every seventh first clicks another, then changes its mind).
      const pick = (index: number): string => values[index % values.length]!;
      await Promise.all(
        students.map(async (page, index) => {
          if (index % 7 === 0) {
            await page.click(`#room-choices button[data-value="${values[(index + 2) % values.length]}"]`);
            await waitInPage(page, `window.procbook.room?.mine === ${JSON.stringify(values[(index + 2) % values.length])}`, 'the first answer taken', 20_000);
          }
          await page.click(`#room-choices button[data-value="${pick(index)}"]`);
          await waitInPage(page, `window.procbook.room?.mine === ${JSON.stringify(pick(index))}`, 'the answer taken', 20_000);
        }),
      );
      await Promise.all(
        others.map(async (student, at) => {
          const index = PAGES + at;
          expect(student.view!.choices.map((choice) => choice.value)).toEqual(values);
          if (index % 7 === 0) expect(await student.answer(1, values[(index + 2) % values.length]!)).toBe(204);
          expect(await student.answer(1, pick(index))).toBe(204);
        }),
      );
      await until(() => others.every((student, at) => student.view?.mine === pick(PAGES + at)), 20_000, 'every plain student told its answer was taken');
      const expected = Object.fromEntries(values.map((value) => [value, Array.from({ length: STUDENTS }, (_, index) => pick(index)).filter((each) => each === value).length]));

      // Before the reveal: the teacher's page draws one histogram with the room's counts.
      const histogram = `JSON.stringify([...document.querySelectorAll('#room-histogram li')].map((item) => [item.dataset.value, Number(item.dataset.count)]))`;
      await waitInPage(teacher, `${histogram} === ${JSON.stringify(JSON.stringify(Object.entries(expected)))}`, 'the room histogram', 20_000);
      expect(await teacher.textContent('#room-total')).toBe(`${STUDENTS} answers`);
      expect(await teacher.locator('#room-histogram li').count()).toBe(values.length);

      // The terminal answers (the teacher's answer drives the lesson), then the second question.
      runner.stdin.write('Z\n');
      await until(() => stdout.split('answer with ').length - 1 >= 2 || runner.exitCode !== null, 30_000, 'the second question');
      runner.stdin.write('exit 3\n');
      runner.stdin.end();
      const code = await exited;
      expect(code, stderr).toBe(0);

      const timeline = Timeline.fromJSON(readFileSync(jsonPath, 'utf8'));
      const [first] = timeline.data.questions ?? [];
      expect(first!.answer).toBe('Z');
      expect(first!.room).toEqual({ counts: expected, total: STUDENTS });
      const said = Object.entries(expected).filter(([, count]) => count > 0).map(([value, count]) => `${value} ${count}`).join(' · ');
      expect(stdout).toContain(`The room: ${said} (${STUDENTS} answers).`);
      expect(timeline.data.output.some((line) => line.text.includes(`The room: ${said}`))).toBe(true);

      // Then the table's answer, on the teacher's page beside the same histogram, and on each student's.
      const reveal = `window.procbook.reveals.find((each) => each.number === 1)`;
      await waitInPage(teacher, reveal, 'the reveal on the teacher page', 20_000);
      const shown = (await teacher.evaluate(reveal)) as { actual: string; bars: Array<[string, number]>; text: string };
      expect(shown.actual).toBe(first!.actual);
      expect(Object.fromEntries(shown.bars)).toEqual(expected);
      expect(shown.text).toBe(`The table showed: ${first!.actual}.`);
      const verdicts = await Promise.all(
        students.map(async (page) => {
          await waitInPage(page, reveal, 'the reveal on a student page', 20_000);
          return ((await page.evaluate(reveal)) as { text: string }).text;
        }),
      );
      verdicts.forEach((verdict, index) => expect(verdict).toBe(`The table showed: ${first!.actual}. ${pick(index) === first!.actual ? 'You were right.' : 'Not this time.'}`));
      others.forEach((student, at) => {
        const revealed = student.views.find((view) => view.number === 1 && view.actual !== undefined);
        expect(revealed, `plain student ${PAGES + at} saw the reveal`).toBeDefined();
        expect(`${revealed!.actualText} ${revealed!.verdict}`).toBe(`The table showed: ${first!.actual}. ${pick(PAGES + at) === first!.actual ? 'You were right.' : 'Not this time.'}`);
      });
      expect(stillRunning(timeline)).toEqual([]);
    } finally {
      for (const student of others) student.leave();
      await browser?.close();
      if (runner.exitCode === null && runner.signalCode === null) runner.kill('SIGINT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
