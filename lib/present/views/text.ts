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
  // Text of one-cell characters only, colour codes aside, is as wide as it is long: the common
  // case (the table's rows, tree lines and all), without string-width's work, which was a third
  // of the runner's CPU at 40 samples a second: the plain view measures its table at every one.
  if (ONE_CELL.test(text)) return text.length;
  if (text.includes('\x1b')) {
    const plain = text.replace(COLOUR_CODE, '');
    if (ONE_CELL.test(plain)) return plain.length;
  }
  return stringWidth(text);
}

/**
 * Characters one cell wide wherever they are drawn: printable ASCII, and those the views draw
 * (middle dot, ×, dashes, quotes, ellipsis, arrows, box drawing, blocks). string-width agrees on
 * each (test/present/views/text.test.ts).
 */
export const ONE_CELL = /^[\x20-\x7e\u00b7\u00d7\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2190-\u2193\u21b3\u2500-\u259f]*$/;
const COLOUR_CODE = /\x1b\[[0-9;]*m/g;

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
  const wrapped =
    CJK.test(text) && !text.includes('\x1b') ? wrapCjk(text.trim(), width - indent) : wrapAnsi(text, width - indent, { hard: true, trim: true }).split('\n');
  return wrapped.map((line) => ' '.repeat(indent) + line);
}

const CJK = /[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;
/** Chinese punctuation that must not start a line (it closes what came before) … */
const CLOSING = /^[）」』】》〉，。、；：！？…’”]$/;
/** … and that must not end one (it opens what comes after). */
const OPENING = /^[（「『【《〈‘“]$/;

/**
 * Wraps plain text holding Chinese: a line may break between any two Chinese characters (they
 * have no spaces between words), at a space, but never before closing punctuation or after
 * opening punctuation ("（定时器、输入、子进程）" does not leave "）" alone on a line). A Latin word
 * is kept whole unless it alone is wider than a line. wrap-ansi, which breaks only at spaces,
 * would cut such text at the width, wherever that falls.
 */
function wrapCjk(text: string, width: number): string[] {
  // Units: a run of non-space, non-CJK characters (a word, a number), a run of spaces, or one
  // CJK character; punctuation sticks to its neighbour.
  const units: string[] = [];
  for (const piece of text.match(/[^\s\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+|\s+|./gsu) ?? []) {
    const last = units.at(-1);
    if (last !== undefined && !/^\s+$/.test(last) && (CLOSING.test(piece) || OPENING.test([...last].at(-1) ?? ''))) units[units.length - 1] = last + piece;
    else units.push(piece);
  }
  const lines: string[] = [];
  let line = '';
  const push = (): void => {
    if (line.trim() !== '') lines.push(line.trimEnd());
    line = '';
  };
  for (const unit of units) {
    if (cellWidth(line + unit) <= width) {
      line += unit;
      continue;
    }
    push();
    if (/^\s+$/.test(unit)) continue;
    let rest = unit;
    // A unit wider than a line (a long word, a long glued run) is cut at the width.
    while (cellWidth(rest) > width) {
      let head = truncate(rest, width);
      // Not even here may a closing mark start the next line: it takes the last character along.
      if (CLOSING.test([...rest.slice(head.length)][0] ?? '') && [...head].length > 1) head = [...head].slice(0, -1).join('');
      if (head === '') break;
      lines.push(head);
      rest = rest.slice(head.length);
    }
    line = rest;
  }
  push();
  return lines;
}
