// Text made safe for HTML and SVG: the handout and the web page show what lessons printed and
// what processes called themselves, and neither may inject markup.
import { sanitizeLine, stripAnsi } from './text.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escaped for element text and for quoted attribute values, in HTML and in SVG alike. Control
 * characters (a process title may hold ESC or BEL) are not text in either: they are dropped.
 */
export function escapeHtml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '').replace(/[&<>"']/g, (character) => ESCAPES[character]!);
}

/**
 * A line a lesson printed, as plain text: colour codes and every other escape sequence or
 * control character dropped (a page has no cursor to move), tabs as spaces.
 */
export function plainLine(text: string): string {
  return stripAnsi(sanitizeLine(text));
}
