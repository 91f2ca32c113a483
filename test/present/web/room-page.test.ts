// Peer instruction end to end: lesson 05 under `--predict --web --web-host 127.0.0.2`, a class of
// headless Chromium pages (one browser context each: one cookie each) opened at the room's link,
// the teacher's page at the teacher's link. The students click their answers; the teacher's page
// draws one histogram with the room's counts before the terminal answers; the terminal's answer
// still drives the lesson; the room's counts are in the timeline; then every page shows what the
// table showed.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { chromium, type Browser as PlaywrightBrowser, type Page } from 'playwright-core';
import { Timeline } from '../../../lib/observe/timeline.js';
import { CHROMIUM, chromiumMissing, waitInPage } from '../../support/browser.js';
import { runnerCli, stillRunning, until } from '../../support/run-lesson.js';

/** The class: 60 pages, as in a room (each its own browser context, so its own cookie). */
const STUDENTS = 60;
const HOST = '127.0.0.2';

describe.skipIf(chromiumMissing !== undefined)(`a room of ${STUDENTS} pages${chromiumMissing ? ` — skipped: ${chromiumMissing}` : ''}`, () => {
  test(`${STUDENTS} headless pages answer lesson 05's first question: one histogram on the teacher's page, the counts in the timeline`, async () => {
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
      const students: Page[] = [];
      for (let index = 0; index < STUDENTS; index += 20) {
        students.push(...(await Promise.all(Array.from({ length: Math.min(20, STUDENTS - index) }, () => open(roomLink!)))));
      }

      // The first question: every student's page offers its choices; the teacher's page offers none.
      await until(() => stdout.includes('answer with '), 30_000, 'the first question');
      await Promise.all(students.map((page) => waitInPage(page, `window.procbook?.room?.number === 1 && document.querySelectorAll('#room-choices button:not([disabled])').length > 0`, 'the choices on a student page', 60_000)));
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
      const expected = Object.fromEntries(values.map((value) => [value, students.filter((_, index) => pick(index) === value).length]));

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
          await waitInPage(page, reveal, 'the reveal on a student page', 60_000);
          return ((await page.evaluate(reveal)) as { text: string }).text;
        }),
      );
      verdicts.forEach((verdict, index) => expect(verdict).toBe(`The table showed: ${first!.actual}. ${pick(index) === first!.actual ? 'You were right.' : 'Not this time.'}`));
      expect(stillRunning(timeline)).toEqual([]);
    } finally {
      await browser?.close();
      if (runner.exitCode === null && runner.signalCode === null) runner.kill('SIGINT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
