// A headless Chromium for the projector page's tests: Debian's own (playwright-core never
// downloads one), a fresh profile in the suite's private TMPDIR, and nothing left afterwards
// (the suite fails on a leftover process or file).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumMissing = existsSync(CHROMIUM)
  ? undefined
  : `no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`;

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  page: Page;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'procbook-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1600, height: 900 },
      // The page forbids eval (its CSP); the tests' waitForFunction needs it. Only the test's browser bypasses it.
      bypassCSP: true,
      env: { ...process.env },
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The projector link the runner prints after `label` (its words in the language it speaks), once it has printed it. */
export function projectorLink(runner: ChildProcess, label = 'Projector view: '): Promise<string> {
  const line = new RegExp(`${label}(http://127\\.0\\.0\\.1:\\d+/)`);
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      const link = line.exec(seen)?.[1];
      if (link) {
        runner.stdout?.off('data', onData);
        resolve(link);
      }
    };
    runner.stdout?.on('data', onData);
    runner.once('exit', () => reject(new Error(`the runner ended without printing the projector link:\n${seen}`)));
  });
}

/**
 * Counts the pixels of a PNG that are close to a colour. The browser decodes the screenshot
 * (no PNG decoder needed here): draw it on a canvas, read the pixels back. The code runs in the
 * page, so it is passed as text (the project's type check has no DOM library).
 */
export async function countPixelsNear(page: Page, png: Buffer, rgb: [number, number, number], tolerance = 40): Promise<{ matching: number; total: number }> {
  const [r, g, b] = rgb;
  return page.evaluate(`(async () => {
    const image = new Image();
    image.src = 'data:image/png;base64,${png.toString('base64')}';
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let matching = 0;
    for (let index = 0; index < data.length; index += 4) {
      if (Math.abs(data[index] - ${r}) <= ${tolerance} && Math.abs(data[index + 1] - ${g}) <= ${tolerance} && Math.abs(data[index + 2] - ${b}) <= ${tolerance}) matching++;
    }
    return { matching, total: data.length / 4 };
  })()`);
}

/** Waits (polling in the page, with a deadline) until a JavaScript expression is truthy. */
export async function waitInPage(page: Page, expression: string, what: string, timeoutMs = 8000): Promise<void> {
  try {
    await page.waitForFunction(expression, undefined, { timeout: timeoutMs, polling: 20 });
  } catch (error) {
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${expression})`, { cause: error });
  }
}
