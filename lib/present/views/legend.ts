// The legend under the table: what each STAT letter on screen means, in plain words.
//
// Only what is on screen right now is explained, so the legend stays short and a new letter
// (the first Z of the zombie lesson) brings its explanation with it.
import type { TableRow } from '../../observe/observer.js';
import { STAT_MEANINGS } from '../../words/stat-meanings.js';
import { colors, statColor } from './palette.js';
import { isAdopted, isGone, shownStat } from './table.js';
import { cellWidth, padEnd, truncate, wrapLine } from './text.js';
import { words } from '../../words/views.js';

export interface LegendOptions {
  width: number;
  color: boolean;
  /**
   * One wrapped paragraph of short meanings ("Z zombie · s session leader") instead of a line
   * per letter: for a screen too short for the full legend.
   */
  compact?: boolean;
}

/** A meaning cut to its first words: up to a colon or a bracket ("zombie", "multi-threaded"). */
function shortMeaning(meaning: string): string {
  return meaning.split(words().shortMeaningEnd)[0]!.trim();
}

const STATE_LETTERS = new Set(['R', 'S', 'D', 'T', 't', 'Z', 'X', 'I']);

/** The STAT letters and modifiers used by these rows, in the order of STAT_MEANINGS. */
export function lettersOnScreen(rows: readonly TableRow[]): string[] {
  const used = new Set<string>();
  for (const row of rows) {
    const stat = shownStat(row);
    if (stat === '-') continue;
    for (const letter of stat) used.add(letter);
  }
  return Object.keys(STAT_MEANINGS).filter((letter) => used.has(letter));
}

export function renderLegend(rows: TableRow[], options: LegendOptions): string[] {
  const c = colors(options.color);
  const w = words();
  const entries: Array<{ key: string; paint: (text: string) => string; meaning: string; short: string }> = [];
  for (const letter of lettersOnScreen(rows)) {
    const meaning = w.statMeanings[letter] ?? '';
    // A modifier only means something after a state letter; say so, or "s" reads like a state.
    const full = STATE_LETTERS.has(letter) ? meaning : `${w.afterTheLetter}${meaning}`;
    entries.push({ key: letter, paint: statColor(c, letter), meaning: full, short: shortMeaning(meaning) });
  }
  if (rows.some(isAdopted)) entries.push({ key: w.adopted, paint: c.magenta, meaning: w.markMeanings.adopted, short: w.inBrackets(w.markShort.adopted) });
  if (rows.some(isGone)) entries.push({ key: w.exited, paint: c.dim, meaning: w.markMeanings.exited, short: w.inBrackets(w.markShort.exited) });
  if (entries.length === 0) return [];
  if (options.compact) {
    // No space before a full-width bracket: "被收养（父进程先退出）", "adopted (its parent died first)".
    const parts = entries.map((entry) => `${entry.paint(entry.key)}${entry.short.startsWith('（') ? '' : ' '}${entry.short}`);
    return wrapLine(parts.join(' · '), options.width);
  }

  // Keys are measured in cells: a Chinese mark ("被收养") is twice as wide as its characters.
  const keyWidth = Math.max(...entries.map((entry) => cellWidth(entry.key)));
  const room = Math.max(1, options.width - keyWidth - 2);
  const lines: string[] = [];
  for (const entry of entries) {
    const [first = '', ...rest] = wrapLine(entry.meaning, room);
    lines.push(`${entry.paint(padEnd(entry.key, keyWidth))}  ${first}`);
    for (const more of rest) lines.push(`${' '.repeat(keyWidth + 2)}${more}`);
  }
  return lines.map((line) => truncate(line, options.width));
}
