// Text widths: the views' fast path for one-cell text agrees with string-width, character by
// character and with colour codes around.
import stringWidth from 'string-width';
import { expect, test } from 'vitest';
import { cellWidth, ONE_CELL } from '../../../lib/present/views/text.js';

/** Every character the fast path takes for one cell. */
function oneCellCharacters(): string[] {
  const all: string[] = [];
  for (let code = 0; code <= 0xffff; code++) {
    const character = String.fromCharCode(code);
    if (code < 0xd800 || code > 0xdfff) if (ONE_CELL.test(character)) all.push(character);
  }
  return all;
}

test('each character the fast path counts as one cell is one cell to string-width', () => {
  const characters = oneCellCharacters();
  expect(characters.length).toBeGreaterThan(95 + 150);
  const disagree = characters.filter((character) => stringWidth(character) !== 1);
  expect(disagree.map((character) => character.codePointAt(0)!.toString(16))).toEqual([]);
});

test('cellWidth: colour codes count as none; wide and zero-width characters as string-width says', () => {
  const cases = ['', 'plain', '├─ child', '\x1b[2m└─ worker 3\x1b[0m', '\x1b[1;35madopted by 1\x1b[22m', '█▒ R', '子进程', '├─ 子进程 child', '\x1b[33m僵尸\x1b[0m', 'e\u0301', 'a\u200bb', '✓ ✗', '😀'];
  for (const text of cases) expect(cellWidth(text), JSON.stringify(text)).toBe(stringWidth(text));
  expect(cellWidth('\x1b[2m└─ worker\x1b[0m')).toBe(9);
});
