// The projector page's files: plain HTML, CSS and JavaScript in lib/present/web/page/, read from
// the project folder when the server starts (the runner is bundled into dist/, the page is not:
// it runs in the browser as written, and stays readable there).
//
// index.html holds `{{name}}` where a word goes; they are filled here, in the runner's language,
// before the page is served. So the page arrives in one language from its first paint, and
// page.js keeps no dictionary of its own: what it says later comes with each picture, or from the
// data-* attributes filled here (the CSP forbids inline scripts, and these need none).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../words/user-error.js';
import { currentLanguage, type Language } from '../../words/language.js';
import { projectRoot } from '../../run/paths.js';
import { escapeHtml } from '../views/html.js';
import { words } from '../../words/views.js';
import { HTML_LANG, pageWords } from '../../words/page.js';
import type { Asset } from './server.js';

export const PAGE_FOLDER = join(projectRoot, 'lib', 'present', 'web', 'page');

const FILES: Array<[path: string, file: string, contentType: string]> = [
  ['/', 'index.html', 'text/html; charset=utf-8'],
  ['/page.css', 'page.css', 'text/css; charset=utf-8'],
  ['/page.js', 'client.js', 'text/javascript; charset=utf-8'],
];

/** Every word index.html asks for, by the name it uses. */
export function pageTexts(language: Language): Record<string, string> {
  const states = words(language).stateNames;
  return { ...pageWords(language).page, lang: HTML_LANG[language], stateR: states.R, stateS: states.S, stateT: states.T };
}

/** index.html with its words filled in; a name without a word is a mistake in this project, not the user's. */
export function fillPage(html: string, texts: Record<string, string>): string {
  return html.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const text = texts[name];
    if (text === undefined) throw new Error(`index.html asks for a word "${name}" that page-words.ts does not have`);
    return escapeHtml(text);
  });
}

export function loadPageAssets(language: Language = currentLanguage()): Record<string, Asset> {
  const assets: Record<string, Asset> = {};
  for (const [path, file, contentType] of FILES) {
    let body: string;
    try {
      body = readFileSync(join(PAGE_FOLDER, file), 'utf8');
    } catch {
      throw new UserError(pageWords(language).terminal.pageMissing(join(PAGE_FOLDER, file)));
    }
    assets[path] = { contentType, body: file === 'index.html' ? fillPage(body, pageTexts(language)) : body };
  }
  return assets;
}
