// The projector page (`--web`) in a real headless Chromium, fed by a real lesson run: what the
// class sees must be what the kernel showed. A zombie's box turns red and grey, in the DOM and
// in the pixels, then goes when it is reaped; an orphan's arrow swings to its adopter.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runLesson, type LessonRun } from '../../support/run-lesson.js';
import { chromiumMissing, countPixelsNear, openBrowser, projectorLink, waitInPage, type Browser } from '../../support/browser.js';

/** The zombie red of page.css (--red: #e03131). */
const ZOMBIE_RED: [number, number, number] = [0xe0, 0x31, 0x31];
const PACE = 0.5;

/**
 * Starts a lesson with --web (and --plain, from runLesson), opens its page once the link is
 * printed, and hands both to `check`. Whatever happens, the run is over when this returns (a
 * failed check stops it with Ctrl-C), so no process or file of it outlives the test.
 */
async function withPage(browser: Browser, lesson: string, check: (running: Promise<LessonRun>, link: string) => Promise<void>): Promise<void> {
  let link: Promise<string> | undefined;
  let runner: ChildProcess | undefined;
  const running = runLesson(lesson, {
    pace: PACE,
    interval: 50,
    args: ['--web'],
    onStart: (started) => {
      runner = started;
      link = projectorLink(started);
    },
  });
  try {
    const url = await link!;
    await browser.page.goto(url);
    await check(running, url);
  } finally {
    if (runner?.exitCode === null && runner.signalCode === null) runner.kill('SIGINT');
    await running.catch(() => undefined);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

describe.skipIf(chromiumMissing !== undefined)(`the projector page in headless Chromium${chromiumMissing ? ` — skipped: ${chromiumMissing}` : ''}`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('lesson 05: the child box is drawn as a zombie (red, greyed), then goes when it is reaped', async () => {
    const { page } = browser;
    await withPage(browser, 'zombie', async (running, link) => {
      const zombieBox = `#nodes .node.zombie[data-title="child"]`;
      await waitInPage(page, `document.querySelector('${zombieBox}')`, "the child's box drawn as a zombie");
      const pid = Number(await page.getAttribute(zombieBox, 'data-pid'));
      const box = page.locator(`#nodes .node[data-pid="${pid}"]`);

      // The picture itself: the box's screenshot holds the zombie red (transitions run to their end).
      const shot = await box.screenshot({ animations: 'disabled' });
      const classesAfterShot = (await box.getAttribute('class')) ?? '';
      const red = await countPixelsNear(page, shot, ZOMBIE_RED);
      const style = (await page.evaluate(`(() => {
        const box = getComputedStyle(document.querySelector('#nodes .node[data-pid="${pid}"] .box'));
        return { stroke: box.stroke, fill: box.fill };
      })()`)) as { stroke: string; fill: string };

      // Reaped: no longer a zombie, and its box fades out (or is already gone).
      const node = `document.querySelector('#nodes .node[data-pid="${pid}"]')`;
      await waitInPage(page, `!${node} || ${node}.classList.contains('gone')`, 'the zombie box to go once reaped');
      expect(await page.locator(`#nodes .node.zombie[data-pid="${pid}"]`).count()).toBe(0);

      const run = await running;
      expect(run.code).toBe(0);
      // The box the page drew as a zombie is the process the kernel showed as one.
      expect(pid).toBe(run.timeline.fact<number>('child.pid'));
      expect(run.timeline.process(pid)!.everIn('Z')).toBe(true);

      expect(classesAfterShot).toContain('zombie'); // the screenshot was taken while it was one
      expect(red.matching).toBeGreaterThan(500);
      expect(style.stroke).toBe('rgb(224, 49, 49)'); // red outline
      expect(style.fill).toBe('rgb(222, 226, 230)'); // greyed body

      // The run is over: the page got the final picture, says so, and keeps it.
      await waitInPage(page, 'window.procbook.ended', "the page to get the run's end");
      expect(await page.textContent('#banner')).toMatch(/^The lesson finished \(exit 0\)/);
      expect(await page.locator('#nodes .node').count()).toBeGreaterThan(0);
      expect(await page.locator('#chart .chart-row').count()).toBe(run.timeline.data.processes.length);

      // … and nothing listens on the port any more.
      await expect(fetch(link)).rejects.toThrow();

      const latencies = (await page.evaluate('window.procbook.latencies')) as number[];
      const sorted = [...latencies].sort((a, b) => a - b);
      console.log(
        `projector page: ${latencies.length} pictures; sample → page latency median ${median(latencies)} ms, p95 ${sorted[Math.floor(sorted.length * 0.95)]} ms, max ${sorted.at(-1)} ms`,
      );
      expect(median(latencies)).toBeLessThan(250);
    });
  }, 90_000); // a loaded machine (60 Chromium pages in the room test beside it) slows the run it waits on

  test("lesson 04: the orphan's arrow moves from its dead parent to its adopter", async () => {
    const { page } = browser;
    await withPage(browser, 'orphan', async (running) => {
      const pidOf = (title: string): string => `document.querySelector('#nodes .node[data-title="${title}"]')?.dataset.pid`;
      const arrowOf = (pid: string): string => `document.querySelector('#edges .edge[data-child="' + ${pid} + '"]')`;

      await waitInPage(page, `${pidOf('child')} && ${pidOf('parent')} && ${arrowOf(pidOf('child'))}?.dataset.parent === ${pidOf('parent')}`, "the child's arrow pointing to its parent");
      const child = Number(await page.evaluate(pidOf('child')));
      const parent = Number(await page.evaluate(pidOf('parent')));
      const runner = Number(await page.getAttribute('#nodes .node.kind-runner', 'data-pid'));

      await waitInPage(page, `${arrowOf(String(child))}?.dataset.parent === '${runner}'`, "the orphan's arrow pointing to the runner");
      const arrowClasses = (await page.getAttribute(`#edges .edge[data-child="${child}"]`, 'class')) ?? '';
      const moves = (await page.evaluate('window.procbook.moves')) as Array<{ child: number; from: number; to: number }>;
      const childClasses = (await page.getAttribute(`#nodes .node[data-pid="${child}"]`, 'class')) ?? '';

      const run = await running;
      expect(run.code).toBe(0);
      expect(child).toBe(run.timeline.fact<number>('child.pid'));
      expect(parent).toBe(run.timeline.fact<number>('parent.pid'));
      // The page's adopter is the one the kernel gave it, and the one the orphan itself saw.
      expect(run.timeline.process(child)!.reparentings()).toEqual([expect.objectContaining({ from: parent, to: runner })]);
      expect(run.timeline.fact<{ pid: number }>('adopter')!.pid).toBe(runner);

      expect(arrowClasses).toContain('adopted');
      expect(childClasses).toContain('adopted');
      // The arrow swung (animated) from the parent to the adopter: it was not redrawn from scratch.
      expect(moves).toContainEqual(expect.objectContaining({ child, from: parent, to: runner }));
      await waitInPage(page, 'window.procbook.ended', "the page to get the run's end");
    });
  }, 90_000); // a loaded machine (60 Chromium pages in the room test beside it) slows the run it waits on
});
