// The projector page's files: plain HTML, CSS and JavaScript in lib/runner/web/page/, read from
// the project folder when the server starts (the runner is bundled into dist/, the page is not:
// it runs in the browser as written, and stays readable there).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { projectRoot } from '../paths.js';
import type { Asset } from './server.js';

export const PAGE_FOLDER = join(projectRoot, 'lib', 'runner', 'web', 'page');

const FILES: Array<[path: string, file: string, contentType: string]> = [
  ['/', 'index.html', 'text/html; charset=utf-8'],
  ['/page.css', 'page.css', 'text/css; charset=utf-8'],
  ['/page.js', 'page.js', 'text/javascript; charset=utf-8'],
];

export function loadPageAssets(): Record<string, Asset> {
  const assets: Record<string, Asset> = {};
  for (const [path, file, contentType] of FILES) {
    try {
      assets[path] = { contentType, body: readFileSync(join(PAGE_FOLDER, file), 'utf8') };
    } catch {
      throw new UserError(`the projector page is missing (${join(PAGE_FOLDER, file)}): reinstall procbook.`);
    }
  }
  return assets;
}
