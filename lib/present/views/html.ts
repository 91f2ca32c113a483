// Text made safe for HTML and SVG: the handout and the web page show what lessons printed and
// what processes called themselves, and neither may inject markup.
import { sanitizeLine, stripAnsi } from './text.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escaped for element text and for quoted attribute values, in HTML and in SVG alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]!);
}

/**
 * A line a lesson printed, as plain text: colour codes and every other escape sequence or
 * control character dropped (a page has no cursor to move), tabs as spaces.
 */
export function plainLine(text: string): string {
  return stripAnsi(sanitizeLine(text));
}
