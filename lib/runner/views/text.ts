// Text measured in terminal cells, not in characters.
//
// A CJK character takes two cells, an ANSI colour code takes none, so `.length` and `.padEnd()`
// misalign every column that holds either. Everything a view lays out goes through here.
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

export const RESET = '\x1b[0m';

/** How many terminal cells the text occupies (colour codes count as none). */
export function cellWidth(text: string): number {
  return stringWidth(text);
}

/**
 * The longest start of `text` that fits in `width` cells. slice-ansi counts a wide character
 * it cuts in half as included, so the cut is moved left until the result really fits.
 * With `ellipsis`, a shortened text ends in '…' (within the width).
 */
export function truncate(text: string, width: number, ellipsis = false): string {
  if (width <= 0) return '';
  if (cellWidth(text) <= width) return text;
  const room = ellipsis ? width - 1 : width;
  let end = room;
  let cut = sliceAnsi(text, 0, end);
  while (end > 0 && cellWidth(cut) > room) cut = sliceAnsi(text, 0, --end);
  // A colour opened before the cut must not run on into what follows.
  const closed = cut.includes('\x1b[') ? cut + RESET : cut;
  return ellipsis ? `${closed}…` : closed;
}

/** Spaces after the text up to `width` cells (nothing if it is already that wide). */
export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - cellWidth(text)));
}

/** Spaces before the text up to `width` cells: for right-aligned numbers. */
export function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - cellWidth(text))) + text;
}

/** Exactly `width` cells: truncated if longer, padded if shorter. */
export function fit(text: string, width: number, ellipsis = false): string {
  return padEnd(truncate(text, width, ellipsis), width);
}

/** The text without colour codes. */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}

/**
 * A line a lesson printed, made safe to place anywhere on the screen: colour codes (SGR, ending
 * in 'm') are kept, every other escape sequence (cursor moves, clear screen) and control
 * character is dropped, and tabs become spaces, because any of those would move the cursor out
 * of its pane and tear the picture.
 */
export function sanitizeLine(text: string): string {
  return (
    text
      .replace(/\x1b\[[0-9;?]*([A-Za-z])/g, (sequence: string, final: string) => (final === 'm' ? sequence : ''))
      .replace(/\x1b(?!\[)/g, '')
      .replace(/\t/g, '    ')
      .replace(/[\x00-\x08\x0a-\x1a\x1c-\x1f\x7f]/g, '')
  );
}

/**
 * Wraps one line to `width` cells. Continuation lines keep the line's own indentation (a hanging
 * indent), so an indented explanation stays visibly one paragraph.
 */
export function wrapLine(text: string, width: number): string[] {
  if (width <= 0) return [];
  if (cellWidth(text) <= width) return [text];
  const leading = /^ */.exec(stripAnsi(text))?.[0].length ?? 0;
  const indent = Math.min(leading, Math.floor(width / 2));
  const wrapped = wrapAnsi(text, width - indent, { hard: true, trim: true }).split('\n');
  return wrapped.map((line) => ' '.repeat(indent) + line);
}
