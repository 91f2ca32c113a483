// Chinese on the projector page: its font stacks name a CJK font for each system a class brings
// (Linux, macOS, Windows), and in headless Chromium the Chinese of the heading and of the output
// pane is drawn with real glyphs from a CJK font, not boxes (.notdef).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { emptyTimeline } from '../../../lib/observe/timeline.js';
import { PAGE_FOLDER } from '../../../lib/present/web/assets.js';
import { createWebView, type WebView } from '../../../lib/present/web/web-view.js';
import { chromiumMissing, openBrowser, type Browser } from '../../support/browser.js';

const css = readFileSync(join(PAGE_FOLDER, 'page.css'), 'utf8');
const stack = (name: string): string[] =>
  (new RegExp(`--${name}:([^;]+);`).exec(css)?.[1] ?? '').split(',').map((family) => family.trim().replace(/^"|"$/g, ''));

describe('the font stacks', () => {
  test.each([['sans'], ['mono']])('--%s names a CJK font for Linux, macOS and Windows, and ends in a generic family', (name) => {
    const families = stack(name);
    expect(families.some((family) => /Noto Sans (Mono )?CJK SC|Source Han (Sans|Mono) SC/.test(family))).toBe(true); // Linux
    expect(families).toContain('PingFang SC'); // macOS
    expect(families).toContain('Microsoft YaHei'); // Windows
    expect(families.at(-1)).toBe(name === 'sans' ? 'sans-serif' : 'monospace');
  });

  test('every font-family of the page is one of the two stacks', () => {
    const declared = [...css.matchAll(/font-family:\s*([^;]+);/g)].map((match) => match[1]!.trim());
    expect(declared.length).toBeGreaterThan(0);
    expect(declared.filter((value) => !/^var\(--(sans|mono)\)$/.test(value))).toEqual([]);
  });
});

interface PlatformFont {
  familyName: string;
  glyphCount: number;
}

describe.skipIf(chromiumMissing !== undefined)(`Chinese in headless Chromium${chromiumMissing ? ` — skipped: ${chromiumMissing}` : ''}`, () => {
  let browser: Browser;
  let web: WebView;
  beforeAll(async () => {
    browser = await openBrowser();
    web = await createWebView({ closeWaitMs: 200 });
  });
  afterAll(async () => {
    web?.close(emptyTimeline(1, process.pid, 200));
    await web?.closed;
    await browser?.close();
  });

  test('the heading (sans) and the output (mono) are drawn with a CJK font: real glyphs, not boxes', async () => {
    const { page } = browser;
    await page.goto(web.url);
    const heading = '第 5 课：僵尸进程';
    const output = 'child 7515：已退出，还没被回收';
    await page.evaluate(`(() => {
      document.getElementById('lesson').textContent = ${JSON.stringify(heading)};
      const line = document.createElement('div');
      line.textContent = ${JSON.stringify(output)};
      document.getElementById('output').appendChild(line);
    })()`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const fontsOf = async (selector: string): Promise<PlatformFont[]> => {
      const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
      return (await cdp.send('CSS.getPlatformFontsForNode', { nodeId })).fonts as PlatformFont[];
    };
    const han = (text: string): number => [...text].filter((char) => /\p{Script=Han}|[：，]/u.test(char)).length;
    for (const [selector, text] of [['#lesson', heading], ['#output div:last-child', output]] as const) {
      const fonts = await fontsOf(selector);
      const cjk = fonts.filter((font) => /CJK|Source Han|PingFang|YaHei|WenQuanYi|Hiragino/.test(font.familyName));
      // Every Chinese character (and full-width colon) came from a CJK font: none fell to a box.
      expect(cjk.reduce((sum, font) => sum + font.glyphCount, 0), `${selector}: ${JSON.stringify(fonts)}`).toBeGreaterThanOrEqual(han(text));
    }

    // And the pixels: four different characters drawn in the heading's font are four different
    // pictures (boxes would all be the same .notdef box).
    const distinct = (await page.evaluate(`(() => {
      const font = '32px ' + getComputedStyle(document.getElementById('lesson')).fontFamily;
      const pictures = [...'僵尸进程'].map((char) => {
        const canvas = document.createElement('canvas');
        canvas.width = 40; canvas.height = 40;
        const context = canvas.getContext('2d');
        context.font = font;
        context.fillText(char, 2, 34);
        return Array.from(context.getImageData(0, 0, 40, 40).data).join(',');
      });
      return new Set(pictures).size;
    })()`)) as number;
    expect(distinct).toBe(4);
    await cdp.detach();
  });
});
